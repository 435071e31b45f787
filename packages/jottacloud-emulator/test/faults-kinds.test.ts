// The fault kinds quota, corrupt, malformed and huge, and the fault ops of JFS commands, cleanup and customer.

import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { faultApplies, parseFaultSpec, FAULT_KINDS, FAULT_OPS, type Emulator } from '../src/index.js';
import { emulatorWithClient, md5, type Client } from './helpers/client.js';
import { child, parseXml, textOf } from './helpers/xml.js';

let emu: Emulator;
let c: Client;
afterEach(async () => emu?.stop());
const setup = async (o = {}): Promise<void> => {
  ({ emu, c } = await emulatorWithClient(o));
};
const abs = (p: string): string => encodeURIComponent(`/${c.user}/Jotta/Archive/${p}`);

describe('spec language', () => {
  it('knows the new ops and kinds; corrupt/malformed/huge only match requests they can act on', () => {
    for (const op of ['delete', 'cleanup', 'move', 'copy', 'mkdir', 'cphash', 'customer']) expect(FAULT_OPS).toContain(op);
    for (const kind of ['quota', 'corrupt', 'malformed', 'huge']) expect(FAULT_KINDS).toContain(kind);
    expect(parseFaultSpec('delete=quota@2')).toEqual({ op: 'delete', kind: 'quota', nth: 2 });
    expect(parseFaultSpec('upload=corrupt:0.5')).toEqual({ op: 'upload', kind: 'corrupt', probability: 0.5 });
    expect(parseFaultSpec('any=huge')).toEqual({ op: 'any', kind: 'huge' });
    expect(() => parseFaultSpec('rename=500')).toThrow(/fault op/);
    expect(faultApplies('corrupt', 'upload') && faultApplies('corrupt', 'download')).toBe(true);
    expect(faultApplies('corrupt', 'list') || faultApplies('malformed', 'download') || faultApplies('huge', 'download')).toBe(false);
    expect(faultApplies('malformed', 'upload') && faultApplies('huge', 'list') && faultApplies('quota', 'download')).toBe(true);
  });
});

describe('quota', () => {
  it('answers 460 QuotaExceededException on allocate, upload and JFS commands, executing nothing', async () => {
    await setup({ faults: ['allocate=quota@1', 'upload=quota@1', 'mkdir=quota@1'] });
    const a = await c.allocate('q.txt', 'quota');
    expect(a.status).toBe(460);
    expect(a.json()).toMatchObject({ code: 460, error_id: 'QuotaExceededException' });
    expect(String(a.json().message)).toMatch(/^no\.jotta\.backup\.errors\.QuotaExceededException: Quota exceeded/);
    expect(emu.state.stat('Jotta/Archive/q.txt')).toBeUndefined();
    const alloc = (await c.allocate('q.txt', 'quota')).json();
    expect(alloc.state).toBe('ADDED');
    const up = await c.sendUpload(String(alloc.upload_url), 'quota');
    expect(up.status).toBe(460);
    expect(up.json().error_id).toBe('QuotaExceededException');
    expect(emu.state.stat('Jotta/Archive/q.txt')?.current).toBeNull();
    expect((await emu.state.pendingUploads()).map((u) => u.received)).toEqual([0]);
    expect((await c.sendUpload(String(alloc.upload_url), 'quota')).status).toBe(201);
    const mk = await c.post('d', 'mkDir=true');
    expect(mk.status).toBe(460);
    expect(textOf(mk.xml(), 'code')).toBe('460');
    expect(textOf(mk.xml(), 'message')).toMatch(/QuotaExceededException: Quota exceeded/);
    expect(emu.state.stat('Jotta/Archive/d')).toBeUndefined();
  });
});

