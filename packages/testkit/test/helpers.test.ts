// Unit tests of the testkit helpers: the encoding table, Item checks, GetAll (List and ListR), purge, sources.

import { describe, expect, it } from 'vitest';
import { HASH_TYPES, STANDARD_ENCODER, Timestamp, fillFeatures, hashBytes, isJsyncError } from '@jsync/core';
import type { DirEntry, Fs } from '@jsync/core';
import {
  CASE_NAMES, FS_ENCODING_NAMES, StaticObjectInfo, bytesSource, checkListing, filterEmptyDirs, getAll, hashSums, namesOf,
  newItem, purge, putTestObject, randomString, readObject,
} from '../src/index.js';
import { removeConfigId } from '../src/suites/fs-basics.js';
import { toUpperAscii } from '../src/suites/objects.js';
import { TreeStore } from './tree-fs.js';

const T1 = Timestamp.parse('2001-02-03T04:05:06.499999999Z');

async function treeFs(root = 'r') {
  const store = new TreeStore();
  const { fs } = await store.newFs(root);
  await fs.mkdir('');
  return fs;
}

describe('FS_ENCODING_NAMES', () => {
  it('lists rclone FsEncoding names in order, each Standard-encoded as core encodes it', () => {
    expect(FS_ENCODING_NAMES.map((n) => n.name)).toEqual([
      'control chars', 'dot', 'dot dot', 'punctuation', 'leading space', 'leading tilde', 'leading CR', 'leading LF',
      'leading HT', 'leading VT', 'leading dot', 'trailing space', 'trailing CR', 'trailing LF', 'trailing HT',
      'trailing VT', 'trailing dot', 'invalid UTF-8', 'URL encoding',
    ]);
    for (const n of FS_ENCODING_NAMES) expect(STANDARD_ENCODER.encode(n.raw), n.name).toBe(n.standard);
    expect(FS_ENCODING_NAMES.find((n) => n.name === 'invalid UTF-8')!.raw.endsWith('\udcfe')).toBe(true);
    expect(FS_ENCODING_NAMES.find((n) => n.name === 'control chars')!.standard).toHaveLength(33);
  });
});

describe('case names', () => {
  it('are unique and keep rclone spellings', () => {
    expect(new Set(CASE_NAMES).size).toBe(CASE_NAMES.length);
    expect(CASE_NAMES).toContain('FsListRSubdir#01');
    expect(CASE_NAMES.indexOf('FsPutFiles')).toBeLessThan(CASE_NAMES.indexOf('ObjectUpdate'));
    expect(removeConfigId('myjotta{AbC12}')).toBe('myjotta');
    expect(toUpperAscii('hello? êé z.txt')).toBe('HELLO? êé Z.TXT');
  });
});

describe('items and sources', () => {
  it('hashSums covers every registered type with core digests', () => {
    const sums = hashSums(Buffer.from('hello'));
    expect(Object.keys(sums).sort()).toEqual([...HASH_TYPES].sort());
    expect(sums.md5).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(sums.sha1).toBe(hashBytes('sha1', Buffer.from('hello')));
  });

  it('StaticObjectInfo reports fixed fields and HASH_UNSUPPORTED without hashes', async () => {
    const plain = new StaticObjectInfo({ remote: 'a/b', modTime: T1, size: 3 });
    expect([plain.remote, plain.size, plain.storable, plain.isDir, plain.mimeType(), String(plain)]).toEqual(['a/b', 3, true, false, '', 'a/b']);
    expect(plain.modTime().equals(T1)).toBe(true);
    await expect(plain.hash('md5')).rejects.toSatisfy((e: unknown) => isJsyncError(e, 'HASH_UNSUPPORTED'));
    const hashed = new StaticObjectInfo({ remote: 'x', modTime: T1, size: 1, hashes: { md5: 'abc' }, mimeType: 'text/csv' });
    expect([await hashed.hash('md5'), await hashed.hash('sha1'), hashed.mimeType()]).toEqual(['abc', '', 'text/csv']);
  });

  it('bytesSource chunks, copies and can fail at the end', async () => {
    const data = Buffer.from('abcdefghij');
    const chunks: string[] = [];
    for await (const c of bytesSource(data, { chunkSize: 4 })) chunks.push(Buffer.from(c).toString());
    expect(chunks).toEqual(['abcd', 'efgh', 'ij']);
    const seen: string[] = [];
    await expect((async () => {
      for await (const c of bytesSource(data, { chunkSize: 8, failWith: new Error('potato') })) seen.push(Buffer.from(c).toString());
    })()).rejects.toThrow('potato');
    expect(seen).toEqual(['abcdefgh', 'ij']);
    expect(randomString(30)).toMatch(/^[A-Za-z0-9]{30}$/);
  });

  it('filterEmptyDirs keeps only directories implied by items', () => {
    const items = [newItem('a/b/c.txt', 'x', T1)];
    expect(filterEmptyDirs(items, ['a', 'a/b', 'empty', 'a/b/c'])).toEqual(['a', 'a/b']);
  });
});

