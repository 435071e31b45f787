// Accounting: stats, transfer byte counting, limits (rclone fs/accounting).
export * from './types.js';
export * from './clock.js';
export * from './average.js';
export * from './bwlimit.js';
export * from './limits.js';
export { etaSeconds, TransferItem, type TransferItemSnapshot } from './account.js';
export * from './stats.js';
export * from './format.js';
export * from './go-layout.js';
