// Fault injection: the spec language, determinism per seed, every kind's effect, and the /__admin/faults API.

import { afterEach, describe, expect, it } from 'vitest';
import { parseFaultSpec, startEmulator, type Emulator } from '../src/index.js';
import { Client, emulatorWithClient, rawRequest } from './helpers/client.js';
import { textOf } from './helpers/xml.js';

let emu: Emulator;
let c: Client;
const extra: Emulator[] = [];
afterEach(async () => {
  await emu?.stop();
  await Promise.all(extra.splice(0).map((e) => e.stop()));
});

describe('fault spec language', () => {
  it('parses op=kind, :probability and @nth', () => {
    expect(parseFaultSpec('upload=reset')).toEqual({ op: 'upload', kind: 'reset' });
    expect(parseFaultSpec('list=503:0.25')).toEqual({ op: 'list', kind: '503', probability: 0.25 });
    expect(parseFaultSpec('any=429@3')).toEqual({ op: 'any', kind: '429', nth: 3 });
    for (const bad of ['', 'upload', 'upload=', 'nope=500', 'upload=404', 'list=500:2', 'list=500:-0.1', 'list=500:x', 'list=500@0', 'list=500@1.5', 'list=500@', 'list=500:0.5@2']) {
      expect(() => parseFaultSpec(bad), bad).toThrow(/fault/);
    }
  });
});

async function statuses(seed: number, n: number): Promise<number[]> {
  const e = await startEmulator({ proxy: false, seed, faults: ['list=503:0.5'] });
  extra.push(e);
  const cl = await Client.login(e);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await cl.get('')).status);
  return out;
}

describe('determinism', () => {
  it('the same seed gives the same faults for the same request sequence; another seed differs', async () => {
    const a = await statuses(7, 40);
    const b = await statuses(7, 40);
    const other = await statuses(8, 40);
    expect(a).toEqual(b);
    expect(a).not.toEqual(other);
    expect(a.filter((s) => s === 503).length).toBeGreaterThan(5);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(5);
  });
});