describe('corrupt', () => {
  it('an upload is received but stored CORRUPT (400 CorruptUploadOpenApiException); the old revision stays current', async () => {
    await setup();
    await c.upload('f.txt', 'version one');
    emu.state.addFaults(['upload=corrupt@1']);
    const v2 = 'version two!';
    const alloc = (await c.allocate('f.txt', v2)).json();
    const up = await c.sendUpload(String(alloc.upload_url), v2);
    expect(up.status).toBe(400);
    expect(up.json()).toMatchObject({ code: 400, error_id: 'CorruptUploadOpenApiException' });
    const st = emu.state.stat('Jotta/Archive/f.txt')!;
    expect(st.current?.md5).toBe(md5('version one'));
    expect(st.latest).toMatchObject({ state: 'CORRUPT', md5: md5(v2) });
    expect((await emu.state.readFile('Jotta/Archive/f.txt'))?.toString()).toBe('version one');
    const doc = (await c.get('f.txt')).xml();
    expect(textOf(doc, 'latestRevision/state')).toBe('CORRUPT');
    expect(child(doc, 'latestRevision/size')).toBeUndefined();
    expect((await c.get('f.txt', 'mode=bin')).text).toBe('version one');
    expect(emu.state.requests.filter((r) => r.op === 'upload').map((r) => [r.fault, r.bytesReceived])).toEqual([[null, 11], ['corrupt', 12]]);
    // A retry uploads afresh and succeeds.
    const again = await c.upload('f.txt', v2);
    expect(again.alloc.state).toBe('ADDED');
    expect(again.up?.status).toBe(201);
    expect((await emu.state.readFile('Jotta/Archive/f.txt'))?.toString()).toBe(v2);
  });

  it('a partial corrupt upload keeps the damaged bytes, so completing it gives CORRUPT', async () => {
    await setup({ faults: ['upload=corrupt@1'] });
    const data = Buffer.from('0123456789abcdef');
    const alloc = (await c.allocate('p.bin', data)).json();
    const first = await c.sendUpload(String(alloc.upload_url), data.subarray(0, 8));
    expect(first.status).toBe(420);
    const resumed = (await c.allocate('p.bin', data)).json();
    expect(resumed).toMatchObject({ state: 'INCOMPLETE', resume_pos: 8 });
    const rest = await c.sendUpload(String(resumed.upload_url), data.subarray(8), { Range: 'bytes=8-15' });
    expect(rest.status).toBe(400);
    expect(rest.json().error_id).toBe('CorruptUploadOpenApiException');
    expect(emu.state.stat('Jotta/Archive/p.bin')?.latest?.state).toBe('CORRUPT');
  });

  it('a download serves the same length with a damaged first byte; corrupt rules ignore other requests', async () => {
    await setup();
    const data = Buffer.alloc(300_000, 0x41);
    await c.upload('big.bin', data);
    emu.state.addFaults(['any=corrupt@1']);
    expect((await c.get('')).status).toBe(200);
    expect(emu.state.faults()[0]).toMatchObject({ matched: 0, fired: 0 });
    const bad = await c.get('big.bin', 'mode=bin');
    expect(bad.status).toBe(200);
    expect(bad.body.length).toBe(data.length);
    expect(bad.body[0]).toBe(0x41 ^ 0xff);
    expect(bad.body.subarray(1).equals(data.subarray(1))).toBe(true);
    expect(md5(bad.body)).not.toBe(md5(data));
    const ranged = await c.get('big.bin', 'mode=bin');
    expect(ranged.body.equals(data)).toBe(true);
    expect(emu.state.faults()[0]).toMatchObject({ matched: 2, fired: 1 });
  });
});

