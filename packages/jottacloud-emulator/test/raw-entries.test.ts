// Hostile names: raw entries served verbatim in folder documents and liststream, fetched back by their decoded paths,
// through the state view and /__admin/raw-entries.

import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { emulatorWithClient, md5, rawRequest, type Client } from './helpers/client.js';
import { children, textOf } from './helpers/xml.js';

let emu: Emulator;
let c: Client;
afterEach(async () => emu?.stop());

async function seedHostile(): Promise<void> {
  ({ emu, c } = await emulatorWithClient());
  await c.upload('dir/ok.txt', 'fine');
  const folder = 'Jotta/Archive/dir';
  await emu.state.injectRawEntry({ folder, kind: 'file', rawName: '../x', content: 'escaped!', modified: 1_600_000_000 });
  await emu.state.injectRawEntry({ folder, kind: 'folder', rawName: 'a/b' });
  await emu.state.injectRawEntry({ folder, kind: 'file', rawName: '/abs', content: 'absolute' });
  await emu.state.injectRawEntry({ folder, kind: 'folder', rawName: '..' });
  await emu.state.injectRawEntry({ folder, kind: 'folder', rawName: '.' });
  await emu.state.injectRawEntry({ folder, kind: 'file', rawName: 'nul&#0;name', content: 'nul' });
  await emu.state.injectRawEntry({ folder, kind: 'file', rawName: 'passwd', rawPath: '/Archive/../../etc', content: 'root:x:0:0' });
}

describe('raw entries', () => {
  it('folder documents carry the raw names verbatim, next to the real children', async () => {
    await seedHostile();
    const doc = await c.get('dir');
    expect(doc.status).toBe(200);
    for (const raw of ['name="../x"', 'name="a/b"', 'name="/abs"', 'name=".."', 'name="."', 'name="nul&#0;name"', 'name="passwd"']) {
      expect(doc.text).toContain(raw);
    }
    const xml = doc.xml();
    expect(children(xml, 'files/file').map((f) => f.attrs.name)).toEqual(['ok.txt', '../x', '/abs', 'nul\0name', 'passwd']);
    expect(children(xml, 'folders/folder').map((f) => f.attrs.name)).toEqual(['a/b', '..', '.']);
    expect(children(xml, 'metadata')[0]?.attrs).toMatchObject({ total: '8', num_folders: '3', num_files: '5' });
    const x = children(xml, 'files/file')[1]!;
    expect(textOf(x, 'currentRevision/md5')).toBe(md5('escaped!'));
    expect(textOf(x, 'currentRevision/size')).toBe('8');
    expect(textOf(x, 'currentRevision/modified')).toBe('2020-09-13-T12:26:40Z');
  });

  it('liststream lists them (stats included) with the escaping path', async () => {
    await seedHostile();
    const ls = await c.get('dir', 'mode=liststream');
    expect(ls.status).toBe(200);
    expect(ls.text).toContain('<filename>../x</filename>');
    expect(ls.text).toContain('<filename>nul&#0;name</filename>');
    expect(ls.text).toContain('<path>/Archive/../../etc</path><filename>passwd</filename>');
    expect(ls.text).toContain('<folder name="a/b"><path>/Archive/dir/a/b</path></folder>');
    const tree = ls.xml();
    const files = children(tree, 'file');
    expect(files.map((f) => [textOf(f, 'path'), textOf(f, 'filename')])).toEqual([
      ['/Archive/dir', 'ok.txt'], ['/Archive/dir', '../x'], ['/Archive/dir', '/abs'], ['/Archive/dir', 'nul\0name'], ['/Archive/../../etc', 'passwd'],
    ]);
    expect(children(tree, 'folder').map((f) => textOf(f, 'path'))).toEqual(['/Archive/dir', '/Archive/dir/a/b', '/Archive/dir/..', '/Archive/dir/.']);
    expect([textOf(tree, 'stats/folders'), textOf(tree, 'stats/files')]).toEqual(['4', '5']);
    // From a parent folder, the raw entries show up below their folder.
    const fromRoot = (await c.get('', 'mode=liststream')).xml();
    expect(children(fromRoot, 'file').map((f) => textOf(f, 'filename'))).toContain('../x');
  });

  it('a client that trusts the names gets the content, however it encodes the path', async () => {
    await seedHostile();
    const base = `/jfs/${c.user}/Jotta/Archive/dir`;
    for (const [path, body] of [
      ['/..%2Fx', 'escaped!'], ['/../x', 'escaped!'], ['/%2E%2E%2Fx', 'escaped!'], ['/%2Fabs', 'absolute'], ['//abs', 'absolute'],
      ['/nul%00name', 'nul'], ['/passwd', 'root:x:0:0'],
    ] as const) {
      const r = await c.req(`${base}${path}?mode=bin`);
      expect([path, r.status, r.text]).toEqual([path, 200, body]);
    }
    const part = await c.req(`${base}/..%2Fx?mode=bin`, { headers: { Range: 'bytes=2-4' } });
    expect([part.status, part.text, part.headers['content-range']]).toEqual([206, 'cap', 'bytes 2-4/8']);
    const meta = await c.req(`${base}/..%2Fx`);
    expect(meta.text).toContain('<file name="../x"');
    expect(textOf(meta.xml(), 'currentRevision/md5')).toBe(md5('escaped!'));
    expect((await c.req(`${base}/a%2Fb?mode=bin`)).status).toBe(404);
    // Entries only answer for this account's paths; other hostile paths stay 400.
    expect((await c.req(`/jfs/someone-else/Jotta/Archive/dir/passwd?mode=bin`)).status).toBe(401);
    expect((await c.req(`${base}/..%2Fy?mode=bin`)).status).toBe(400);
  });

  it('entries follow their folder through mvDir, live at mountpoint roots too, and can be cleared', async () => {
    await seedHostile();
    await emu.state.injectRawEntry({ folder: 'Jotta/Archive', kind: 'file', rawName: '../../top', content: 't' });
    expect((await c.get('')).text).toContain('name="../../top"');
    const dest = encodeURIComponent(`/${c.user}/Jotta/Archive/moved`);
    expect((await c.req(`${c.jfs('dir')}?mvDir=${dest}`, { method: 'POST' })).status).toBe(200);
    expect(emu.state.rawEntries().filter((e) => e.rawName === '../x').map((e) => e.folder)).toEqual(['Jotta/Archive/moved']);
    expect((await c.req(`/jfs/${c.user}/Jotta/Archive/moved/..%2Fx?mode=bin`)).text).toBe('escaped!');
    emu.state.clearRawEntries();
    expect(emu.state.rawEntries()).toEqual([]);
    expect((await c.get('moved')).text).not.toContain('../x');
    expect((await c.req(`/jfs/${c.user}/Jotta/Archive/moved/..%2Fx?mode=bin`)).status).toBe(400);
  });
});

