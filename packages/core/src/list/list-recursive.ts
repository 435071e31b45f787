// rclone's walk.ListR for listing commands: backend ListR when unbounded, else a per-directory walk that reports
// each failed directory and carries on.

import type { Filter } from '../filter/filter.js';
import { filterListingProbed } from '../filter/listing.js';
import { isJsyncError } from '../fs/errors.js';
import type { DirEntry, Directory, Fs, ListOptions } from '../fs/types.js';
import { Timestamp } from '../modtime/timestamp.js';
import { compareRemotes, parentOf, walk } from './list.js';

/** Which entries a recursive listing passes on (rclone `walk.ListObjects` / `ListDirs` / `ListAll`). */
export type ListType = 'objects' | 'dirs' | 'all';

/** Options for {@link listRecursive}. */
export interface ListRecursiveOptions extends ListOptions {
  /**
   * rclone's `maxLevel`: negative = unlimited (backend ListR used when present); 1 = only `dir`; n = n levels.
   * 0 is rclone's quirk: unlimited, but always walked directory by directory.
   * @default -1
   */
  maxDepth?: number;
  /** Entries to yield. @default 'all' */
  listType?: ListType;
  /** `--fast-list`: also use ListR for bounded depths above 1. */
  fastList?: boolean;
  /** Directories listed concurrently. @default 8 */
  checkers?: number;
  /**
   * Called for every directory whose listing failed during a directory-by-directory walk (rclone counts and logs
   * `error listing: …` here). The walk goes on; the last such error is thrown when it ends. ListR errors are thrown.
   */
  onError?: (dir: string, err: unknown) => void;
  /**
   * rclone filters (--include, --max-size, …): applied to every directory listing; excluded directories are not
   * entered. Directory rules, --files-from and --exclude-if-present make the listing walk instead of using ListR.
   */
  filter?: Filter;
}

/**
 * Lists everything below `dir` as batches of entries (one batch per directory, sorted, when walking; backend pages
 * when ListR is used). Entries are filtered by `listType`. Order across batches is unspecified.
 */
export async function* listRecursive(fs: Fs, dir: string, opts: ListRecursiveOptions = {}): AsyncGenerator<DirEntry[]> {
  const maxDepth = opts.maxDepth ?? -1;
  const listType = opts.listType ?? 'all';
  const listR = fs.features.listR;
  const filter = opts.filter !== undefined && opts.filter.isActive() ? opts.filter : undefined;
  if (listR && maxDepth < 0 && (!filter || listRFilterable(filter))) {
    yield* viaListR(fs, dir, listType, listR, opts, filter);
    return;
  }
  let lastError: unknown;
  let failed = false;
  const walkOpts = {
    maxDepth: maxDepth === 0 ? -1 : maxDepth,
    fastList: opts.fastList === true && maxDepth !== 0 && maxDepth !== 1,
    ...(opts.checkers !== undefined ? { checkers: opts.checkers } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    // rclone IncludeDirectory probes each subdirectory for an --exclude-if-present file before listing it.
    ...(filter ? { filterEntries: (_d: string, entries: DirEntry[]) => filterListingProbed(entries, filter, objectExists(fs, opts.signal)) } : {}),
    onError: (d: string, err: unknown) => {
      failed = true;
      lastError = err;
      opts.onError?.(d, err);
    },
  };
  for await (const level of walk(fs, dir, walkOpts)) {
    const entries = filterListType(level.entries, listType);
    if (entries.length > 0) yield entries;
  }
  if (failed) throw lastError;
}

/** Whether an object exists at `remote` (rclone FileExists: missing, not-a-file and permission errors mean no). */
const objectExists = (fs: Fs, signal?: AbortSignal) => async (remote: string): Promise<boolean> => {
  try {
    await fs.newObject(remote, signal ? { signal } : {});
    return true;
  } catch (err) {
    if (isJsyncError(err, 'OBJECT_NOT_FOUND') || isJsyncError(err, 'NOT_A_FILE') || isJsyncError(err, 'PERMISSION_DENIED')) return false;
    throw err;
  }
};

/** Keeps only the entries `listType` asks for. */
export function filterListType(entries: readonly DirEntry[], listType: ListType): DirEntry[] {
  if (listType === 'all') return [...entries];
  const wantDirs = listType === 'dirs';
  return entries.filter((e) => e.isDir === wantDirs);
}

/** rclone's conditions for filtering a backend ListR result entry by entry instead of walking. */
function listRFilterable(filter: Filter): boolean {
  return !filter.haveFilesFrom() && filter.excludeIfPresent.length === 0 && !filter.usesDirectoryFilters();
}

async function* viaListR(
  fs: Fs, dir: string, listType: ListType, listR: NonNullable<Fs['features']['listR']>, opts: ListOptions, filter: Filter | undefined,
): AsyncGenerator<DirEntry[]> {
  // Bucket-based backends may list objects without their directories: synthesise those (rclone dirMap).
  const synthesize = listType !== 'objects' && fs.features.bucketBased;
  const seen = new Map<string, boolean>();
  const note = (d: string, sent: boolean) => {
    for (; d !== dir && d !== ''; d = parentOf(d), sent = false) {
      const cur = seen.get(d);
      if (cur === true || (cur === false && !sent)) return;
      seen.set(d, sent);
    }
  };
  for await (const page of listR(dir, opts.signal ? { signal: opts.signal } : {})) {
    if (synthesize) for (const e of page) note(e.isDir ? e.remote : parentOf(e.remote), e.isDir);
    let entries = filterListType(page, listType);
    if (filter) entries = entries.filter((e) => (e.isDir ? filter.includeDirectory(e.remote) : filter.includeObject(e)));
    if (entries.length > 0) yield entries;
  }
  if (!synthesize) return;
  const missing = [...seen].filter(([, sent]) => !sent).map(([d]) => d).sort(compareRemotes);
  if (missing.length === 0) return;
  const now = Timestamp.now();
  yield missing.map((remote): Directory => ({
    isDir: true, remote, size: -1, items: -1, id: '', modTime: () => now, toString: () => remote,
  }));
}
