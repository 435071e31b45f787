// The emulator's container image (tools/build-emulator-image.sh) under testcontainers: host network on 127.0.0.1,
// a smoke sequence through the HTTPS proxy, and --data-dir state surviving a graceful and a kill restart.
// Run with `pnpm test:containers` (needs a Docker daemon); excluded from `pnpm test`.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsVia, TunnelAgent, type TunnelResponse } from './proxy-client.js';

const IMAGE = process.env.JOTTA_EMULATOR_IMAGE ?? 'jsync/jotta-emulator:local';
// CI installs Debian's rclone (.ci/run); the rclone case is skipped without it.
const hasRclone = spawnSync('rclone', ['version'], { stdio: 'ignore' }).error === undefined;

interface ReadyLine {
  readonly url: string;
  readonly proxy: string;
  readonly caCert: string;
  readonly loginToken: string;
}

/** A port that is free on the host right now (the container shares the host network). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** Decodes a personal login token (base64url JSON). */
function decodeLoginToken(token: string): { username: string; realm: string; well_known_link: string; auth_token: string } {
  return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { username: string; realm: string; well_known_link: string; auth_token: string };
}

/** Exchanges a login token for an access token exactly as rclone's "standard" config does. */
async function accessTokenFor(loginToken: string): Promise<string> {
  const lt = decodeLoginToken(loginToken);
  const discovery = await (await fetch(lt.well_known_link)).json() as { token_endpoint: string };
  const body = new URLSearchParams({ client_id: 'jottacli', grant_type: 'password', password: lt.auth_token, scope: 'openid offline_access', username: lt.username });
  const res = await fetch(discovery.token_endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  expect(res.status).toBe(200);
  const json = await res.json() as { access_token: string; refresh_token: string };
  expect(json.refresh_token).toBeTruthy();
  return json.access_token;
}

/** Escapes a path for a JFS URL as rclone does (segments percent-encoded, '+' as %2B). */
const jfsPath = (...segments: string[]): string => segments.map((s) => encodeURIComponent(s)).join('/');

class Client {
  constructor(readonly agent: TunnelAgent, readonly token: string) {}

  request(url: string, opts: { method?: string; body?: Buffer | string; headers?: Record<string, string> } = {}): Promise<TunnelResponse> {
    return httpsVia(this.agent, url, { ...opts, headers: { authorization: `Bearer ${this.token}`, ...opts.headers } });
  }

  async username(): Promise<string> {
    const res = await this.request('https://api.jottacloud.com/account/v1/customer');
    expect(res.status).toBe(200);
    return (JSON.parse(res.body.toString()) as { username: string }).username;
  }

  /** allocate + upload of `data` to Archive/<dir>/<name>; returns the upload response. */
  async upload(dir: string, name: string, data: Buffer): Promise<{ md5: string; bytes: number }> {
    const md5 = createHash('md5').update(data).digest('hex');
    const now = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    const alloc = await this.request('https://api.jottacloud.com/files/v1/allocate', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bytes: data.length, created: now, md5, modified: now, path: `/jfs/Jotta/Archive/${dir}/${name}` }),
    });
    expect(alloc.status, alloc.body.toString()).toBe(200);
    const a = JSON.parse(alloc.body.toString()) as { state: string; upload_url: string; resume_pos: number };
    expect(a.state).not.toBe('COMPLETED');
    expect(a.resume_pos).toBe(0);
    const up = await this.uploadTo(a.upload_url, data);
    expect(up.status, up.body.toString()).toBeGreaterThanOrEqual(200);
    expect(up.status).toBeLessThan(300);
    const json = JSON.parse(up.body.toString()) as { md5: string; bytes: number };
    expect(json).toMatchObject({ md5, bytes: data.length });
    return json;
  }

  /** POSTs the bytes to an upload URL, which may be https through the proxy or plain loopback http. */
  async uploadTo(uploadUrl: string, data: Buffer): Promise<TunnelResponse> {
    const headers = { 'content-type': 'application/octet-stream' };
    if (uploadUrl.startsWith('https:')) return this.request(uploadUrl, { method: 'POST', body: data, headers });
    const res = await fetch(uploadUrl, { method: 'POST', body: data, headers: { ...headers, authorization: `Bearer ${this.token}` } });
    return { status: res.status, headers: {}, body: Buffer.from(await res.arrayBuffer()), reusedSocket: false };
  }
}

