// Memory-backend-private behaviour: bucket quirks, isolation of stores, ranges, copies, MIME types, aborts.

import { describe, expect, it } from 'vitest';
import { HashSet, Timestamp, isJsyncError, listEntries, nullLogger } from '@jsync/core';
import type { DirEntry, Fs, FsObject } from '@jsync/core';
import { StaticObjectInfo, bytesSource, expectJsyncError, readObject } from '@jsync/testkit';
import { MemoryFs, createMemoryBackend, memoryBackend } from '../src/index.js';
import type { CreateMemoryBackendOptions } from '../src/index.js';

const T1 = Timestamp.parse('2001-02-03T04:05:06.499999999Z');

function backend(opts: CreateMemoryBackendOptions = {}) {
  const def = createMemoryBackend(opts);
  return (root: string, disable?: string[]) =>
    def.newFs({ name: ':memory', root, options: {}, rawOptions: {}, logger: nullLogger, global: disable ? { disable } : {} });
}

async function put(fs: Fs, remote: string, content: string, opts: { mimeType?: string; srcMime?: string } = {}): Promise<FsObject> {
  const data = Buffer.from(content);
  const src = new StaticObjectInfo({ remote, modTime: T1, size: data.length, ...(opts.srcMime ? { mimeType: opts.srcMime } : {}) });
  return fs.put(bytesSource(data), src, opts.mimeType ? { mimeType: opts.mimeType } : {});
}

const names = (entries: DirEntry[]) => entries.map((e) => (e.isDir ? `${e.remote}/` : e.remote)).sort();

describe('memory backend: identity and features', () => {
  it('reports rclone name, root, String, precision, md5 and the v1.60.1 feature set', async () => {
    const { fs, isFile } = await backend()('/bucket/dir/');
    expect(isFile).toBe(false);
    expect(fs.name).toBe(':memory');
    expect(fs.root).toBe('bucket/dir');
    expect(String(fs)).toBe("Memory root 'bucket/dir'");
    expect(fs.precision).toBe(1n);
    expect(fs.hashes.toArray()).toEqual(['md5']);
    const f = fs.features;
    expect([f.bucketBased, f.bucketBasedRootOK, f.readMimeType, f.writeMimeType, f.canHaveEmptyDirectories, f.caseInsensitive])
      .toEqual([true, true, true, true, false, false]);
    expect([!!f.copy, !!f.putStream, !!f.listR]).toEqual([true, true, true]);
    expect([f.purge, f.move, f.dirMove, f.about, f.publicLink, f.cleanUp, f.shutdown, f.command]).toEqual(Array(8).fill(undefined));
    expect(fs).toBeInstanceOf(MemoryFs);
  });

  it('honours --disable', async () => {
    const { fs } = await backend()('b', ['ListR', 'copy', 'WriteMimeType']);
    expect(fs.features.listR).toBeUndefined();
    expect(fs.features.copy).toBeUndefined();
    expect(fs.features.writeMimeType).toBe(false);
    expect(fs.features.putStream).toBeDefined();
  });
});

