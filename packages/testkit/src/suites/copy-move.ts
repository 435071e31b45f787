// Server-side operations: FsPurge, FsCopy, FsMove, FsDirMove, FsRmdirFull.

import { expect } from 'vitest';
import { Timestamp, isJsyncError } from '@jsync/core';
import { expectJsyncError, rejectionOf } from '../assertions.js';
import { skipCase } from '../harness.js';
import type { Harness } from '../harness.js';
import { checkListing, findObject, putTestObject } from '../items.js';
import type { Item } from '../items.js';
import { purge } from '../ops.js';
import { randomContent } from '../sources.js';
import { FILE2_DIRS } from './listing.js';

const moved = (item: Item, path: string): Item => ({ ...item, path });

/** FsPurge, FsCopy, FsMove, FsDirMove, FsRmdirFull. */
export function registerCopyMove(h: Harness): void {
  h.case('FsPurge', async (t) => {
    const f = h.fs;
    if (!f.features.purge) skipCase(t, 'FS has no Purge interface');
    const { item } = await putTestObject(f, { path: 'dirToPurge/fileToPurge.txt', modTime: Timestamp.parse('2001-02-03T04:05:06.499999999Z') }, randomContent(100));
    await checkListing(f, [h.file1, h.file2, item], { dirs: ['dirToPurge', ...FILE2_DIRS] });
    await purge(f, 'dirToPurge');
    await checkListing(f, [h.file1, h.file2], { dirs: [...FILE2_DIRS] });
  }, 'putFiles');

  h.case('FsCopy', async (t) => {
    const f = h.fs;
    const copy = f.features.copy;
    if (!copy) skipCase(t, 'FS has no Copier interface');
    const file2Copy = moved(h.file2, h.file2.path + '-copy');
    const src = await findObject(f, h.file2.path);
    let dst;
    try {
      dst = await copy(src, file2Copy.path);
    } catch (err) {
      if (isJsyncError(err, 'CANT_COPY')) skipCase(t, "FS can't copy");
      throw err;
    }
    await checkListing(f, [h.file1, h.file2, file2Copy]);
    expect(dst.remote).toBe(file2Copy.path);
    await dst.remove();
  }, 'putFiles');

  h.case('FsMove', async (t) => {
    const f = h.fs;
    const move = f.features.move;
    if (!move) skipCase(t, 'FS has no Mover interface');
    const file2Move = moved(h.file2, 'other.txt');
    let dst;
    try {
      dst = await move(await findObject(f, h.file2.path), file2Move.path);
    } catch (err) {
      if (isJsyncError(err, 'CANT_MOVE')) skipCase(t, "FS can't move");
      throw err;
    }
    await checkListing(f, [h.file1, file2Move]);
    expect(dst.remote).toBe(file2Move.path);
    // "rename, then move": same leaf, different directory
    const file1Move = moved(h.file1, 'moveTest/other.txt');
    await move(await findObject(f, h.file1.path), file1Move.path);
    await checkListing(f, [file1Move, file2Move]);
    // "move, then rename"
    await move(await findObject(f, file1Move.path), h.file1.path);
    await checkListing(f, [h.file1, file2Move]);
    await move(await findObject(f, file2Move.path), h.file2.path);
    await checkListing(f, [h.file1, h.file2]);
    await f.rmdir('moveTest');
  }, 'putFiles');

  h.case('FsDirMove', async (t) => {
    const f = h.fs;
    const dirMove = f.features.dirMove;
    if (!dirMove) skipCase(t, 'FS has no DirMover interface');
    await expectJsyncError(dirMove(f, '', ''), 'DIR_EXISTS');
    const { fs: newRemote } = await h.newFs(h.randomRoot());
    const newName = 'new_name/sub_new_name';
    await newRemote.features.dirMove!(f, '', newName);
    await expectJsyncError(async () => {
      for await (const _ of f.list('')) { /* drain */ }
    }, 'DIR_NOT_FOUND');
    const under = (i: Item) => moved(i, `${newName}/${i.path}`);
    await checkListing(newRemote, [under(h.file2), under(h.file1)], {
      dirs: ['new_name', newName, ...FILE2_DIRS.map((d) => `${newName}/${d}`)], precision: newRemote.precision,
    });
    await dirMove(newRemote, newName, '');
    await checkListing(f, [h.file2, h.file1], { dirs: [...FILE2_DIRS], precision: f.precision });
    await checkListing(newRemote, [], { dirs: ['new_name'], precision: newRemote.precision });
  }, 'putFiles');

  h.case('FsRmdirFull', async (t) => {
    if (h.isBucketBasedButNotRoot()) skipCase(t, 'non root bucket-based remote');
    await rejectionOf(h.fs.rmdir(''));
  }, 'putFiles');
}
