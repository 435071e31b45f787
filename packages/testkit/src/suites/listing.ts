// Listing cases: empty / not-found listings and the FsPutFiles listing checks (List and ListR variants).

import { expect } from 'vitest';
import type { TestContext } from 'vitest';
import { isJsyncError, parentOf } from '@jsync/core';
import type { Fs } from '@jsync/core';
import { skipCase } from '../harness.js';
import type { Harness } from '../harness.js';
import { checkListing } from '../items.js';
import { getAll, namesOf } from '../ops.js';

/** The four directories above file2. */
export const FILE2_DIRS = [
  'hello? sausage',
  'hello? sausage/êé',
  'hello? sausage/êé/Hello, 世界',
  'hello? sausage/êé/Hello, 世界/ " \' @ < > & ? + ≠',
] as const;

/** Registers `name` and, when the suite supports it, its ListR twin (`rName`) running the same body with fastList. */
function twin(h: Harness, names: [string, string], body: (fastList: boolean) => Promise<void>, requires: 'mkdir' | 'putFiles'): void {
  h.case(names[0], () => body(false), requires);
  h.case(names[1], async (t: TestContext) => {
    if (!h.fs.features.listR) skipCase(t, 'FS has no ListR interface');
    await body(true);
  }, requires);
}

/** FsListEmpty, FsListDirEmpty/FsListRDirEmpty, FsListDirNotFound/FsListRDirNotFound. */
export function registerEmptyListings(h: Harness): void {
  h.case('FsListEmpty', () => checkListing(h.fs, []), 'mkdir');
  twin(h, ['FsListDirEmpty', 'FsListRDirEmpty'], async (fastList) => {
    const f = h.fs;
    let names = { objs: [] as string[], dirs: [] as string[] };
    try {
      const all = await getAll(f, '', { maxDepth: 1, fastList });
      names = { objs: namesOf(all.objs), dirs: namesOf(all.dirs) };
    } catch (err) {
      if (f.features.canHaveEmptyDirectories || !isJsyncError(err, 'DIR_NOT_FOUND')) throw err;
    }
    expect(names).toEqual({ objs: [], dirs: [] });
  }, 'mkdir');
  twin(h, ['FsListDirNotFound', 'FsListRDirNotFound'], async (fastList) => {
    const f = h.fs;
    try {
      const all = await getAll(f, 'does not exist', { maxDepth: 1, fastList });
      expect(f.features.canHaveEmptyDirectories, 'listing a missing directory must throw DIR_NOT_FOUND').toBe(false);
      expect(all.objs.length + all.dirs.length).toBe(0);
    } catch (err) {
      expect(isJsyncError(err, 'DIR_NOT_FOUND'), `expected DIR_NOT_FOUND, got ${String(err)}`).toBe(true);
    }
  }, 'mkdir');
}

/** Depth-1 listing of `dir` with one retry on DIR_NOT_FOUND (rclone does the same for eventual consistency). */
async function listLevel(f: Fs, dir: string, fastList: boolean): Promise<{ objs: string[]; dirs: string[] }> {
  let all;
  try {
    all = await getAll(f, dir, { maxDepth: 1, fastList });
  } catch (err) {
    if (!isJsyncError(err, 'DIR_NOT_FOUND')) throw err;
    all = await getAll(f, dir, { maxDepth: 1, fastList });
  }
  return { objs: namesOf(all.objs), dirs: namesOf(all.dirs) };
}

/** FsListDirFile2 … FsListRLevel2 and FsListFile1: the listings of the two FsPutFiles files. */
export function registerFileListings(h: Harness): void {
  twin(h, ['FsListDirFile2', 'FsListRDirFile2'], async (fastList) => {
    let deepest = true;
    for (let child = h.file2.path; child !== ''; ) {
      const dir = parentOf(child);
      const want = { objs: [] as string[], dirs: [] as string[] };
      if (dir === '') want.objs.push(h.file1.path);
      if (deepest) want.objs.push(h.file2.path);
      else want.dirs.push(child);
      deepest = false;
      want.objs.sort();
      expect(await listLevel(h.fs, dir, fastList), `listing of ${JSON.stringify(dir)}`).toEqual(want);
      child = dir;
    }
  }, 'putFiles');
  h.case('FsListR', async () => {
    const all = await getAll(h.fs, '', { maxDepth: -1 });
    expect(namesOf(all.dirs)).toEqual([...FILE2_DIRS]);
    expect(namesOf(all.objs)).toEqual([h.file1.path, h.file2.path]);
  }, 'putFiles');
  h.case('FsListRSubdir', async () => {
    const all = await getAll(h.fs, FILE2_DIRS[0], { maxDepth: -1 });
    expect(namesOf(all.dirs)).toEqual(FILE2_DIRS.slice(1));
    expect(namesOf(all.objs)).toEqual([h.file2.path]);
  }, 'putFiles');
  twin(h, ['FsListDirRoot', 'FsListRDirRoot'], async (fastList) => {
    const prefix = (h.opts.rootPrefix ?? '').replace(/^\/+|\/+$/g, '');
    const { fs: rootFs } = await h.newFs(prefix);
    const { dirs } = await getAll(rootFs, '', { maxDepth: 1, fastList });
    const leaf = h.testRoot.slice(h.testRoot.lastIndexOf('/') + 1);
    expect(namesOf(dirs), 'remote leaf not found').toContain(leaf);
  }, 'putFiles');
  twin(h, ['FsListSubdir', 'FsListRSubdir#01'], async (fastList) => {
    let all = { objs: [] as { remote: string }[], dirs: [] as { remote: string }[] };
    for (let i = 0; i < 2; i++) all = await getAll(h.fs, parentOf(h.file2.path), { maxDepth: -1, fastList });
    expect(all.objs.map((o) => o.remote)).toEqual([h.file2.path]);
    expect(all.dirs).toHaveLength(0);
  }, 'putFiles');
  twin(h, ['FsListLevel2', 'FsListRLevel2'], async (fastList) => {
    let all;
    try {
      all = await getAll(h.fs, '', { maxDepth: 2, fastList });
    } catch (err) {
      if (isJsyncError(err, 'LEVEL_NOT_SUPPORTED')) return;
      throw err;
    }
    expect(namesOf(all.objs)).toEqual([h.file1.path]);
    expect(namesOf(all.dirs)).toEqual(FILE2_DIRS.slice(0, 2));
  }, 'putFiles');
  h.case('FsListFile1', () => checkListing(h.fs, [h.file1, h.file2]), 'putFiles');
}

/** FsListFile1and2: the same full check again after the NewObject cases. */
export function registerListFile1and2(h: Harness): void {
  h.case('FsListFile1and2', () => checkListing(h.fs, [h.file1, h.file2]), 'putFiles');
}
