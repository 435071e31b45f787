// Checks made before a copy/sync/move starts: overlap, --backup-dir/--suffix, option combinations and the
// empty-source guard (rclone newSyncCopyMove / operations.BackupDir, plus jsync's --allow-empty-source rule).

import { fatalError, isJsyncError, jsyncError } from '../fs/errors.js';
import type { DirEntry, Fs } from '../fs/types.js';
import { makeListDir } from '../march/list-dir.js';
import { overlappingFilterCheck, sameConfig, sameDir } from '../operations/same.js';
import type { OperationContext } from './options.js';

/** rclone's wording for a plain setup error. */
const fatal = (message: string) => fatalError(new Error(message));

/** The Fs server-side move/copy can back up into (rclone CanServerSideMove). */
export function canServerSideMove(f: Fs): boolean {
  return f.features.move !== undefined || f.features.copy !== undefined;
}

/**
 * The `--backup-dir` Fs for a run, validated as rclone's operations.BackupDir (fatal errors): same config as the
 * destination and no overlap with destination or source (whole-directory runs), or not the very same directory
 * (single-file runs, `srcFileName` set, unless --suffix). `--suffix` alone backs up next to the file in `fdst`.
 * Undefined when neither is set.
 */
export function resolveBackupDir(ctx: OperationContext, fdst: Fs, fsrc: Fs, srcFileName = ''): Fs | undefined {
  const o = ctx.options;
  let backupDir: Fs;
  if (o.backupDir !== undefined) {
    backupDir = o.backupDir;
    if (!sameConfig(fdst, backupDir)) throw fatal('parameter to --backup-dir has to be on the same remote as destination');
    if (srcFileName === '') {
      if (overlappingFilterCheck(ctx, backupDir, fdst)) throw fatal("destination and parameter to --backup-dir mustn't overlap");
      if (overlappingFilterCheck(ctx, backupDir, fsrc)) throw fatal("source and parameter to --backup-dir mustn't overlap");
    } else if (o.suffix === '') {
      if (sameDir(fdst, backupDir)) throw fatal("destination and parameter to --backup-dir mustn't be the same");
      if (sameDir(fsrc, backupDir)) throw fatal("source and parameter to --backup-dir mustn't be the same");
    }
  } else if (o.suffix !== '') {
    backupDir = fdst;
  } else {
    return undefined;
  }
  if (!canServerSideMove(backupDir)) throw fatal("can't use --backup-dir on a remote which doesn't support server-side move or copy");
  return backupDir;
}

/** Rejects option combinations rclone rejects for a directory run (plain errors, exit 1). */
export function checkCombinations(ctx: OperationContext, deleting: boolean): void {
  if (ctx.options.noCheckDest) {
    if (deleting) throw new Error("can't use --no-check-dest with sync: use copy instead");
    if (ctx.options.immutable) throw new Error("can't use --no-check-dest with --immutable");
  }
}

/** `f` seen as rooted at its subdirectory `dir` (for overlap checks of srcDir/dstDir runs). */
function rootedAt(f: Fs, dir: string): Fs {
  if (dir === '') return f;
  const root = [f.root.replace(/\/+$/, ''), dir].filter((p) => p !== '').join('/');
  return Object.create(f, { root: { value: root } }) as Fs;
}

/**
 * rclone OverlappingFilterCheck including its --exclude-if-present probe: a destination strictly inside the source
 * does not overlap when the filters (rules, or an exclude file in one of the directories leading to it) keep the
 * sync out of it. `srcDir`/`dstDir` narrow the two roots.
 */
export async function overlapsWithFilters(ctx: OperationContext, fdst: Fs, fsrc: Fs, srcDir = '', dstDir = ''): Promise<boolean> {
  const src = rootedAt(fsrc, srcDir);
  const dst = rootedAt(fdst, dstDir);
  if (!overlappingFilterCheck(ctx, dst, src)) return false;
  const filter = ctx.filter;
  if (filter === undefined || filter.excludeIfPresent.length === 0 || !sameConfig(fdst, fsrc)) return true;
  const norm = (f: Fs) => {
    const r = f.root.replace(/^\/+|\/+$/g, '');
    return f.features.caseInsensitive ? r.toLowerCase() : r;
  };
  const srcRoot = norm(src);
  const dstRoot = norm(dst);
  if (!(srcRoot === '' ? dstRoot !== '' : dstRoot.startsWith(srcRoot + '/'))) return true;
  const parts = (srcRoot === '' ? dstRoot : dstRoot.slice(srcRoot.length + 1)).split('/');
  const exists = async (remote: string) => {
    try {
      await fsrc.newObject(srcDir === '' ? remote : `${srcDir}/${remote}`);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 1; i <= parts.length; i++) {
    if (await filter.dirContainsExcludeFile(parts.slice(0, i).join('/'), exists)) return false;
  }
  return true;
}

/** The fatal OVERLAPPING error (exit 7) when a deleting or moving run's source and destination overlap. */
export async function checkOverlap(ctx: OperationContext, fdst: Fs, fsrc: Fs, srcDir = '', dstDir = ''): Promise<void> {
  if (await overlapsWithFilters(ctx, fdst, fsrc, srcDir, dstDir)) throw fatalError(jsyncError('OVERLAPPING'));
}

async function rootEntries(ctx: OperationContext, f: Fs, dir: string, filtered: boolean): Promise<DirEntry[] | 'missing'> {
  const list = makeListDir(f, {
    filter: filtered ? ctx.filter : undefined, fastList: false, noTraverse: false, root: dir, maxDepth: 1,
    checkers: ctx.options.checkers, ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  try {
    return await list(dir);
  } catch (err) {
    if (isJsyncError(err, 'DIR_NOT_FOUND')) return 'missing';
    throw err;
  }
}

/**
 * jsync's guard for `sync` (not in rclone): a source root that is missing or lists no entries (after filters),
 * synced into a destination root that lists any entry, would delete everything there. Refused with a fatal error
 * naming --allow-empty-source unless that option is set. Listing errors other than "not found" are left for the
 * run itself to report.
 */
export async function checkEmptySource(
  ctx: OperationContext, fdst: Fs, fsrc: Fs, srcDir: string, dstDir: string,
): Promise<void> {
  if (ctx.options.allowEmptySource) return;
  let src: DirEntry[] | 'missing';
  let dst: DirEntry[] | 'missing';
  try {
    src = await rootEntries(ctx, fsrc, srcDir, true);
    if (src !== 'missing' && src.length > 0) return;
    const deleteExcluded = ctx.options.deleteExcluded || ctx.filter?.deleteExcluded === true;
    dst = await rootEntries(ctx, fdst, dstDir, !deleteExcluded);
  } catch {
    return;
  }
  if (dst === 'missing' || dst.length === 0) return;
  const what = src === 'missing' ? 'the source directory was not found' : 'the source is empty';
  const err = new Error(
    `${what} but the destination is not: refusing to sync as that would delete everything in the destination ` +
    '(use --allow-empty-source to sync anyway)',
  );
  const classified = fatalError(src === 'missing' ? jsyncError('DIR_NOT_FOUND', { message: err.message }) : jsyncError('NOT_DELETING', { message: err.message }));
  ctx.logger.log('ERROR', fdst.toString(), classified.message);
  throw classified;
}
