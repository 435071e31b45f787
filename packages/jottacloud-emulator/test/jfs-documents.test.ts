// JFS GET documents: user, device, mountpoint, folder, file, tombstones, Trash/Latest/Links views, names and casing.

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
const JFS_TIME = /^\d{4}-\d{2}-\d{2}-T\d{2}:\d{2}:\d{2}Z$/;

describe('account levels', () => {
  it('<user> lists the devices with quota fields in the server order', async () => {
    await setup();
    const r = await c.req(`/jfs/${c.user}`);
    expect(r.status).toBe(200);
    expect(r.text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const u = r.xml();
    expect(u.name).toBe('user');
    expect(u.attrs.time).toMatch(JFS_TIME);
    expect(u.attrs.host).toBeTruthy();
    expect(u.children.map((e) => e.name)).toEqual([
      'username', 'account-type', 'locked', 'capacity', 'max-devices', 'max-mobile-devices', 'usage', 'read-locked',
      'write-locked', 'quota-write-locked', 'enable-sync', 'enable-foldershare', 'devices',
    ]);
    expect(textOf(u, 'capacity')).toBe('-1');
    expect(textOf(u, 'username')).toBe(c.user);
    const devs = children(u, 'devices/device');
    expect(devs.map((d) => textOf(d, 'name'))).toEqual(['Jotta']);
    expect(textOf(devs[0], 'type')).toBe('JOTTA');
    expect(child(devs[0], 'name')?.attrs['xml:space']).toBe('preserve');
  });

  it('<device> lists Archive, Latest, Shared, Sync (not Trash, Links); devices and mountpoints can be created', async () => {
    await setup();
    const d = (await c.req(`/jfs/${c.user}/jotta`)).xml();
    expect(d.name).toBe('device');
    expect(children(d, 'mountPoints/mountPoint').map((m) => textOf(m, 'name'))).toEqual(['Archive', 'Latest', 'Shared', 'Sync']);
    expect(child(d, 'metadata')?.attrs).toMatchObject({ total: '4', num_mountpoints: '4' });
    const created = await c.req(`/jfs/${c.user}/laptop1?type=WORKSTATION`, { method: 'POST' });
    expect(created.status).toBe(201);
    expect(textOf(created.xml(), 'type')).toBe('WORKSTATION');
    expect((await c.req(`/jfs/${c.user}/laptop2?type=TOASTER`, { method: 'POST' })).status).toBe(400);
    const mp = await c.req(`/jfs/${c.user}/laptop1/Backup`, { method: 'POST' });
    expect(mp.status).toBe(201);
    expect(mp.xml().name).toBe('mountPoint');
    expect((await c.req(`/jfs/${c.user}/laptop1/backup`, { method: 'POST' })).status).toBe(200);
    const u = (await c.req(`/jfs/${c.user}`)).xml();
    expect(children(u, 'devices/device').map((x) => textOf(x, 'name'))).toEqual(['Jotta', 'laptop1']);
    const up = await c.upload('x', 'backup data', { path: '/jfs/laptop1/Backup/docs/f.txt' });
    expect(up.up!.status).toBe(201);
    expect((await c.get('docs/f.txt', '', 'laptop1/Backup')).status).toBe(200);
    expect((await c.req(`/jfs/${c.user}/nosuchdevice`)).status).toBe(404);
    expect((await c.req(`/jfs/${c.user}/Jotta/NoSuchMount`)).status).toBe(404);
  });

  it('<mountPoint> and <folder> documents list children with metadata counts, tombstones included', async () => {
    await setup();
    await c.upload('dir/keep.txt', 'k');
    await c.upload('dir/gone.txt', 'g');
    await c.post('dir/sub', 'mkDir=true');
    await c.post('dir/oldsub', 'mkDir=true');
    await c.post('dir/gone.txt', 'dl=true');
    await c.post('dir/oldsub', 'dlDir=true');
    const mp = (await c.get('')).xml();
    expect(mp.name).toBe('mountPoint');
    expect(textOf(mp, 'name')).toBe('Archive');
    expect(textOf(mp, 'path')).toBe(`/${c.user}/Jotta`);
    expect(textOf(mp, 'device')).toBe('Jotta');
    expect(children(mp, 'folders/folder').map((f) => f.attrs.name)).toEqual(['dir']);
    const f = (await c.get('DIR')).xml();
    expect(f.name).toBe('folder');
    expect(f.attrs.name).toBe('dir');
    expect(textOf(f, 'path')).toBe(`/${c.user}/Jotta/Archive`);
    const folders = children(f, 'folders/folder');
    expect(folders.map((x) => [x.attrs.name, x.attrs.deleted !== undefined])).toEqual([['sub', false], ['oldsub', true]]);
    expect(folders[1]!.attrs.deleted).toMatch(JFS_TIME);
    expect(textOf(folders[1], 'abspath')).toBe(`/${c.user}/Jotta/Archive/dir`);
    const files = children(f, 'files/file');
    expect(files.map((x) => [x.attrs.name, x.attrs.deleted !== undefined])).toEqual([['keep.txt', false], ['gone.txt', true]]);
    expect(files[0]!.attrs.uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(textOf(files[1], 'currentRevision/state')).toBe('COMPLETED');
    expect(child(files[0], 'revisions')).toBeUndefined();
    expect(child(f, 'metadata')?.attrs).toMatchObject({ total: '4', num_folders: '2', num_files: '2' });
    // The tombstones stay reachable at their paths.
    const t = (await c.get('dir/gone.txt')).xml();
    expect(t.attrs.deleted).toMatch(JFS_TIME);
    expect((await c.get('dir/oldsub')).xml().attrs.deleted).toMatch(JFS_TIME);
    expect((await c.get('dir/missing')).status).toBe(404);
  });

  it('names: XML-escaped, case-insensitive lookups with preserved casing, + in paths read as a space', async () => {
    await setup();
    const name = `<&>"' ÆØÅ 😀.txt`;
    await c.upload(name, 'x');
    const listed = (await c.get('')).xml();
    expect(children(listed, 'files/file').map((x) => x.attrs.name)).toEqual([name]);
    expect((await c.get(`<&>"' æøå 😀.TXT`)).xml().attrs.name).toBe(name);
    await c.upload('a b.txt', 'y');
    const plus = await c.req(`${c.jfs()}/a+b.txt`);
    expect(plus.status).toBe(200);
    expect(plus.xml().attrs.name).toBe('a b.txt');
    expect((await c.req(`${c.jfs()}/a%2Bb.txt`)).status).toBe(404);
    await c.upload('p+q.txt', 'z');
    expect((await c.req(`${c.jfs()}/p%2Bq.txt`)).xml().attrs.name).toBe('p+q.txt');
  });

  it('+ can be read literally when configured', async () => {
    await setup({ behaviour: { plusInPath: 'literal' } });
    await c.upload('p+q.txt', 'z');
    expect((await c.req(`${c.jfs()}/p+q.txt`)).status).toBe(200);
  });

  it('a direct file GET shows revisions, INCOMPLETE and CORRUPT states in the JFS time format', async () => {
    await setup();
    await c.upload('f.txt', 'one', { modified: '2019-02-03T04:05:06Z', created: '2018-01-01T00:00:00Z' });
    await c.upload('f.txt', 'two');
    const x = (await c.get('f.txt')).xml();
    expect(x.attrs).toMatchObject({ name: 'f.txt' });
    const cur = child(x, 'currentRevision')!;
    expect(cur.children.map((e) => e.name)).toEqual(['number', 'state', 'created', 'modified', 'mime', 'mstyle', 'size', 'md5', 'updated']);
    expect(textOf(cur, 'mstyle')).toBe('TEXT_PLAIN');
    expect(textOf(cur, 'updated')).toMatch(JFS_TIME);
    const rev = children(x, 'revisions/revision');
    expect(rev.map((r) => [textOf(r, 'number'), textOf(r, 'md5'), textOf(r, 'modified'), textOf(r, 'created')])).toEqual([
      ['1', md5('one'), '2019-02-03-T04:05:06Z', '2018-01-01-T00:00:00Z'],
    ]);
  });
});

describe('special views', () => {
  it('Trash lists top-level trashed items with their original parents; Latest and Links are searchresults', async () => {
    await setup();
    await c.upload('a/b/c.txt', 'c');
    await c.upload('top.txt', 't');
    await c.upload('shared.txt', 's');
    await c.post('a', 'dlDir=true');
    await c.post('top.txt', 'dl=true');
    const t = (await c.req(`/jfs/${c.user}/Jotta/Trash`)).xml();
    expect(t.name).toBe('mountPoint');
    expect(textOf(t, 'name')).toBe('Trash');
    const tf = children(t, 'folders/folder');
    expect(tf.map((f) => [f.attrs.name, f.attrs.contextType, textOf(f, 'abspath')])).toEqual([['a', 'TRASH', `/${c.user}/Jotta/Archive`]]);
    expect(children(t, 'files/file').map((f) => f.attrs.name)).toEqual(['top.txt']);
    await c.get('shared.txt', 'mode=enableShare');
    const links = (await c.req(`/jfs/${c.user}/Jotta/Links`)).xml();
    expect(links.name).toBe('searchresult');
    expect(children(links, 'files/file').map((f) => [f.attrs.name, textOf(f, 'publicURI')?.length])).toEqual([['shared.txt', 32]]);
    const latest = (await c.req(`/jfs/${c.user}/Jotta/Latest?max=1`)).xml();
    expect(children(latest, 'files/file')).toHaveLength(1);
    expect((await c.req(`/jfs/${c.user}/Jotta/Shared`)).xml().name).toBe('mountPoint');
  });
});
