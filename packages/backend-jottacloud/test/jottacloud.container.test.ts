// The rclone fstests port (runBackendConformance) and a jsync CLI smoke against the emulator's container image
// (tools/build-emulator-image.sh) under testcontainers: host network on 127.0.0.1, the backend talking to the fixed
// jottacloud.com hosts through the container's HTTPS proxy, TLS verified against the CA the container writes to its
// bind-mounted --tls-dir. Run with `pnpm test:containers` (needs a Docker daemon); excluded from `pnpm test`.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nullLogger } from '@jsync/core';
import type { Fs, GlobalOptions, NewFsResult, PersistentState } from '@jsync/core';
import { runBackendConformance } from '@jsync/testkit';
import { CONFIG_VERSION, createJottacloudBackend, resolveJottacloudOptions, setListPageSize } from '../src/index.js';
import { collect } from './fs/helpers.js';

const IMAGE = process.env.JOTTA_EMULATOR_IMAGE ?? 'jsync/jotta-emulator:local';
const CAPACITY = 1 << 30;
// The built CLI (`pnpm test` builds it before CI runs the container tests); the CLI smoke is skipped without it.
const CLI_BIN = fileURLToPath(new URL('../../../apps/cli/dist/bin.js', import.meta.url));
const hasCli = existsSync(CLI_BIN);

/** The emulator's one-line JSON on stdout once it listens. */
interface ReadyLine {
  readonly url: string;
  readonly proxy: string;
  readonly caCert: string;
}