describe('checkListing', () => {
  it('accepts the exact listing and rejects missing, extra, resized, re-dated and wrongly hashed files', async () => {
    const fs = await treeFs();
    const { item } = await putTestObject(fs, { path: 'd/f.txt', modTime: T1 }, 'content');
    await checkListing(fs, [item], { dirs: ['d'] });
    await expect(checkListing(fs, [])).rejects.toThrow(/objects/);
    await expect(checkListing(fs, [item, newItem('g', 'x', T1)])).rejects.toThrow(/objects/);
    await expect(checkListing(fs, [{ ...item, size: 99 }])).rejects.toThrow();
    await expect(checkListing(fs, [{ ...item, modTime: T1.add(1_000_000n) }])).rejects.toThrow(/modification time/);
    await expect(checkListing(fs, [{ ...item, hashes: { sha1: 'ff' } }])).rejects.toThrow(/sha1 hash incorrect/);
    await expect(checkListing(fs, [item], { dirs: ['d', 'e'] })).rejects.toThrow(/directories/);
    await checkListing(fs, [{ ...item, hashes: {} }]); // unknown hashes compare equal
  });

  it('treats a missing root as empty', async () => {
    const { fs } = await new TreeStore().newFs('nowhere');
    await checkListing(fs, [], { dirs: [] });
  });

  it('putTestObject re-reads; readObject honours limits and ranges', async () => {
    const fs = await treeFs();
    const { obj } = await putTestObject(fs, { path: 'x', modTime: T1 }, '0123456789');
    expect((await readObject(obj, { limit: 4 })).toString()).toBe('0123');
    expect((await readObject(obj, { range: { start: -1, end: 3 } })).toString()).toBe('789');
  });
});

describe('getAll, purge, rmdirs', () => {
  it('walks with List to a depth', async () => {
    const fs = await treeFs();
    await putTestObject(fs, { path: 'a/b/c/f.txt', modTime: T1 }, 'f', { check: false });
    await putTestObject(fs, { path: 'top.txt', modTime: T1 }, 't', { check: false });
    const depth2 = await getAll(fs, '', { maxDepth: 2 });
    expect([namesOf(depth2.objs), namesOf(depth2.dirs)]).toEqual([['top.txt'], ['a', 'a/b']]);
    const all = await getAll(fs, 'a');
    expect([namesOf(all.objs), namesOf(all.dirs)]).toEqual([['a/b/c/f.txt'], ['a/b', 'a/b/c']]);
    await expect(getAll(fs, 'missing')).rejects.toSatisfy((e: unknown) => isJsyncError(e, 'DIR_NOT_FOUND'));
  });

  it('synthesises the directories a ListR implies, cut at the depth, and rejects foreign entries', async () => {
    const obj = (remote: string) => ({ isDir: false, remote }) as unknown as DirEntry;
    const fake = (entries: DirEntry[]) => ({
      features: { ...fillFeatures({}), listR: async function* () { yield entries; } },
    }) as unknown as Fs;
    const fs = fake([obj('d/a/b/c/f'), obj('d/x')]);
    const deep = await getAll(fs, 'd', { fastList: true });
    expect([namesOf(deep.objs), namesOf(deep.dirs)]).toEqual([['d/a/b/c/f', 'd/x'], ['d/a', 'd/a/b', 'd/a/b/c']]);
    const level2 = await getAll(fs, 'd', { fastList: true, maxDepth: 2 });
    expect([namesOf(level2.objs), namesOf(level2.dirs)]).toEqual([['d/x'], ['d/a', 'd/a/b']]);
    await expect(getAll(fake([obj('elsewhere')]), 'd', { fastList: true })).rejects.toThrow(/returned/);
  });

  it('purge falls back to delete + rmdirs when the backend has no purge, and removes empty dirs', async () => {
    const fs = await treeFs();
    await putTestObject(fs, { path: 'p/q/f', modTime: T1 }, 'f', { check: false });
    await fs.mkdir('p/empty');
    const noPurge = new Proxy(fs, { get: (t, k) => (k === 'features' ? { ...t.features, purge: undefined } : Reflect.get(t, k)) });
    await purge(noPurge, 'p');
    expect(namesOf((await getAll(fs, '')).dirs)).toEqual([]);
    await expect(purge(noPurge, 'p')).rejects.toSatisfy((e: unknown) => isJsyncError(e, 'DIR_NOT_FOUND'));
  });
});