describe('memory backend: buckets', () => {
  it('root lists buckets (flagged isBucket); mkdir of a sub-directory creates only the bucket', async () => {
    const newFs = backend();
    const { fs } = await newFs('b1');
    await fs.mkdir('sub/dir');
    expect(await listEntries(fs, '')).toEqual([]);
    expect(await listEntries(fs, 'sub')).toEqual([]); // a missing directory in an existing bucket lists empty
    const { fs: root } = await newFs('');
    const buckets = await listEntries(root, '');
    expect(buckets.map((b) => [b.remote, b.isDir && b.isBucket])).toEqual([['b1', true]]);
  });

  it('mkdir at the backend root creates no nameless bucket (rclone would create bucket "")', async () => {
    const { fs: root } = await backend()('');
    await root.mkdir('');
    expect(await listEntries(root, '')).toEqual([]);
  });

  it('rmdir: sub-directories are no-ops, buckets must exist and be empty', async () => {
    const { fs } = await backend()('b');
    await expectJsyncError(fs.rmdir(''), 'DIR_NOT_FOUND');
    const obj = await put(fs, 'd/file.txt', 'x');
    await fs.rmdir('d'); // no-op although not empty
    await expectJsyncError(fs.rmdir(''), 'DIRECTORY_NOT_EMPTY');
    expect(names(await listEntries(fs, ''))).toEqual(['d/']);
    await obj.remove();
    await fs.rmdir('');
    await expectJsyncError(listEntries(fs, ''), 'DIR_NOT_FOUND');
  });

  it('listing a missing bucket is DIR_NOT_FOUND; directories are implied by objects only', async () => {
    const { fs } = await backend()('b');
    await expectJsyncError(listEntries(fs, ''), 'DIR_NOT_FOUND');
    await put(fs, 'a/b/c.txt', 'c');
    await put(fs, 'a/d.txt', 'd');
    expect(names(await listEntries(fs, ''))).toEqual(['a/']);
    expect(names(await listEntries(fs, 'a'))).toEqual(['a/b/', 'a/d.txt']);
    await expectJsyncError(fs.newObject('a'), 'OBJECT_NOT_FOUND'); // memory never reports IS_DIR
  });

  it('a root below bucket level lists root-relative directory names (rclone fix f62e7b5b3)', async () => {
    const newFs = backend();
    await put((await newFs('b')).fs, 'top/sub/deep/f.txt', 'f');
    const { fs } = await newFs('b/top');
    expect(names(await listEntries(fs, ''))).toEqual(['sub/']);
    expect(names(await listEntries(fs, 'sub'))).toEqual(['sub/deep/']);
    expect(names(await listEntries(fs, 'sub/deep'))).toEqual(['sub/deep/f.txt']);
  });

  it('listR at the backend root yields buckets then their objects with the bucket prefix', async () => {
    const newFs = backend();
    await put((await newFs('b1')).fs, 'x/y.txt', 'y');
    await put((await newFs('b2')).fs, 'z.txt', 'z');
    const { fs: root } = await newFs('');
    const all: DirEntry[] = [];
    for await (const page of root.features.listR!('')) all.push(...page);
    expect(names(all)).toEqual(['b1/', 'b1/x/y.txt', 'b2/', 'b2/z.txt']);
    expect(all.filter((e) => e.isDir).every((d) => d.isDir && d.isBucket)).toBe(true);
    await expectJsyncError(async () => {
      for await (const _ of root.features.listR!('nope')) { /* drain */ }
    }, 'DIR_NOT_FOUND');
  });

  it('a root naming an object gives the parent and isFile', async () => {
    const newFs = backend();
    await put((await newFs('b')).fs, 'dir/file.txt', 'hello');
    const res = await newFs('b/dir/file.txt');
    expect(res.isFile).toBe(true);
    expect(res.fs.root).toBe('b/dir');
    expect(names(await listEntries(res.fs, ''))).toEqual(['file.txt']);
    expect((await newFs('b')).isFile).toBe(false); // a bucket is never a file
  });

  it('joins roots and remotes with Go path.Join semantics', async () => {
    const newFs = backend();
    const { fs } = await newFs('b/x');
    await put(fs, '../y/./z.txt', 'z');
    const { fs: b } = await newFs('b');
    expect(names(await listEntries(b, ''))).toEqual(['y/']);
    expect((await b.newObject('y/z.txt')).size).toBe(1);
    expect((await fs.newObject('../y/z.txt')).size).toBe(1);
  });
});

describe('memory backend: stores', () => {
  it('createMemoryBackend() instances are isolated; one instance shares data across its Fs', async () => {
    const a = backend();
    const b = backend();
    await put((await a('shared')).fs, 'f.txt', 'a');
    expect((await (await a('shared')).fs.newObject('f.txt')).size).toBe(1);
    await expectJsyncError((await b('shared')).fs.newObject('f.txt'), 'OBJECT_NOT_FOUND');
  });

  it('memoryBackend is one long-lived instance', async () => {
    const args = (root: string) => ({ name: ':memory', root, options: {}, rawOptions: {}, logger: nullLogger, global: {} });
    const root = `readme-${Date.now()}`;
    await put((await memoryBackend.newFs(args(root))).fs, 'f', 'data');
    expect((await (await memoryBackend.newFs(args(root))).fs.newObject('f')).size).toBe(4);
  });

  it('listPageSize splits listings into pages', async () => {
    const { fs } = await backend({ listPageSize: 3 })('b');
    for (let i = 0; i < 7; i++) await put(fs, `f${i}`, String(i));
    const sizes: number[] = [];
    for await (const page of fs.list('')) sizes.push(page.length);
    expect(sizes).toEqual([3, 3, 1]);
    expect(() => (fs as MemoryFs).setListPageSize(0)).toThrow(RangeError);
  });
});