describe('malformed', () => {
  it('replaces XML and JSON bodies by broken but well framed documents; the request itself is executed', async () => {
    await setup();
    await c.upload('dir/a.txt', 'a');
    emu.state.addFaults(['list=malformed@1', 'list=malformed@3', 'customer=malformed@1', 'mkdir=malformed@1', 'upload=malformed@1']);
    const listing = await c.get('dir');
    expect(listing.status).toBe(200);
    expect(Number(listing.headers['content-length'])).toBe(listing.body.length);
    expect(listing.text).toMatch(/<[A-Za-z_][^<>]{0,2}<\/unbalanced>$/);
    expect(() => listing.xml()).toThrow();
    expect((await c.get('dir')).xml().attrs.name).toBe('dir');
    const stream = await c.get('dir', 'mode=liststream');
    expect(stream.status).toBe(200);
    expect(() => stream.xml()).toThrow();
    const cust = await c.req('/account/v1/customer');
    expect(cust.status).toBe(200);
    expect(cust.text.endsWith(',]}')).toBe(true);
    expect(() => cust.json()).toThrow();
    const mk = await c.post('made', 'mkDir=true');
    expect(mk.status).toBe(200);
    expect(() => mk.xml()).toThrow();
    expect(emu.state.stat('Jotta/Archive/made')?.kind).toBe('folder');
    const { up } = await c.upload('u.txt', 'uploaded');
    expect(up?.status).toBe(201);
    expect(() => up?.json()).toThrow();
    expect((await emu.state.readFile('Jotta/Archive/u.txt'))?.toString()).toBe('uploaded');
  });

  it('error answers are broken too, keeping their status', async () => {
    await setup({ faults: ['list=malformed'] });
    const missing = await c.get('nope.txt');
    expect(missing.status).toBe(404);
    expect(() => missing.xml()).toThrow();
    expect(missing.text).toContain('</unbalanced>');
  });
});

/** Reads at most `limit` bytes of a GET, then destroys the connection; returns the status, header length and bytes read. */
function readCapped(url: string, path: string, token: string, limit: number): Promise<{ status: number; length: number; read: number }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path, agent: false, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= limit) {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, length: Number(res.headers['content-length']), read });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, length: Number(res.headers['content-length']), read }));
    });
    req.on('error', reject);
    req.end();
  });
}

const stripPadding = (xml: string): string => xml.replace(/<!--[\s\S]*?-->/g, '').replace(/>\s+</g, '><').trim();

describe('huge', () => {
  it('pads a listing to hugeBytes with comment nodes and whitespace; still well formed and the same listing', async () => {
    const hugeBytes = 3 * 2 ** 20 + 517;
    await setup({ behaviour: { hugeBytes } });
    await c.upload('dir/a.txt', 'a');
    await c.upload('dir/sub/b.txt', 'bb');
    const plain = await c.get('dir', 'mode=liststream');
    emu.state.addFaults(['list=huge@1', 'list=huge@2', 'customer=huge@2']);
    const huge = await c.get('dir', 'mode=liststream');
    expect(huge.status).toBe(200);
    expect(huge.body.length).toBe(hugeBytes);
    expect(Number(huge.headers['content-length'])).toBe(hugeBytes);
    const comments = huge.text.match(/<!--[\s\S]*?-->/g) ?? [];
    expect(comments.length).toBeGreaterThan(3000);
    expect(comments.every((m) => !m.slice(4, -3).includes('--'))).toBe(true);
    expect(huge.text.indexOf('<!--')).toBeGreaterThan(huge.text.indexOf('<filetree>'));
    expect(parseXml(stripPadding(huge.text))).toEqual(parseXml(stripPadding(plain.text)));
    const folder = await c.get('dir');
    expect(folder.body.length).toBe(hugeBytes);
    expect(parseXml(stripPadding(folder.text)).attrs.name).toBe('dir');
    const plainCustomer = (await c.req('/account/v1/customer')).json();
    const hugeCustomer = await c.req('/account/v1/customer');
    expect(hugeCustomer.body.length).toBe(hugeBytes);
    expect(hugeCustomer.json()).toEqual(plainCustomer);
  });

  it('streams the default 64 MiB without holding it; a client that stops reading ends the response', async () => {
    await setup({ faults: ['list=huge@1'] });
    const got = await readCapped(c.url, c.jfs(''), c.token, 2 ** 20);
    expect(got.status).toBe(200);
    expect(got.length).toBe(64 * 2 ** 20);
    expect(got.read).toBeLessThan(got.length);
    await new Promise((r) => setTimeout(r, 100));
    const rec = emu.state.requests.find((r) => r.fault === 'huge')!;
    expect(rec.bytesSent).toBeLessThan(32 * 2 ** 20);
    expect((await c.get('')).status).toBe(200);
  });
});

