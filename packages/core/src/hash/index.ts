// Hash types, sets and hashers (rclone fs/hash), plus MIME types by extension (rclone lsjson MimeType).
export * from './hash-type.js';
export * from './base-hasher.js';
export * from './hasher.js';
export * from './multi-hasher.js';
export * from '../util/mime.js';
