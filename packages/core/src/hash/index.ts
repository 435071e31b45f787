// Hash types, sets and hashers (rclone fs/hash), plus MIME types by extension (rclone lsjson MimeType).
export * from './hash-type.js';
export { toHex } from './base-hasher.js';
export type { Hasher } from './base-hasher.js';
export * from './hasher.js';
export * from './multi-hasher.js';
export * from '../util/mime.js';
