// Accounting: stats, transfer byte counting, limits (rclone fs/accounting).
export * from './types.js';
