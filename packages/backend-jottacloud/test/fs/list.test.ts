// Listings and newObject against the emulator: pages, liststream prefix handling, trash, INCOMPLETE/CORRUPT files, 404s.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJsyncError } from '@jsync/testkit';
import type { DirEntry } from '@jsync/core';
import { JottacloudFs, setListPageSize } from '../../src/index.js';
import { collect, names, put, readAll, startJotta } from './helpers.js';
import type { JottaHarness } from './helpers.js';
import { rawUpload } from './raw.js';

let h: JottaHarness;
let fs: JottacloudFs;

beforeAll(async () => {
  h = await startJotta();
  fs = (await h.open('list')).fs as JottacloudFs;
  const seed = [
    'a.txt', 'b.txt', 'c.txt', 'd.txt', 'e.txt', 'sub/one.txt', 'sub/deep/two.txt', 'Docs/x.txt', 'gone/dead.txt', 'mixed/live.txt', 'mixed/dead.txt',
  ];
  for (const p of seed) await h.emu.state.putFile(`Jotta/Archive/list/${p}`, `content of ${p}`, { modified: 1_600_000_000 });
  await h.emu.state.mkdir('Jotta/Archive/list/empty');
  const trash = (await h.open('list', { hard_delete: false })).fs;
  await trash.features.purge!('gone');
  await (await trash.newObject('mixed/dead.txt')).remove();
  // A new file whose only upload stopped half-way, and an existing file whose newest upload was corrupt.
  expect(await rawUpload(h, 'Archive/list/partial.bin', 'twelve bytes', 'twelve')).toBe(420);
  await h.emu.state.putFile('Jotta/Archive/list/corrupt.bin', 'good old bytes', { modified: 1_600_000_000 });
  expect(await rawUpload(h, 'Archive/list/corrupt.bin', 'new content!', 'xxxxxxxxxxxx')).toBe(400);
});
afterAll(() => h?.stop());

describe('list', () => {
  it('shows live folders and COMPLETED live files, in pages of the set size', async () => {
    setListPageSize(fs, 3);
    const pages: (readonly DirEntry[])[] = [];
    for await (const p of fs.list('')) pages.push(p);
    setListPageSize(fs, 1000);
    expect(pages.every((p) => p.length <= 3)).toBe(true);
    expect(pages.length).toBeGreaterThan(3);
    const all = pages.flat().map((e) => (e.isDir ? `${e.remote}/` : e.remote)).sort();
    expect(all).toEqual(['Docs/', 'a.txt', 'b.txt', 'c.txt', 'corrupt.bin', 'd.txt', 'e.txt', 'empty/', 'mixed/', 'sub/']);
  });

  it('reports size, md5, mime type and modtime of the current revision', async () => {
    const o = (await collect(fs.list(''))).find((e) => e.remote === 'a.txt');
    if (!o || o.isDir) throw new Error('a.txt missing');
    expect(o.size).toBe('content of a.txt'.length);
    expect(await o.hash('md5')).toMatch(/^[0-9a-f]{32}$/);
    expect(o.mimeType?.()).toBe('text/plain');
    expect(o.modTime().toUnixSeconds()).toBe(1_600_000_000);
  });

  it('keeps the previous revision of a file whose newest upload is CORRUPT', async () => {
    const o = await fs.newObject('corrupt.bin');
    expect(o.size).toBe('good old bytes'.length);
    expect(await readAll(o)).toBe('good old bytes');
  });

  it('lists sub-directories with full remotes, and trashed children are hidden', async () => {
    expect(await names(fs.list('mixed'))).toEqual(['mixed/live.txt']);
    expect(await names(fs.list('sub'))).toEqual(['sub/deep/', 'sub/one.txt']);
  });

  it('maps a missing or trashed directory to DIR_NOT_FOUND', async () => {
    await expectJsyncError(collect(fs.list('nope')), 'DIR_NOT_FOUND');
    await expectJsyncError(collect(fs.list('gone')), 'DIR_NOT_FOUND');
  });

  it('matches directory names case-insensitively', async () => {
    expect(await names(fs.list('DOCS'))).toEqual(['DOCS/x.txt']);
  });
});

