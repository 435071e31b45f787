// Deleting objects (rclone DeleteFileWithBackupDir / DeleteFilesWithBackupDir) and moving them into --backup-dir.

import { errorClassOf, fatalError, JsyncError } from '../fs/errors.js';
import type { Fs, FsObject } from '../fs/types.js';
import type { OperationContext } from '../sync/options.js';
import { moveObject } from './move.js';
import { errText, skipDestructive } from './skip.js';
import { runState } from './state.js';

/** Options for {@link deleteFile} / {@link deleteFiles}. */
export interface DeleteOptions {
  /** Move into this Fs (same relative path, `--suffix` applied) instead of deleting. */
  backupDir?: Fs;
}

/**
 * Deletes `dst` (or moves it into `opts.backupDir`), honouring `--max-delete` and `--max-delete-size` per run
 * (the refused delete throws the fatal, counted `--max-delete threshold reached` /
 * `--max-delete-size threshold reached`, also in dry-run), `--dry-run` (NOTICE `Skipped delete as --dry-run is set
 * (size N)`) and `-i` (`delete` / `move into backup dir`). Logs INFO `Deleted` / `Moved into backup dir`; a
 * failure is counted, logged as `Couldn't delete: …` and thrown. Counts a check, and a delete unless it failed.
 */
export async function deleteFile(ctx: OperationContext, dst: FsObject, opts: DeleteOptions = {}): Promise<void> {
  const check = ctx.stats.startCheck(dst.remote, dst.size);
  let failure: unknown;
  try {
    const state = runState(ctx);
    const { maxDelete, maxDeleteSize } = ctx.options;
    const size = Math.max(0, dst.size);
    let refusal: JsyncError | undefined;
    if (maxDelete >= 0 && state.deletes + 1 > maxDelete) {
      refusal = fatalError(new JsyncError({ code: 'IO', message: '--max-delete threshold reached' }));
    } else if (maxDeleteSize >= 0 && state.deletedBytes + size > maxDeleteSize) {
      refusal = fatalError(new JsyncError({ code: 'IO', message: '--max-delete-size threshold reached' }));
    }
    if (refusal !== undefined) {
      ctx.stats.error(refusal);
      throw refusal;
    }
    state.deletes++;
    state.deletedBytes += size;
    const backupDir = opts.backupDir;
    const [action, actioned] = backupDir !== undefined ? ['move into backup dir', 'Moved into backup dir'] : ['delete', 'Deleted'];
    if (await skipDestructive(ctx, dst, action)) {
      ctx.stats.deleted();
      return;
    }
    try {
      if (backupDir !== undefined) await moveToBackupDir(ctx, dst, backupDir);
      else await dst.remove(ctx.signal ? { signal: ctx.signal } : {});
    } catch (err) {
      ctx.logger.log('ERROR', String(dst), `Couldn't ${action}: ${errText(err)}`);
      ctx.stats.error(err);
      throw err;
    }
    ctx.logger.log('INFO', String(dst), actioned);
    ctx.stats.deleted();
  } catch (err) {
    failure = err;
    throw err;
  } finally {
    check.done(failure);
  }
}

/**
 * Deletes every object of `objects` with `--transfers` parallel workers (rclone DeleteFiles). Failures are counted
 * (by {@link deleteFile}) and the rest go on; a fatal error (e.g. `--max-delete`) logs `Got fatal error on delete:
 * …` and stops taking new objects. Afterwards throws the uncounted `failed to delete N files` (fatal when a fatal
 * error occurred); an error of the `objects` iteration itself is thrown after the workers stop.
 */
export async function deleteFiles(
  ctx: OperationContext, objects: AsyncIterable<FsObject> | Iterable<FsObject>, opts: DeleteOptions = {},
): Promise<void> {
  const it: AsyncIterator<FsObject> | Iterator<FsObject> =
    Symbol.asyncIterator in objects ? objects[Symbol.asyncIterator]() : objects[Symbol.iterator]();
  let errors = 0;
  let fatal = false;
  let stop = false;
  let sourceError: { err: unknown } | undefined;
  const next = async (): Promise<FsObject | undefined> => {
    if (stop || ctx.signal?.aborted) return undefined;
    try {
      const step = await it.next();
      return step.done ? undefined : step.value;
    } catch (err) {
      sourceError ??= { err };
      stop = true;
      return undefined;
    }
  };
  const worker = async () => {
    for (let obj = await next(); obj !== undefined; obj = await next()) {
      try {
        await deleteFile(ctx, obj, opts);
      } catch (err) {
        errors++;
        if (errorClassOf(err) === 'fatal') {
          ctx.logger.log('ERROR', undefined, `Got fatal error on delete: ${errText(err)}`);
          fatal = true;
          stop = true;
          return;
        }
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, ctx.options.transfers) }, worker);
  ctx.logger.log('DEBUG', undefined, 'Waiting for deletions to finish');
  await Promise.all(workers);
  if (stop && sourceError === undefined) await (it as AsyncIterator<FsObject>).return?.();
  if (sourceError !== undefined) throw sourceError.err;
  if (errors > 0) {
    const err = new JsyncError({ code: 'IO', message: `failed to delete ${errors} files` });
    throw fatal ? fatalError(err) : err;
  }
}

/** Options for {@link backupRemote}. */
export interface BackupNameOptions {
  /** `--suffix`. */
  suffix: string;
  /** `--suffix-keep-extension`: insert the suffix before the extension. */
  suffixKeepExtension: boolean;
}

/** rclone SuffixName: `a.txt` + `.old` → `a.txt.old`, or `a.old.txt` with suffixKeepExtension. */
export function backupRemote(remote: string, opts: BackupNameOptions): string {
  if (opts.suffix === '') return remote;
  if (!opts.suffixKeepExtension) return remote + opts.suffix;
  const ext = goPathExt(remote);
  return remote.slice(0, remote.length - ext.length) + opts.suffix + ext;
}

/** Go path.Ext: the suffix from the final `.` of the last element, or `""`. */
function goPathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) {
    if (p[i] === '.') return p.slice(i);
  }
  return '';
}

/**
 * Moves `dst` into `backupDir` at the same relative path with `--suffix` applied (rclone MoveBackupDir), replacing
 * an object already there; logs rclone's `Moved (server-side) to: …` lines via {@link moveObject}.
 */
export async function moveToBackupDir(ctx: OperationContext, dst: FsObject, backupDir: Fs): Promise<void> {
  const remote = backupRemote(dst.remote, ctx.options);
  let overwritten: FsObject | undefined;
  try {
    overwritten = await backupDir.newObject(remote, ctx.signal ? { signal: ctx.signal } : {});
  } catch {
    overwritten = undefined;
  }
  await moveObject(ctx, { fdst: backupDir, ...(overwritten !== undefined ? { dst: overwritten } : {}), remote, src: dst });
}