describe('jotta-emulator container image', () => {
  let dataDir: string;
  let port: number;
  let container: StartedTestContainer;
  let ready: ReadyLine;
  let agent: TunnelAgent;
  const logLines: string[] = [];
  const payload = randomBytes(300_000);
  const small = Buffer.from('survives a restart\n');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jsync-emulator-container-'));
    port = await freePort();
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    container = await new GenericContainer(IMAGE)
      .withNetworkMode('host')
      .withUser(`${uid}:${gid}`)
      .withBindMounts([{ source: dataDir, target: '/data', mode: 'rw' }])
      .withCommand(['--host', '127.0.0.1', '--port', String(port), '--data-dir', '/data', '--tls-dir', '/data/tls', '--seed', '7'])
      .withLogConsumer((stream) => stream.on('data', (chunk: Buffer | string) => logLines.push(...chunk.toString().split('\n').filter(Boolean))))
      .withWaitStrategy(Wait.forLogMessage(/"loginToken"/))
      .withStartupTimeout(60_000)
      .start();
    // The wait strategy reads its own log stream; give the consumer's stream a moment to catch up.
    for (let i = 0; i < 100 && !logLines.some((l) => l.includes('"loginToken"')); i++) await delay(50);
    const line = logLines.find((l) => l.includes('"loginToken"'));
    if (line === undefined) throw new Error(`no ready line in container output:\n${logLines.join('\n')}`);
    ready = JSON.parse(line) as ReadyLine;
    agent = new TunnelAgent(ready.proxy, readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8'));
  });

  afterAll(async () => {
    agent?.destroy();
    await container?.stop({ timeout: 10 });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints one ready line with loopback URLs, the CA path under --tls-dir and a login token pointing at itself', () => {
    expect(ready.url).toBe(`http://127.0.0.1:${port}`);
    expect(ready.proxy).toBe(`http://127.0.0.1:${port}`);
    expect(ready.caCert).toBe('/data/tls/ca.pem');
    const lt = decodeLoginToken(ready.loginToken);
    expect(lt.well_known_link.startsWith(`${ready.url}/`)).toBe(true);
    expect(lt.auth_token).toBeTruthy();
    expect(readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8')).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('smoke: token, mkdir, allocate + upload, list, ranged and full download through the HTTPS proxy', async () => {
    const client = new Client(agent, await accessTokenFor(ready.loginToken));
    const user = await client.username();
    expect(user).toMatch(/^\S+$/);
    const mk = await client.request(`https://jfs.jottacloud.com/jfs/${jfsPath(user, 'Jotta', 'Archive', 'smoke dir')}?mkDir=true`, { method: 'POST' });
    expect(mk.status).toBe(200);
    expect(mk.body.toString()).toMatch(/<folder[^>]* name="smoke dir"/);

    await client.upload('smoke dir', 'payload.bin', payload);
    await client.upload('smoke dir/sub', 'small.txt', small);

    const list = await client.request(`https://jfs.jottacloud.com/jfs/${jfsPath(user, 'Jotta', 'Archive', 'smoke dir')}`);
    expect(list.status).toBe(200);
    const xml = list.body.toString();
    expect(xml).toMatch(/<file[^>]* name="payload\.bin"/);
    expect(xml).toMatch(/<folder[^>]* name="sub"/);
    expect(xml).toContain(`<md5>${createHash('md5').update(payload).digest('hex')}</md5>`);
    expect(xml).toContain(`<size>${payload.length}</size>`);

    const full = await client.request(`https://jfs.jottacloud.com/jfs/${jfsPath(user, 'Jotta', 'Archive', 'smoke dir', 'payload.bin')}?mode=bin`);
    expect(full.status).toBe(200);
    expect(full.body.equals(payload)).toBe(true);
    const part = await client.request(`https://jfs.jottacloud.com/jfs/${jfsPath(user, 'Jotta', 'Archive', 'smoke dir', 'payload.bin')}?mode=bin`, { headers: { range: 'bytes=1000-1999' } });
    expect(part.status).toBe(206);
    expect(part.body.equals(payload.subarray(1000, 2000))).toBe(true);
  });

  it.runIf(hasRclone)('the Debian rclone works against the container (config create, copy, check --download)', async () => {
    const work = join(dataDir, '..', `${dataDir.split('/').pop() ?? 'x'}-rclone`);
    mkdirSync(join(work, 'src', 'sub'), { recursive: true });
    writeFileSync(join(work, 'src', 'hello world.txt'), 'hello from rclone\n');
    writeFileSync(join(work, 'src', 'sub', 'blob.bin'), payload.subarray(0, 123_457));
    const env: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: ready.proxy, HOME: work, TZ: 'UTC' };
    for (const k of ['https_proxy', 'NO_PROXY', 'no_proxy', 'RCLONE_CONFIG']) delete env[k];
    const rclone = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => new Promise((done) => {
      execFile('rclone', ['--config', join(work, 'rclone.conf'), '--ca-cert', join(dataDir, 'tls', 'ca.pem'), ...args], { env, encoding: 'utf8', timeout: 60_000 },
        (err, stdout, stderr) => done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr }));
    });
    try {
      const minted = await (await fetch(`${ready.url}/__admin/login-token`, { method: 'POST' })).json() as { token: string };
      expect((await rclone('config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${minted.token}`)).code).toBe(0);
      const copy = await rclone('copy', join(work, 'src'), 'jc:from-rclone');
      expect(copy.code, copy.stderr).toBe(0);
      const check = await rclone('check', '--download', join(work, 'src'), 'jc:from-rclone');
      expect(check.stderr).toContain('0 differences found');
      expect(check.code).toBe(0);
      const ls = await rclone('lsjson', '-R', '--hash', '--files-only', 'jc:from-rclone');
      const items = (JSON.parse(ls.stdout) as { Path: string; Size: number; Hashes: { md5: string } }[]).sort((a, b) => a.Path.localeCompare(b.Path));
      expect(items.map((i) => [i.Path, i.Size, i.Hashes.md5])).toEqual([
        ['hello world.txt', 18, createHash('md5').update('hello from rclone\n').digest('hex')],
        ['sub/blob.bin', 123_457, createHash('md5').update(payload.subarray(0, 123_457)).digest('hex')],
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  /** After a restart: a fresh login token from the admin endpoint, and every file intact. */
  async function expectStateSurvived(): Promise<Client> {
    const minted = await fetch(`${ready.url}/__admin/login-token`, { method: 'POST' });
    expect(minted.status).toBe(200);
    const { token } = await minted.json() as { token: string };
    const client = new Client(agent, await accessTokenFor(token));
    const user = await client.username();
    const full = await client.request(`https://jfs.jottacloud.com/jfs/${jfsPath(user, 'Jotta', 'Archive', 'smoke dir', 'payload.bin')}?mode=bin`);
    expect(full.status).toBe(200);
    expect(createHash('md5').update(full.body).digest('hex')).toBe(createHash('md5').update(payload).digest('hex'));
    const smallRes = await client.request(`https://jfs.jottacloud.com/jfs/${jfsPath(user, 'Jotta', 'Archive', 'smoke dir', 'sub', 'small.txt')}?mode=bin`);
    expect(smallRes.body.toString()).toBe(small.toString());
    return client;
  }

  /** When the container's current process started (docker inspect), to prove a restart really happened. */
  const startedAt = (): string => execFileSync('docker', ['inspect', '-f', '{{.State.StartedAt}}', container.getId()], { encoding: 'utf8' }).trim();

  it('keeps the --data-dir state (files, folders, CA) across a graceful container restart', async () => {
    const caBefore = readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8');
    const before = startedAt();
    agent.destroy();
    await container.restart({ timeout: 10 });
    expect(startedAt()).not.toBe(before);
    agent = new TunnelAgent(ready.proxy, caBefore);
    expect(readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8')).toBe(caBefore);
    const client = await expectStateSurvived();
    await client.upload('smoke dir', 'after-restart.txt', Buffer.from('written after the first restart\n'));
  });

  it('keeps acknowledged writes across a kill (SIGKILL) restart', async () => {
    const before = startedAt();
    agent.destroy();
    await container.restart({ timeout: 0 });
    expect(startedAt()).not.toBe(before);
    agent = new TunnelAgent(ready.proxy, readFileSync(join(dataDir, 'tls', 'ca.pem'), 'utf8'));
    const client = await expectStateSurvived();
    const user = await client.username();
    const res = await client.request(`https://jfs.jottacloud.com/jfs/${jfsPath(user, 'Jotta', 'Archive', 'smoke dir', 'after-restart.txt')}?mode=bin`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('written after the first restart\n');
  });
});
