// Hash types, sets and hashers (rclone fs/hash).
export * from './hash-type.js';
