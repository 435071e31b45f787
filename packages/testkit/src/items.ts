// Expected-file records and their checks (rclone fstest.Item, CheckListing, CompareItems, PutTestContents).

import { expect } from 'vitest';
import { findJsyncError, hashesEqual, isJsyncError, isObject, parentOf } from '@jsync/core';
import type { DirEntry, Fs, FsObject, Info, OpenOptions, Timestamp } from '@jsync/core';
import { hashSums } from './hashes.js';
import type { HashSums } from './hashes.js';
import { StaticObjectInfo } from './object-info.js';
import { getAll } from './ops.js';
import { bytesSource } from './sources.js';

/** An expected file: path, modtime, size and reference digests. */
export interface Item {
  path: string;
  modTime: Timestamp;
  size: number;
  hashes: HashSums;
}

/** An Item for `content` stored at `path` with `modTime` (rclone `fstest.NewItem`). */
export function newItem(path: string, content: Uint8Array | string, modTime: Timestamp): Item {
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { path, modTime, size: data.length, hashes: hashSums(data) };
}

/** Asserts `|want − got| < precision` (strictly, as rclone). */
export function checkTimeWithinPrecision(what: string, want: Timestamp, got: Timestamp, precision: bigint): void {
  const dt = got.ns - want.ns;
  const abs = dt < 0n ? -dt : dt;
  expect(abs < precision, `${what}: modification time difference too big |${dt}ns| >= ${precision}ns (want ${want} got ${got})`).toBe(true);
}

/** Asserts every hash type the object's Fs advertises matches the item (an unknown side passes). */
export async function checkHashes(item: Item, obj: FsObject): Promise<void> {
  for (const type of obj.fs.hashes) {
    const sum = await obj.hash(type);
    const want = item.hashes[type] ?? '';
    expect(hashesEqual(want, sum), `${obj.fs}/${obj.remote}: ${type} hash incorrect - expecting ${JSON.stringify(want)} got ${JSON.stringify(sum)}`).toBe(true);
  }
}

/** Asserts hashes, size and modtime (within `precision`) of `obj` (rclone `Item.Check`). */
export async function checkItem(item: Item, obj: FsObject, precision: bigint): Promise<void> {
  await checkHashes(item, obj);
  expect(obj.size, `${item.path}: size incorrect`).toBe(item.size);
  checkTimeWithinPrecision(obj.remote, item.modTime, obj.modTime(), precision);
}

/** Options for {@link checkListing}. */
export interface CheckListingOptions {
  /** Expected directories; unchecked when undefined. Reduced to file-implied dirs without empty-dir support. */
  dirs?: readonly string[];
  /** Modtime tolerance. @default fs.precision */
  precision?: bigint;
  /** Directory to list recursively. @default '' */
  root?: string;
}

/**
 * Lists `fs` recursively and asserts exactly `items` (path and size) are there, each passing {@link checkItem},
 * plus the expected directories (rclone `CheckListingWithRoot`). A missing root directory counts as empty.
 */
export async function checkListing(fs: Fs, items: readonly Item[], opts: CheckListingOptions = {}): Promise<void> {
  let dirs = opts.dirs;
  if (dirs !== undefined && !fs.features.canHaveEmptyDirectories) dirs = filterEmptyDirs(items, dirs);
  let listing: Awaited<ReturnType<typeof getAll>> = { objs: [], dirs: [] };
  try {
    listing = await getAll(fs, opts.root ?? '');
  } catch (err) {
    if (!isJsyncError(err, 'DIR_NOT_FOUND')) throw err;
  }
  await compareItems([...listing.objs, ...listing.dirs], items, {
    ...(dirs !== undefined ? { dirs } : {}), precision: opts.precision ?? fs.precision, what: `listing of ${fs}`,
  });
}

/** Options for {@link compareItems}. */
export interface CompareItemsOptions {
  dirs?: readonly string[];
  precision: bigint;
  /** Label used in failure messages. */
  what: string;
}

