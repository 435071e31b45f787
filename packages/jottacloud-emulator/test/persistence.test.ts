// --data-dir: a restart keeps account, trees, revisions, tombstones, tokens and partial uploads; kill -9 of a
// spawned emulator during uploads never corrupts the data directory.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/index.js';
import { emulatorBin } from './helpers/build.js';
import { Client, md5, rawRequest } from './helpers/client.js';

const dirs: string[] = [];
const running: Emulator[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'jotta-emu-data-'));
  dirs.push(d);
  return d;
};
afterEach(async () => Promise.all(running.splice(0).map((e) => e.stop())));
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const start = async (dataDir: string, extra = {}): Promise<Emulator> => {
  const e = await startEmulator({ proxy: false, dataDir, ...extra });
  running.push(e);
  return e;
};

/** Every file's current content matches its revision; every revision's blob exists. */
async function checkConsistent(e: Emulator, dataDir: string, path = 'Jotta/Archive'): Promise<number> {
  let files = 0;
  const st = e.state.stat(path);
  for (const name of st?.children ?? []) {
    const p = `${path}/${name}`;
    const s = e.state.stat(p)!;
    if (s.kind === 'folder') {
      files += await checkConsistent(e, dataDir, p);
      continue;
    }
    for (const r of [s.current, ...(s.older ?? [])]) if (r) expect(existsSync(join(dataDir, 'blobs', r.md5)), `${p} blob ${r.md5}`).toBe(true);
    if (s.current) {
      const data = (await e.state.readFile(p))!;
      expect(md5(data), p).toBe(s.current.md5);
      expect(data.length, p).toBe(s.current.size);
      files++;
    }
  }
  return files;
}

describe('restart with the same data dir', () => {
  it('keeps everything: files, revisions, tombstones, shares, devices, tokens, partial uploads', async () => {
    const dir = tmp();
    let e = await start(dir, { capacity: 1_000_000 });
    let c = await Client.login(e);
    const spareLogin = e.mintLoginToken();
    await c.upload('docs/a.txt', 'v1');
    await c.upload('docs/a.txt', 'v2');
    await c.upload('docs/trash.txt', 'bye');
    await c.post('docs/trash.txt', 'dl=true');
    await c.post('empty dir', 'mkDir=true');
    const uri = (await c.get('docs/a.txt', 'mode=enableShare')).xml().children.find((x) => x.name === 'publicURI')!.text;
    await c.req(`/jfs/${c.user}/laptop?type=LAPTOP`, { method: 'POST' });
    const a = (await c.allocate('partial.bin', '0123456789')).json();
    expect((await c.sendUpload(String(a.upload_url), '0123', { Range: 'bytes=0-3' })).status).toBe(420);
    const user = e.state.username;
    await e.stop();
    running.length = 0;

    e = await start(dir, { capacity: 5 });
    c = new Client(e.url, c.user, c.token, c.refreshToken);
    expect(e.state.username).toBe(user);
    expect((await c.get('docs/a.txt')).status).toBe(200);
    const st = e.state.stat('Jotta/Archive/docs/a.txt')!;
    expect(st.current?.md5).toBe(md5('v2'));
    expect(st.older?.map((r) => r.md5)).toEqual([md5('v1')]);
    expect(st.publicURI).toBe(uri);
    expect(e.state.stat('Jotta/Archive/docs/trash.txt')?.deleted).not.toBeNull();
    expect(e.state.stat('Jotta/Archive/empty dir')?.kind).toBe('folder');
    expect((await c.req(`/jfs/${c.user}/laptop`)).status).toBe(200);
    // Capacity belongs to the stored account, not to the new options.
    expect((await c.req('/account/v1/customer')).json().quota).toBe(1_000_000);
    const b = (await c.allocate('partial.bin', '0123456789')).json();
    expect(b).toMatchObject({ state: 'INCOMPLETE', resume_pos: 4 });
    expect((await c.sendUpload(String(b.upload_url), '456789', { Range: 'bytes=4-9' })).status).toBe(201);
    // Tokens survive: refresh rotation state and unused login tokens.
    const r = await rawRequest(e.url, '/auth/realms/jottacloud/protocol/openid-connect/token', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `client_id=jottacli&grant_type=refresh_token&refresh_token=${encodeURIComponent(c.refreshToken)}`,
    });
    expect(r.status).toBe(200);
    const parts = JSON.parse(Buffer.from(spareLogin, 'base64url').toString()) as Record<string, string>;
    expect(parts.well_known_link!.startsWith('http://127.0.0.1:')).toBe(true);
    await e.stop();
    running.length = 0;
    e = await start(dir);
    expect(await checkConsistent(e, dir)).toBe(3);
    expect(JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')).format).toBe('jotta-emulator-state/1');
  });

  it('deleted content disappears from the blob store once unreferenced', async () => {
    const dir = tmp();
    const e = await start(dir);
    const c = await Client.login(e);
    await c.upload('x.bin', 'unique bytes');
    expect(existsSync(join(dir, 'blobs', md5('unique bytes')))).toBe(true);
    await c.post('x.bin', 'rm=true');
    await e.state.settle();
    expect(existsSync(join(dir, 'blobs', md5('unique bytes')))).toBe(false);
  });
});

