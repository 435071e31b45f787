// files/v1/allocate and the upload URL: states, parents, dedup, resume with Range, 420, CORRUPT, quota, bad input.

import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { emulatorWithClient, md5, type Client } from './helpers/client.js';
import { children, textOf } from './helpers/xml.js';

let emu: Emulator;
let c: Client;
afterEach(async () => emu?.stop());
const setup = async (o = {}): Promise<void> => {
  ({ emu, c } = await emulatorWithClient(o));
};

describe('allocate + upload', () => {
  it('uploads a new file into missing parents and answers like the real API', async () => {
    await setup();
    const data = 'hello world';
    const { alloc, up } = await c.upload('new dir/sub/a&b #1.txt', data);
    expect(alloc).toMatchObject({ name: 'a&b #1.txt', state: 'ADDED', bytes: 11, resume_pos: 0 });
    expect(String(alloc.upload_url)).toMatch(new RegExp(`^${emu.url}/files/v1/upload/[0-9a-f]{32}$`));
    expect(up!.status).toBe(201);
    expect(up!.json()).toEqual({
      path: `/${c.user}/Jotta/Archive/new dir/sub/a&b #1.txt`, content_id: md5(data), bytes: 11, md5: md5(data),
      modified: Date.UTC(2020, 4, 6, 7, 8, 9),
    });
    const f = (await c.get('new dir/sub/a&b #1.txt')).xml();
    expect(f.name).toBe('file');
    expect(textOf(f, 'currentRevision/state')).toBe('COMPLETED');
    expect(textOf(f, 'currentRevision/md5')).toBe(md5(data));
    expect(textOf(f, 'currentRevision/size')).toBe('11');
    expect(textOf(f, 'currentRevision/modified')).toBe('2020-05-06-T07:08:09Z');
    expect(textOf(f, 'currentRevision/mime')).toBe('text/plain');
    expect(textOf(f, 'path')).toBe(`/${c.user}/Jotta/Archive/new dir/sub`);
    expect(emu.state.stat('Jotta/Archive/new dir')?.kind).toBe('folder');
    expect((await emu.state.readFile('Jotta/Archive/new dir/sub/a&b #1.txt'))?.toString()).toBe(data);
  });

  it('accepts the old <mountpoint>/<path> form and integer-ms times; empty files need a (zero-byte) upload', async () => {
    await setup();
    const { alloc, up } = await c.upload('ignored', '', { path: 'Sync/empty.bin', created: 1_600_000_000_000, modified: 1_600_000_001_000 });
    expect(alloc.state).toBe('ADDED');
    expect(up!.status).toBe(201);
    const cur = emu.state.stat('Jotta/Sync/empty.bin')?.current;
    expect(cur).toMatchObject({ size: 0, md5: md5(''), created: 1_600_000_000, modified: 1_600_000_001 });
  });

  it('COMPLETED when the same content is already there; only the times change', async () => {
    await setup();
    await c.upload('x.txt', 'same');
    const again = await c.allocate('x.txt', 'same', { modified: '2021-01-01T00:00:00+02:00' });
    expect(again.json()).toMatchObject({ state: 'COMPLETED', resume_pos: 0 });
    const st = emu.state.stat('Jotta/Archive/x.txt')!;
    expect(st.current!.number).toBe(1);
    expect(st.current!.modified).toBe(Date.UTC(2020, 11, 31, 22) / 1000);
  });

  it('deduplicates content stored elsewhere (and un-trashes a matching trashed file)', async () => {
    await setup();
    await c.upload('one.txt', 'shared content');
    const dup = await c.allocate('two/two.txt', 'shared content');
    expect(dup.json().state).toBe('COMPLETED');
    expect((await emu.state.readFile('Jotta/Archive/two/two.txt'))?.toString()).toBe('shared content');
    expect((await c.post('one.txt', 'dl=true')).status).toBe(200);
    expect(emu.state.stat('Jotta/Archive/one.txt')?.deleted).not.toBeNull();
    expect((await c.allocate('one.txt', 'shared content')).json().state).toBe('COMPLETED');
    expect(emu.state.stat('Jotta/Archive/one.txt')?.deleted).toBeNull();
  });

  it('restoring a file of a trashed folder (allocate COMPLETED, cphash) revives its folders too', async () => {
    await setup();
    await c.upload('gone/deep/f.txt', 'keep me');
    await c.upload('gone/deep/g.txt', 'and me');
    await c.post('gone', 'dlDir=true');
    expect((await c.allocate('gone/deep/f.txt', 'keep me')).json().state).toBe('COMPLETED');
    for (const p of ['gone', 'gone/deep', 'gone/deep/f.txt']) expect(emu.state.stat(`Jotta/Archive/${p}`)?.deleted, p).toBeNull();
    expect(emu.state.stat('Jotta/Archive/gone/deep/g.txt')?.deleted).not.toBeNull();
    await c.post('gone', 'dlDir=true');
    const r = await c.post('gone/deep/g.txt', 'cphash=true', { JSize: '6', JMd5: md5('and me'), JCreated: '2020-01-01-T00:00:00Z', JModified: '2020-01-01-T00:00:00Z' });
    expect(r.status).toBe(200);
    expect(emu.state.stat('Jotta/Archive/gone/deep')?.deleted).toBeNull();
    const listed = (await c.get('', 'mode=liststream')).text;
    expect(listed).toContain('<filename>g.txt</filename>');
    expect(listed).not.toContain('<filename>f.txt</filename>');
  });

  it('dedup can be switched off', async () => {
    await setup({ behaviour: { dedup: false } });
    await c.upload('one.txt', 'abc');
    expect((await c.allocate('two.txt', 'abc')).json().state).toBe('ADDED');
  });

  it('overwrites keep older revisions (up to maxRevisions)', async () => {
    await setup({ behaviour: { maxRevisions: 3 } });
    for (const v of ['v1', 'v2', 'v3', 'v4']) await c.upload('doc.txt', v);
    const st = emu.state.stat('Jotta/Archive/doc.txt')!;
    expect(st.current).toMatchObject({ number: 4, md5: md5('v4') });
    expect(st.older!.map((r) => r.number)).toEqual([3, 2]);
    const x = (await c.get('doc.txt')).xml();
    expect(children(x, 'revisions/revision').map((r) => textOf(r, 'number'))).toEqual(['3', '2']);
    expect(children(x, 'revisions/revision').map((r) => textOf(r, 'md5'))).toEqual([md5('v3'), md5('v2')]);
  });

  it('resumes an interrupted upload from resume_pos with a Range header', async () => {
    await setup();
    const data = Buffer.from('0123456789');
    const a = (await c.allocate('r.bin', data)).json();
    const part = await c.sendUpload(String(a.upload_url), data.subarray(0, 4), { Range: 'bytes=0-3' });
    expect(part.status).toBe(420);
    expect(part.json()).toMatchObject({ code: 420, error_id: 'IncompleteUploadOpenApiException', resume_pos: 4 });
    const listed = (await c.get('')).xml();
    const entry = children(listed, 'files/file').find((f) => f.attrs.name === 'r.bin')!;
    expect(textOf(entry, 'latestRevision/state')).toBe('INCOMPLETE');
    expect(textOf(entry, 'latestRevision/size')).toBeUndefined();
    expect(textOf((await c.get('r.bin')).xml(), 'latestRevision/size')).toBe('4');
    const b = (await c.allocate('r.bin', data)).json();
    expect(b).toMatchObject({ state: 'INCOMPLETE', resume_pos: 4, upload_id: a.upload_id });
    const rest = await c.sendUpload(String(b.upload_url), data.subarray(4), { Range: 'bytes=4-9' });
    expect(rest.status).toBe(201);
    expect(rest.json().bytes).toBe(10);
    expect((await emu.state.readFile('Jotta/Archive/r.bin'))?.toString()).toBe('0123456789');
    expect(emu.state.stat('Jotta/Archive/r.bin')?.latest).toBeNull();
  });

  it('refuses ranges that do not continue the received bytes (416) and bodies longer than the file', async () => {
    await setup();
    const a = (await c.allocate('g.bin', 'abcdef')).json();
    const gap = await c.sendUpload(String(a.upload_url), 'cdef', { Range: 'bytes=2-5' });
    expect(gap.status).toBe(416);
    expect(gap.json()).toMatchObject({ code: 416, error_id: 'RequestedRangeNotSatisfiedException' });
    const beyond = await c.sendUpload(String(a.upload_url), 'abcdefgh', { Range: 'bytes=0-7' });
    expect(beyond.status).toBe(416);
    const long = await c.sendUpload(String(a.upload_url), 'abcdefgh');
    expect(long.status).toBe(400);
    expect(emu.state.stat('Jotta/Archive/g.bin')?.current).toBeNull();
    // Nothing was stored: the proper upload still works.
    expect((await c.sendUpload(String(a.upload_url), 'abcdef')).status).toBe(201);
  });

  it('an MD5 mismatch leaves a CORRUPT latestRevision and keeps the previous content', async () => {
    await setup();
    await c.upload('c.txt', 'good');
    const a = (await c.allocate('c.txt', 'evil')).json();
    const bad = await c.sendUpload(String(a.upload_url), 'EVIL');
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error_id: 'CorruptUploadOpenApiException' });
    const x = (await c.get('c.txt')).xml();
    expect(textOf(x, 'currentRevision/md5')).toBe(md5('good'));
    expect(textOf(x, 'latestRevision/state')).toBe('CORRUPT');
    expect(textOf(x, 'latestRevision/md5')).toBe(md5('evil'));
    expect(textOf(x, 'latestRevision/size')).toBeUndefined();
    expect((await c.sendUpload(String(a.upload_url), 'evil')).status).toBe(404);
    const again = await c.upload('c.txt', 'evil');
    expect(again.up!.status).toBe(201);
    expect(emu.state.stat('Jotta/Archive/c.txt')?.latest).toBeNull();
  });

  it('enforces the quota at allocate with a clear error; usage shows in <user> and customer', async () => {
    await setup({ capacity: 20 });
    await c.upload('a.bin', '0123456789');
    const over = await c.allocate('b.bin', '01234567890');
    expect(over.status).toBe(460);
    expect(over.json()).toMatchObject({ code: 460, error_id: 'QuotaExceededException' });
    expect(String(over.json().message)).toMatch(/Quota exceeded/);
    expect(emu.state.stat('Jotta/Archive/b.bin')).toBeUndefined();
    // Same content as an existing file costs nothing (COMPLETED), and fitting uploads still work.
    expect((await c.allocate('a.bin', '0123456789')).json().state).toBe('COMPLETED');
    expect((await c.upload('c.bin', 'abc')).up!.status).toBe(201);
    const user = (await c.req(`/jfs/${c.user}`)).xml();
    expect(textOf(user, 'capacity')).toBe('20');
    expect(textOf(user, 'usage')).toBe('13');
    expect((await c.req('/account/v1/customer')).json()).toMatchObject({ quota: 20, usage: 13 });
  });

  it('rejects bad allocate input with 400 and stores nothing', async () => {
    await setup();
    const post = (body: string): ReturnType<Client['req']> => c.req('/files/v1/allocate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const ok = { bytes: 3, md5: md5('abc'), path: '/jfs/Jotta/Archive/a.txt', created: '2020-01-01T00:00:00Z', modified: '2020-01-01T00:00:00Z' };
    const bad: unknown[] = [
      '{', '[]', 'null', { ...ok, bytes: -1 }, { ...ok, bytes: 1.5 }, { ...ok, bytes: '3' }, { ...ok, bytes: 1e300 },
      { ...ok, bytes: 2 ** 53 }, { ...ok, md5: 'xyz' }, { ...ok, path: 5 }, { ...ok, path: '/jfs/Jotta/Archive/../x' },
      { ...ok, path: '/jfs/Jotta/Archive/' }, { ...ok, path: '/jfs/Jotta' }, { ...ok, modified: 'yesterday' },
      { ...ok, modified: '2020-13-01T00:00:00Z' }, { ...ok, conflict_handler: 'MERGE' }, { ...ok, path: `/jfs/Jotta/Archive/${'n'.repeat(256)}` },
      { ...ok, path: '/jfs/Jotta/Archive/bad\u0001name' },
    ];
    for (const b of bad) {
      const r = await post(typeof b === 'string' ? b : JSON.stringify(b));
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(r.json().error_id).toBe('InvalidArgumentException');
    }
    expect((await post(JSON.stringify({ ...ok, path: '/jfs/Nodevice/Archive/a.txt' }))).status).toBe(404);
    expect((await post(JSON.stringify({ ...ok, path: '/jfs/Jotta/Trash/a.txt' }))).status).toBe(403);
    expect((await post(JSON.stringify({ ...ok, path: `/jfs/Jotta/Archive/${'n'.repeat(255)}` }))).status).toBe(200);
    expect(emu.state.stat('Jotta/Archive')?.children).toEqual(['n'.repeat(255)]);
  });

  it('allocate onto a folder is a conflict; REJECT_CONFLICTS refuses to overwrite', async () => {
    await setup();
    await c.post('d', 'mkDir=true');
    expect((await c.allocate('d', 'x')).status).toBe(409);
    await c.upload('f.txt', 'one');
    const r = await c.allocate('f.txt', 'two', { conflict_handler: 'REJECT_CONFLICTS' });
    expect(r.status).toBe(409);
    expect(r.json().error_id).toBe('UniqueFileException');
  });

  it('unknown upload ids are 404; uploads need auth unless switched off', async () => {
    await setup();
    expect((await c.sendUpload(`${emu.url}/files/v1/upload/0123abcd`, 'x')).status).toBe(404);
    const a = (await c.allocate('n.txt', 'x')).json();
    const anon = await fetch(String(a.upload_url), { method: 'POST', body: 'x' });
    expect(anon.status).toBe(401);
    await emu.stop();
    await setup({ behaviour: { uploadRequiresAuth: false } });
    const b = (await c.allocate('n.txt', 'x')).json();
    expect((await fetch(String(b.upload_url), { method: 'POST', body: 'x' })).status).toBe(201);
  });
});
