// Listing helpers over paged backend listings: flatten, sort (rclone order), walk recursively.

import { dirNotFound } from '../fs/errors.js';
import type { DirEntry, Directory, Fs, FsObject, ListOptions } from '../fs/types.js';
import { Timestamp } from '../modtime/timestamp.js';
import { encodeUtf8Escaped, hasLoneSurrogate } from '../util/utf8.js';

/** Collects every page of `fs.list(dir)` into one array. */
export async function listEntries(fs: Fs, dir: string, opts: ListOptions = {}): Promise<DirEntry[]> {
  const out: DirEntry[] = [];
  for await (const page of fs.list(dir, opts)) out.push(...page);
  return out;
}

/** rclone's listing order: byte-wise by remote; for equal names a directory sorts before an object. */
export function compareEntries(a: DirEntry, b: DirEntry): number {
  const c = compareRemotes(a.remote, b.remote);
  if (c !== 0) return c;
  return a.isDir === b.isDir ? 0 : a.isDir ? -1 : 1;
}

/** Compares two remotes by their UTF-8 bytes (Go string order), not UTF-16 code units. */
export function compareRemotes(a: string, b: string): number {
  if (a === b) return 0;
  if (hasLoneSurrogate(a) || hasLoneSurrogate(b)) return Buffer.compare(encodeUtf8Escaped(a), encodeUtf8Escaped(b));
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** One directory's entries sorted in rclone order (what march and the listing commands need). */
export async function listSorted(fs: Fs, dir: string, opts: ListOptions = {}): Promise<DirEntry[]> {
  const entries = await listEntries(fs, dir, opts);
  return entries.sort(compareEntries);
}

/** Options for {@link walk}. */
export interface WalkOptions extends ListOptions {
  /** Levels to descend: 1 = only `dir` itself; -1 or undefined = unlimited. */
  maxDepth?: number;
  /** Use the backend's `listR` when present (rclone `--fast-list`). */
  fastList?: boolean;
  /** Directories listed concurrently. @default 8 */
  checkers?: number;
  /**
   * Called when listing one directory fails (rclone's per-directory "error listing"); the walk then skips it and
   * goes on. Without it the first failure ends the walk. Failures of a `fastList` listing are always thrown.
   */
  onError?: (dir: string, err: unknown) => void;
  /**
   * Narrows each directory's sorted entries before they are yielded and before its subdirectories are queued
   * (rclone applies filters here, so excluded directories are never entered).
   */
  filterEntries?: (dir: string, entries: DirEntry[]) => DirEntry[] | Promise<DirEntry[]>;
}

/** One directory's sorted contents as yielded by {@link walk}. */
export interface WalkedDir {
  /** The directory listed (`""` = root). */
  dir: string;
  /** Entries directly inside it, sorted. */
  entries: DirEntry[];
}

/**
 * Walks `dir` recursively, yielding each directory's sorted entries (parents before children).
 * Throws DIR_NOT_FOUND if `dir` itself is missing. With `fastList` and `listR` the tree comes from one call.
 */
export async function* walk(fs: Fs, dir: string, opts: WalkOptions = {}): AsyncGenerator<WalkedDir> {
  const maxDepth = opts.maxDepth === undefined || opts.maxDepth < 0 ? Infinity : opts.maxDepth;
  if (maxDepth === 0) return;
  if (opts.fastList && fs.features.listR) {
    yield* walkListR(fs, dir, maxDepth, opts);
    return;
  }
  const limit = Math.max(1, opts.checkers ?? 8);
  // Breadth-first with a bounded number of listings in flight; results are yielded in queue order.
  const queue: { dir: string; depth: number }[] = [{ dir, depth: 1 }];
  const inflight: Promise<WalkedDir & { depth: number; failed: boolean }>[] = [];
  const onError = opts.onError;
  const narrow = opts.filterEntries ?? ((_d: string, e: DirEntry[]) => e);
  const start = (item: { dir: string; depth: number }) =>
    listSorted(fs, item.dir, opts).then(
      async (entries) => ({ dir: item.dir, entries: await narrow(item.dir, entries), depth: item.depth, failed: false }),
      (err: unknown) => {
        if (!onError) throw err;
        onError(item.dir, err);
        return { dir: item.dir, entries: [] as DirEntry[], depth: item.depth, failed: true };
      },
    );
  while (queue.length > 0 || inflight.length > 0) {
    while (queue.length > 0 && inflight.length < limit) {
      const p = start(queue.shift()!);
      p.catch(() => {}); // handled when awaited
      inflight.push(p);
    }
    const done = await inflight.shift()!;
    if (done.failed) continue;
    if (done.depth < maxDepth) {
      for (const e of done.entries) if (e.isDir) queue.push({ dir: e.remote, depth: done.depth + 1 });
    }
    yield { dir: done.dir, entries: done.entries };
  }
}

async function* walkListR(fs: Fs, dir: string, maxDepth: number, opts: WalkOptions): AsyncGenerator<WalkedDir> {
  const base = depthOf(dir);
  // Every directory below `dir` (real entry, or synthesised from an object's path), and objects by parent.
  const dirs = new Map<string, DirEntry>();
  const objects = new Map<string, DirEntry[]>();
  for await (const page of fs.features.listR!(dir, opts)) {
    for (const e of page) {
      const depth = depthOf(e.remote) - base;
      // Register the ancestors between `dir` and the entry (within maxDepth), as rclone's walkRDirTree does.
      for (let a = parentOf(e.remote), ad = depth - 1; ad >= 1 && !dirs.has(a); a = parentOf(a), ad--) {
        if (ad <= maxDepth) dirs.set(a, syntheticDir(a));
      }
      if (depth > maxDepth) continue;
      if (e.isDir) dirs.set(e.remote, e);
      else {
        const parent = parentOf(e.remote);
        let list = objects.get(parent);
        if (!list) objects.set(parent, (list = []));
        list.push(e);
      }
    }
  }
  const byDir = new Map<string, DirEntry[]>([[dir, []]]);
  // Directories at the depth limit are entries of their parent but are not listed themselves.
  for (const d of dirs.keys()) if (!byDir.has(d) && depthOf(d) - base < maxDepth) byDir.set(d, []);
  for (const [parent, list] of objects) byDir.get(parent)?.push(...list);
  for (const [remote, entry] of dirs) byDir.get(parentOf(remote))?.push(entry);
  const order = [...byDir.keys()].sort((a, b) => depthOf(a) - depthOf(b) || compareRemotes(a, b));
  // Parents come first: a directory is yielded only if it survived its parent's filterEntries.
  const entered = new Set([dir]);
  for (const d of order) {
    if (!entered.has(d)) continue;
    let entries = byDir.get(d)!.sort(compareEntries);
    if (opts.filterEntries) entries = await opts.filterEntries(d, entries);
    for (const e of entries) if (e.isDir) entered.add(e.remote);
    yield { dir: d, entries };
  }
}

function depthOf(p: string): number {
  return p === '' ? 0 : p.split('/').length;
}

/** Parent directory of a remote path (`""` for top-level entries). */
export function parentOf(remote: string): string {
  const i = remote.lastIndexOf('/');
  return i < 0 ? '' : remote.slice(0, i);
}

/** Leaf name of a remote path. */
export function leafOf(remote: string): string {
  return remote.slice(remote.lastIndexOf('/') + 1);
}

function syntheticDir(remote: string): Directory {
  const now = Date.now();
  return {
    isDir: true, remote, size: -1, items: -1, id: '',
    modTime: () => Timestamp.fromMs(now), toString: () => remote,
  };
}


export * from './list-recursive.js';

/** True for objects. */
export const isObject = (e: DirEntry): e is FsObject => !e.isDir;

/** Throws DIR_NOT_FOUND for `dir` (helper for backends). */
export const throwDirNotFound = (dir: string): never => {
  throw dirNotFound(dir);
};