/** A port that is free on the host right now (the container shares the host network). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** A fresh one-use personal login token from the container's admin endpoint. */
async function mintLoginToken(url: string): Promise<string> {
  const res = await fetch(`${url}/__admin/login-token`, { method: 'POST' });
  if (res.status !== 200) throw new Error(`POST /__admin/login-token: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

let dataDir: string;
let container: StartedTestContainer | undefined;
let ready: ReadyLine;
let caPath: string;
const logLines: string[] = [];
const opened: Fs[] = [];
// The backend as a user runs it: real host names, HTTPS_PROXY pointing at the container, --ca-cert its CA.
let backend: ReturnType<typeof createJottacloudBackend>;
let globalOpts: GlobalOptions;
const section: Record<string, string> = {};
let lock: Promise<void> = Promise.resolve();
/** The remote's config section, shared by every Fs of the suite (token rotation writes back here). */
const state: PersistentState = {
  update(fn) {
    const run = lock.then(async () => {
      const out = await fn({ ...section });
      if (out) Object.assign(section, out);
    });
    lock = run.catch(() => {});
    return run;
  },
};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jsync-jotta-container-'));
  const port = await freePort();
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  container = await new GenericContainer(IMAGE)
    .withNetworkMode('host')
    .withUser(`${uid}:${gid}`)
    .withBindMounts([{ source: dataDir, target: '/data', mode: 'rw' }])
    .withCommand(['--host', '127.0.0.1', '--port', String(port), '--data-dir', '/data', '--tls-dir', '/data/tls', '--seed', '11', '--capacity', String(CAPACITY)])
    .withLogConsumer((stream) => stream.on('data', (chunk: Buffer | string) => logLines.push(...chunk.toString().split('\n').filter(Boolean))))
    .withWaitStrategy(Wait.forLogMessage(/"loginToken"/))
    .withStartupTimeout(60_000)
    .start();
  // The wait strategy reads its own log stream; give the consumer's stream a moment to catch up.
  for (let i = 0; i < 100 && !logLines.some((l) => l.includes('"loginToken"')); i++) await delay(50);
  const line = logLines.find((l) => l.includes('"loginToken"'));
  if (line === undefined) throw new Error(`no ready line in container output:\n${logLines.join('\n')}`);
  ready = JSON.parse(line) as ReadyLine;
  // The container's /data/tls/ca.pem is this host file through the bind mount.
  if (ready.caCert !== '/data/tls/ca.pem') throw new Error(`unexpected CA path in the container: ${ready.caCert}`);
  caPath = join(dataDir, 'tls', 'ca.pem');

  backend = createJottacloudBackend({ env: { HTTPS_PROXY: ready.proxy } });
  globalOpts = { caCert: [caPath] };
  // `jsync config create jc jottacloud config_type=standard config_login_token=…`, through the public API.
  const stored = await backend.configure!({
    name: 'jc', values: { type: 'jottacloud', config_type: 'standard', config_login_token: await mintLoginToken(ready.url) }, logger: nullLogger, global: globalOpts,
  });
  Object.assign(section, { type: 'jottacloud' }, stored);
  // From here on the request log holds only what the suite sends (checked after the conformance cases).
  const cleared = await fetch(`${ready.url}/__admin/requests`, { method: 'DELETE' });
  if (cleared.status !== 200) throw new Error(`DELETE /__admin/requests: HTTP ${cleared.status}`);
});

afterAll(async () => {
  for (const fs of opened) await fs.features.shutdown?.();
  await container?.stop({ timeout: 10 });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Opens the configured remote at `root` with the section's current token (as the CLI does per command). */
async function open(root: string): Promise<NewFsResult> {
  const options = resolveJottacloudOptions({
    token: section.token, tokenURL: section.tokenURL, configVersion: Number(section.configVersion),
    client_id: section.client_id, client_secret: section.client_secret, device: section.device, mountpoint: section.mountpoint,
  });
  const res = await backend.newFs({ name: 'jc', root, options, rawOptions: { ...section }, persistentState: state, logger: nullLogger, global: globalOpts });
  opened.push(res.fs);
  return res;
}

describe('login through the container', () => {
  it('config_type=standard with a minted login token stores rclone\'s keys; the token URL is the container', () => {
    expect(section.configVersion).toBe(String(CONFIG_VERSION));
    expect((section.tokenURL ?? '').startsWith(`${ready.url}/`)).toBe(true);
    const token = JSON.parse(section.token ?? '{}') as { access_token: string; refresh_token: string; expiry: string };
    expect(token.access_token).toBeTruthy();
    expect(token.refresh_token).toBeTruthy();
    expect(Date.parse(token.expiry)).toBeGreaterThan(Date.now());
    expect(readFileSync(caPath, 'utf8')).toContain('-----BEGIN CERTIFICATE-----');
  });
});

runBackendConformance({
  name: 'jottacloud (emulator container, HTTPS proxy)',
  remoteName: 'jc',
  newFs: (root) => open(root),
  setListPageSize,
  internal: (ctx) => {
    it('stores the fixture files on the server with their sizes and whole-second modtimes', async () => {
      expect(ctx.files.length).toBeGreaterThan(0);
      for (const item of ctx.files) {
        const o = await ctx.fs.newObject(item.path);
        expect(o.size).toBe(item.size);
        expect(o.modTime().equals(item.modTime.truncate(1_000_000_000n))).toBe(true);
      }
    });

    it('lists the same files with list and listR (liststream)', async () => {
      const listR = ctx.fs.features.listR;
      if (!listR) throw new Error('listR missing');
      const viaListR = (await collect(listR(''))).filter((e) => !e.isDir).map((e) => e.remote).sort();
      expect(viaListR).toEqual(ctx.files.map((f) => f.path).sort());
    });
  },
});

describe('after the conformance suite', () => {
  it('every Fs request reached the container through the proxy as a jottacloud.com host (OIDC aside)', async () => {
    const res = await fetch(`${ready.url}/__admin/requests`);
    expect(res.status).toBe(200);
    const { requests } = (await res.json()) as { requests: { host: string; url: string; status: number }[] };
    expect(requests.length).toBeGreaterThan(100);
    const hosts = new Set(requests.filter((r) => !r.url.includes('/protocol/openid-connect/')).map((r) => r.host.replace(/:\d+$/, '')));
    expect([...hosts].sort()).toEqual(['api.jottacloud.com', 'jfs.jottacloud.com', 'up.jottacloud.com']);
  });
});

// Skip reason: needs the built CLI; `pnpm test:containers` builds every package first.
describe.skipIf(!hasCli)('jsync CLI against the container (skipped: apps/cli/dist/bin.js not built)', () => {
  const md5 = (b: Buffer | string): string => createHash('md5').update(b).digest('hex');
  const blob = Buffer.from(Array.from({ length: 200_003 }, (_, i) => (i * 7919) % 251));

  it('config create, copy, lsjson, check, about through HTTPS_PROXY + --ca-cert', async () => {
    const work = mkdtempSync(join(tmpdir(), 'jsync-jotta-container-cli-'));
    try {
      mkdirSync(join(work, 'src', 'sub dir'), { recursive: true });
      writeFileSync(join(work, 'src', 'hello world.txt'), 'hello from jsync\n');
      writeFileSync(join(work, 'src', 'sub dir', 'blob.bin'), blob);
      const env: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: ready.proxy, HOME: work, TZ: 'UTC' };
      for (const k of ['https_proxy', 'NO_PROXY', 'no_proxy', 'RCLONE_CONFIG', 'JSYNC_CONFIG']) delete env[k];
      const jsync = (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => new Promise((done) => {
        execFile(process.execPath, [CLI_BIN, '--config', join(work, 'jsync.conf'), '--ca-cert', caPath, ...args], { env, encoding: 'utf8', timeout: 60_000 },
          (err, stdout, stderr) => done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr }));
      });

      const create = await jsync('config', 'create', 'remote', 'jottacloud', 'config_type=standard', `config_login_token=${await mintLoginToken(ready.url)}`);
      expect(create.code, create.stderr).toBe(0);
      expect(readFileSync(join(work, 'jsync.conf'), 'utf8')).toMatch(/\[remote\][^[]*tokenURL = http:\/\/127\.0\.0\.1:/);

      const copy = await jsync('copy', join(work, 'src'), 'remote:cli-smoke');
      expect(copy.code, copy.stderr).toBe(0);

      const ls = await jsync('lsjson', '-R', '--hash', '--files-only', 'remote:cli-smoke');
      expect(ls.code, ls.stderr).toBe(0);
      const items = (JSON.parse(ls.stdout) as { Path: string; Size: number; Hashes: { md5: string } }[]).sort((a, b) => a.Path.localeCompare(b.Path));
      expect(items.map((i) => [i.Path, i.Size, i.Hashes.md5])).toEqual([
        ['hello world.txt', 17, md5('hello from jsync\n')],
        ['sub dir/blob.bin', blob.length, md5(blob)],
      ]);

      const check = await jsync('check', '--download', join(work, 'src'), 'remote:cli-smoke');
      expect(check.stderr).toContain('0 differences found');
      expect(check.code).toBe(0);

      const about = await jsync('about', '--json', 'remote:');
      expect(about.code, about.stderr).toBe(0);
      const quota = JSON.parse(about.stdout) as { total?: number; used?: number };
      expect(quota.total).toBe(CAPACITY);
      expect(quota.used).toBeGreaterThanOrEqual(17 + blob.length);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