describe('memory backend: objects', () => {
  it('opens ranges and seeks with clamping (rclone RangeOption.Decode)', async () => {
    const { fs } = await backend()('b');
    const content = Array.from({ length: 100 }, (_, i) => String.fromCharCode(33 + (i % 90))).join('');
    const obj = await put(fs, 'r.bin', content);
    const read = async (o: Parameters<typeof readObject>[1]) => (await readObject(obj, o)).toString('latin1');
    expect(await read({ range: { start: -1, end: 200 } })).toBe(content); // more than the size → all
    expect(await read({ range: { start: 150, end: 160 } })).toBe('');
    expect(await read({ range: { start: -1, end: -1 } })).toBe(content);
    expect(await read({ seek: 100 })).toBe('');
    expect(await read({ seek: 10, range: { start: 90, end: -1 } })).toBe(content.slice(90)); // range wins over seek
    await expectJsyncError(obj.open({ seek: -1 }), 'INVALID_ARGUMENT');
    const empty = await put(fs, 'empty', '');
    expect((await readObject(empty, { range: { start: 0, end: 10 } })).length).toBe(0);
  });

  it('a failing update keeps the old content; hashes other than md5 are unsupported', async () => {
    const { fs } = await backend()('b');
    const obj = await put(fs, 'f.txt', 'old');
    const src = new StaticObjectInfo({ remote: 'f.txt', modTime: T1, size: 10 });
    const err = await obj.update(bytesSource(Buffer.from('new'), { failWith: new Error('boom') }), src).catch((e: unknown) => e);
    expect(isJsyncError(err, 'IO') && (err as Error).message).toBe('failed to update memory object: boom');
    expect((await readObject(await fs.newObject('f.txt'))).toString()).toBe('old');
    expect(await obj.hash('md5')).toBe('149603e6c03516362a8da23f624db945');
    await expectJsyncError(obj.hash('sha1'), 'HASH_UNSUPPORTED');
  });

  it('an aborted upload stores nothing and rethrows the abort reason', async () => {
    const { fs } = await backend()('b');
    const ac = new AbortController();
    const reason = new Error('stop');
    async function* slow() {
      yield Buffer.from('part');
      ac.abort(reason);
      yield Buffer.from('more');
    }
    const src = new StaticObjectInfo({ remote: 'a.txt', modTime: T1, size: 8 });
    await expect(fs.put(slow(), src, { signal: ac.signal })).rejects.toBe(reason);
    await expectJsyncError(fs.newObject('a.txt'), 'OBJECT_NOT_FOUND');
  });

  it('MIME type: explicit option, then the source, then the extension', async () => {
    const { fs } = await backend()('b');
    expect((await put(fs, 'a.txt', 'x')).mimeType!()).toBe('text/plain; charset=utf-8');
    expect((await put(fs, 'a.unknownext', 'x')).mimeType!()).toBe('application/octet-stream');
    expect((await put(fs, 'b.txt', 'x', { srcMime: 'text/csv' })).mimeType!()).toBe('text/csv');
    expect((await put(fs, 'c.txt', 'x', { srcMime: 'text/csv', mimeType: 'application/json' })).mimeType!()).toBe('application/json');
  });

  it('server-side copies are independent records (rclone fix fecce67ac); foreign sources cannot be copied', async () => {
    const newFs = backend();
    const { fs } = await newFs('b');
    const src = await put(fs, 'src.txt', 'data');
    const dst = await fs.features.copy!(src, 'other/dst.txt');
    await dst.setModTime(Timestamp.parse('2020-01-01T00:00:00Z'));
    expect((await fs.newObject('src.txt')).modTime().equals(T1)).toBe(true);
    expect((await readObject(dst)).toString()).toBe('data');
    const { fs: foreign } = await backend()('b');
    await expectJsyncError(foreign.features.copy!(src, 'x'), 'CANT_COPY');
    await src.remove();
    await expectJsyncError(fs.features.copy!(src, 'again'), 'OBJECT_NOT_FOUND');
    await expectJsyncError(src.remove(), 'OBJECT_NOT_FOUND');
  });

  it('put with unknown size stores the real size; the hash set of the Fs is md5 only', async () => {
    const { fs } = await backend()('b');
    const src = new StaticObjectInfo({ remote: 's', modTime: T1, size: -1 });
    const obj = await fs.features.putStream!(bytesSource(Buffer.alloc(10_000, 1), { chunkSize: 333 }), src);
    expect(obj.size).toBe(10_000);
    expect(fs.hashes.overlap(HashSet.all()).toArray()).toEqual(['md5']);
  });
});
