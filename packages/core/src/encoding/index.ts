// Filename encoding (rclone lib/encoder): flags, mask strings and the MultiEncoder.
export * from './flags.js';
export * from './mask.js';
export * from './multi-encoder.js';
