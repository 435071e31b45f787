// Low-level retries of single operations (rclone operations.Retry / fserrors.ShouldRetry).

import { errorClassOf, JsyncError } from '../fs/errors.js';
import type { OperationContext } from '../sync/options.js';
import { formatGoDurationNs } from '../util/units.js';
import { errText } from './skip.js';

/** Node/OS error codes that mean a transient network or pipe failure (rclone's retriableErrors). */
const TRANSIENT_CODES = new Set([
  'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'EHOSTDOWN', 'EHOSTUNREACH', 'ECONNABORTED', 'EAGAIN', 'EWOULDBLOCK',
  'ECONNRESET', 'ENETUNREACH', 'ENETRESET', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
]);

/** rclone's retriableErrorStrings plus Node's wording of an unexpected end of stream. */
const TRANSIENT_TEXT = ['use of closed network connection', 'unexpected EOF', 'transport connection broken', 'server closed idle connection', 'socket hang up', 'other side closed'];

/**
 * Whether repeating the single operation may help: an error explicitly classified `retry` anywhere in the cause
 * chain, or an unclassified transient network/pipe error. Errors classified `fatal`, `noRetry` or
 * `noLowLevelRetry`, and plain unclassified errors (e.g. permission denied), are not retried — as rclone, whose
 * low-level retry only repeats errors marked retriable or recognised as network failures.
 */
export function isLowLevelRetryable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 16; depth++) {
    if (e instanceof JsyncError && e.errorClass !== undefined) return e.errorClass === 'retry';
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  const text = errText(err);
  return TRANSIENT_TEXT.some((t) => text.includes(t));
}

/** A server-directed wait (JsyncError.retryAfterMs) anywhere in the cause chain. */
export function retryAfterMsOf(err: unknown): number | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 16; depth++) {
    if (e instanceof JsyncError && e.retryAfterMs !== undefined) return e.retryAfterMs;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Resolves after `ms`, or rejects with the abort reason when `signal` fires first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Options for {@link withLowLevelRetries}. */
export interface LowLevelRetryOptions {
  /** Attempts in total. @default ctx.options.lowLevelRetries */
  maxTries?: number;
  /** Decides whether an error is worth another attempt. @default isLowLevelRetryable */
  retryable?: (err: unknown) => boolean;
  /** Called before each retry (e.g. to discard partial accounting). */
  onRetry?: (err: unknown, attempt: number) => void | Promise<void>;
}

/**
 * Runs `fn` up to `--low-level-retries` times while it fails with a retryable error, logging rclone's DEBUG
 * `Received error: <err> - low level retry n/N` on `what`. A Retry-After hint is slept first
 * (`Sleeping for <d> (as indicated by the server) to obey Retry-After error: <err>`). Stops when `ctx.signal`
 * aborts. The last error is thrown.
 */
export async function withLowLevelRetries<T>(
  ctx: OperationContext, what: string | undefined, fn: (attempt: number) => Promise<T>, opts: LowLevelRetryOptions = {},
): Promise<T> {
  const maxTries = Math.max(1, opts.maxTries ?? ctx.options.lowLevelRetries);
  const retryable = opts.retryable ?? isLowLevelRetryable;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (attempt >= maxTries || ctx.signal?.aborted) throw err;
      const after = retryAfterMsOf(err);
      const cls = errorClassOf(err);
      const hinted = after !== undefined && cls !== 'fatal' && cls !== 'noRetry' && cls !== 'noLowLevelRetry';
      if (!retryable(err) && !hinted) throw err;
      if (after !== undefined && hinted) {
        ctx.logger.log('DEBUG', what, `Sleeping for ${formatGoDurationNs(BigInt(Math.round(after)) * 1_000_000n)} (as indicated by the server) to obey Retry-After error: ${errText(err)}`);
        await sleep(after, ctx.signal);
      }
      ctx.logger.log('DEBUG', what, `Received error: ${errText(err)} - low level retry ${attempt}/${maxTries}`);
      await opts.onRetry?.(err, attempt);
    }
  }
}
