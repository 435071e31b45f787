// Error helpers of the Fs: rclone's "couldn't …: <cause>" wrapping (keeping codes and retry classes) and 404 tests.

import { JsyncError } from '@jsync/core';
import { httpStatusOf } from '../http/errors.js';

/** True when `err` (or an error in its cause chain) is an HTTP 404 answer. */
export function isNotFound(err: unknown): boolean {
  return httpStatusOf(err) === 404;
}

/** True for an abort (signal) error, which is passed through unchanged. */
export function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError') && !(err instanceof JsyncError);
}

/**
 * `<prefix>: <message of err>` as rclone's `fmt.Errorf("…: %w")`: the code, retry class and Retry-After of a
 * jsync error are kept (so a QUOTA_EXCEEDED stays fatal), other errors become IO; aborts pass through.
 */
export function wrapError(prefix: string, err: unknown): unknown {
  if (isAbort(err)) return err;
  const message = `${prefix}: ${err instanceof Error ? err.message : String(err)}`;
  if (err instanceof JsyncError) {
    return new JsyncError({
      code: err.code, message, cause: err, errorClass: err.errorClass, retryAfterMs: err.retryAfterMs, context: err.context,
    });
  }
  return new JsyncError({ code: 'IO', message, cause: err });
}

/** A plain IO error with `message` (rclone `errors.New`). */
export function ioError(message: string, context?: Record<string, unknown>): JsyncError {
  return new JsyncError({ code: 'IO', message, ...(context ? { context } : {}) });
}