describe('ops', () => {
  it('delete, move, copy, mkdir, cphash, cleanup and customer faults hit exactly their requests', async () => {
    await setup();
    await c.upload('f.txt', 'abc');
    await c.upload('d/g.txt', 'g');
    emu.state.addFaults(['delete=500@1', 'move=503@1', 'copy=429@1', 'mkdir=500@1', 'cphash=503@1', 'cleanup=500@1', 'customer=503@1']);
    const h = { JSize: '3', JMd5: md5('abc'), JModified: '2020-01-01-T00:00:00Z' };
    const first = [
      await c.post('f.txt', 'dl=true'), await c.post('f.txt', `mv=${abs('m.txt')}`), await c.post('f.txt', `cp=${abs('c.txt')}`),
      await c.post('n', 'mkDir=true'), await c.post('f.txt', 'cphash=true', h), await c.req('/files/v1/purge_trash', { method: 'POST' }),
      await c.req('/account/v1/customer'),
    ];
    expect(first.map((r) => r.status)).toEqual([500, 503, 429, 500, 503, 500, 503]);
    expect(emu.state.stat('Jotta/Archive/f.txt')?.deleted).toBeNull();
    expect(emu.state.stat('Jotta/Archive/m.txt') ?? emu.state.stat('Jotta/Archive/c.txt') ?? emu.state.stat('Jotta/Archive/n')).toBeUndefined();
    expect((await c.post('f.txt', `cp=${abs('c.txt')}`)).status).toBe(200);
    expect((await c.post('c.txt', `mv=${abs('m.txt')}`)).status).toBe(200);
    expect((await c.req(`${c.jfs('d')}?mvDir=${abs('e')}`, { method: 'POST' })).status).toBe(200);
    expect((await c.post('n', 'mkDir=true')).status).toBe(200);
    expect((await c.post('f.txt', 'cphash=true', h)).status).toBe(200);
    expect((await c.post('m.txt', 'dl=true')).status).toBe(200);
    expect((await c.post('e', 'rmDir=true')).status).toBe(200);
    expect((await c.req('/files/v1/purge_trash', { method: 'POST' })).status).toBe(200);
    expect((await c.req('/account/v1/customer')).status).toBe(200);
    expect(emu.state.faults().map((f) => [f.spec, f.matched, f.fired])).toEqual([
      ['delete=500@1', 3, 1], ['move=503@1', 3, 1], ['copy=429@1', 2, 1], ['mkdir=500@1', 2, 1], ['cphash=503@1', 2, 1],
      ['cleanup=500@1', 2, 1], ['customer=503@1', 2, 1],
    ]);
    const ops = emu.state.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/jfs/')).map((r) => r.op);
    expect(new Set(ops)).toEqual(new Set(['delete', 'move', 'copy', 'mkdir', 'cphash']));
  });
});

describe('request log', () => {
  it('records Range, Content-Length and Content-Range and the body bytes in both directions', async () => {
    await setup();
    const data = Buffer.alloc(10_000, 3);
    const alloc = (await c.allocate('r.bin', data)).json();
    expect((await c.sendUpload(String(alloc.upload_url), data.subarray(0, 4000))).status).toBe(420);
    const resumed = (await c.allocate('r.bin', data)).json();
    expect((await c.sendUpload(String(resumed.upload_url), data.subarray(4000), { Range: 'bytes=4000-9999' })).status).toBe(201);
    await c.get('r.bin', 'mode=bin');
    await c.req(`${c.jfs('r.bin')}?mode=bin`, { headers: { Range: 'bytes=100-199' } });
    const uploads = emu.state.requests.filter((r) => r.op === 'upload');
    expect(uploads.map((r) => [r.headers, r.bytesReceived, r.status])).toEqual([
      [{ 'content-length': '4000' }, 4000, 420],
      [{ range: 'bytes=4000-9999', 'content-length': '6000' }, 6000, 201],
    ]);
    const downloads = emu.state.requests.filter((r) => r.op === 'download');
    expect(downloads.map((r) => [r.headers, r.bytesSent, r.status])).toEqual([[{}, 10_000, 200], [{ range: 'bytes=100-199' }, 100, 206]]);
    const allocs = emu.state.requests.filter((r) => r.op === 'allocate');
    expect(allocs.every((r) => r.bytesReceived === Number(r.headers['content-length']) && r.bytesReceived > 50)).toBe(true);
  });
});
