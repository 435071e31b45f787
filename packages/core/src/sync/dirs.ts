// Directory steps after the transfers: create empty source directories, prune emptied destination (or moved
// source) directories (rclone copyEmptyDirectories / deleteEmptyDirectories).

import { jsyncError } from '../fs/errors.js';
import type { DirEntry, Fs } from '../fs/types.js';
import { compareEntries } from '../list/list.js';
import { mkdirIfNeeded, tryRmdir } from '../operations/dirs.js';
import { logDirName } from '../operations/skip.js';
import type { OperationContext } from './options.js';

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * Creates each directory of `dirs` in `f` (--create-empty-src-dirs). A failure is logged as rclone
 * (`Failed to Mkdir: …`, counted by the mkdir step) and the others go on.
 */
export async function copyEmptyDirectories(ctx: OperationContext, f: Fs, dirs: ReadonlyMap<string, DirEntry>): Promise<void> {
  if (dirs.size === 0) return;
  let ok = 0;
  for (const entry of [...dirs.values()].sort(compareEntries)) {
    try {
      await mkdirIfNeeded(ctx, f, entry.remote);
      ok++;
    } catch (err) {
      ctx.logger.log('ERROR', logDirName(f, entry.remote), `Failed to Mkdir: ${errText(err)}`);
    }
  }
  if (ctx.stats.errors > 0) ctx.logger.log('DEBUG', f.toString(), `failed to copy ${ctx.stats.errors} directories`);
  if (ok > 0) ctx.logger.log('DEBUG', f.toString(), `copied ${ok} directories`);
}

/**
 * Removes the directories of `dirs` from `f` when empty, deepest first; failures are DEBUG only. Refused (ERROR
 * `not deleting directories as there were IO errors`, error returned) when any error was counted, unless
 * --ignore-errors. Returns the refusal error, if any.
 */
export async function deleteEmptyDirectories(ctx: OperationContext, f: Fs, dirs: ReadonlyMap<string, DirEntry>): Promise<unknown> {
  if (dirs.size === 0) return undefined;
  if (ctx.stats.errors > 0 && !ctx.options.ignoreErrors) {
    const err = jsyncError('NOT_DELETING_DIRS');
    ctx.logger.log('ERROR', f.toString(), err.message);
    return err;
  }
  const entries = [...dirs.values()].sort(compareEntries);
  let failed = 0;
  let ok = 0;
  for (let i = entries.length - 1; i >= 0; i--) {
    if (ctx.signal?.aborted) break;
    if (await tryRmdir(ctx, f, entries[i]!.remote)) ok++;
    else failed++;
  }
  if (failed > 0) ctx.logger.log('DEBUG', f.toString(), `failed to delete ${failed} directories`);
  if (ok > 0) ctx.logger.log('DEBUG', f.toString(), `deleted ${ok} directories`);
  return undefined;
}
