// Copying one object (rclone operations.Copy): dry-run, -i, --max-transfer, server-side copy, streamed upload
// with low-level retries, verification and rclone's log lines.

import { isJsyncError, JsyncError } from '../fs/errors.js';
import type { Fs, FsObject, ObjectInfo, PutOptions } from '../fs/types.js';
import type { HashType } from '../hash/hash-type.js';
import type { TransferAccount } from '../accounting/types.js';
import type { OperationContext } from '../sync/options.js';
import { commonHash, hashesOption } from './hashes.js';
import { hardCutoff, maxTransferRefusal } from './max-transfer.js';
import { overrideRemote } from './object-info.js';
import { openReopening } from './reopen.js';
import { withLowLevelRetries } from './retry.js';
import { serverSideAllowed } from './same.js';
import { errText, skipDestructive } from './skip.js';
import { uploadUnknownSize } from './stream-upload.js';
import { handleFailedCopy, verifyTransfer } from './verify.js';

/** Arguments of {@link copyObject} / moveObject: copy `src` to `remote` in `fdst`, replacing `dst` if given. */
export interface CopyArgs {
  fdst: Fs;
  /** The existing destination object (updated in place), or undefined for a new one. */
  dst?: FsObject;
  /** Destination path relative to `fdst`. */
  remote: string;
  src: FsObject;
}

/** One successful attempt: the object written, rclone's action text and what it must match. */
interface Attempt {
  obj: FsObject;
  action: string;
  expected: ObjectInfo;
}

/**
 * Copies `src` to `remote` in `fdst` (over `dst` when given) and returns the new object (reflecting the new
 * content), or `dst` unchanged in dry-run / when `-i` declines. Server-side when `fdst` has `copy` and the configs
 * match (or same backend type across configs); otherwise streamed (`put`, `dst.update`, or for unknown sizes
 * putStream / a temp-file spool). Retryable failures are retried `--low-level-retries` times; the result is
 * verified by size and common hash (see verify.ts for the deliberate difference from rclone on failed updates).
 * Errors are counted and logged (`Failed to copy: …`) and thrown.
 */
export async function copyObject(ctx: OperationContext, args: CopyArgs): Promise<FsObject | undefined> {
  const { fdst, dst, remote, src } = args;
  const serverSide = fdst.features.copy !== undefined && serverSideAllowed(ctx, src.fs, fdst);
  const account = ctx.stats.startTransfer({ remote: src.remote, size: src.size, ...(serverSide ? { serverSide } : {}) });
  let skip: boolean;
  try {
    skip = await skipDestructive(ctx, src, 'copy');
  } catch (err) {
    account.done(err);
    throw err;
  }
  if (skip) {
    account.addBytes(Math.max(0, src.size));
    account.done();
    return dst;
  }
  const refusal = maxTransferRefusal(ctx, src.size);
  if (refusal !== undefined) {
    ctx.stats.error(refusal);
    account.done(refusal);
    throw refusal;
  }
  const hashType = commonHash(ctx, fdst, src.fs);
  let result: Attempt;
  try {
    let tryServerSide = serverSide;
    result = await withLowLevelRetries(ctx, String(src), async () => {
      if (tryServerSide) {
        try {
          const obj = await fdst.features.copy!(src, remote, ctx.signal ? { signal: ctx.signal } : {});
          account.addBytes(Math.max(0, obj.size));
          return { obj, action: 'Copied (server-side copy)', expected: src };
        } catch (err) {
          if (!isJsyncError(err, 'CANT_COPY')) throw err;
          tryServerSide = false;
        }
      }
      return streamCopy(ctx, { ...args, account, hashType });
    });
  } catch (err) {
    ctx.stats.error(err);
    ctx.logger.log('ERROR', String(src), `Failed to copy: ${errText(err)}`);
    account.done(err);
    throw err;
  }
  const bad = await verifyTransfer(ctx, result.expected, result.obj, hashType);
  if (bad !== undefined) {
    await handleFailedCopy(ctx, result.obj, dst !== undefined);
    account.done(bad);
    throw bad;
  }
  const name = String(result.obj);
  ctx.logger.log('INFO', String(src), String(src) !== name ? `${result.action} to: ${name}` : result.action);
  account.done();
  return result.obj;
}

/** Streams the source into `put` / `dst.update`, re-opening the source on read errors. */
async function streamCopy(
  ctx: OperationContext, a: CopyArgs & { account: TransferAccount; hashType: HashType | undefined },
): Promise<Attempt> {
  const putOpts: PutOptions = { hashes: hashesOption(a.hashType), ...(ctx.signal ? { signal: ctx.signal } : {}) };
  if (a.src.size < 0) return uploadUnknownSize(ctx, { ...a, putOpts });
  let reader;
  try {
    reader = await openReopening(ctx, a.src, Math.max(1, ctx.options.lowLevelRetries));
  } catch (err) {
    throw wrapError(err, 'failed to open source object: ');
  }
  try {
    const body = hardCutoff(ctx, a.account.wrap(reader, ctx.signal));
    const info = overrideRemote(a.src, a.remote);
    if (a.dst !== undefined) {
      await a.dst.update(body, info, putOpts);
      return { obj: a.dst, action: 'Copied (replaced existing)', expected: a.src };
    }
    const obj = await a.fdst.put(body, info, putOpts);
    return { obj, action: 'Copied (new)', expected: a.src };
  } finally {
    reader.close();
  }
}

/** `err` with `prefix` added to its message, keeping its code and retry class. */
export function wrapError(err: unknown, prefix: string): JsyncError {
  if (err instanceof JsyncError) {
    return new JsyncError({
      code: err.code, message: prefix + err.message, cause: err,
      ...(err.errorClass !== undefined ? { errorClass: err.errorClass } : {}),
      ...(err.retryAfterMs !== undefined ? { retryAfterMs: err.retryAfterMs } : {}),
    });
  }
  return new JsyncError({ code: 'IO', message: prefix + errText(err), cause: err });
}
