// JFS POST commands: mkDir, dl/rm, dlDir/rmDir, cp/mv/mvDir, cphash, share/unshare, purge_trash, unknown commands.

import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { emulatorWithClient, md5, type Client } from './helpers/client.js';
import { child, children, textOf } from './helpers/xml.js';

let emu: Emulator;
let c: Client;
afterEach(async () => emu?.stop());
const setup = async (o = {}): Promise<void> => {
  ({ emu, c } = await emulatorWithClient(o));
};
const abs = (p: string): string => encodeURIComponent(`/${c.user}/Jotta/Archive/${p}`);

describe('folders', () => {
  it('mkDir is mkdir -p, idempotent, works on the mountpoint, revives trashed folders', async () => {
    await setup();
    const r = await c.post('a/b/c', 'mkDir=true');
    expect(r.status).toBe(200);
    expect(r.xml().name).toBe('folder');
    expect(r.xml().attrs.name).toBe('c');
    expect(textOf(r.xml(), 'path')).toBe(`/${c.user}/Jotta/Archive/a/b`);
    expect((await c.post('A/B/C', 'mkDir=true')).status).toBe(200);
    expect(emu.state.stat('Jotta/Archive/a')?.children).toEqual(['b']);
    const root = await c.post('', 'mkDir=true');
    expect(root.status).toBe(200);
    expect(root.xml().name).toBe('mountPoint');
    await c.post('a', 'dlDir=true');
    expect(emu.state.stat('Jotta/Archive/a/b/c')?.deleted).not.toBeNull();
    await c.post('a/b', 'mkDir=true');
    expect(emu.state.stat('Jotta/Archive/a')?.deleted).toBeNull();
    expect(emu.state.stat('Jotta/Archive/a/b')?.deleted).toBeNull();
    expect(emu.state.stat('Jotta/Archive/a/b/c')?.deleted).not.toBeNull();
    await c.upload('file', 'x');
    expect((await c.post('file/sub', 'mkDir=true')).status).toBe(409);
    expect((await c.post('x', 'mkDir=true', {}, 'Jotta/Trash')).status).toBe(403);
  });

  it('dlDir trashes recursively (with or without trailing slash); rmDir deletes permanently', async () => {
    await setup();
    await c.upload('t/one.txt', '1');
    await c.upload('t/deep/two.txt', '2');
    expect((await c.req(`${c.jfs('t')}/?dlDir=true`, { method: 'POST' })).status).toBe(200);
    for (const p of ['t', 't/one.txt', 't/deep', 't/deep/two.txt']) expect(emu.state.stat(`Jotta/Archive/${p}`)?.deleted, p).not.toBeNull();
    expect((await c.get('t', 'mode=liststream')).status).toBe(404);
    expect((await c.post('t', 'dlDir=true')).status).toBe(200);
    expect((await c.post('t', 'rmDir=true')).status).toBe(200);
    expect(emu.state.stat('Jotta/Archive/t')).toBeUndefined();
    expect((await c.post('t', 'rmDir=true')).status).toBe(404);
    expect((await c.post('nope', 'dlDir=true')).status).toBe(404);
    expect(textOf((await c.post('nope', 'dlDir=true')).xml(), 'message')).toMatch(/NoSuchPathException/);
    expect((await c.post('', 'dlDir=true')).status).toBe(403);
  });
});

