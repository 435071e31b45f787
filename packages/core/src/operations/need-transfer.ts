// rclone NeedTransfer: does a source object have to be copied over the destination (§5.3)?

import { jsyncError, noRetryError } from '../fs/errors.js';
import type { FsObject } from '../fs/types.js';
import { getModifyWindow, MODTIME_NOT_SUPPORTED, SECOND_NS } from '../modtime/modify-window.js';
import type { OperationContext } from '../sync/options.js';
import { formatGoDurationNs } from '../util/units.js';
import { defaultEqualOptions, equal, equalWith } from './equal.js';

/**
 * True when `src` must be transferred over `dst` (undefined = absent), in rclone's order: missing destination;
 * `--ignore-existing`; `--ignore-times`; `--update` (newer destination skipped, older compared without modtimes,
 * within the window by size or checksum); else {@link equal}. With `--immutable`, an existing destination that
 * would be replaced throws a counted, logged NoRetry IMMUTABLE_MODIFIED error instead of returning true.
 */
export async function needTransfer(ctx: OperationContext, src: FsObject, dst: FsObject | undefined): Promise<boolean> {
  const need = await decide(ctx, src, dst);
  if (need && dst !== undefined && ctx.options.immutable) {
    const err = noRetryError(jsyncError('IMMUTABLE_MODIFIED'));
    ctx.stats.error(err);
    ctx.logger.log('ERROR', String(dst), `Source and destination exist but do not match: ${err.message}`);
    throw err;
  }
  return need;
}

async function decide(ctx: OperationContext, src: FsObject, dst: FsObject | undefined): Promise<boolean> {
  const subject = String(src);
  const debug = (msg: string) => ctx.logger.log('DEBUG', subject, msg);
  if (dst === undefined) {
    debug('Need to transfer - File not found at Destination');
    return true;
  }
  const o = ctx.options;
  if (o.ignoreExisting) {
    debug('Destination exists, skipping');
    return false;
  }
  if (o.ignoreTimes) {
    debug('Transferring unconditionally as --ignore-times is in use');
    return true;
  }
  if (o.update) {
    const dt = dst.modTime().sub(src.modTime());
    let window = getModifyWindow([dst.fs, src.fs], o.modifyWindowNs);
    // Without meaningful modtimes, 1s is a safe resolution for "time of upload".
    if (window === MODTIME_NOT_SUPPORTED) window = SECOND_NS;
    if (dt >= window) {
      debug('Destination is newer than source, skipping');
      return false;
    }
    if (dt <= -window) {
      if (await equalWith(ctx, src, dst, { ...defaultEqualOptions(ctx), forceModTimeMatch: true })) {
        debug('Unchanged skipping');
        return false;
      }
      return true;
    }
    const w = formatGoDurationNs(window);
    if (await equalWith(ctx, src, dst, { ...defaultEqualOptions(ctx), sizeOnly: !o.checksum })) {
      debug(`Destination mod time is within ${w} of source and files identical, skipping`);
      return false;
    }
    debug(`Destination mod time is within ${w} of source but files differ, transferring`);
    return true;
  }
  if (await equal(ctx, src, dst)) {
    debug('Unchanged skipping');
    return false;
  }
  return true;
}
