// Operations against the emulator: copy/move/dirMove (trash quirk, retried move), purge, rmdir, mkdir, remove,
// setModTime, public links, about with a capacity, cleanup.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJsyncError, StaticObjectInfo } from '@jsync/testkit';
import { Timestamp, isJsyncError } from '@jsync/core';
import type { FsObject } from '@jsync/core';
import { JottacloudObject } from '../../src/index.js';
import type { JottacloudFs } from '../../src/index.js';
import { collect, md5, names, put, readAll, startJotta } from './helpers.js';
import type { JottaHarness } from './helpers.js';

let h: JottaHarness;
let fs: JottacloudFs;
const at = (p: string) => `Jotta/Archive/ops/${p}`;

beforeAll(async () => {
  h = await startJotta({ capacity: 50_000_000 });
  fs = (await h.open('ops')).fs as JottacloudFs;
});
afterAll(() => h?.stop());

const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);

describe('copy', () => {
  it('copies server-side, creating the destination parent', async () => {
    const src = await put(fs, 'c/src.txt', 'copy me');
    const dst = await fs.features.copy!(src, 'c/new/dir/dst.txt');
    expect(dst.remote).toBe('c/new/dir/dst.txt');
    expect(dst.size).toBe(7);
    expect(await dst.hash('md5')).toBe(md5('copy me'));
    expect(await readAll(await fs.newObject('c/src.txt'))).toBe('copy me');
    expect(await readAll(await fs.newObject('c/new/dir/dst.txt'))).toBe('copy me');
  });

  it('restores a copy that landed on a trashed file (the server leaves it in the trash)', async () => {
    const src = await put(fs, 'q/src.txt', 'fresh content');
    await (await put(fs, 'q/was-trashed.txt', 'old')).remove();
    expect(h.emu.state.stat(at('q/was-trashed.txt'))?.deleted).not.toBeNull();
    const dst = await fs.features.copy!(src, 'q/was-trashed.txt');
    expect(h.emu.state.stat(at('q/was-trashed.txt'))?.deleted).toBeNull();
    expect(await readAll(await fs.newObject('q/was-trashed.txt'))).toBe('fresh content');
    expect(dst.modTime().equals(src.modTime())).toBe(true);
  });

  it('refuses objects of other backends (CANT_COPY / CANT_MOVE)', async () => {
    const foreign = { ...new StaticObjectInfo({ remote: 'x', modTime: Timestamp.now(), size: 1 }), fs } as unknown as FsObject;
    await expectJsyncError(fs.features.copy!(foreign, 'y'), 'CANT_COPY');
    await expectJsyncError(fs.features.move!(foreign, 'y'), 'CANT_MOVE');
  });

  it('copies between Fs roots of the same account', async () => {
    const other = (await h.open('ops-other')).fs;
    const src = await put(other, 'from-other.txt', 'elsewhere');
    const dst = await fs.features.copy!(src, 'c/from-other.txt');
    expect(await readAll(dst)).toBe('elsewhere');
  });
});