describe('/__admin/raw-entries', () => {
  it('POST adds (content or contentBase64, one or many), GET lists, DELETE clears; bad input is 400', async () => {
    ({ emu, c } = await emulatorWithClient());
    const add = await rawRequest(emu.url, '/__admin/raw-entries', {
      method: 'POST',
      body: JSON.stringify([
        { folder: 'Jotta/Archive/h', kind: 'file', rawName: '../evil', contentBase64: Buffer.from([0, 1, 2, 255]).toString('base64') },
        { folder: 'Jotta/Archive/h', kind: 'file', rawName: 'e', rawPath: '/Archive/../../etc', content: 'text' },
      ]),
    });
    expect(add.status).toBe(200);
    expect(add.json<{ entries: unknown[] }>().entries).toEqual([
      { folder: 'Jotta/Archive/h', kind: 'file', rawName: '../evil', name: '../evil', rawPath: null, size: 4, md5: md5(Buffer.from([0, 1, 2, 255])) },
      { folder: 'Jotta/Archive/h', kind: 'file', rawName: 'e', name: 'e', rawPath: '/Archive/../../etc', size: 4, md5: md5('text') },
    ]);
    const bin = await c.req(`/jfs/${c.user}/Jotta/Archive/h/..%2Fevil?mode=bin`);
    expect([...bin.body]).toEqual([0, 1, 2, 255]);
    expect((await rawRequest(emu.url, '/__admin/raw-entries')).json<{ entries: unknown[] }>().entries).toHaveLength(2);
    for (const body of ['{"folder":"Jotta/Archive","kind":"link","rawName":"x"}', '{"folder":"Jotta/Nope","kind":"file","rawName":"x"}', '{', '{"kind":"file"}']) {
      expect((await rawRequest(emu.url, '/__admin/raw-entries', { method: 'POST', body })).status, body).toBe(400);
    }
    expect((await rawRequest(emu.url, '/__admin/raw-entries', { method: 'DELETE' })).json()).toEqual({ entries: [] });
    expect((await c.get('h')).text).not.toContain('evil');
    // Admin requests stay out of the request log.
    expect(emu.state.requests.some((r) => r.url.includes('__admin'))).toBe(false);
  });
});