/** Asserts a set of entries holds exactly `items` and (if given) exactly `dirs` (rclone `CompareItems`). */
export async function compareItems(entries: readonly DirEntry[], items: readonly Item[], opts: CompareItemsOptions): Promise<void> {
  const objs = entries.filter(isObject);
  const want = items.map((i) => `${i.path} (${i.size})`).sort();
  const got = objs.map((o) => `${o.remote} (${o.size})`).sort();
  expect(got, `${opts.what}: objects`).toEqual(want);
  const byPath = new Map(items.map((i) => [i.path, i]));
  for (const o of objs) {
    const item = byPath.get(o.remote);
    if (item) await checkItem(item, o, opts.precision);
  }
  if (opts.dirs !== undefined) {
    const gotDirs = entries.filter((e) => e.isDir).map((d) => d.remote).sort();
    expect(gotDirs, `${opts.what}: directories`).toEqual([...opts.dirs].sort());
  }
}

/** Keeps only the directories implied by the items' paths (rclone `filterEmptyDirs`). */
export function filterEmptyDirs(items: readonly Item[], dirs: readonly string[]): string[] {
  const implied = new Set<string>(['']);
  for (const i of items) for (let d = parentOf(i.path); d !== ''; d = parentOf(d)) implied.add(d);
  return dirs.filter((d) => implied.has(d));
}

/** `fs.newObject(remote)`, failing the test with the error when it cannot be found. */
export async function findObject(fs: Fs, remote: string): Promise<FsObject> {
  return fs.newObject(remote);
}

/** Options for {@link readObject}. */
export interface ReadObjectOptions extends OpenOptions {
  /** Stop (and close the stream) after this many bytes; -1 or undefined = read everything. */
  limit?: number;
}

/** Reads an object's content (rclone `ReadObject`), optionally only the first `limit` bytes. */
export async function readObject(obj: FsObject, opts: ReadObjectOptions = {}): Promise<Buffer> {
  const { limit = -1, ...open } = opts;
  const stream = await obj.open(open);
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(Buffer.from(chunk));
    n += chunk.length;
    if (limit >= 0 && n >= limit) break; // leaving the loop destroys (closes) the stream
  }
  const all = Buffer.concat(chunks);
  return limit >= 0 ? all.subarray(0, limit) : all;
}

/** Options for {@link putTestObject}. */
export interface PutTestObjectOptions {
  /** Check the returned object and a fresh `newObject` against the item. @default true */
  check?: boolean;
  /** MIME type reported by the upload source. */
  mimeType?: string;
  /** Source `fs` info. */
  srcFs?: Info;
}

/**
 * Uploads `contents` as `path` with `modTime` (rclone `PutTestContents`), retrying errors explicitly classed as
 * retryable; returns the object and the Item describing it (checked immediately and after a re-read).
 */
export async function putTestObject(
  fs: Fs,
  file: { path: string; modTime: Timestamp },
  contents: Uint8Array | string,
  opts: PutTestObjectOptions = {},
): Promise<{ obj: FsObject; item: Item }> {
  const item = newItem(file.path, contents, file.modTime);
  const data = typeof contents === 'string' ? Buffer.from(contents, 'utf8') : contents;
  const src = new StaticObjectInfo({
    remote: item.path, modTime: item.modTime, size: item.size,
    ...(opts.mimeType !== undefined ? { mimeType: opts.mimeType } : {}), ...(opts.srcFs ? { fs: opts.srcFs } : {}),
  });
  let obj: FsObject | undefined;
  for (let tries = 1; ; tries++) {
    try {
      obj = await fs.put(bytesSource(data), src);
      break;
    } catch (err) {
      const retryable = findJsyncError(err)?.errorClass === 'retry';
      if (!retryable || tries >= 5) throw err;
      await new Promise((r) => setTimeout(r, 200 * tries));
    }
  }
  if (opts.check ?? true) {
    await checkItem(item, obj, fs.precision);
    await checkItem(item, await findObject(fs, item.path), fs.precision);
  }
  return { obj, item };
}
