// copyto/moveto of one object, possibly under a new name (rclone operations.CopyFile / MoveFile).

import { randomBytes } from 'node:crypto';
import { isJsyncError } from '../fs/errors.js';
import type { Fs, FsObject } from '../fs/types.js';
import { copyObject } from '../operations/copy.js';
import { deleteFile, moveToBackupDir } from '../operations/delete.js';
import { moveObject } from '../operations/move.js';
import { needTransfer } from '../operations/need-transfer.js';
import type { OperationContext } from './options.js';
import { Run, type SyncSummary } from './run.js';
import { resolveBackupDir } from './setup.js';

/** Arguments of {@link copyFile} / {@link moveFile}. */
export interface CopyFileArgs {
  ctx: OperationContext;
  /** Destination Fs. */
  fdst: Fs;
  /** Target path inside `fdst`. */
  dstFileName: string;
  /** Source Fs. */
  fsrc: Fs;
  /** Source object path inside `fsrc`. */
  srcFileName: string;
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const joinRoot = (root: string, name: string) => [root, name].filter((p) => p !== '').join('/').replace(/\/{2,}/g, '/');

/**
 * Copies `srcFileName` to `dstFileName` (rclone copyto of a file): skipped when the destination is equal
 * (NeedTransfer rules), existing destination moved into --backup-dir / renamed with --suffix first. Throws when
 * the source cannot be found or the backup dir is invalid; transfer errors are counted and returned in the summary.
 */
export async function copyFile(args: CopyFileArgs): Promise<SyncSummary> {
  return moveOrCopyFile(args, true);
}

/**
 * Moves `srcFileName` to `dstFileName` (rclone moveto of a file): server-side when possible; a source whose
 * destination is already equal is just deleted (unless --ignore-existing). A case-only rename on a
 * case-insensitive remote goes through a temporary name. See {@link copyFile} for errors.
 */
export async function moveFile(args: CopyFileArgs): Promise<SyncSummary> {
  return moveOrCopyFile(args, false);
}

async function moveOrCopyFile(args: CopyFileArgs, cp: boolean): Promise<SyncSummary> {
  const { fdst, fsrc, dstFileName, srcFileName } = args;
  const run = new Run(args.ctx);
  const ctx = run.ctx;
  const sig = { signal: run.errors.signal };
  if (fdst.name === fsrc.name && joinRoot(fdst.root, dstFileName) === joinRoot(fsrc.root, srcFileName)) {
    ctx.logger.log('DEBUG', fdst.toString(), `don't need to copy/move ${dstFileName}, it is already at target location`);
    return run.finish();
  }
  const op = cp ? copyObject : moveObject;
  let srcObj: FsObject;
  try {
    srcObj = await fsrc.newObject(srcFileName, sig);
  } catch (err) {
    ctx.stats.error(err);
    throw err;
  }
  let dstObj: FsObject | undefined;
  if (!ctx.options.noCheckDest) {
    try {
      dstObj = await fdst.newObject(dstFileName, sig);
    } catch (err) {
      if (!isJsyncError(err, 'OBJECT_NOT_FOUND')) {
        ctx.stats.error(err);
        throw err;
      }
    }
  }
  const srcPath = joinRoot(fsrc.root, srcFileName);
  const dstPath = joinRoot(fdst.root, dstFileName);
  if (!cp && fdst.name === fsrc.name && fdst.features.caseInsensitive && dstFileName !== srcFileName &&
      dstPath.toLowerCase() === srcPath.toLowerCase()) {
    await caseRename(run, args, srcObj);
    return run.finish();
  }
  let backupDir: Fs | undefined;
  if (ctx.options.backupDir !== undefined || ctx.options.suffix !== '') {
    try {
      backupDir = resolveBackupDir(ctx, fdst, fsrc, srcFileName);
    } catch (err) {
      throw new Error(`creating Fs for --backup-dir failed: ${errText(err)}`, { cause: err });
    }
  }
  try {
    if (await needTransfer(ctx, srcObj, dstObj)) {
      if (dstObj !== undefined && backupDir !== undefined) {
        await moveToBackupDir(ctx, dstObj, backupDir);
        dstObj = undefined;
      }
      await op(ctx, { fdst, remote: dstFileName, src: srcObj, ...(dstObj ? { dst: dstObj } : {}) });
    } else if (!cp) {
      const check = ctx.stats.startCheck(srcObj.remote);
      try {
        if (ctx.options.ignoreExisting) {
          ctx.logger.log('DEBUG', srcObj.remote, 'Not removing source file as destination file exists and --ignore-existing is set');
        } else {
          await deleteFile(ctx, srcObj);
        }
      } finally {
        check.done();
      }
    }
  } catch (err) {
    run.errors.process(err);
  }
  return run.finish();
}

/** Renames via `<dst>-rclone-move-<random>` so a case-insensitive backend sees two distinct moves. */
async function caseRename(run: Run, args: CopyFileArgs, srcObj: FsObject): Promise<void> {
  const { ctx } = run;
  const { fdst, dstFileName } = args;
  const tmpName = `${dstFileName}-rclone-move-${randomString(8)}`;
  const fail = (err: Error, counted: boolean) => {
    if (!counted) ctx.stats.error(err);
    run.errors.process(err);
  };
  let exists: boolean;
  try {
    await fdst.newObject(tmpName, { signal: run.errors.signal });
    exists = true;
  } catch (err) {
    if (!isJsyncError(err, 'OBJECT_NOT_FOUND')) {
      return fail(new Error(`error while attempting to move file to a temporary location: ${errText(err)}`, { cause: err }), false);
    }
    exists = false;
  }
  if (exists) return fail(new Error('found an already existing file with a randomly generated name. Try the operation again'), false);
  let tmp: FsObject | undefined;
  try {
    tmp = await moveObject(ctx, { fdst, remote: tmpName, src: srcObj });
  } catch (err) {
    // moveObject counted the cause; the wrapper only carries rclone's text
    return fail(new Error(`error while moving file to temporary location: ${errText(err)}`, { cause: err }), true);
  }
  if (tmp === undefined) return; // dry-run or declined
  try {
    await moveObject(ctx, { fdst, remote: dstFileName, src: tmp });
  } catch (err) {
    run.errors.process(err);
  }
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** rclone random.String: `n` characters of [a-zA-Z0-9]. */
function randomString(n: number): string {
  return [...randomBytes(n)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}
