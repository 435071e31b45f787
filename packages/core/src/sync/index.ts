// copy/sync/move of whole trees and check (rclone fs/sync, operations.Check).
export * from './options.js';