describe('kinds', () => {
  it('500/503/429 answer with proper error documents (429 with Retry-After) and change nothing', async () => {
    ({ emu, c } = await emulatorWithClient({ faults: ['allocate=500@2', 'list=429@1'], behaviour: { retryAfterSeconds: 3 } }));
    const busy = await c.get('');
    expect(busy.status).toBe(429);
    expect(busy.headers['retry-after']).toBe('3');
    expect(textOf(busy.xml(), 'code')).toBe('429');
    expect((await c.get('')).status).toBe(200);
    expect((await c.allocate('a.txt', 'a')).status).toBe(200);
    const failed = await c.allocate('b.txt', 'b');
    expect(failed.status).toBe(500);
    expect(failed.json()).toMatchObject({ code: 500 });
    expect(emu.state.stat('Jotta/Archive/b.txt')).toBeUndefined();
    expect((await c.allocate('b.txt', 'b')).status).toBe(200);
    const token = await startEmulator({ proxy: false, faults: ['token=503'] });
    extra.push(token);
    const t = await rawRequest(token.url, '/auth/realms/jottacloud/protocol/openid-connect/token', { method: 'POST', body: 'x' });
    expect(t.status).toBe(503);
    expect(t.json().error).toBe('server_error');
  });

  it('truncate cuts bodies short but well framed; reset drops the connection mid-body', async () => {
    ({ emu, c } = await emulatorWithClient());
    await c.upload('f.bin', '0123456789');
    emu.state.addFaults(['download=truncate@1', 'download=reset@2', 'list=truncate@1']);
    const cut = await c.get('f.bin', 'mode=bin');
    expect(cut.status).toBe(200);
    expect(cut.text).toBe('01234');
    await expect(c.get('f.bin', 'mode=bin')).rejects.toThrow();
    expect((await c.get('f.bin', 'mode=bin')).text).toBe('0123456789');
    const badXml = await c.get('');
    expect(() => badXml.xml()).toThrow();
    expect(emu.state.faults().map((f) => [f.spec, f.matched, f.fired])).toEqual([
      ['download=truncate@1', 3, 1], ['download=reset@2', 3, 1], ['list=truncate@1', 1, 1],
    ]);
  });

  it('upload faults keep the bytes received so the next allocate resumes', async () => {
    ({ emu, c } = await emulatorWithClient({ faults: ['upload=reset@1', 'upload=truncate@2'] }));
    const data = Buffer.alloc(200_000, 7);
    const a = (await c.allocate('u.bin', data)).json();
    await expect(c.sendUpload(String(a.upload_url), data)).rejects.toThrow();
    await emu.state.settle();
    const b = (await c.allocate('u.bin', data)).json();
    expect(b.state).toBe('INCOMPLETE');
    expect(b.resume_pos).toBe(100_000);
    const t = await c.sendUpload(String(b.upload_url), data.subarray(100_000), { Range: 'bytes=100000-199999' });
    expect(t.status).toBe(420);
    const d = (await c.allocate('u.bin', data)).json();
    expect(d.resume_pos).toBe(150_000);
    const done = await c.sendUpload(String(d.upload_url), data.subarray(150_000), { Range: 'bytes=150000-199999' });
    expect(done.status).toBe(201);
    expect((await emu.state.readFile('Jotta/Archive/u.bin'))?.equals(data)).toBe(true);
  });

  it('slow delays; expire makes the presented access token expire', async () => {
    ({ emu, c } = await emulatorWithClient({ faults: ['list=slow@1', 'list=expire@2'], behaviour: { slowMs: 250 } }));
    const t0 = Date.now();
    expect((await c.get('')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    const expired = await c.get('');
    expect(expired.status).toBe(401);
    expect(textOf(expired.xml(), 'message')).toMatch(/expired/i);
    expect((await c.req('/account/v1/customer')).status).toBe(401);
  });
});

describe('/__admin/faults', () => {
  it('GET lists, POST adds (or replaces), DELETE clears; bad specs are 400', async () => {
    ({ emu, c } = await emulatorWithClient({ seed: 42, faults: ['any=500:0'] }));
    const get = await rawRequest(emu.url, '/__admin/faults');
    // The login (discovery, token, customer) went through the `any` rule without firing it.
    expect(get.json()).toEqual({ seed: 42, faults: [{ op: 'any', kind: '500', probability: 0, spec: 'any=500:0', matched: 3, fired: 0 }] });
    const add = await rawRequest(emu.url, '/__admin/faults', { method: 'POST', body: JSON.stringify({ faults: ['list=503@1', { op: 'download', kind: 'reset', probability: 0.5 }] }) });
    expect(add.status).toBe(200);
    expect(add.json<{ faults: { spec: string }[] }>().faults.map((f) => f.spec)).toEqual(['any=500:0', 'list=503@1', 'download=reset:0.5']);
    expect((await c.get('')).status).toBe(503);
    const replace = await rawRequest(emu.url, '/__admin/faults', { method: 'POST', body: JSON.stringify({ faults: ['upload=500'], replace: true }) });
    expect(replace.json<{ faults: unknown[] }>().faults).toHaveLength(1);
    for (const body of ['{"faults":["nope=1"]}', '{', '{"x":1}']) {
      expect((await rawRequest(emu.url, '/__admin/faults', { method: 'POST', body })).status, body).toBe(400);
    }
    expect((await rawRequest(emu.url, '/__admin/faults', { method: 'DELETE' })).json()).toEqual({ seed: 42, faults: [] });
    // Admin requests are never faulted or logged.
    emu.state.addFaults(['any=500']);
    expect((await rawRequest(emu.url, '/__admin/faults')).status).toBe(200);
    expect(emu.state.requests.every((r) => !r.url.startsWith('/__admin'))).toBe(true);
  });
});