describe('files', () => {
  it('dl trashes (2xx on missing paths), rm deletes permanently (404 when missing or a folder)', async () => {
    await setup();
    await c.upload('f.txt', 'data');
    const dl = await c.post('f.txt', 'dl=true');
    expect(dl.status).toBe(200);
    expect(dl.xml().attrs.deleted).toBeTruthy();
    expect((await c.post('missing.txt', 'dl=true')).status).toBe(200);
    expect((await c.post('f.txt', 'rm=true')).status).toBe(200);
    expect(emu.state.stat('Jotta/Archive/f.txt')).toBeUndefined();
    const rm = await c.post('f.txt', 'rm=true');
    expect(rm.status).toBe(404);
    expect(textOf(rm.xml(), 'code')).toBe('404');
    expect(textOf(rm.xml(), 'message')).toMatch(/^no\.jotta\.backup\.errors\.NoSuchFileException: /);
    await c.post('d', 'mkDir=true');
    expect((await c.post('d', 'rm=true')).status).toBe(404);
  });

  it('dl on a missing path can be a 404 when configured', async () => {
    await setup({ behaviour: { missingFileDelete: 404 } });
    expect((await c.post('missing.txt', 'dl=true')).status).toBe(404);
  });

  it('cp copies the current revision (mkdir of the parent implied); mv moves the node with its history', async () => {
    await setup();
    await c.upload('src/a.txt', 'v1');
    await c.upload('src/a.txt', 'v2');
    const cp = await c.post('src/a.txt', `cp=${abs('dst/copy.txt')}`);
    expect(cp.status).toBe(200);
    const x = cp.xml();
    expect(x.name).toBe('file');
    expect(x.attrs.name).toBe('copy.txt');
    expect(x.attrs.deleted).toBeUndefined();
    expect(textOf(x, 'currentRevision/md5')).toBe(md5('v2'));
    expect(textOf(x, 'path')).toBe(`/${c.user}/Jotta/Archive/dst`);
    expect(emu.state.stat('Jotta/Archive/dst/copy.txt')?.older).toEqual([]);
    const mv = await c.post('src/a.txt', `mv=${abs('moved/b.txt')}`);
    expect(mv.status).toBe(200);
    expect(emu.state.stat('Jotta/Archive/src/a.txt')).toBeUndefined();
    expect(emu.state.stat('Jotta/Archive/moved/b.txt')?.older).toHaveLength(1);
    const missing = await c.post('src/a.txt', `mv=${abs('x.txt')}`);
    expect(missing.status).toBe(404);
    expect(textOf(missing.xml(), 'message')).toMatch(/NoSuchFileException: Source file .* does not exist/);
    // A case-only rename keeps the node.
    expect((await c.post('moved/b.txt', `mv=${abs('moved/B.TXT')}`)).xml().attrs.name).toBe('B.TXT');
    expect(emu.state.stat('Jotta/Archive/moved')?.children).toEqual(['B.TXT']);
    // Over an existing live file: a new revision of the destination.
    await c.upload('other.txt', 'other');
    await c.post('other.txt', `cp=${abs('moved/b.txt')}`);
    expect(emu.state.stat('Jotta/Archive/moved/b.txt')?.current?.md5).toBe(md5('other'));
    expect(emu.state.stat('Jotta/Archive/moved/b.txt')?.older?.[0]?.md5).toBe(md5('v2'));
    // Destinations outside the account, on virtual mountpoints or malformed are refused.
    expect((await c.post('other.txt', `cp=${encodeURIComponent('/someone/Jotta/Archive/x')}`)).status).toBe(400);
    expect((await c.post('other.txt', `cp=${encodeURIComponent(`/${c.user}/Jotta/Trash/x`)}`)).status).toBe(403);
    expect((await c.post('other.txt', `cp=${encodeURIComponent(`/${c.user}/Jotta/Archive/../x`)}`)).status).toBe(400);
  });

  it('cp onto a trashed file leaves it trashed (the quirk); cphash restores it', async () => {
    await setup();
    await c.upload('s.txt', 'new');
    await c.upload('t.txt', 'old');
    await c.post('t.txt', 'dl=true');
    const cp = (await c.post('s.txt', `cp=${abs('t.txt')}`)).xml();
    expect(cp.attrs.deleted).toBeTruthy();
    expect(textOf(cp, 'currentRevision/state')).toBe('COMPLETED');
    const restored = await c.post('t.txt', 'cphash=true', { JSize: '3', JMd5: md5('new'), JCreated: '2020-01-01-T00:00:00Z', JModified: '2020-01-02-T00:00:00+0100' });
    expect(restored.status).toBe(200);
    expect(restored.xml().attrs.deleted).toBeUndefined();
    expect(emu.state.stat('Jotta/Archive/t.txt')?.current?.modified).toBe(Date.UTC(2020, 0, 1, 23) / 1000);
  });

  it('the cp quirk can be switched off', async () => {
    await setup({ behaviour: { cpOntoTrashedStaysTrashed: false } });
    await c.upload('s.txt', 'new');
    await c.upload('t.txt', 'old');
    await c.post('t.txt', 'dl=true');
    expect((await c.post('s.txt', `cp=${abs('t.txt')}`)).xml().attrs.deleted).toBeUndefined();
  });

  it('cphash sets times, builds from stored content, and is 404 otherwise', async () => {
    await setup();
    await c.upload('a.txt', 'abc');
    const h = (size: string, sum: string): Record<string, string> => ({ Jsize: size, Jmd5: sum, Jcreated: '2001-02-03-T04:05:06Z', Jmodified: '2001-02-03-T04:05:06Z' });
    const same = await c.post('a.txt', 'cphash=true', h('3', md5('abc')));
    expect(textOf(same.xml(), 'currentRevision/modified')).toBe('2001-02-03-T04:05:06Z');
    expect(emu.state.stat('Jotta/Archive/a.txt')?.current?.number).toBe(1);
    const dedup = await c.post('new/b.txt', 'cphash=true', h('3', md5('abc')));
    expect(dedup.status).toBe(200);
    expect((await emu.state.readFile('Jotta/Archive/new/b.txt'))?.toString()).toBe('abc');
    expect((await c.post('a.txt', 'cphash=true', h('4', md5('abcd')))).status).toBe(404);
    expect(emu.state.stat('Jotta/Archive/a.txt')?.current?.md5).toBe(md5('abc'));
    expect((await c.post('a.txt', 'cphash=true', h('x', md5('abc')))).status).toBe(400);
    expect((await c.post('a.txt', 'cphash=true', { ...h('3', md5('abc')), Jmodified: '2001-02-03T04:05:06Z' })).status).toBe(400);
  });

  it('enableShare sets a 32-hex publicURI (stable), disableShare removes it; missing paths are 404', async () => {
    await setup();
    await c.upload('s.txt', 's');
    const on = (await c.get('s.txt', 'mode=enableShare')).xml();
    const uri = textOf(on, 'publicURI')!;
    expect(uri).toMatch(/^[0-9a-f]{32}$/);
    expect(textOf((await c.get('s.txt', 'mode=enableShare')).xml(), 'publicURI')).toBe(uri);
    const off = (await c.get('s.txt', 'mode=disableShare')).xml();
    expect(child(off, 'publicURI')).toBeUndefined();
    expect((await c.get('nope.txt', 'mode=enableShare')).status).toBe(404);
    await c.post('d', 'mkDir=true');
    expect(textOf((await c.get('d', 'mode=enableShare')).xml(), 'publicURI')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('mvDir and purge_trash', () => {
  it('mvDir renames or moves a folder tree (trailing slash on the source), 404 for a missing source', async () => {
    await setup();
    await c.upload('d1/x/y.txt', 'y');
    const r = await c.req(`${c.jfs('d1')}/?mvDir=${abs('new parent/d2')}`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.xml().name).toBe('folder');
    expect(r.xml().attrs.name).toBe('d2');
    expect(emu.state.stat('Jotta/Archive/d1')).toBeUndefined();
    expect((await emu.state.readFile('Jotta/Archive/new parent/d2/x/y.txt'))?.toString()).toBe('y');
    const missing = await c.req(`${c.jfs('d1')}/?mvDir=${abs('d3')}`, { method: 'POST' });
    expect(missing.status).toBe(404);
    expect(textOf(missing.xml(), 'message')).toMatch(/NoSuchPathException/);
    await c.post('live', 'mkDir=true');
    expect((await c.req(`${c.jfs('new parent/d2')}/?mvDir=${abs('live')}`, { method: 'POST' })).status).toBe(409);
    expect((await c.req(`${c.jfs('new parent/d2')}/?mvDir=${abs('new parent/d2/x/inside')}`, { method: 'POST' })).status).toBe(400);
    // Onto a trashed folder: the tombstone is replaced.
    await c.post('live', 'dlDir=true');
    expect((await c.req(`${c.jfs('new parent/d2')}/?mvDir=${abs('live')}`, { method: 'POST' })).status).toBe(200);
    expect(emu.state.stat('Jotta/Archive/live')?.deleted).toBeNull();
    expect(emu.state.stat('Jotta/Archive/live/x/y.txt')?.current?.md5).toBe(md5('y'));
  });

  it('purge_trash removes every tombstone and reports counts; live data stays', async () => {
    await setup();
    await c.upload('keep/k.txt', 'k');
    await c.upload('gone/a.txt', 'a');
    await c.upload('gone/sub/b.txt', 'b');
    await c.upload('keep/t.txt', 't');
    await c.post('gone', 'dlDir=true');
    await c.post('keep/t.txt', 'dl=true');
    const r = await c.req('/files/v1/purge_trash', { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.json()).toEqual({ folders: 2, files: 3 });
    expect(emu.state.stat('Jotta/Archive/gone')).toBeUndefined();
    expect(emu.state.stat('Jotta/Archive/keep')?.children).toEqual(['k.txt']);
    expect(children((await c.req(`/jfs/${c.user}/Jotta/Trash`)).xml(), 'files/file')).toHaveLength(0);
    expect((await c.req('/files/v1/purge_trash', { method: 'POST' })).json()).toEqual({ folders: 0, files: 0 });
  });

  it('a POST without a known command is the real server 500', async () => {
    await setup();
    await c.upload('a.txt', 'a');
    const r = await c.post('a.txt', 'restore=true');
    expect(r.status).toBe(500);
    expect(textOf(r.xml(), 'message')).toMatch(/missing multipart content or don't dont have any command parameters/);
    expect(emu.state.stat('Jotta/Archive/a.txt')?.deleted).toBeNull();
  });
});
