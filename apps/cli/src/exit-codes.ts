// rclone's exit codes (lib/exitcode) and the single function mapping an error to one.

import { type ErrorClass, isJsyncError } from '@jsync/core';

/** rclone's numeric exit codes. */
export const ExitCode = {
  SUCCESS: 0,
  USAGE_ERROR: 1,
  UNCATEGORIZED_ERROR: 2,
  DIR_NOT_FOUND: 3,
  FILE_NOT_FOUND: 4,
  RETRY_ERROR: 5,
  NO_RETRY_ERROR: 6,
  FATAL_ERROR: 7,
  TRANSFER_EXCEEDED: 8,
  NO_FILES_TRANSFERRED: 9,
} as const;

/**
 * True for errors no retry can fix whatever their class: revoked/expired credentials (`AUTH`, the user must run
 * `jsync config reconnect`) and an account out of space (`QUOTA_EXCEEDED`). They exit with the fatal code 7.
 */
export function isTerminalError(err: unknown): boolean {
  return isJsyncError(err, 'AUTH') || isJsyncError(err, 'QUOTA_EXCEEDED');
}

/** Maps the final error of a command to rclone's exit code, in cmd.resolveExitCode's order. */
export function resolveExitCode(err: unknown): number {
  if (err === undefined || err === null) return ExitCode.SUCCESS;
  if (isTerminalError(err)) return ExitCode.FATAL_ERROR;
  if (isJsyncError(err, 'DIR_NOT_FOUND')) return ExitCode.DIR_NOT_FOUND;
  if (isJsyncError(err, 'OBJECT_NOT_FOUND')) return ExitCode.FILE_NOT_FOUND;
  if (isJsyncError(err, 'MAX_TRANSFER_REACHED')) return ExitCode.TRANSFER_EXCEEDED;
  const cls = explicitClass(err);
  if (cls === 'retry') return ExitCode.RETRY_ERROR;
  if (cls === 'noRetry' || cls === 'noLowLevelRetry') return ExitCode.NO_RETRY_ERROR;
  if (cls === 'fatal' && !isJsyncError(err, 'INVALID_ARGUMENT')) return ExitCode.FATAL_ERROR;
  return ExitCode.USAGE_ERROR;
}

// The first explicit classification in the cause chain (unmarked errors are not "retry" for exit codes).
function explicitClass(err: unknown): ErrorClass | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 16; depth++) {
    if (isJsyncError(e) && (e as { errorClass?: ErrorClass }).errorClass !== undefined) return (e as { errorClass: ErrorClass }).errorClass;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
