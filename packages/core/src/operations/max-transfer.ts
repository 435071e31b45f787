// --max-transfer: refusing new transfers past the limit and cutting a stream off in HARD mode.

import { fatalError, jsyncError, noRetryError, type JsyncError } from '../fs/errors.js';
import type { OperationContext } from '../sync/options.js';

/** The MAX_TRANSFER_REACHED error for the cutoff mode: fatal for HARD, NoRetry (graceful stop) otherwise. */
export function maxTransferError(ctx: OperationContext): JsyncError {
  const err = jsyncError('MAX_TRANSFER_REACHED');
  return ctx.options.cutoffMode === 'HARD' ? fatalError(err) : noRetryError(err);
}

/**
 * rclone's pre-transfer check: with `--max-transfer` set, the error to refuse a transfer of `size` bytes with, or
 * undefined. CAUTIOUS also counts the new transfer's size (in-flight remainders are not known here).
 */
export function maxTransferRefusal(ctx: OperationContext, size: number): JsyncError | undefined {
  const max = ctx.options.maxTransfer;
  if (max < 0) return undefined;
  const soFar = ctx.stats.bytes + (ctx.options.cutoffMode === 'CAUTIOUS' ? Math.max(0, size) : 0);
  return soFar >= max ? maxTransferError(ctx) : undefined;
}

/** Passes `input` through, failing with the fatal error once the run's byte count exceeds a HARD `--max-transfer`. */
export function hardCutoff(ctx: OperationContext, input: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const max = ctx.options.maxTransfer;
  if (max < 0 || ctx.options.cutoffMode !== 'HARD') return input;
  return (async function* guarded() {
    for await (const chunk of input) {
      if (ctx.stats.bytes > max) throw maxTransferError(ctx);
      yield chunk;
    }
  })();
}
