// rclone's cmd.Run retry loop: whole-command attempts (`--retries`, `--retries-sleep`) with rclone's log lines.

import { type Logger, formatGoDurationNs } from '@jsync/core';
import { CliFatalError, type CliContext } from '../context.js';
import { isTerminalError } from '../exit-codes.js';

/** Options for {@link runWithRetries}. */
export interface RetryOptions {
  /** False for commands rclone runs once (`check`): the loop stops after the first attempt. @default true */
  retry?: boolean;
  /** Where the attempt lines go (the `-P` display's logger while it runs). @default ctx.logger */
  logger?: Logger;
}

/**
 * Thrown by a command body to end the attempt with an error that is already accounted for and must not be counted
 * again (rclone's check returns such an error: its differences were each counted).
 */
export class AlreadyCounted extends Error {
  readonly error: unknown;
  constructor(error: unknown) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
    this.name = 'AlreadyCounted';
    this.error = error;
  }
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Go's RFC3339Nano in local time (`2006-01-02T15:04:05.999999999Z07:00`, trailing zeros of the fraction trimmed). */
export function formatRfc3339Nano(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const ms = d.getMilliseconds();
  const frac = ms === 0 ? '' : `.${p(ms, 3)}`.replace(/0+$/, '');
  const off = -d.getTimezoneOffset();
  const zone = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${frac}${zone}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Runs `fn` like rclone's `cmd.Run`: errors thrown by `fn` are counted (once) in `ctx.stats`, as are the errors the
 * engine counted itself. While the run errored, no error was fatal and at least one is retryable, it is run again
 * (up to `--retries` attempts in all; `--retries 0` runs nothing, as rclone) after logging `Attempt n/N failed with
 * E errors and: <last error>`, resetting the error counters and sleeping `--retries-sleep` (also after the last
 * attempt, as rclone). The final error is left in `ctx.lastError` for main's `Failed to <cmd>` line; never throws.
 */
export async function runWithRetries(ctx: CliContext, fn: () => Promise<void>, opts: RetryOptions = {}): Promise<void> {
  const stats = ctx.stats;
  const retry = opts.retry !== false;
  const retries = ctx.globals.retries;
  const logger = opts.logger ?? ctx.logger;
  const log = (msg: string) => logger.log('ERROR', undefined, msg);
  let cmdErr: unknown;
  for (let attempt = 1; attempt <= retries; attempt++) {
    cmdErr = undefined;
    try {
      await fn();
    } catch (err) {
      // log.Fatalf paths end the command at once, before any retry.
      if (err instanceof CliFatalError) throw err;
      if (err instanceof AlreadyCounted) {
        cmdErr = err.error;
      } else {
        cmdErr = err;
        stats.error(err);
      }
    }
    if (ctx.quitRequested || ctx.fatal) break;
    const lastErr = stats.lastError;
    cmdErr ??= lastErr;
    if (!retry || !stats.errored()) {
      if (attempt > 1) log(`Attempt ${attempt}/${retries} succeeded`);
      break;
    }
    if (stats.hadFatalError() || isTerminalError(lastErr)) {
      log('Fatal error received - not attempting retries');
      break;
    }
    if (!stats.hadRetryError()) {
      log("Can't retry any of the errors - not attempting retries");
      break;
    }
    const retryAfter = stats.retryAfter;
    if (retryAfter !== undefined) {
      const waitMs = retryAfter.getTime() - Date.now();
      if (waitMs > 0) {
        const d = formatGoDurationNs(BigInt(Math.round(waitMs)) * 1_000_000n);
        logger.log('NOTICE', undefined, `Received retry after error - sleeping until ${formatRfc3339Nano(retryAfter)} (${d})`);
        await sleep(waitMs, ctx.abort.signal);
      }
    }
    const errors = stats.errors;
    log(lastErr !== undefined ? `Attempt ${attempt}/${retries} failed with ${errors} errors and: ${errText(lastErr)}` : `Attempt ${attempt}/${retries} failed with ${errors} errors`);
    if (attempt < retries) stats.resetErrors();
    await sleep(ctx.globals.retriesSleepMs, ctx.abort.signal);
  }
  ctx.lastError = cmdErr;
}
