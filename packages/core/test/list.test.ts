import { describe, expect, it } from 'vitest';
import {
  type DirEntry, type Directory, type Fs, HashSet, Timestamp, compareEntries, compareRemotes, dirNotFound, fillFeatures,
  leafOf, listSorted, parentOf, walk,
} from '../src/index.js';

// A tiny read-only Fs over a path list, paging `pageSize` entries at a time.
function treeFs(paths: string[], opts: { pageSize?: number; listR?: boolean } = {}): Fs & { listCalls: string[] } {
  const dirs = new Set<string>(['']);
  for (const p of paths) for (let d = parentOf(p); d !== ''; d = parentOf(d)) dirs.add(d);
  const t = Timestamp.parse('2020-01-01T00:00:00Z');
  const entry = (remote: string): DirEntry =>
    dirs.has(remote)
      ? ({ isDir: true, remote, size: -1, items: -1, id: '', modTime: () => t, toString: () => remote } satisfies Directory)
      : ({ isDir: false, remote, size: 1, modTime: () => t, toString: () => remote } as unknown as DirEntry);
  const children = (dir: string) => [...dirs, ...paths].filter((p) => p !== '' && p !== dir && parentOf(p) === dir);
  const fs = {
    name: 'tree', root: '', precision: 1n, hashes: HashSet.none(), listCalls: [] as string[],
    toString: () => 'tree',
    async *list(dir: string) {
      fs.listCalls.push(dir);
      if (!dirs.has(dir)) throw dirNotFound(dir);
      const all = children(dir).reverse().map(entry);
      const n = opts.pageSize ?? 1000;
      for (let i = 0; i < all.length; i += n) yield all.slice(i, i + n);
    },
    async *listRImpl(dir: string) {
      if (!dirs.has(dir)) throw dirNotFound(dir);
      yield [...dirs, ...paths].filter((p) => p !== '' && p !== dir && (dir === '' || p.startsWith(dir + '/'))).map(entry);
    },
  } as unknown as Fs & { listCalls: string[]; listRImpl: Fs['list'] };
  const methods = opts.listR ? { listR: (d: string) => (fs as unknown as { listRImpl: Fs['list'] }).listRImpl(d) } : {};
  Object.assign(fs, { features: fillFeatures(methods) });
  return fs;
}

describe('ordering', () => {
  it('sorts by UTF-8 bytes, directories before objects of the same name', () => {
    expect(compareRemotes('a', 'b')).toBeLessThan(0);
    expect(compareRemotes('Z', 'a')).toBeLessThan(0);
    // U+FF01 (3 UTF-8 bytes) sorts before U+1F600 (4 bytes) in both UTF-8 and code point order, but not in UTF-16.
    expect(compareRemotes('\uff01', '\u{1f600}')).toBeLessThan(0);
    expect(compareRemotes('\u{1f600}', '\uff01')).toBeGreaterThan(0);
    // An escaped raw byte 0xFE sorts after every valid character.
    expect(compareRemotes('\udcfe', '\u{1f600}')).toBeGreaterThan(0);
    const dir = { isDir: true, remote: 'x' } as DirEntry;
    const obj = { isDir: false, remote: 'x' } as DirEntry;
    expect([obj, dir].sort(compareEntries)[0]).toBe(dir);
  });
  it('splits paths', () => {
    expect(parentOf('a/b/c')).toBe('a/b');
    expect(parentOf('c')).toBe('');
    expect(leafOf('a/b/c')).toBe('c');
  });
});

describe('listSorted and walk', () => {
  const paths = ['b.txt', 'a/1', 'a/2', 'a/deep/x', 'c/y', 'z'];
  it('collects every page in order', async () => {
    const fs = treeFs(paths, { pageSize: 2 });
    expect((await listSorted(fs, 'a')).map((e) => e.remote)).toEqual(['a/1', 'a/2', 'a/deep']);
  });
  it('walks every directory parents-first, honouring maxDepth', async () => {
    const fs = treeFs(paths, { pageSize: 1 });
    const seen: string[] = [];
    for await (const d of walk(fs, '', { checkers: 3 })) seen.push(d.dir);
    expect(seen[0]).toBe('');
    expect(new Set(seen)).toEqual(new Set(['', 'a', 'c', 'a/deep']));
    expect(seen.indexOf('a')).toBeLessThan(seen.indexOf('a/deep'));
    const shallow: string[] = [];
    for await (const d of walk(fs, '', { maxDepth: 1 })) shallow.push(d.dir);
    expect(shallow).toEqual(['']);
  });
  it('uses listR for fast-list and rebuilds the same tree', async () => {
    const fs = treeFs(paths, { listR: true });
    const slow: Record<string, string[]> = {};
    const fast: Record<string, string[]> = {};
    for await (const d of walk(fs, '', {})) slow[d.dir] = d.entries.map((e) => e.remote);
    const before = fs.listCalls.length;
    for await (const d of walk(fs, '', { fastList: true })) fast[d.dir] = d.entries.map((e) => e.remote);
    expect(fs.listCalls.length).toBe(before);
    expect(fast).toEqual(slow);
  });
  it('throws DIR_NOT_FOUND for a missing root', async () => {
    const fs = treeFs(paths);
    await expect(async () => {
      for await (const _ of walk(fs, 'nope')) void _;
    }).rejects.toMatchObject({ code: 'DIR_NOT_FOUND' });
  });
});

describe('walk with fast-list over an objects-only ListR', () => {
  // A bucket-like backend whose listR returns only objects (allowed by the contract).
  function objectsOnly(paths: string[]): Fs {
    const t = Timestamp.parse('2020-01-01T00:00:00Z');
    const obj = (remote: string) => ({ isDir: false, remote, size: 1, modTime: () => t, toString: () => remote }) as unknown as DirEntry;
    const fs = {
      name: 'b', root: '', precision: 1n, hashes: HashSet.none(), toString: () => 'b',
      async *list() {
        throw new Error('list must not be called with fastList');
      },
    } as unknown as Fs;
    Object.assign(fs, { features: fillFeatures({ async *listR() { yield paths.map(obj); } }) });
    return fs;
  }
  it('synthesises every intermediate directory', async () => {
    const seen: Record<string, string[]> = {};
    for await (const d of walk(objectsOnly(['a/b/c/d/f', 'top']), '', { fastList: true })) seen[d.dir] = d.entries.map((e) => e.remote);
    expect(seen).toEqual({ '': ['a', 'top'], a: ['a/b'], 'a/b': ['a/b/c'], 'a/b/c': ['a/b/c/d'], 'a/b/c/d': ['a/b/c/d/f'] });
  });
  it('keeps directories above maxDepth', async () => {
    const seen: Record<string, string[]> = {};
    for await (const d of walk(objectsOnly(['a/b/c/d/f']), '', { fastList: true, maxDepth: 2 })) seen[d.dir] = d.entries.map((e) => e.remote);
    expect(seen).toEqual({ '': ['a'], a: ['a/b'] });
  });
});
