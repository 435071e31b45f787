// Error accounting of a run: each error object counted once, the last one kept, rclone's retry classification.

import { JsyncError, errorClassOf } from '../fs/errors.js';

function retryAfterMsOf(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 16; depth++) {
    if (e instanceof JsyncError && e.retryAfterMs !== undefined) return e.retryAfterMs;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** rclone StatsInfo's error fields and rules (Error, ResetErrors, HadFatalError, HadRetryError, RetryAfter). */
export class ErrorTally {
  /** Number of counted errors. */
  count = 0;
  /** The last counted error. */
  last: unknown;
  /** A fatal error was counted. */
  fatal = false;
  /** An error that retrying may help was counted. */
  retry = false;
  /** Latest server-directed retry time. */
  retryAt: Date | undefined;
  private readonly counted = new WeakSet<object>();

  /** Counts `err` unless it is nullish or this same object was counted before; `now` dates retry-after errors. */
  add(err: unknown, now: Date): void {
    if (err === undefined || err === null) return;
    if (typeof err === 'object' || typeof err === 'function') {
      if (this.counted.has(err)) return;
      this.counted.add(err);
    }
    this.count++;
    this.last = err;
    const cls = errorClassOf(err);
    const after = retryAfterMsOf(err);
    if (cls === 'fatal') {
      this.fatal = true;
    } else if (after !== undefined) {
      const at = new Date(now.getTime() + after);
      if (this.retryAt === undefined || at > this.retryAt) this.retryAt = at;
      this.retry = true;
    } else if (cls !== 'noRetry') {
      // 'retry' and 'noLowLevelRetry' both leave a whole-command retry worthwhile.
      this.retry = true;
    }
  }

  /** True when `err` (an object) was already counted. */
  has(err: unknown): boolean {
    return typeof err === 'object' && err !== null && this.counted.has(err);
  }

  /** Forgets the count and classification (counted objects stay counted). */
  reset(): void {
    this.count = 0;
    this.last = undefined;
    this.fatal = false;
    this.retry = false;
    this.retryAt = undefined;
  }
}
