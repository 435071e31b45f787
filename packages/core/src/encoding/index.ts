// Filename encoding (rclone lib/encoder).
export {};
