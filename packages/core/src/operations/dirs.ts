// Directory operations: make, remove-if-empty, remove empty trees, purge, delete files, clean up (rclone Mkdir,
// TryRmdir, Rmdirs, Purge, Delete, CleanUp).

import { isJsyncError, JsyncError } from '../fs/errors.js';
import type { DirEntry, Fs, FsObject } from '../fs/types.js';
import { filterListingProbed } from '../filter/listing.js';
import { compareRemotes, parentOf, walk } from '../list/list.js';
import { listRecursive } from '../list/list-recursive.js';
import { Timestamp } from '../modtime/timestamp.js';
import type { OperationContext } from '../sync/options.js';
import { goQuote } from '../util/go-text.js';
import { deleteFiles } from './delete.js';
import { errText, logDirName, skipDestructive } from './skip.js';

const sig = (ctx: OperationContext) => (ctx.signal ? { signal: ctx.signal } : {});

/** rclone Mkdir: `Skipped make directory` in dry-run, DEBUG `Making directory`, then `fs.mkdir`; errors counted and thrown. */
export async function mkdirIfNeeded(ctx: OperationContext, fs: Fs, dir: string): Promise<void> {
  const subject = logDirName(fs, dir);
  if (await skipDestructive(ctx, subject, 'make directory')) return;
  ctx.logger.log('DEBUG', subject, 'Making directory');
  try {
    await fs.mkdir(dir, sig(ctx));
  } catch (err) {
    ctx.stats.error(err);
    throw err;
  }
}

/** rclone TryRmdir: counts a deleted directory, honours dry-run/-i, INFO `Removing directory`; throws uncounted errors. */
export async function rmdirOnce(ctx: OperationContext, fs: Fs, dir: string): Promise<void> {
  ctx.stats.deletedDir();
  const subject = logDirName(fs, dir);
  if (await skipDestructive(ctx, subject, 'remove directory')) return;
  ctx.logger.log('INFO', subject, 'Removing directory');
  await fs.rmdir(dir, sig(ctx));
}

/**
 * Removes `dir` if it is empty (sync's directory pruning). A failure (not empty, missing, …) is only logged at
 * DEBUG (`Failed to Rmdir: …`), never counted; resolves false then, true when removed or skipped.
 */
export async function tryRmdir(ctx: OperationContext, fs: Fs, dir: string): Promise<boolean> {
  try {
    await rmdirOnce(ctx, fs, dir);
    return true;
  } catch (err) {
    ctx.logger.log('DEBUG', logDirName(fs, dir), `Failed to Rmdir: ${errText(err)}`);
    return false;
  }
}

/** Options for {@link rmdirs}. */
export interface RmdirsOptions {
  /** Keep `dir` itself even when it ends up empty (`--leave-root`). */
  leaveRoot: boolean;
}

/**
 * rclone Rmdirs: removes every directory under `dir` (and `dir` unless leaveRoot) that contains no objects,
 * deepest first, walking with the filters (`--max-depth` too) and removing only directories the filter includes.
 * Listing failures are counted (`Failed to list "<dir>": …`); the first rmdir failure is counted, logged
 * (`Failed to rmdir: …`) and thrown.
 */
export async function rmdirs(ctx: OperationContext, fs: Fs, dir: string, opts: RmdirsOptions): Promise<void> {
  const filter = ctx.filter?.isActive() ? ctx.filter : undefined;
  const empty = new Map<string, boolean>([[dir, !opts.leaveRoot]]);
  const walkOpts = {
    maxDepth: ctx.options.maxDepth,
    checkers: ctx.options.checkers,
    ...sig(ctx),
    onError: (d: string, err: unknown) => {
      ctx.stats.error(err);
      ctx.logger.log('ERROR', fs.toString(), `Failed to list ${goQuote(d)}: ${errText(err)}`);
    },
    ...(filter
      ? { filterEntries: (_d: string, entries: DirEntry[]) => filterListingProbed(entries, filter, (r) => fileExists(fs, r)) }
      : {}),
  };
  for await (const level of walk(fs, dir, walkOpts)) {
    for (const entry of level.entries) {
      if (entry.isDir) {
        if (!empty.has(entry.remote)) empty.set(entry.remote, true);
        continue;
      }
      // Mark every parent of the object as non-empty, stopping at one already known non-empty.
      for (let d = entry.remote; d !== '';) {
        d = parentOf(d);
        if (empty.get(d) === false) break;
        empty.set(d, false);
      }
    }
  }
  const toDelete = [...empty].filter(([, e]) => e).map(([d]) => d).sort(compareRemotes);
  const now = Timestamp.now();
  for (let i = toDelete.length - 1; i >= 0; i--) {
    const d = toDelete[i]!;
    if (filter && !filter.includeRemote(d + '/', 0, now)) continue;
    try {
      await rmdirOnce(ctx, fs, d);
    } catch (err) {
      ctx.stats.error(err);
      ctx.logger.log('ERROR', d, `Failed to rmdir: ${errText(err)}`);
      throw err;
    }
  }
}