function spawnEmulator(bin: string, dataDir: string): Promise<{ child: ChildProcess; info: Record<string, string> }> {
  const child = spawn(process.execPath, [bin, '--data-dir', dataDir, '--no-proxy', '--seed', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (l) => resolve({ child, info: JSON.parse(l) as Record<string, string> }));
    child.once('exit', (code) => reject(new Error(`emulator exited early (${code})`)));
  });
}

describe('the jotta-emulator process', () => {
  let bin: string;
  let cleanup = (): void => undefined;
  beforeAll(() => {
    ({ bin, cleanup } = emulatorBin());
  }, 60_000);
  afterAll(() => cleanup());

  it('prints one JSON line, serves, and stops on SIGTERM', async () => {
    const dir = tmp();
    const child = spawn(process.execPath, [bin, '--data-dir', dir, '--seed', '5', '--fault', 'download=500@9'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
    const info = JSON.parse(line) as Record<string, string>;
    expect(Object.keys(info)).toEqual(['url', 'proxy', 'caCert', 'loginToken']);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.proxy).toBe(info.url);
    expect(existsSync(info.caCert!)).toBe(true);
    expect(JSON.parse(Buffer.from(info.loginToken!, 'base64url').toString()).well_known_link).toBe(`${info.url}/auth/realms/jottacloud/.well-known/openid-configuration`);
    const faults = (await rawRequest(info.url!, '/__admin/faults')).json();
    expect(faults).toMatchObject({ seed: 5, faults: [{ spec: 'download=500@9' }] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const bad = spawn(process.execPath, [bin, '--fault', 'nonsense'], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(await new Promise((resolve) => bad.once('exit', resolve))).toBe(2);
  });

  it('kill -9 during uploads leaves a consistent data dir; acknowledged uploads survive', async () => {
    const dir = tmp();
    const { child, info } = await spawnEmulator(bin, dir);
    const c = await Client.login({ url: info.url!, mintLoginToken: () => info.loginToken! } as unknown as Emulator);
    const acked: string[] = [];
    const payload = (i: number): Buffer => Buffer.alloc(20_000 + i * 3_001, i & 0xff);
    const uploads = Array.from({ length: 60 }, (_, i) => (async () => {
      await new Promise((r) => setTimeout(r, i * 3));
      const { up } = await c.upload(`batch/f${i}.bin`, payload(i));
      if (up && up.status !== 201) throw new Error(`upload ${i}: ${up.status}`);
      acked.push(`f${i}.bin`);
      if (i % 5 === 0) await c.post(`batch/f${i}.bin`, 'dl=true');
    })().catch(() => undefined));
    // Kill while uploads are still in flight: after the first few acknowledgements.
    const t0 = Date.now();
    while (acked.length < 8 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 2));
    child.kill('SIGKILL');
    await Promise.all(uploads);
    await new Promise((r) => child.exitCode !== null || child.signalCode ? r(undefined) : child.once('exit', r));
    const snapshotAcked = [...acked];
    expect(snapshotAcked.length).toBeGreaterThan(0);
    const e = await start(dir, { seed: 3 });
    const files = await checkConsistent(e, dir);
    expect(files).toBeGreaterThanOrEqual(snapshotAcked.length);
    for (const name of snapshotAcked) expect(e.state.stat(`Jotta/Archive/batch/${name}`)?.current, name).toBeTruthy();
    // The restarted emulator is fully usable with the old session.
    const c2 = new Client(e.url, c.user, c.token, c.refreshToken);
    expect((await c2.upload('batch/after.bin', 'after')).up?.status).toBe(201);
    expect((await c2.get('batch', 'mode=liststream')).status).toBe(200);
  });
});
