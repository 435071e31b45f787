// core listRecursive (rclone walk.ListR) semantics over fake file systems: depth rules, ListR use, error accounting,
// bucket directory synthesis.

import { describe, expect, it } from 'vitest';
import {
  type DirEntry, type Directory, Filter, type Fs, HashSet, Timestamp, dirNotFound, fillFeatures, listRecursive, parentOf,
} from '@jsync/core';

interface FakeOptions {
  /** Offer ListR. */
  listR?: boolean;
  /** ListR yields objects only (bucket stores) and the Fs is bucket based. */
  bucket?: boolean;
  /** Directories whose listing fails with an I/O error. */
  failing?: string[];
}

function fakeFs(paths: string[], opts: FakeOptions = {}): Fs & { calls: string[] } {
  const dirs = new Set<string>(['']);
  for (const p of paths) for (let d = parentOf(p); d !== ''; d = parentOf(d)) dirs.add(d);
  const when = Timestamp.parse('2020-01-01T00:00:00Z');
  const entry = (remote: string): DirEntry =>
    dirs.has(remote)
      ? ({ isDir: true, remote, size: -1, items: -1, id: '', modTime: () => when, toString: () => remote } satisfies Directory)
      : ({ isDir: false, remote, size: 1, modTime: () => when, toString: () => remote } as unknown as DirEntry);
  const calls: string[] = [];
  const below = (dir: string) => [...dirs, ...paths].filter((p) => p !== '' && p !== dir && (dir === '' || p.startsWith(dir + '/')));
  const methods = opts.listR
    ? {
        async *listR(dir: string) {
          calls.push(`R:${dir}`);
          if (!dirs.has(dir)) throw dirNotFound(dir);
          const all = below(dir).filter((p) => !opts.bucket || !dirs.has(p));
          yield all.map(entry);
        },
      }
    : {};
  const fs = {
    name: 'fake', root: '', precision: 1n, hashes: HashSet.none(), calls, toString: () => 'fake',
    features: fillFeatures(methods, { flags: { bucketBased: opts.bucket === true } }),
    async *list(dir: string) {
      calls.push(dir);
      if (opts.failing?.includes(dir)) throw new Error(`cannot read ${dir}`);
      if (!dirs.has(dir)) throw dirNotFound(dir);
      yield below(dir).filter((p) => parentOf(p) === dir).reverse().map(entry);
    },
  };
  return fs as unknown as Fs & { calls: string[] };
}

async function collect(it: AsyncIterable<DirEntry[]>): Promise<string[][]> {
  const out: string[][] = [];
  for await (const batch of it) out.push(batch.map((e) => e.remote + (e.isDir ? '/' : '')));
  return out;
}

const tree = ['a.txt', 'd/b.txt', 'd/e/c.txt', 'd/e/f/g.txt', 'x/y.txt'];

