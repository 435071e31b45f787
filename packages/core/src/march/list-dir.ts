// Per-side directory listing for march: one sorted, filtered directory at a time, or served from a whole-tree
// listing (--fast-list with ListR; --files-from with --no-traverse) as rclone's makeListDir.

import type { Filter } from '../filter/filter.js';
import { filterListingProbed } from '../filter/listing.js';
import { dirNotFound, isJsyncError } from '../fs/errors.js';
import type { DirEntry, Directory, Fs, FsObject } from '../fs/types.js';
import { compareEntries, listSorted, parentOf, walk } from '../list/list.js';
import { Timestamp } from '../modtime/timestamp.js';

/** Lists one directory of one side: sorted in rclone order, filtered unless the side includes all. */
export type ListDirFn = (dir: string) => Promise<DirEntry[]>;

/** How one side is listed. */
export interface ListDirOptions {
  /** Filters to apply; undefined = include everything. */
  filter: Filter | undefined;
  /** Use one ListR call for the whole tree when the backend has it (--fast-list). */
  fastList: boolean;
  /** --no-traverse: with --files-from, build the tree from NewObject lookups of the listed files. */
  noTraverse: boolean;
  /** Root of the march on this side (`""` = Fs root). */
  root: string;
  /** rclone --max-depth (-1 unlimited). */
  maxDepth: number;
  /** Concurrent NewObject lookups / listings. */
  checkers: number;
  signal?: AbortSignal;
}

/** The object at `remote`, or undefined when there is none (rclone FileExists' notion of missing). */
export async function findObject(fs: Fs, remote: string, signal?: AbortSignal): Promise<FsObject | undefined> {
  try {
    return await fs.newObject(remote, signal ? { signal } : {});
  } catch (err) {
    if (isJsyncError(err, 'OBJECT_NOT_FOUND') || isJsyncError(err, 'NOT_A_FILE') || isJsyncError(err, 'PERMISSION_DENIED')) return undefined;
    throw err;
  }
}

const fileExistsIn = (fs: Fs, signal?: AbortSignal) => async (remote: string): Promise<boolean> =>
  (await findObject(fs, remote, signal)) !== undefined;

/** Builds the listing function for `fs` (rclone march.makeListDir). */
export function makeListDir(fs: Fs, opts: ListDirOptions): ListDirFn {
  const filter = opts.filter !== undefined && opts.filter.isActive() ? opts.filter : undefined;
  const narrow = (entries: DirEntry[]): Promise<DirEntry[]> =>
    filter ? filterListingProbed(entries, filter, fileExistsIn(fs, opts.signal)) : Promise.resolve(entries);
  const listOpts = opts.signal ? { signal: opts.signal } : {};
  if (opts.noTraverse && filter?.haveFilesFrom()) {
    return treeLister(() => filesFromTree(fs, filter, opts));
  }
  if (!(opts.fastList && fs.features.listR)) {
    return async (dir) => narrow(await listSorted(fs, dir, listOpts));
  }
  return treeLister(async () => {
    const tree = new Map<string, DirEntry[]>();
    const walkOpts = { ...listOpts, fastList: true, maxDepth: opts.maxDepth === 0 ? 1 : opts.maxDepth, filterEntries: (_d: string, e: DirEntry[]) => narrow(e) };
    for await (const level of walk(fs, opts.root, walkOpts)) tree.set(level.dir, level.entries);
    return tree;
  });
}

/** Serves directories out of a tree built once on first use; each directory is handed out once. */
function treeLister(build: () => Promise<Map<string, DirEntry[]>>): ListDirFn {
  let tree: Promise<Map<string, DirEntry[]>> | undefined;
  return async (dir) => {
    tree ??= build();
    const map = await tree;
    const entries = map.get(dir);
    if (entries === undefined) throw dirNotFound(dir);
    map.delete(dir);
    return entries;
  };
}

/** The tree of the `--files-from` paths below `opts.root` that exist, looked up one by one (rclone MakeListR). */
async function filesFromTree(fs: Fs, filter: Filter, opts: ListDirOptions): Promise<Map<string, DirEntry[]>> {
  const prefix = opts.root === '' ? '' : opts.root + '/';
  const wanted = [...(filter.filesFrom() ?? [])].filter((p) => p.startsWith(prefix) && p !== opts.root);
  const found: FsObject[] = [];
  let next = 0;
  const worker = async () => {
    while (next < wanted.length) {
      const o = await findObject(fs, wanted[next++]!, opts.signal);
      if (o) found.push(o);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.checkers) }, worker));
  const maxDepth = opts.maxDepth < 0 ? Infinity : opts.maxDepth;
  const depth = (p: string) => (p === '' ? 0 : p.split('/').length) - (opts.root === '' ? 0 : opts.root.split('/').length);
  const tree = new Map<string, DirEntry[]>([[opts.root, []]]);
  const now = Timestamp.now();
  const addDir = (d: string) => {
    if (tree.has(d)) return;
    tree.set(d, []);
    const parent = parentOf(d);
    addDir(parent);
    const dirEntry: Directory = { isDir: true, remote: d, size: -1, items: -1, id: '', modTime: () => now, toString: () => d };
    if (depth(d) <= maxDepth) tree.get(parent)!.push(dirEntry);
  };
  for (const o of found) {
    if (depth(o.remote) > maxDepth) continue;
    addDir(parentOf(o.remote));
    tree.get(parentOf(o.remote))!.push(o);
  }
  for (const list of tree.values()) list.sort(compareEntries);
  return tree;
}
