// rclone operations.ListJSON / StatJSON over an opened source: the engine behind lsjson and lsf.

import { type DirEntry, type Fs, type HashType, Timestamp, isJsyncError } from '@jsync/core';
import type { CliContext, OpenedFs } from '../context.js';
import { type HashChoice, parseHashChoice, unknownHashMessage } from './hashsum.js';
import { configMaxDepth, errorMessage, listSource } from './listing-run.js';
import { type ItemOptions, type ListJsonItem, buildListJsonItem, modTimeDigitsForPrecision } from './lsjson.js';

/** rclone ListJSONOpt (the subset jsync supports). */
export interface ListJsonRunOptions {
  recurse?: boolean;
  noModTime?: boolean;
  noMimeType?: boolean;
  /** `--hash`: every hash the Fs supports (unless `hashTypes` is given). */
  showHash?: boolean;
  /** `--hash-type` values as typed (parsed like rclone, `none` allowed); non-empty implies showHash. */
  hashTypes?: readonly string[];
  filesOnly?: boolean;
  dirsOnly?: boolean;
  /** `--encrypted` / lsf `e`: only meaningful for crypt remotes, which jsync lacks. */
  encrypted?: boolean;
}

/** A resolved lsjson configuration (rclone newListJSON). */
export interface ListJsonSetup {
  itemOptions: ItemOptions;
  modTimeDigits: number;
}

/** rclone newListJSON: validates hash names and derives the item options; throws rclone's errors. */
export function setupListJson(ctx: CliContext, fs: Fs, opt: ListJsonRunOptions): ListJsonSetup {
  if (opt.encrypted) {
    // rclone looks the remote up in the config to build a cipher; a bare local path has no section.
    throw new Error(fs.name === 'local' ? "ListJSON failed to load config for crypt remote: didn't find section in config file" : 'the remote needs to be of type "crypt"');
  }
  let hashTypes: HashChoice[] | undefined = opt.showHash ? fs.hashes.toArray() : undefined;
  if (opt.hashTypes && opt.hashTypes.length > 0) {
    hashTypes = opt.hashTypes.map((text) => {
      const h = parseHashChoice(text);
      if (h === undefined) throw new Error(unknownHashMessage(text));
      return h;
    });
  }
  const itemOptions: ItemOptions = {
    noModTime: opt.noModTime === true,
    noMimeType: opt.noMimeType === true,
    isBucket: fs.features.bucketBased && fs.root === '',
    onHashError: (entry, err) => ctx.logger.log('ERROR', entry.toString(), `Failed to read hash: ${errorMessage(err)}`),
    ...(hashTypes ? { hashTypes: hashTypes as readonly (HashType | 'none')[] } : {}),
  };
  return { itemOptions, modTimeDigits: modTimeDigitsForPrecision(fs.precision) };
}

/** True when rclone's ListJSON keeps `entry` (--files-only drops directories, --dirs-only drops objects). */
function wanted(entry: DirEntry, opt: ListJsonRunOptions): boolean {
  return entry.isDir ? !opt.filesOnly : !opt.dirsOnly;
}

/**
 * rclone ListJSON: yields the items of each listed batch. Listing failures are wrapped as
 * `error in ListJSON: …` (the cause is kept for the exit code).
 */
export async function* listJsonEntries(
  ctx: CliContext, src: OpenedFs, opt: ListJsonRunOptions, setup: ListJsonSetup = setupListJson(ctx, src.fs, opt),
): AsyncGenerator<{ items: ListJsonItem[]; setup: ListJsonSetup }> {
  const maxDepth = configMaxDepth(ctx, opt.recurse === true);
  try {
    for await (const batch of listSource(ctx, src, { listType: 'all', maxDepth })) {
      const items: ListJsonItem[] = [];
      for (const e of batch) if (wanted(e, opt)) items.push(await buildListJsonItem(e, setup.itemOptions));
      if (items.length > 0) yield { items, setup };
    }
  } catch (err) {
    throw new Error(`error in ListJSON: ${errorMessage(err)}`, { cause: err });
  }
}

/**
 * rclone StatJSON for `remote` inside `fs` (`""` = the root directory): the item, or undefined when it does not
 * exist (bucket-like) or is excluded by --files-only/--dirs-only.
 */
export async function statJson(fs: Fs, remote: string, opt: ListJsonRunOptions, setup: ListJsonSetup): Promise<ListJsonItem | undefined> {
  // rclone: only one of --files-only/--dirs-only restricts what is looked up; both together look up everything.
  const files = !(opt.dirsOnly && !opt.filesOnly);
  const dirs = !(opt.filesOnly && !opt.dirsOnly);
  const entry = (e: DirEntry) => (wanted(e, opt) ? buildListJsonItem(e, setup.itemOptions) : Promise.resolve(undefined));
  if (remote === '') {
    if (!dirs) return undefined;
    for await (const _page of fs.list('')) break; // the root must exist
    const now = Timestamp.now();
    return entry({ isDir: true, remote: '', size: -1, items: -1, id: '', modTime: () => now, toString: () => '' });
  }
  if (files) {
    try {
      return await entry(await fs.newObject(remote));
    } catch (err) {
      if (!dirs) {
        if (isNotFoundOrDir(err)) return undefined;
        throw err;
      }
    }
  }
  const slash = remote.lastIndexOf('/');
  const parent = slash < 0 ? '' : remote.slice(0, slash);
  let found: DirEntry | undefined;
  const same = fs.features.caseInsensitive ? (a: string) => a.toLowerCase() === remote.toLowerCase() : (a: string) => a === remote;
  try {
    for await (const page of fs.list(parent)) {
      found ??= page.find((e) => same(e.remote));
    }
  } catch (err) {
    if (isJsyncError(err, 'DIR_NOT_FOUND')) return undefined;
    throw err;
  }
  return found ? entry(found) : undefined;
}

function isNotFoundOrDir(err: unknown): boolean {
  return isJsyncError(err, 'OBJECT_NOT_FOUND') || isJsyncError(err, 'IS_DIR');
}
