// The few rclone `operations`/`walk` helpers the suite needs: GetAll, Purge (with fallback) and Rmdirs.

import { Timestamp, isJsyncError, isObject, parentOf } from '@jsync/core';
import type { DirEntry, Directory, Fs, FsObject } from '@jsync/core';

/** Options for {@link getAll}. */
export interface GetAllOptions {
  /** Levels to list: 1 = only `dir`'s entries, -1 = unlimited. @default -1 */
  maxDepth?: number;
  /** List with the backend's `listR` (rclone `--fast-list`). @default false */
  fastList?: boolean;
  signal?: AbortSignal;
}

/**
 * Every object and directory below `dir` (rclone `walk.GetAll`); throws DIR_NOT_FOUND for a missing `dir`.
 * A reference implementation independent of core's walker: per-directory `list`, or one `listR` whose
 * implied directories (parents of entries, objects below `maxDepth`) are synthesised as rclone's DirTree does.
 */
export async function getAll(fs: Fs, dir: string, opts: GetAllOptions = {}): Promise<{ objs: FsObject[]; dirs: Directory[] }> {
  const maxDepth = opts.maxDepth ?? -1;
  const listOpts = opts.signal ? { signal: opts.signal } : {};
  if (maxDepth === 0) return { objs: [], dirs: [] };
  if (opts.fastList && fs.features.listR) return getAllListR(fs.features.listR(dir, listOpts), dir, maxDepth);
  const objs: FsObject[] = [];
  const dirs: Directory[] = [];
  const queue = [{ dir, depth: 1 }];
  for (let next = queue.shift(); next; next = queue.shift()) {
    for await (const page of fs.list(next.dir, listOpts)) {
      for (const e of page) {
        if (parentOf(e.remote) !== next.dir || e.remote === '') {
          throw new Error(`list(${JSON.stringify(next.dir)}) returned ${JSON.stringify(e.remote)}, which is not directly inside it`);
        }
        if (isObject(e)) objs.push(e);
        else {
          dirs.push(e);
          if (maxDepth < 0 || next.depth < maxDepth) queue.push({ dir: e.remote, depth: next.depth + 1 });
        }
      }
    }
  }
  return { objs, dirs };
}

async function getAllListR(pages: AsyncIterable<readonly DirEntry[]>, dir: string, maxDepth: number): Promise<{ objs: FsObject[]; dirs: Directory[] }> {
  const objs: FsObject[] = [];
  const dirs = new Map<string, Directory>();
  const implied = new Set<string>();
  const base = dir === '' ? '' : dir + '/';
  for await (const page of pages) {
    for (const e of page) {
      if (!e.remote.startsWith(base) || e.remote === dir) throw new Error(`listR(${JSON.stringify(dir)}) returned ${JSON.stringify(e.remote)}`);
      const segs = e.remote.slice(base.length).split('/');
      const visible = maxDepth < 0 || segs.length <= maxDepth;
      // every ancestor between dir and the entry (cut at maxDepth) exists as a directory
      const keep = visible ? segs.length - 1 : maxDepth;
      for (let i = 1; i <= keep; i++) implied.add(base + segs.slice(0, i).join('/'));
      if (!visible) continue;
      if (isObject(e)) objs.push(e);
      else if (!dirs.has(e.remote)) dirs.set(e.remote, e);
    }
  }
  for (const d of implied) if (!dirs.has(d)) dirs.set(d, syntheticDir(d));
  return { objs, dirs: [...dirs.values()] };
}

function syntheticDir(remote: string): Directory {
  const t = Timestamp.now();
  return { isDir: true, remote, size: -1, items: -1, id: '', modTime: () => t, toString: () => remote };
}

/** Sorted remotes of entries (rclone `objsToNames` / `dirsToNames`). */
export function namesOf(entries: readonly { remote: string }[]): string[] {
  return entries.map((e) => e.remote).sort();
}

/**
 * rclone `operations.Purge`: the backend's purge when present (falling back on CANT_PURGE), else delete every
 * object below `dir` and then remove the directories that became empty, `dir` included.
 */
export async function purge(fs: Fs, dir: string): Promise<void> {
  if (fs.features.purge) {
    try {
      await fs.features.purge(dir);
      return;
    } catch (err) {
      if (!isJsyncError(err, 'CANT_PURGE')) throw err;
    }
  }
  let objs: FsObject[] = [];
  try {
    objs = (await getAll(fs, dir)).objs;
  } catch (err) {
    if (!isJsyncError(err, 'DIR_NOT_FOUND')) throw err;
  }
  for (const o of objs) await o.remove();
  await rmdirs(fs, dir, { leaveRoot: false });
}

/** Options for {@link rmdirs}. */
export interface RmdirsOptions {
  /** Keep `dir` itself. @default false */
  leaveRoot?: boolean;
}

/** rclone `operations.Rmdirs`: removes every empty directory below `dir`, deepest first; listing errors are ignored. */
export async function rmdirs(fs: Fs, dir: string, opts: RmdirsOptions = {}): Promise<void> {
  const empty = new Map<string, boolean>([[dir, !(opts.leaveRoot ?? false)]]);
  try {
    const { objs, dirs } = await getAll(fs, dir);
    for (const d of dirs) if (!empty.has(d.remote)) empty.set(d.remote, true);
    for (const o of objs) {
      for (let d = o.remote; d !== '' && d !== dir; ) {
        d = parentOf(d);
        if (empty.get(d) === false) break;
        empty.set(d, false);
      }
    }
  } catch {
    // rclone logs listing errors and still removes what it can (the root in particular)
  }
  const toDelete = [...empty].filter(([, e]) => e).map(([d]) => d).sort();
  for (const d of toDelete.reverse()) await fs.rmdir(d);
}
