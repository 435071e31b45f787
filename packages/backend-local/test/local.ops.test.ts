// The local backend's Fs construction, error mapping, reads, hashes and optional operations against real directories.

import { appendFile, mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HASH_TYPES, HashSet, formatEncoding, hashBytes, isJsyncError, listEntries } from '@jsync/core';
import type { ErrorCode } from '@jsync/core';
import { LOCAL_OPTIONS, localBackend, setListPageSize } from '../src/index.js';
import type { LocalFs } from '../src/index.js';
import { chunks, listNames, openLocal, readAll, removeDir, srcInfo, tempDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const hasCode = (code: ErrorCode) => (e: unknown) => isJsyncError(e, code);

describe('definition and newFs', () => {
  it('declares rclone v1.60.1 options in order with short flags and prefixes', () => {
    expect(localBackend.name).toBe('local');
    expect(LOCAL_OPTIONS.map((o) => o.name)).toEqual([
      'nounc', 'copy_links', 'links', 'skip_links', 'zero_size_links', 'unicode_normalization', 'no_check_updated',
      'one_file_system', 'case_sensitive', 'case_insensitive', 'no_preallocate', 'no_sparse', 'no_set_modtime', 'encoding',
    ]);
    const by = Object.fromEntries(LOCAL_OPTIONS.map((o) => [o.name, o]));
    expect([by['copy_links']?.shortOpt, by['links']?.shortOpt, by['one_file_system']?.shortOpt]).toEqual(['L', 'l', 'x']);
    expect(LOCAL_OPTIONS.filter((o) => o.noPrefix).map((o) => o.name)).toEqual(['copy_links', 'links', 'skip_links', 'one_file_system']);
    expect(by['encoding']).toMatchObject({ type: 'encoding', default: process.platform === 'linux' ? 'Slash,Dot' : by['encoding']?.default });
    expect(LOCAL_OPTIONS.filter((o) => o.type === 'bool').every((o) => o.default === 'false')).toBe(true);
    expect(formatEncoding(33554434)).toBe('Slash,Dot');
  });

  it('makes the root absolute and clean; name and String as rclone', async () => {
    const rel = relative(process.cwd(), join(dir, 'a', '..', 'b')) + '/';
    const { fs, isFile } = await openLocal(rel);
    expect(isFile).toBe(false);
    expect(fs.root).toBe(join(dir, 'b'));
    expect(fs.name).toBe('local');
    expect(String(fs)).toBe(`Local file system at ${join(dir, 'b')}`);
    await expect(listEntries(fs, '')).rejects.toSatisfy(hasCode('DIR_NOT_FOUND'));
  });

  it('a root naming a file gives the parent Fs with isFile', async () => {
    await mkdir(join(dir, 'p'));
    await writeFile(join(dir, 'p', 'file.txt'), 'x');
    const { fs, isFile } = await openLocal(join(dir, 'p', 'file.txt'));
    expect(isFile).toBe(true);
    expect(fs.root).toBe(join(dir, 'p'));
    expect(await listNames(fs)).toEqual(['file.txt']);
    const missing = await openLocal(join(dir, 'p', 'nothere.txt'));
    expect(missing.isFile).toBe(false);
  });

  it('features: local flags, case sensitivity options, no server-side copy', async () => {
    const { fs } = await openLocal(dir);
    expect(fs.features).toMatchObject({ isLocal: true, canHaveEmptyDirectories: true, slowHash: true, bucketBased: false });
    expect(fs.features.caseInsensitive).toBe(process.platform === 'win32' || process.platform === 'darwin');
    expect(Object.keys(fs.features).filter((k) => typeof (fs.features as Record<string, unknown>)[k] === 'function').sort())
      .toEqual(['about', 'command', 'dirMove', 'move', 'purge', 'putStream']);
    expect((await openLocal(dir, { case_insensitive: true })).fs.features.caseInsensitive).toBe(true);
    expect((await openLocal(dir, { case_insensitive: true, case_sensitive: true })).fs.features.caseInsensitive).toBe(false);
    expect(fs.hashes.toArray()).toEqual([...HASH_TYPES]);
    const disabled = await localBackend.newFs({ name: 'local', root: dir, options: {}, rawOptions: {}, logger: (await openLocal(dir)).logger, global: { disable: ['Move'] } });
    expect(disabled.fs.features.move).toBeUndefined();
  });

  it('accepts config-string option values and rejects bad ones', async () => {
    expect((await openLocal(dir, { case_insensitive: 'true', encoding: 'Slash,Dot,Ctl' })).fs.encoder.mask).toBe(33554434 | 65536);
    await expect(openLocal(dir, { links: 'maybe' })).rejects.toThrow('couldn\'t parse bool "maybe"');
    await expect(openLocal(dir, { encoding: 'Nope' })).rejects.toThrow('bad encoding "Nope"');
  });
});

describe('errors', () => {
  it('maps missing, non-empty and wrong-type paths to rclone codes with Go-style messages', async () => {
    const { fs } = await openLocal(dir);
    await fs.mkdir('d/e');
    await writeFile(join(dir, 'd', 'f.txt'), 'x');
    // rclone returns the raw OS error here (exit 1), so the code is IO rather than DIR_NOT_FOUND.
    await expect(fs.rmdir('nope')).rejects.toSatisfy(hasCode('IO'));
    await expect(fs.rmdir('nope')).rejects.toThrow(`remove ${dir}/nope: no such file or directory`);
    await expect(fs.rmdir('d')).rejects.toSatisfy(hasCode('DIRECTORY_NOT_EMPTY'));
    await expect(fs.rmdir('d')).rejects.toThrow(`remove ${dir}/d: directory not empty`);
    await expect(fs.rmdir('d/f.txt')).rejects.toThrow('not a directory');
    expect(await readFile(join(dir, 'd', 'f.txt'), 'utf8')).toBe('x');
    await expect(fs.newObject('d')).rejects.toSatisfy(hasCode('IS_DIR'));
    await expect(fs.newObject('d/nope/deeper.txt')).rejects.toSatisfy(hasCode('OBJECT_NOT_FOUND'));
    await expect(fs.newObject('d/f.txt/below')).rejects.toSatisfy(hasCode('OBJECT_NOT_FOUND'));
    await expect(listEntries(fs, 'd/f.txt')).rejects.toThrow('not a directory');
    await expect(fs.mkdir('d/f.txt/x')).rejects.toThrow('not a directory');
    await expect(fs.mkdir('d/f.txt')).rejects.toThrow(`mkdir ${dir}/d/f.txt: not a directory`);
    const o = await fs.newObject('d/f.txt');
    await o.remove();
    await expect(o.remove()).rejects.toSatisfy(hasCode('OBJECT_NOT_FOUND'));
    await expect(o.open()).rejects.toSatisfy(hasCode('OBJECT_NOT_FOUND'));
  });

  it('a name longer than the file system allows is FILE_NAME_TOO_LONG and leaves no temp file', async () => {
    const { fs } = await openLocal(dir);
    await expect(fs.put(chunks('x'), srcInfo('n'.repeat(300), 1))).rejects.toSatisfy(hasCode('FILE_NAME_TOO_LONG'));
    expect(await readdir(dir)).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('unreadable directories are PERMISSION_DENIED (skipped as root: root reads everything)', async () => {
    const { chmod } = await import('node:fs/promises');
    await mkdir(join(dir, 'locked'));
    await writeFile(join(dir, 'locked', 'f'), 'x');
    await chmod(join(dir, 'locked'), 0o000);
    try {
      const { fs } = await openLocal(dir);
      await expect(listEntries(fs, 'locked')).rejects.toSatisfy(hasCode('PERMISSION_DENIED'));
      await expect(fs.newObject('locked/f')).rejects.toSatisfy(hasCode('PERMISSION_DENIED'));
    } finally {
      await chmod(join(dir, 'locked'), 0o755);
    }
  });
});

describe('reading', () => {
  const content = Buffer.from(Array.from({ length: 100 }, (_, i) => i));

  it('honours ranges and seeks as rclone ObjectOpenRange/Seek', async () => {
    const { fs } = await openLocal(dir);
    const o = await fs.put(chunks(content), srcInfo('r.bin', 100));
    const read = async (opts: Parameters<typeof o.open>[0]) => [...(await readAll(await o.open(opts)))];
    expect(await read({ range: { start: 5, end: 15 } })).toEqual([...content.subarray(5, 16)]);
    expect(await read({ range: { start: 80, end: -1 } })).toEqual([...content.subarray(80)]);
    expect(await read({ range: { start: 81, end: 100000 } })).toEqual([...content.subarray(81)]);
    expect(await read({ range: { start: -1, end: 20 } })).toEqual([...content.subarray(80)]);
    expect(await read({ seek: 50 })).toEqual([...content.subarray(50)]);
    expect(await read({ range: { start: 200, end: -1 } })).toEqual([]);
    const partial = await o.open();
    const first = (await partial[Symbol.asyncIterator]().next()).value as Buffer;
    expect(first.length).toBeGreaterThan(0);
    partial.destroy();
  });

  it('streams large files in chunks', async () => {
    const { fs } = await openLocal(dir);
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 7);
    const o = await fs.put(chunks(big), srcInfo('big.bin', big.length));
    let n = 0;
    let pieces = 0;
    for await (const c of await o.open()) {
      n += (c as Buffer).length;
      pieces++;
    }
    expect(n).toBe(big.length);
    expect(pieces).toBeGreaterThan(10);
  });

  it('fails a full read when the file changes meanwhile, unless no_check_updated', async () => {
    const { fs } = await openLocal(dir);
    const o = await fs.put(chunks('12345'), srcInfo('g.txt', 5));
    await appendFile(join(dir, 'g.txt'), '678');
    await expect(readAll(await o.open())).rejects.toThrow("can't copy - source file is being updated (size changed from 5 to 8)");
    const lenient = await openLocal(dir, { no_check_updated: true });
    const o2 = await lenient.fs.newObject('g.txt');
    await appendFile(join(dir, 'g.txt'), '9');
    expect((await readAll(await o2.open())).toString()).toBe('12345678');
    await o2.hash('md5');
    expect(await o2.hash('md5')).toBe(hashBytes('md5', Buffer.from('12345678')));
  });
});

describe('hashes', () => {
  it('computes every type by reading the file and notices changes', async () => {
    const { fs } = await openLocal(dir);
    const data = Buffer.from('The quick brown fox jumps over the lazy dog');
    const o = await fs.put(chunks(data), srcInfo('h.txt', data.length));
    for (const t of HASH_TYPES) expect(await o.hash(t), t).toBe(hashBytes(t, data));
    await writeFile(join(dir, 'h.txt'), 'changed content');
    expect(await o.hash('sha1')).toBe(hashBytes('sha1', Buffer.from('changed content')));
    expect(o.size).toBe(15);
    await expect(o.hash('nope' as never)).rejects.toSatisfy(hasCode('HASH_UNSUPPORTED'));
  });

  it('keeps the hashes computed while writing', async () => {
    const { fs } = await openLocal(dir);
    const o = await fs.put(chunks('abc'), srcInfo('w.txt', 3), { hashes: new HashSet(['md5', 'crc32']) });
    await writeFile(join(dir, 'w.txt'), 'xyz'); // same size; modtime changes, so the cache is dropped
    expect(await o.hash('md5')).toBe(hashBytes('md5', Buffer.from('xyz')));
  });
});

describe('optional operations', () => {
  it('purge deletes a tree; missing dir is DIR_NOT_FOUND; a file is refused', async () => {
    const { fs } = await openLocal(dir);
    await fs.put(chunks('x'), srcInfo('p/q/r.txt', 1));
    await fs.features.purge!('p');
    expect(await readdir(dir)).toEqual([]);
    await expect(fs.features.purge!('p')).rejects.toSatisfy(hasCode('DIR_NOT_FOUND'));
    await fs.put(chunks('x'), srcInfo('f.txt', 1));
    await expect(fs.features.purge!('f.txt')).rejects.toThrow(`can't purge non directory: "${dir}/f.txt"`);
  });

  it('move renames objects (creating parents) and keeps cached hashes', async () => {
    const { fs } = await openLocal(dir);
    const o = await fs.put(chunks('move me'), srcInfo('a.txt', 7), { hashes: new HashSet(['md5']) });
    const moved = await fs.features.move!(o, 'x/y/b.txt');
    expect(moved.remote).toBe('x/y/b.txt');
    expect(moved.size).toBe(7);
    expect(moved.modTime().equals(o.modTime())).toBe(true);
    expect(await moved.hash('md5')).toBe(hashBytes('md5', Buffer.from('move me')));
    expect(await listNames(fs)).toEqual(['x/']);
    await mkdir(join(dir, 'adir'));
    await expect(fs.features.move!(moved, 'adir')).rejects.toThrow("can't move file onto non-file");
  });

  it('dirMove renames trees, refuses existing targets, and works across Fs roots', async () => {
    const { fs } = await openLocal(join(dir, 'root'));
    await fs.put(chunks('1'), srcInfo('src/one.txt', 1));
    await expect(fs.features.dirMove!(fs, '', '')).rejects.toSatisfy(hasCode('DIR_EXISTS'));
    await fs.features.dirMove!(fs, 'src', 'deep/dst');
    expect(await listNames(fs, 'deep/dst')).toEqual(['deep/dst/one.txt']);
    const other = (await openLocal(join(dir, 'other'))).fs;
    await other.features.dirMove!(fs, 'deep', 'moved');
    expect(await readFile(join(dir, 'other', 'moved', 'dst', 'one.txt'), 'utf8')).toBe('1');
    await expect(other.features.dirMove!(fs, 'gone', 'x')).rejects.toSatisfy(hasCode('DIR_NOT_FOUND'));
  });

  it('about reports statfs totals', async () => {
    const { fs } = await openLocal(dir);
    const u = await fs.features.about!();
    expect(u.total).toBeGreaterThan(0);
    expect(u.used! + u.free!).toBeLessThanOrEqual(u.total!);
    await expect((await openLocal(join(dir, 'missing'))).fs.features.about!()).rejects.toSatisfy(hasCode('DIR_NOT_FOUND'));
  });

  it('command: noop echoes or errors; anything else is COMMAND_NOT_FOUND', async () => {
    const { fs } = await openLocal(dir);
    expect(await fs.features.command!('noop', ['a'], { echo: '' })).toEqual({ name: 'noop', arg: ['a'], opt: { echo: '' } });
    await expect(fs.features.command!('noop', [], { error: '' })).rejects.toThrow('unspecified error');
    await expect(fs.features.command!('NOTFOUND', [], {})).rejects.toSatisfy(hasCode('COMMAND_NOT_FOUND'));
  });

  it('putStream stores unknown-size input with its real size', async () => {
    const { fs } = await openLocal(dir);
    const o = await fs.features.putStream!(chunks('abc', 'def'), srcInfo('s.txt', -1));
    expect(o.size).toBe(6);
  });
});

describe('options that shape listings', () => {
  it('unicode_normalization lists NFD names in NFC', async () => {
    const nfd = 'e\u0301.txt';
    await writeFile(join(dir, nfd), 'x');
    expect(await listNames((await openLocal(dir)).fs)).toEqual([nfd]);
    expect(await listNames((await openLocal(dir, { unicode_normalization: true })).fs)).toEqual(['\u00e9.txt']);
  });

  it('one_file_system keeps directories of the same device', async () => {
    await mkdir(join(dir, 'same'));
    const { fs } = await openLocal(dir, { one_file_system: true });
    expect(await listNames(fs)).toEqual(['same/']);
    const dev = (await stat(dir)).dev;
    const procDev = await stat('/proc').then((s) => s.dev, () => dev);
    if (procDev !== dev) {
      await symlink('/proc', join(dir, 'proc-link'));
      const follow = await openLocal(dir, { one_file_system: true, copy_links: true, skip_links: true });
      expect(await listNames(follow.fs)).toEqual(['same/']);
      const cross = await openLocal(dir, { copy_links: true });
      expect(await listNames(cross.fs)).toEqual(['proc-link/', 'same/']);
    }
  });

  it('listing pages stay correct with entries removed mid-listing', async () => {
    for (let i = 0; i < 6; i++) await writeFile(join(dir, `f${i}`), '');
    const { fs }: { fs: LocalFs } = await openLocal(dir);
    setListPageSize(fs, 2);
    const { unlink } = await import('node:fs/promises');
    const seen: string[] = [];
    for await (const page of fs.list('')) {
      for (const e of page) seen.push(e.remote);
      await unlink(join(dir, 'f5')).catch(() => {});
    }
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.length).toBeLessThanOrEqual(6);
  });
});