async function fileExists(fs: Fs, remote: string): Promise<boolean> {
  try {
    await fs.newObject(remote);
    return true;
  } catch (err) {
    if (isJsyncError(err, 'OBJECT_NOT_FOUND') || isJsyncError(err, 'NOT_A_FILE') || isJsyncError(err, 'PERMISSION_DENIED') || isJsyncError(err, 'IS_DIR')) return false;
    throw err;
  }
}

/**
 * rclone Purge: the backend's `purge` when present (counts a deleted directory; `Skipped purge directory` in
 * dry-run), else — or on CANT_PURGE — delete every object below `dir` (ignoring filters) and then {@link rmdirs}
 * (which, as in rclone, obeys the filters). Errors are counted and thrown.
 */
export async function purge(ctx: OperationContext, fs: Fs, dir: string): Promise<void> {
  const doPurge = fs.features.purge;
  if (doPurge !== undefined) {
    ctx.stats.deletedDir();
    if (await skipDestructive(ctx, logDirName(fs, dir), 'purge directory')) return;
    try {
      await doPurge(dir, sig(ctx));
      return;
    } catch (err) {
      if (!isJsyncError(err, 'CANT_PURGE')) {
        ctx.stats.error(err);
        throw err;
      }
    }
  }
  // deleteFiles has counted each failure; its summary error is passed on uncounted, as rclone.
  await deleteFiles(ctx, listObjects(ctx, fs, dir));
  try {
    await rmdirs(ctx, fs, dir, { leaveRoot: false });
  } catch (err) {
    ctx.stats.error(err);
    throw err;
  }
}

/**
 * Every object below `dir` (no filters; `--max-depth` applies). A listing error other than
 * DIR_NOT_FOUND is counted and logged (`failed to list: …`) and ends the listing; it is not thrown.
 */
async function* listObjects(ctx: OperationContext, fs: Fs, dir: string): AsyncGenerator<FsObject> {
  try {
    const opts = {
      listType: 'objects' as const, maxDepth: ctx.options.maxDepth, checkers: ctx.options.checkers,
      fastList: ctx.options.fastList, ...sig(ctx),
    };
    for await (const batch of listRecursive(fs, dir, opts)) {
      for (const e of batch) if (!e.isDir) yield e;
    }
  } catch (err) {
    if (isJsyncError(err, 'DIR_NOT_FOUND')) return;
    const wrapped = new JsyncError({ code: 'IO', message: `failed to list: ${errText(err)}`, cause: err });
    ctx.stats.error(wrapped);
    ctx.logger.log('ERROR', undefined, wrapped.message);
  }
}

/**
 * The `delete` command (rclone Delete): deletes the objects below `dir` that pass the filters, with
 * {@link deleteFiles}; directories stay. Listing errors are counted and thrown after the deletions.
 */
export async function deleteTree(ctx: OperationContext, fs: Fs, dir: string): Promise<void> {
  let listError: unknown;
  const opts = {
    listType: 'objects' as const, maxDepth: ctx.options.maxDepth, checkers: ctx.options.checkers,
    fastList: ctx.options.fastList, ...sig(ctx), ...(ctx.filter ? { filter: ctx.filter } : {}),
    onError: (d: string, err: unknown) => {
      ctx.stats.error(err);
      ctx.logger.log('ERROR', d, `error listing: ${errText(err)}`);
    },
  };
  const objects = (async function* objectsOf() {
    try {
      for await (const batch of listRecursive(fs, dir, opts)) for (const e of batch) if (!e.isDir) yield e;
    } catch (err) {
      listError = err;
    }
  })();
  let deleteError: unknown;
  try {
    await deleteFiles(ctx, objects);
  } catch (err) {
    deleteError = err;
  }
  if (listError !== undefined) {
    ctx.stats.error(listError);
    throw listError;
  }
  if (deleteError !== undefined) throw deleteError;
}

/** rclone CleanUp: the backend's `cleanUp`; `<Fs> doesn't support cleanup` when absent; dry-run skips it. */
export async function cleanUp(ctx: OperationContext, fs: Fs): Promise<void> {
  const doCleanUp = fs.features.cleanUp;
  if (doCleanUp === undefined) throw new JsyncError({ code: 'NOT_IMPLEMENTED', message: `${fs.toString()} doesn't support cleanup` });
  if (await skipDestructive(ctx, fs.toString(), 'clean up old files')) return;
  await doCleanUp(sig(ctx));
}
