// copy/sync/move of whole trees and check (rclone fs/sync, operations.Check).
export * from './options.js';
export { sync, copyDir, moveDir, type SyncArgs } from './sync.js';
export type { SyncSummary } from './run.js';
export { Pipe } from './pipe.js';
export { canServerSideMove, resolveBackupDir } from './setup.js';
export { copyFile, moveFile, type CopyFileArgs } from './copy-file.js';
export { check, type CheckArgs, type CheckReport, type CheckResult } from '../operations/check.js';
export { checkIdenticalDownload, streamsDiffer } from '../operations/check-download.js';