describe('move', () => {
  it('moves server-side', async () => {
    const src = await put(fs, 'm/a.txt', 'move me');
    const dst = await fs.features.move!(src, 'm/sub/b.txt');
    expect(await readAll(dst)).toBe('move me');
    await expectJsyncError(fs.newObject('m/a.txt'), 'OBJECT_NOT_FOUND');
  });

  it('counts a vanished source with an identical destination as moved (retried move)', async () => {
    const src = await put(fs, 'm/again.txt', 'twice');
    await fs.features.move!(src, 'm/again-dst.txt');
    const second = await fs.features.move!(src, 'm/again-dst.txt');
    expect(second.remote).toBe('m/again-dst.txt');
    expect(await second.hash('md5')).toBe(md5('twice'));
  });

  it('fails when the source vanished and the destination differs', async () => {
    const src = await put(fs, 'm/gone.txt', 'gone');
    await src.remove();
    await put(fs, 'm/different.txt', 'not the same');
    const err = await failure(fs.features.move!(src, 'm/different.txt'));
    expect(String((err as Error).message)).toMatch(/^couldn't move file: /);
  });
});

describe('dirMove', () => {
  it('moves a directory tree, names with + # % and spaces included', async () => {
    await put(fs, 'dm/a+b #c %d/x.txt', 'x');
    await put(fs, 'dm/a+b #c %d/sub/y.txt', 'y');
    await fs.features.dirMove!(fs, 'dm/a+b #c %d', 'dm/moved to/e+f #g %h');
    expect(await names(fs.features.listR!('dm'))).toEqual([
      'dm/moved to/', 'dm/moved to/e+f #g %h/', 'dm/moved to/e+f #g %h/sub/', 'dm/moved to/e+f #g %h/sub/y.txt', 'dm/moved to/e+f #g %h/x.txt',
    ]);
  });

  it('refuses a live destination (DIR_EXISTS) but not a trashed one', async () => {
    await put(fs, 'dx/src/f.txt', 'f');
    await put(fs, 'dx/live/g.txt', 'g');
    await expectJsyncError(fs.features.dirMove!(fs, 'dx/src', 'dx/live'), 'DIR_EXISTS');
    await put(fs, 'dx/trashed/h.txt', 'h');
    await fs.features.purge!('dx/trashed');
    await fs.features.dirMove!(fs, 'dx/src', 'dx/trashed');
    expect(await names(fs.list('dx/trashed'))).toEqual(['dx/trashed/f.txt']);
  });

  it('refuses the root as source or destination', async () => {
    const root = (await h.open('')).fs;
    expect(String(((await failure(root.features.dirMove!(fs, 'dx', ''))) as Error).message)).toBe("can't move root directory");
    expect(String(((await failure(fs.features.dirMove!(root, '', 'x'))) as Error).message)).toBe("can't move root directory");
    expect(h.emu.state.stat(at('dx'))?.kind).toBe('folder');
  });
});

describe('purge, rmdir, mkdir', () => {
  it('purge moves a tree to the trash; the root is refused; missing → DIR_NOT_FOUND', async () => {
    await put(fs, 'p/a/b.txt', 'b');
    await fs.features.purge!('p');
    expect(h.emu.state.stat(at('p'))?.deleted).not.toBeNull();
    await expectJsyncError(collect(fs.list('p')), 'DIR_NOT_FOUND');
    await expectJsyncError(fs.features.purge!('p'), 'DIR_NOT_FOUND');
    const root = (await h.open('')).fs;
    expect(String(((await failure(root.features.purge!(''))) as Error).message)).toBe("can't purge root directory");
  });

  it('rmdir refuses a directory with visible entries, ignores trashed ones, and can delete permanently', async () => {
    await put(fs, 'r/keep.txt', 'k');
    await expectJsyncError(fs.rmdir('r'), 'DIRECTORY_NOT_EMPTY');
    await (await fs.newObject('r/keep.txt')).remove();
    await fs.mkdir('r/empty');
    await expectJsyncError(fs.rmdir('r'), 'DIRECTORY_NOT_EMPTY');
    const hard = (await h.open('ops', { hard_delete: true })).fs;
    await hard.rmdir('r/empty');
    expect(h.emu.state.stat(at('r/empty'))).toBeUndefined();
    await fs.rmdir('r');
    expect(h.emu.state.stat(at('r'))?.deleted).not.toBeNull();
    await expectJsyncError(fs.rmdir('r'), 'DIR_NOT_FOUND');
  });

  it('mkdir creates parents, accepts existing directories and the mountpoint root', async () => {
    await fs.mkdir('mk/a/b/c');
    await fs.mkdir('mk/a/b/c');
    expect(h.emu.state.stat(at('mk/a/b/c'))?.kind).toBe('folder');
    await (await h.open('')).fs.mkdir('');
  });
});

describe('remove and setModTime', () => {
  it('remove trashes by default, deletes permanently with hard_delete, and a missing file is OBJECT_NOT_FOUND for rm', async () => {
    const o = await put(fs, 'rm/soft.txt', 'soft');
    await o.remove();
    expect(h.emu.state.stat(at('rm/soft.txt'))?.deleted).not.toBeNull();
    const hard = (await h.open('ops', { hard_delete: true })).fs;
    const p = await put(hard, 'rm/hard.txt', 'hard');
    await p.remove();
    expect(h.emu.state.stat(at('rm/hard.txt'))).toBeUndefined();
    await expectJsyncError(p.remove(), 'OBJECT_NOT_FOUND');
  });

  it('setModTime re-dates the file without an upload', async () => {
    const o = await put(fs, 'mt/f.txt', 'dated');
    h.emu.state.clearRequests();
    const t = Timestamp.parse('2019-08-07T06:05:04.987654321Z');
    await o.setModTime(t);
    expect(o.modTime().equals(Timestamp.parse('2019-08-07T06:05:04Z'))).toBe(true);
    expect((await fs.newObject('mt/f.txt')).modTime().equals(Timestamp.parse('2019-08-07T06:05:04Z'))).toBe(true);
    expect(h.emu.state.requests.map((r) => `${r.method} ${r.op}`).filter((r) => r.includes('upload') || r.includes('allocate'))).toEqual([]);
  });

  it('setModTime of content the server does not have: CANT_SET_MOD_TIME "metadata did not match"', async () => {
    await put(fs, 'mt/g.txt', 'real');
    const stale = new JottacloudObject(fs, 'mt/g.txt', { size: 4, md5: 'f'.repeat(32), mimeType: '' });
    const err = await failure(stale.setModTime(Timestamp.now()));
    expect(isJsyncError(err, 'CANT_SET_MOD_TIME')).toBe(true);
    expect((err as Error).message).toBe('metadata did not match');
  });
});

describe('publicLink', () => {
  it('creates and removes a link; missing → OBJECT_NOT_FOUND', async () => {
    await put(fs, 'l/shared.txt', 'share');
    const link = await fs.features.publicLink!('l/shared.txt');
    const uri = h.emu.state.stat(at('l/shared.txt'))?.publicURI;
    expect(uri).toMatch(/^[0-9a-f]{32}$/);
    expect(link).toBe(`https://www.jottacloud.com/opin/io/downloadPublic/${h.emu.state.username}/${uri}`);
    expect(await fs.features.publicLink!('l/shared.txt', { unlink: true })).toBe('');
    expect(h.emu.state.stat(at('l/shared.txt'))?.publicURI ?? null).toBeNull();
    await expectJsyncError(fs.features.publicLink!('l/nope.txt'), 'OBJECT_NOT_FOUND');
  });

  it('the unlink option removes instead of creating', async () => {
    await fs.features.publicLink!('l/shared.txt');
    const unlinking = (await h.open('ops', { unlink: true })).fs;
    expect(await unlinking.features.publicLink!('l/shared.txt')).toBe('');
    expect(h.emu.state.stat(at('l/shared.txt'))?.publicURI ?? null).toBeNull();
  });
});

describe('about and cleanUp', () => {
  it('about reports total, used and free for an account with a capacity', async () => {
    const u = await fs.features.about!();
    expect(u.total).toBe(50_000_000);
    expect(u.used).toBe(h.emu.state.usage());
    expect(u.free).toBe(50_000_000 - h.emu.state.usage());
  });

  it('cleanUp empties the trash', async () => {
    await (await put(fs, 'cu/t.txt', 'trash me')).remove();
    expect(h.emu.state.stat(at('cu/t.txt'))).toBeDefined();
    await fs.features.cleanUp!();
    expect(h.emu.state.stat(at('cu/t.txt'))).toBeUndefined();
  });
});