describe('listRecursive', () => {
  it('walks directory by directory, one sorted batch per directory', async () => {
    const batches = await collect(listRecursive(fakeFs(tree), ''));
    expect(batches[0]).toEqual(['a.txt', 'd/', 'x/']);
    expect(batches.flat().sort()).toEqual(['a.txt', 'd/', 'd/b.txt', 'd/e/', 'd/e/c.txt', 'd/e/f/', 'd/e/f/g.txt', 'x/', 'x/y.txt']);
  });

  it('honours maxDepth and treats 0 as unlimited (rclone quirk)', async () => {
    expect((await collect(listRecursive(fakeFs(tree), '', { maxDepth: 1 }))).flat()).toEqual(['a.txt', 'd/', 'x/']);
    expect((await collect(listRecursive(fakeFs(tree), '', { maxDepth: 2, listType: 'objects' }))).flat().sort()).toEqual(['a.txt', 'd/b.txt', 'x/y.txt']);
    expect((await collect(listRecursive(fakeFs(tree), '', { maxDepth: 0, listType: 'dirs' }))).flat().sort()).toEqual(['d/', 'd/e/', 'd/e/f/', 'x/']);
  });

  it('uses ListR only for unbounded listings (or --fast-list with depth > 1)', async () => {
    const fs = fakeFs(tree, { listR: true });
    expect((await collect(listRecursive(fs, 'd', { listType: 'objects' }))).flat().sort()).toEqual(['d/b.txt', 'd/e/c.txt', 'd/e/f/g.txt']);
    expect(fs.calls).toEqual(['R:d']);
    fs.calls.length = 0;
    await collect(listRecursive(fs, '', { maxDepth: 0 }));
    expect(fs.calls).not.toContain('R:');
    fs.calls.length = 0;
    expect((await collect(listRecursive(fs, '', { maxDepth: 2, fastList: true }))).flat().sort()).toEqual(['a.txt', 'd/', 'd/b.txt', 'd/e/', 'x/', 'x/y.txt']);
    expect(fs.calls).toEqual(['R:']);
  });

  it('reports each failed directory, carries on, and throws the last failure at the end', async () => {
    const seen: string[] = [];
    const fs = fakeFs(tree, { failing: ['d/e'] });
    const batches: string[][] = [];
    await expect(async () => {
      for await (const b of listRecursive(fs, '', { onError: (dir, err) => seen.push(`${dir}: ${(err as Error).message}`) })) {
        batches.push(b.map((e) => e.remote));
      }
    }).rejects.toThrow('cannot read d/e');
    expect(seen).toEqual(['d/e: cannot read d/e']);
    expect(batches.flat()).toContain('x/y.txt');
    expect(batches.flat()).not.toContain('d/e/c.txt');
  });

  it('throws a missing root from the walk and from ListR alike', async () => {
    const seen: string[] = [];
    await expect(collect(listRecursive(fakeFs(tree), 'nope', { onError: (d) => seen.push(d) }))).rejects.toThrow('directory not found');
    expect(seen).toEqual(['nope']);
    const viaR: string[] = [];
    await expect(collect(listRecursive(fakeFs(tree, { listR: true }), 'nope', { onError: (d) => viaR.push(d) }))).rejects.toThrow('directory not found');
    expect(viaR).toEqual([]); // rclone: a ListR failure is returned, not logged per directory
  });

  it('synthesises the directories a bucket ListR leaves out, sorted, after the objects', async () => {
    const fs = fakeFs(tree, { listR: true, bucket: true });
    const batches = await collect(listRecursive(fs, ''));
    expect(batches.at(-1)).toEqual(['d/', 'd/e/', 'd/e/f/', 'x/']);
    expect(batches.flat().filter((p) => !p.endsWith('/')).sort()).toEqual(['a.txt', 'd/b.txt', 'd/e/c.txt', 'd/e/f/g.txt', 'x/y.txt']);
    const objectsOnly = await collect(listRecursive(fs, '', { listType: 'objects' }));
    expect(objectsOnly.flat().every((p) => !p.endsWith('/'))).toBe(true);
  });

  it('applies filters per directory and never enters excluded directories', async () => {
    const fs = fakeFs(tree);
    const got = (await collect(listRecursive(fs, '', { filter: new Filter({ exclude: ['/d/e/**', '*.txt'] }) }))).flat().sort();
    expect(got).toEqual(['d/', 'x/']); // rclone drops a directory whose contents are all excluded by a dir rule
    expect(fs.calls).not.toContain('d/e');
    const depth = (await collect(listRecursive(fakeFs(tree), '', { fastList: true, maxDepth: 3, filter: new Filter({ exclude: ['/d/**'] }) }))).flat();
    expect(depth.sort()).toEqual(['a.txt', 'x/', 'x/y.txt']);
  });

  it('keeps using ListR for object-only filters, walks for directory filters', async () => {
    const fs = fakeFs(tree, { listR: true });
    expect((await collect(listRecursive(fs, '', { listType: 'objects', filter: new Filter({ minSize: 5 }) }))).flat()).toEqual([]);
    expect(fs.calls).toEqual(['R:']);
    fs.calls.length = 0;
    const got = (await collect(listRecursive(fs, '', { listType: 'objects', filter: new Filter({ exclude: ['/d/**'] }) }))).flat().sort();
    expect(got).toEqual(['a.txt', 'x/y.txt']);
    expect(fs.calls).not.toContain('R:');
    expect(fs.calls).not.toContain('d');
  });
});
