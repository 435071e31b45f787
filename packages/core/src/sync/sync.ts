// The directory-level entry points: sync, copyDir, moveDir (rclone sync.Sync / CopyDir / MoveDir).

import { fatalError, isJsyncError } from '../fs/errors.js';
import type { Fs } from '../fs/types.js';
import { sameConfig, sameFs } from '../operations/same.js';
import { skipDestructive } from '../operations/skip.js';
import { SyncPass, type PassDeleteMode } from './engine.js';
import type { OperationContext } from './options.js';
import { Run, type SyncSummary } from './run.js';
import { checkCombinations, checkEmptySource, checkOverlap, resolveBackupDir } from './setup.js';

/** Arguments of {@link sync}, {@link copyDir} and {@link moveDir}. */
export interface SyncArgs {
  ctx: OperationContext;
  /** Destination Fs. */
  fdst: Fs;
  /** Source Fs. */
  fsrc: Fs;
  /** Directory inside `fsrc` to start from. @default '' */
  srcDir?: string;
  /** Directory inside `fdst` it corresponds to. @default srcDir */
  dstDir?: string;
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Makes `fdst` identical to `fsrc` (rclone sync): copies new and changed files, then deletes destination-only
 * files and prunes destination-only directories by `ctx.options.deleteMode`; nothing is deleted after any counted
 * error unless --ignore-errors. Beyond rclone, a missing or empty source root with a non-empty destination is
 * refused unless --allow-empty-source. Resolves with the summary when errors were only counted; throws fatal
 * errors (overlap, --max-delete, HARD --max-transfer, bad --backup-dir, the empty-source guard), option
 * combinations rclone rejects (`--no-check-dest` with sync/--immutable), and the caller's abort reason.
 */
export async function sync(args: SyncArgs): Promise<SyncSummary> {
  return runSyncCopyMove(args, args.ctx.options.deleteMode, false, { guard: true });
}

/** Copies new and changed files from `fsrc` into `fdst` (rclone copy); never deletes. See {@link sync}. */
export async function copyDir(args: SyncArgs): Promise<SyncSummary> {
  return runSyncCopyMove(args, 'off', false, {});
}

/**
 * Moves the contents of `fsrc` into `fdst` (rclone move): a server-side DirMove when both share a config, the
 * backend has it and no filter is active; otherwise file by file, deleting each source file once it is in place
 * (and, with --delete-empty-src-dirs, the emptied source directories). See {@link sync} for errors.
 */
export async function moveDir(args: SyncArgs): Promise<SyncSummary> {
  const { ctx, fdst, fsrc } = args;
  const srcDir = args.srcDir ?? '';
  const dstDir = args.dstDir ?? srcDir;
  if (sameFs(fdst, fsrc) && srcDir === dstDir) {
    ctx.logger.log('ERROR', fdst.toString(), 'Nothing to do as source and destination are the same');
    return new Run(ctx).finish();
  }
  const dirMove = fdst.features.dirMove;
  if (dirMove !== undefined && sameConfig(fsrc, fdst) && !(ctx.filter?.isActive() ?? false)) {
    const run = new Run(ctx);
    if (await skipDestructive(run.ctx, fdst, 'server-side directory move')) return run.finish();
    ctx.logger.log('DEBUG', fdst.toString(), 'Using server-side directory move');
    try {
      await dirMove(fsrc, srcDir, dstDir, { signal: run.errors.signal });
      ctx.logger.log('INFO', fdst.toString(), 'Server side directory move succeeded');
      return run.finish();
    } catch (err) {
      if (isJsyncError(err, 'CANT_DIR_MOVE') || isJsyncError(err, 'DIR_EXISTS')) {
        ctx.logger.log('INFO', fdst.toString(), `Server side directory move failed - fallback to file moves: ${errText(err)}`);
      } else {
        run.ctx.stats.error(err);
        ctx.logger.log('ERROR', fdst.toString(), `Server side directory move failed: ${errText(err)}`);
        run.errors.process(err);
        return run.finish();
      }
    }
  }
  return runSyncCopyMove(args, 'off', true, {});
}

/** rclone runSyncCopyMove: validation, the optional delete-only first pass, then the copy/sync/move pass. */
async function runSyncCopyMove(
  args: SyncArgs, deleteMode: PassDeleteMode | 'before', doMove: boolean, opts: { guard?: boolean },
): Promise<SyncSummary> {
  const { fdst, fsrc } = args;
  const srcDir = args.srcDir ?? '';
  const dstDir = args.dstDir ?? srcDir;
  const run = new Run(args.ctx);
  const ctx = run.ctx;
  const o = ctx.options;
  if (deleteMode !== 'off' && doMove) throw fatalError(new Error("can't delete and move at the same time"));
  const passes: PassDeleteMode[] = deleteMode === 'before' ? ['only', 'off'] : [deleteMode];
  let first = true;
  for (const mode of passes) {
    // rclone newSyncCopyMove: every pass validates again (so its messages repeat for --delete-before)
    if (mode !== 'off' || doMove) await checkOverlap(ctx, fdst, fsrc, srcDir, dstDir);
    if (o.checkFirst) ctx.logger.log('INFO', fdst.toString(), 'Running all checks before starting transfers');
    let noTraverse = o.noTraverse;
    if (noTraverse && mode !== 'off') {
      if (!ctx.filter?.haveFilesFrom()) ctx.logger.log('ERROR', undefined, 'Ignoring --no-traverse with sync');
      noTraverse = false;
    }
    checkCombinations(ctx, mode !== 'off');
    const backupDir = resolveBackupDir(ctx, fdst, fsrc);
    if (first && opts.guard) await checkEmptySource(ctx, fdst, fsrc, srcDir, dstDir);
    first = false;
    const pass = new SyncPass(ctx, run.errors, {
      fdst, fsrc, srcDir, dstDir, deleteMode: mode, doMove, backupDir, noTraverse,
      copyEmptySrcDirs: o.createEmptySrcDirs, deleteEmptySrcDirs: o.deleteEmptySrcDirs,
    });
    const ran = await pass.run();
    if (run.errors.current() !== undefined || run.errors.aborting || !ran) break;
    if (mode !== 'only') run.logNothingToTransfer();
  }
  return run.finish();
}
