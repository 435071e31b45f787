// rclone's pacer for jottacloud (max 2 s, decay 2, attack 1) with low-level retries, Retry-After and jitter, but
// without rclone's 10 ms spacing while the server is healthy. One Pacer is shared by all calls of an Fs, as in rclone.

import { JsyncError, systemClock } from '@jsync/core';
import type { Logger } from '@jsync/core';
import { JottaApiError, MAX_RETRY_AFTER_MS, RETRY_STATUSES } from './errors.js';

/** Settings of a {@link Pacer}. */
export interface PacerOptions {
  /** Attempts per call (`--low-level-retries`). @default 10 */
  retries?: number;
  /** Spacing of call starts while the server is healthy (rclone: 10). @default 0 */
  minSleepMs?: number;
  /** @default 2000 */
  maxSleepMs?: number;
  /** `--tpslimit`: one slot is taken before every attempt. */
  tpsLimiter?: { take(signal?: AbortSignal): Promise<void> };
  /** Receives `low level retry i/n (error …)` at DEBUG. */
  logger?: Logger;
  /** Abortable sleep (tests inject a fake). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Monotonic milliseconds (tests inject a fake matching `sleep`). */
  now?: () => number;
  /** Jitter source in [0, 1). @default Math.random */
  random?: () => number;
}

/** Options of one {@link Pacer.call}. */
export interface PacerCallOptions {
  signal?: AbortSignal;
  /** false = a single attempt (rclone `CallNoRetry`). @default true */
  retry?: boolean;
  /**
   * false = outside the pacer (rclone's upload POST): not spaced, a single attempt, and its outcome leaves the pacing
   * unchanged; it still takes a `--tpslimit` slot (rclone limits every HTTP transaction). @default true
   */
  pace?: boolean;
  /** Appended to retry log lines (e.g. `GET /jfs/…`); a function is called only when a line is logged. */
  describe?: string | (() => string);
}

/**
 * rclone's minimum sleep for jottacloud: the attack doubles from at least this (0 → 20 ms, as rclone's 10 → 20), and
 * the decay drops to `minSleepMs` once it falls below it (rclone stays at 10).
 */
export const RCLONE_MIN_SLEEP_MS = 10;

const RETRY_CODES: ReadonlySet<string> = new Set([
  // rclone fserrors retriableErrors (syscall errnos)
  'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'EHOSTDOWN', 'EHOSTUNREACH', 'ECONNABORTED', 'EAGAIN', 'EWOULDBLOCK', 'ECONNRESET',
  // temporary DNS failure (Go: net.DNSError.Temporary)
  'EAI_AGAIN',
  // undici transport failures
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  // a stream ended before its end (io.ErrUnexpectedEOF)
  'ERR_STREAM_PREMATURE_CLOSE',
]);

const RETRY_MESSAGES = /premature close|unexpected EOF|other side closed|socket hang up|use of closed network connection/i;

function isAbort(e: unknown): boolean {
  const x = e as { name?: unknown; code?: unknown };
  return x.name === 'AbortError' || x.code === 'ABORT_ERR' || x.code === 'UND_ERR_ABORTED';
}

/**
 * rclone's low-level retry decision: HTTP 429, 500, 502, 503, 504, 509 and network errors (ECONNRESET, EPIPE, ETIMEDOUT,
 * ECONNREFUSED, UND_ERR_* timeouts/socket errors, premature close/EOF). Aborts and errors classed fatal/noRetry/noLowLevelRetry never.
 */
export function shouldRetry(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 16; depth++) {
    if (e instanceof JottaApiError) return RETRY_STATUSES.has(e.httpStatus);
    if (e instanceof JsyncError && e.errorClass !== undefined && e.errorClass !== 'retry') return false;
    if (typeof e !== 'object') return false;
    if (isAbort(e)) return false;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && RETRY_CODES.has(code)) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string' && RETRY_MESSAGES.test(message)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function isAborted(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal?.aborted === true;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/**
 * Paces calls like rclone's pacer: attempt starts are spaced by the current sleep (shared by all calls), the sleep
 * doubles on each retryable failure (up to the max) and decays by a quarter on success; a retry waits the sleep
 * (with jitter) or the server's Retry-After (capped at 5 min). Every attempt first takes a tpsLimiter slot.
 *
 * Difference from rclone: while the server is healthy the sleep is `minSleepMs` (default 0, rclone 10 ms), so calls
 * are not spaced at all; the first retryable error (429, 5xx, network) attacks to 20 ms as rclone's would, and
 * successes decay it along rclone's curve until it falls below 10 ms, then back to 0. Polite enough because the
 * server's push-back is what slows us down: every 429/5xx doubles the spacing of all calls up to 2 s, Retry-After
 * is honoured, and `--tpslimit` caps the rate for those who want a fixed one.
 */
