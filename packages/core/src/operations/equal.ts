// rclone's Equal: size, then checksum or modtime (within the modify window), then hash; may fix the modtime.

import { isJsyncError } from '../fs/errors.js';
import type { FsObject, ObjectInfo } from '../fs/types.js';
import { getModifyWindow, MODTIME_NOT_SUPPORTED } from '../modtime/modify-window.js';
import { formatGoTime } from '../filter/go-time.js';
import type { OperationContext } from '../sync/options.js';
import { formatGoDurationNs } from '../util/units.js';
import { checkCommonHash, firstCommonHash } from './hashes.js';
import { errText, skipDestructive } from './skip.js';
import { runState } from './state.js';

/** Knobs of one equality check (rclone equalOpt); {@link defaultEqualOptions} derives them from the run options. */
export interface EqualOptions {
  /** Only compare sizes (`--size-only`). */
  sizeOnly: boolean;
  /** Compare size + hash instead of size + modtime (`--checksum`). */
  checksum: boolean;
  /** Set the destination modtime when only it differs (not `--no-update-modtime`). */
  updateModTime: boolean;
  /** Treat modtimes as equal (used by `--update` when the destination is older). */
  forceModTimeMatch: boolean;
}

/** The equality options the run's flags imply. */
export function defaultEqualOptions(ctx: OperationContext): EqualOptions {
  const o = ctx.options;
  return { sizeOnly: o.sizeOnly, checksum: o.checksum, updateModTime: !o.noUpdateModTime, forceModTimeMatch: false };
}

/** rclone sizeDiffers: both sizes known, `--ignore-size` off, and different. */
export function sizeDiffers(ctx: OperationContext, src: { size: number }, dst: { size: number }): boolean {
  if (ctx.options.ignoreSize || src.size < 0 || dst.size < 0) return false;
  return src.size !== dst.size;
}

/**
 * Whether `src` and `dst` hold the same file by rclone's rules (§5.4): size; `--size-only`; `--checksum` (first
 * common hash; without one a NOTICE once per run and size only); modtime within the modify window; otherwise the
 * hash decides and, when equal, the destination modtime is updated (unless dry-run / `--no-update-modtime`).
 * A backend that can't set modtimes makes the pair "not equal" so it is re-uploaded.
 */
export function equal(ctx: OperationContext, src: ObjectInfo, dst: FsObject): Promise<boolean> {
  return equalWith(ctx, src, dst, defaultEqualOptions(ctx));
}

/** {@link equal} with explicit options (rclone's internal `equal`). */
export async function equalWith(ctx: OperationContext, src: ObjectInfo, dst: FsObject, opt: EqualOptions): Promise<boolean> {
  const subject = String(src);
  const log = (level: 'DEBUG' | 'INFO' | 'NOTICE' | 'ERROR', who: string, msg: string) => ctx.logger.log(level, who, msg);
  if (sizeDiffers(ctx, src, dst)) {
    log('DEBUG', subject, `Sizes differ (src ${src.size} vs dst ${dst.size})`);
    return false;
  }
  if (opt.sizeOnly) {
    log('DEBUG', subject, 'Sizes identical');
    return true;
  }
  if (opt.checksum) {
    const check = await checkCommonHash(ctx, src, dst);
    if (!check.equal) {
      log('DEBUG', subject, `${check.type ?? 'none'} differ`);
      return false;
    }
    if (check.type === undefined) {
      const state = runState(ctx);
      if (firstCommonHash(src.fs, dst.fs) === undefined && !state.checksumNoticeDone) {
        state.checksumNoticeDone = true;
        log('NOTICE', dst.fs.toString(), '--checksum is in use but the source and destination have no hashes in common; falling back to --size-only');
      }
      log('DEBUG', subject, 'Size of src and dst objects identical');
    } else {
      log('DEBUG', subject, `Size and ${check.type} of src and dst objects identical`);
    }
    return true;
  }

  const srcModTime = src.modTime();
  if (!opt.forceModTimeMatch) {
    const window = getModifyWindow([src.fs, dst.fs], ctx.options.modifyWindowNs);
    if (window === MODTIME_NOT_SUPPORTED) {
      log('DEBUG', subject, 'Sizes identical');
      return true;
    }
    const dstModTime = dst.modTime();
    const dt = dstModTime.sub(srcModTime);
    if (dt < window && dt > -window) {
      log('DEBUG', subject, `Size and modification time the same (differ by ${formatGoDurationNs(dt)}, within tolerance ${formatGoDurationNs(window)})`);
      return true;
    }
    log('DEBUG', subject, `Modification times differ by ${formatGoDurationNs(dt)}: ${formatGoTime(srcModTime)}, ${formatGoTime(dstModTime)}`);
  }

  const check = await checkCommonHash(ctx, src, dst);
  if (!check.equal) {
    log('DEBUG', subject, `${check.type ?? 'none'} differ`);
    return false;
  }
  if (check.type === undefined && !ctx.options.refreshTimes) return false;
  if (!opt.updateModTime) return true;
  if (await skipDestructive(ctx, src, 'update modification time')) return true;
  if (ctx.options.immutable) {
    log('ERROR', String(dst), 'Timestamp mismatch between immutable objects');
    return false;
  }
  try {
    await dst.setModTime(srcModTime, ctx.signal ? { signal: ctx.signal } : {});
  } catch (err) {
    if (isJsyncError(err, 'CANT_SET_MOD_TIME')) {
      noticeModTimeUpload(ctx, dst);
      log('INFO', String(dst), "src and dst identical but can't set mod time without re-uploading");
      return false;
    }
    if (isJsyncError(err, 'CANT_SET_MOD_TIME_WITHOUT_DELETE')) {
      noticeModTimeUpload(ctx, dst);
      log('INFO', String(dst), "src and dst identical but can't set mod time without deleting and re-uploading");
      // With --backup-dir the old file is better moved there (by the transfer) than deleted here.
      if (ctx.options.backupDir === undefined) {
        try {
          await dst.remove(ctx.signal ? { signal: ctx.signal } : {});
        } catch (removeErr) {
          log('ERROR', String(dst), `failed to delete before re-upload: ${errText(removeErr)}`);
        }
      }
      return false;
    }
    ctx.stats.error(err);
    log('ERROR', String(dst), `Failed to set modification time: ${errText(err)}`);
    return true;
  }
  log('INFO', subject, 'Updated modification time in destination');
  return true;
}

function noticeModTimeUpload(ctx: OperationContext, dst: FsObject): void {
  const state = runState(ctx);
  if (state.modTimeUploadNoticeDone) return;
  state.modTimeUploadNoticeDone = true;
  ctx.logger.log('NOTICE', dst.fs.toString(), 'Forced to upload files to set modification times on this backend.');
}
