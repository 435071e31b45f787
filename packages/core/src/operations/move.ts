// Moving one object (rclone operations.Move): server-side move, else copy then delete the source.

import { isJsyncError } from '../fs/errors.js';
import type { FsObject } from '../fs/types.js';
import type { OperationContext } from '../sync/options.js';
import { copyObject, type CopyArgs } from './copy.js';
import { deleteFile } from './delete.js';
import { sameObject, serverSideAllowed } from './same.js';
import { errText, skipDestructive } from './skip.js';

/**
 * Moves `src` to `remote` in `fdst` and returns the new object (or `dst` in dry-run / when `-i` declines).
 * Server-side when `fdst` has `move` and the configs allow it: an existing different `dst` is deleted first
 * (counts towards `--max-delete`), then INFO `Moved (server-side)` [` to: X`]. CANT_MOVE (or no server-side move)
 * falls back to {@link copyObject} and deleting the source; a failed copy logs `Not deleting source as copy
 * failed: …`. Counted as a check and, on success, a rename (as rclone v1.60's stats do).
 */
export async function moveObject(ctx: OperationContext, args: CopyArgs): Promise<FsObject | undefined> {
  const { fdst, dst, remote, src } = args;
  const check = ctx.stats.startCheck(src.remote, src.size);
  try {
    const moved = await doMove(ctx, args);
    ctx.stats.renamed();
    check.done();
    return moved;
  } catch (err) {
    check.done(err);
    throw err;
  }

  async function doMove(ctx: OperationContext, a: CopyArgs): Promise<FsObject | undefined> {
    if (await skipDestructive(ctx, src, 'move')) return dst;
    const move = fdst.features.move;
    if (move !== undefined && serverSideAllowed(ctx, src.fs, fdst)) {
      // The destination may be the source itself seen under another case on a case-insensitive remote.
      if (dst !== undefined && !sameObject(src, dst)) await deleteFile(ctx, dst);
      try {
        const moved = await move(src, remote, ctx.signal ? { signal: ctx.signal } : {});
        const name = String(moved);
        ctx.logger.log('INFO', String(src), String(src) !== name ? `Moved (server-side) to: ${name}` : 'Moved (server-side)');
        return moved;
      } catch (err) {
        if (!isJsyncError(err, 'CANT_MOVE')) {
          ctx.stats.error(err);
          ctx.logger.log('ERROR', String(src), `Couldn't move: ${errText(err)}`);
          throw err;
        }
        ctx.logger.log('DEBUG', String(src), "Can't move, switching to copy");
      }
    }
    let copied: FsObject | undefined;
    try {
      copied = await copyObject(ctx, a);
    } catch (err) {
      ctx.logger.log('ERROR', String(src), `Not deleting source as copy failed: ${errText(err)}`);
      throw err;
    }
    await deleteFile(ctx, src);
    return copied;
  }
}