export class Pacer {
  /** Attempts per call. */
  readonly retries: number;
  private readonly minSleep: number;
  private readonly maxSleep: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private sleepMs: number;
  private nextStart = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: PacerOptions = {}) {
    this.retries = Math.max(1, Math.floor(opts.retries ?? 10));
    this.minSleep = Math.max(0, opts.minSleepMs ?? 0);
    this.maxSleep = Math.max(this.minSleep, opts.maxSleepMs ?? 2000);
    this.sleep = opts.sleep ?? ((ms, signal) => systemClock.sleep(ms, signal));
    this.now = opts.now ?? (() => performance.now());
    this.random = opts.random ?? Math.random;
    this.sleepMs = this.minSleep;
  }

  /** The current pacing sleep in ms (shared state; grows while the server pushes back). */
  get currentSleepMs(): number {
    return this.sleepMs;
  }

  /** Runs `fn` (attempt numbers from 1) until it succeeds, fails with a non-retryable error or runs out of attempts. */
  async call<T>(fn: (attempt: number) => Promise<T>, opts: PacerCallOptions = {}): Promise<T> {
    const { signal } = opts;
    if (opts.pace === false) return this.unpaced(fn, signal);
    const max = opts.retry === false ? 1 : this.retries;
    let notBefore = Number.NEGATIVE_INFINITY;
    for (let attempt = 1; ; attempt++) {
      await this.beginCall(notBefore, signal);
      let result: T;
      try {
        result = await fn(attempt);
      } catch (err) {
        if (signal?.aborted === true) throw err;
        const retry = shouldRetry(err);
        const retryAfter = retry && err instanceof JsyncError ? findRetryAfter(err) : undefined;
        this.endCall(retry, retryAfter);
        if (!retry) throw err;
        this.logRetry(attempt, max, err, retryAfter, opts.describe);
        if (attempt >= max) throw err;
        const delay = retryAfter ?? Math.round(this.sleepMs * (0.5 + 0.5 * this.random()));
        notBefore = this.now() + delay;
        continue;
      }
      this.endCall(false, undefined);
      return result;
    }
  }

  /** One attempt outside the pacing (after a tps slot). */
  private async unpaced<T>(fn: (attempt: number) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    if (isAborted(signal)) throw abortReason(signal);
    await this.opts.tpsLimiter?.take(signal);
    if (isAborted(signal)) throw abortReason(signal);
    return fn(1);
  }

  private async beginCall(notBefore: number, signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted === true) throw abortReason(signal);
    const now = this.now();
    const start = Math.max(now, this.nextStart, notBefore);
    this.nextStart = start + this.sleepMs;
    if (start > now) await this.sleep(start - now, signal);
    await this.opts.tpsLimiter?.take(signal);
    if (isAborted(signal)) throw abortReason(signal);
  }

  /**
   * rclone's Default calculator: Retry-After as given after a retryable error, else attack (double, from at least
   * 10 ms, capped); on success decay by 1/4, down to `minSleepMs` once below rclone's 10 ms.
   */
  private endCall(retry: boolean, retryAfter: number | undefined): void {
    if (retry && retryAfter !== undefined) this.sleepMs = Math.max(this.minSleep, retryAfter);
    else if (retry) this.sleepMs = Math.min(this.maxSleep, Math.max(this.sleepMs, RCLONE_MIN_SLEEP_MS) * 2);
    else {
      const next = (this.sleepMs * 3) / 4;
      this.sleepMs = next < Math.max(this.minSleep, RCLONE_MIN_SLEEP_MS) ? this.minSleep : next;
    }
  }

  private logRetry(attempt: number, max: number, err: unknown, retryAfter: number | undefined, describe: PacerCallOptions['describe']): void {
    const logger = this.opts.logger;
    if (logger === undefined || !logger.enabled('DEBUG')) return;
    let text = `low level retry ${attempt}/${max} (error ${err instanceof Error ? err.message : String(err)})`;
    if (retryAfter !== undefined && attempt < max) text += `, waiting ${(retryAfter / 1000).toFixed(3)}s as asked by Retry-After`;
    if (describe !== undefined) text += ` [${typeof describe === 'function' ? describe() : describe}]`;
    logger.log('DEBUG', 'pacer', text);
  }
}

function findRetryAfter(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 16; depth++) {
    if (e instanceof JsyncError && e.retryAfterMs !== undefined) return Math.min(Math.max(0, e.retryAfterMs), MAX_RETRY_AFTER_MS);
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
