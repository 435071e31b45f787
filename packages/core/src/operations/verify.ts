// Post-transfer verification (size, then the common hash) and what happens to a copy that failed it.

import { JsyncError } from '../fs/errors.js';
import type { FsObject, ObjectInfo } from '../fs/types.js';
import type { HashType } from '../hash/hash-type.js';
import { Timestamp } from '../modtime/timestamp.js';
import type { OperationContext } from '../sync/options.js';
import { goQuote } from '../util/go-text.js';
import { sizeDiffers } from './equal.js';
import { checkHashes } from './hashes.js';
import { errText } from './skip.js';

/**
 * Checks an uploaded `dst` against what was sent (`expected`): sizes first, then `hashType` when given (empty
 * hashes pass). A mismatch is logged as rclone's counted ERROR (`corrupted on transfer: sizes differ X vs Y`,
 * `corrupted on transfer: md5 hash differ "a" vs "b"`) and returned; undefined when the copy is good.
 */
export async function verifyTransfer(
  ctx: OperationContext, expected: ObjectInfo, dst: FsObject, hashType: HashType | undefined,
): Promise<JsyncError | undefined> {
  let err: JsyncError | undefined;
  if (sizeDiffers(ctx, expected, dst)) {
    err = new JsyncError({ code: 'IO', message: `corrupted on transfer: sizes differ ${expected.size} vs ${dst.size}` });
  } else if (hashType !== undefined) {
    const check = await checkHashes(ctx, expected, dst, hashType);
    if (!check.equal) {
      err = new JsyncError({
        code: 'IO',
        message: `corrupted on transfer: ${hashType} hash differ ${goQuote(check.srcHash)} vs ${goQuote(check.dstHash)}`,
      });
    }
  }
  if (err === undefined) return undefined;
  ctx.logger.log('ERROR', String(dst), err.message);
  ctx.stats.error(err);
  return err;
}

/**
 * Deals with a copy that failed verification. A new object is removed (INFO `Removing failed copy`), as rclone.
 * Deliberately unlike rclone, an object that replaced an existing one is NOT removed: the previous content is
 * already gone from that path and removing the path would also discard what versioning backends keep of it
 * (users-and-reliability req. 11). Instead an ERROR says so and its modtime is reset to the Unix epoch, so that a
 * later run never mistakes the bad copy for an up-to-date one (where the backend can set modtimes).
 */
export async function handleFailedCopy(ctx: OperationContext, dst: FsObject, replacedExisting: boolean): Promise<void> {
  const subject = String(dst);
  const opts = ctx.signal ? { signal: ctx.signal } : {};
  if (!replacedExisting) {
    ctx.logger.log('INFO', subject, 'Removing failed copy');
    try {
      await dst.remove(opts);
    } catch (err) {
      ctx.logger.log('INFO', subject, `Failed to remove failed copy: ${errText(err)}`);
    }
    return;
  }
  ctx.logger.log('ERROR', subject,
    'Not removing failed copy as it replaced an existing file (its previous version may be recoverable from the remote\'s version history or trash)');
  try {
    await dst.setModTime(Timestamp.fromNs(0n), opts);
    ctx.logger.log('INFO', subject, 'Reset modification time of failed copy so that the next run transfers it again');
  } catch (err) {
    ctx.logger.log('DEBUG', subject, `Failed to reset modification time of failed copy: ${errText(err)}`);
  }
}
