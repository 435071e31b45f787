// Applying a Filter to one directory's listing (rclone list.DirSorted's filtering step).

import type { Directory, ObjectInfo } from '../fs/types.js';
import type { Filter } from './filter.js';

/** What {@link filterListing} accepts: objects and directories (a backend's DirEntry fits). */
export type FilterableEntry = ObjectInfo | Directory;

/**
 * The entries of one directory listing that pass `filter`, in their original order: objects by the file
 * rules, size and age, directories by the directory rules. A listing holding an `--exclude-if-present` file
 * yields nothing (the directory itself is excluded).
 */
export function filterListing<T extends FilterableEntry>(entries: readonly T[], filter: Filter): T[] {
  if (filter.inActive()) return [...entries];
  if (filter.listContainsExcludeFile(entries)) return [];
  return entries.filter((e) => (e.isDir ? filter.includeDirectory(e.remote) : filter.includeObject(e)));
}

/**
 * {@link filterListing} plus rclone's exclude-if-present probe on each subdirectory: a directory that contains
 * an `--exclude-if-present` file is dropped from the listing too (so it is neither reported nor entered).
 * `fileExists(remote)` answers whether an object exists at `remote` (e.g. via `Fs.newObject`).
 */
export async function filterListingProbed<T extends FilterableEntry>(
  entries: readonly T[],
  filter: Filter,
  fileExists: (remote: string) => Promise<boolean>,
): Promise<T[]> {
  const kept = filterListing(entries, filter);
  if (filter.excludeIfPresent.length === 0) return kept;
  const flags = await Promise.all(
    kept.map((e) => (e.isDir ? filter.dirContainsExcludeFile(e.remote, fileExists) : Promise.resolve(false))),
  );
  return kept.filter((_, i) => !flags[i]);
}