describe('listR', () => {
  it('lists the whole tree below the root from the liststream, in pages', async () => {
    setListPageSize(fs, 2);
    const pages: (readonly DirEntry[])[] = [];
    for await (const p of fs.listR('')) pages.push(p);
    setListPageSize(fs, 1000);
    expect(pages.every((p) => p.length <= 2)).toBe(true);
    const all = pages.flat().map((e) => (e.isDir ? `${e.remote}/` : e.remote)).sort();
    expect(all).toEqual([
      'Docs/', 'Docs/x.txt', 'a.txt', 'b.txt', 'c.txt', 'corrupt.bin', 'd.txt', 'e.txt', 'empty/', 'mixed/', 'mixed/live.txt',
      'sub/', 'sub/deep/', 'sub/deep/two.txt', 'sub/one.txt',
    ]);
    const a = pages.flat().find((e) => e.remote === 'sub/deep/two.txt');
    if (!a || a.isDir) throw new Error('missing');
    expect(a.size).toBe('content of sub/deep/two.txt'.length);
    expect(a.modTime().toUnixSeconds()).toBe(1_600_000_000);
  });

  it('lists a sub-directory with root-relative remotes, leaving the directory itself out', async () => {
    expect(await names(fs.listR('sub'))).toEqual(['sub/deep/', 'sub/deep/two.txt', 'sub/one.txt']);
  });

  it('strips a root given in other casing than stored', async () => {
    const other = (await h.open('LIST/Sub')).fs;
    expect(await names(other.features.listR!(''))).toEqual(['deep/', 'deep/two.txt', 'one.txt']);
  });

  it('maps a missing directory to DIR_NOT_FOUND', async () => {
    await expectJsyncError(collect(fs.listR('nope')), 'DIR_NOT_FOUND');
  });
});

describe('newObject', () => {
  it('finds a COMPLETED live file', async () => {
    const o = await fs.newObject('sub/one.txt');
    expect(await readAll(o)).toBe('content of sub/one.txt');
  });

  it('hides trashed and never-completed files, and missing parents', async () => {
    await expectJsyncError(fs.newObject('mixed/dead.txt'), 'OBJECT_NOT_FOUND');
    await expectJsyncError(fs.newObject('partial.bin'), 'OBJECT_NOT_FOUND');
    await expectJsyncError(fs.newObject('nope/nope.txt'), 'OBJECT_NOT_FOUND');
  });

  it('tells a directory (IS_DIR)', async () => {
    await expectJsyncError(fs.newObject('sub'), 'IS_DIR');
  });
});

describe('trashed_only', () => {
  it('shows trashed files (in live and trashed folders) and every folder, and has no listR', async () => {
    const t = (await h.open('list', { trashed_only: true })).fs;
    expect(t.features.listR).toBeUndefined();
    expect(await names(t.list('mixed'))).toEqual(['mixed/dead.txt']);
    expect(await names(t.list('gone'))).toEqual(['gone/dead.txt']);
    expect((await names(t.list(''))).filter((n) => n.endsWith('/'))).toEqual(['Docs/', 'empty/', 'gone/', 'mixed/', 'sub/']);
    expect((await names(t.list(''))).filter((n) => !n.endsWith('/'))).toEqual([]);
    const o = await t.newObject('gone/dead.txt');
    expect(await readAll(o)).toBe('content of gone/dead.txt');
    await expectJsyncError(t.newObject('a.txt'), 'OBJECT_NOT_FOUND');
  });
});

describe('put and list round trip', () => {
  it('puts a file that list, listR and newObject then show', async () => {
    const o = await put(fs, 'new/file.txt', 'fresh');
    expect(o.size).toBe(5);
    expect(await names(fs.list('new'))).toEqual(['new/file.txt']);
    expect((await names(fs.listR(''))).includes('new/file.txt')).toBe(true);
    expect(await readAll(await fs.newObject('new/file.txt'))).toBe('fresh');
  });
});
