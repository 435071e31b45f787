// The emulator's container (tools/build-emulator-image.sh) restarted under a running `jsync copy` (the built CLI,
// through the container's HTTPS proxy): state lives in --data-dir on a bind mount, so the account, its tokens and
// the uploads already acknowledged survive. The copy must either complete (its retries ride out the outage) or fail
// loudly ("Failed to copy: …", no stack trace); jsync never lists an unfinished upload as a file; a rerun converges,
// the config and its token still work, and `check --download` is clean. Once with a graceful restart (SIGTERM),
// once with a kill (SIGKILL). Run with `pnpm test:containers` (needs a Docker daemon); excluded from `pnpm test`.

import { execFile, execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const IMAGE = process.env.JOTTA_EMULATOR_IMAGE ?? 'jsync/jotta-emulator:local';
const CLI_BIN = fileURLToPath(new URL('../../../apps/cli/dist/bin.js', import.meta.url));
const STACK = /^\s+at (?:\S+ )?\(?(?:file:|node:|\/)/m;

interface Result { code: number; stdout: string; stderr: string; ms: number }

/** A port that is free on the host right now (the container shares the host network). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

/** `size` pseudo-random bytes for `seed` (unique per file: no dedup on the server). */
function bytes(seed: number, size: number): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32BE(seed, 0);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

// Skip reason: needs the built CLI; `pnpm test:containers` builds every package first.
describe.skipIf(!existsSync(CLI_BIN))('emulator container restarted during a jsync copy (skipped: apps/cli/dist/bin.js not built)', () => {
  let work: string;
  let dataDir: string;
  let container: StartedTestContainer | undefined;
  let url = '';
  let proxy = '';
  let caPath = '';
  const logs: string[] = [];

  const env = (): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: proxy, HOME: work, TZ: 'UTC' };
    for (const k of ['https_proxy', 'NO_PROXY', 'no_proxy', 'RCLONE_CONFIG', 'JSYNC_CONFIG', 'NODE_OPTIONS']) delete e[k];
    return e;
  };
  const jsync = (...args: string[]): Promise<Result> => new Promise((done) => {
    const t0 = Date.now();
    execFile(process.execPath, [CLI_BIN, '--config', join(work, 'jsync.conf'), '--ca-cert', caPath, ...args], { env: env(), encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr, ms: Date.now() - t0 }));
  });
  /** When the container's current process started (docker inspect). */
  const startedAt = (): string => execFileSync('docker', ['inspect', '-f', '{{.State.StartedAt}}', container!.getId()], { encoding: 'utf8' }).trim();
  /** Upload requests the container has answered since it (re)started. */
  const uploads = async (): Promise<number> => {
    const res = await fetch(`${url}/__admin/requests`);
    const { requests } = (await res.json()) as { requests: { op: string }[] };
    return requests.filter((r) => r.op === 'upload').length;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'jsync-jotta-restart-'));
    dataDir = join(work, 'data');
    mkdirSync(dataDir);
    const port = await freePort();
    const uid = process.getuid?.() ?? 0;
    const gid = process.getgid?.() ?? 0;
    container = await new GenericContainer(IMAGE)
      .withNetworkMode('host')
      .withUser(`${uid}:${gid}`)
      .withBindMounts([{ source: dataDir, target: '/data', mode: 'rw' }])
      .withCommand(['--host', '127.0.0.1', '--port', String(port), '--data-dir', '/data', '--tls-dir', '/data/tls', '--seed', '17'])
      .withLogConsumer((s) => s.on('data', (c: Buffer | string) => logs.push(...c.toString().split('\n').filter(Boolean))))
      .withWaitStrategy(Wait.forLogMessage(/"loginToken"/))
      .withStartupTimeout(60_000)
      .start();
    url = `http://127.0.0.1:${port}`;
    proxy = url;
    caPath = join(dataDir, 'tls', 'ca.pem');
    const minted = await fetch(`${url}/__admin/login-token`, { method: 'POST' });
    const { token } = (await minted.json()) as { token: string };
    const made = await jsync('config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${token}`);
    if (made.code !== 0) throw new Error(`config create: ${made.stderr}`);
  });

  afterAll(async () => {
    await container?.stop({ timeout: 5 });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const CASES = [
    { name: 'graceful (SIGTERM)', tag: 'term', timeout: 10, outageMs: 0, retries: ['--retries', '3', '--low-level-retries', '10'], mustFail: false },
    { name: 'kill (SIGKILL)', tag: 'kill', timeout: 0, outageMs: 0, retries: ['--retries', '3', '--low-level-retries', '10'], mustFail: false },
    // Down for 15 s without command retries: longer than an upload's own attempts last, so the copy must fail, loudly.
    { name: 'kill (SIGKILL), 15 s down, no retries', tag: 'outage', timeout: 0, outageMs: 15_000, retries: ['--retries', '1', '--low-level-retries', '1'], mustFail: true },
  ];
  /** Kills the container, keeps it down for `ms`, starts it again and waits until it answers. */
  const outage = async (ms: number): Promise<void> => {
    execFileSync('docker', ['kill', container!.getId()]);
    await delay(ms);
    execFileSync('docker', ['start', container!.getId()]);
    for (let i = 0; i < 200; i++) {
      if ((await fetch(`${url}/__admin/state`).then((r) => r.status, () => 0)) === 200) return;
      await delay(50);
    }
    throw new Error('the container did not come back');
  };
  for (const { name, tag, timeout, outageMs, retries, mustFail } of CASES) {
    it(`${name} restart mid-copy: the copy ${mustFail ? 'fails loudly' : 'completes or fails loudly'}; a rerun converges; config, token and check --download are fine`, async () => {
      const src = join(work, `src-${tag}`);
      const want = new Map<string, string>();
      for (let i = 0; i < 24; i++) {
        const rel = `${['', 'a/', 'a/b/'][i % 3]}f${i}.bin`;
        const data = bytes(tag.length * 1000 + tag.charCodeAt(0) * 100 + i, i % 8 === 7 ? 1_500_000 : 3000 + 101 * i);
        const p = join(src, rel);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, data);
        utimesSync(p, 1_700_000_000, 1_700_000_000);
        want.set(rel, md5(data));
      }
      await fetch(`${url}/__admin/requests`, { method: 'DELETE' });
      // 4.6 MB at 1 MiB/s: about five seconds of uploads; the restart comes after the second upload request.
      let copyDone = false;
      const copy = jsync('copy', '-v', src, `jc:${tag}`, '--bwlimit', '1M', '--transfers', '2', '--retries-sleep', '1s', ...retries)
        .finally(() => { copyDone = true; });
      let restartedWhileRunning = false;
      const startedBefore = startedAt();
      for (let i = 0; i < 300; i++) {
        if ((await uploads().catch(() => 0)) >= 2) {
          restartedWhileRunning = !copyDone;
          if (outageMs > 0) await outage(outageMs);
          else await container!.restart({ timeout });
          break;
        }
        await delay(20);
      }
      const first = await copy;
      expect(restartedWhileRunning, 'the restart began while the copy was running').toBe(true);
      expect(startedAt(), 'the container process was restarted').not.toBe(startedBefore);
      expect(first.stderr).not.toMatch(STACK);
      if (mustFail) expect(first.code, `${first.stderr}\n${first.stdout}`).not.toBe(0);
      if (first.code !== 0) expect(first.stderr, 'a failure says what failed').toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Failed to copy( with \d+ errors)?: .+/m);
      const errors = first.stderr.split('\n').filter((l) => / ERROR : /.test(l));
      console.log(`${name}: first copy exit ${first.code} after ${first.ms} ms, ${errors.length} ERROR lines` +
        `${first.code === 0 ? '' : `: ${first.stderr.trim().split('\n').pop()}`}${errors.length ? `; first: ${errors[0]!.slice(20, 220)}` : ''}`);

      // jsync's view after the restart: only completed files, each with its source content.
      const ls = await jsync('lsjson', '-R', '--files-only', '--hash', `jc:${tag}`);
      expect(ls.code, ls.stderr).toBe(0);
      for (const e of JSON.parse(ls.stdout) as { Path: string; Hashes?: { md5?: string } }[]) expect(e.Hashes?.md5, e.Path).toBe(want.get(e.Path));

      const again = await jsync('copy', src, `jc:${tag}`);
      expect(again.code, again.stderr).toBe(0);
      const conf = readFileSync(join(work, 'jsync.conf'), 'utf8');
      const token = JSON.parse(/^token = (.*)$/m.exec(conf)?.[1] ?? '{}') as { refresh_token?: string; access_token?: string };
      expect(token.refresh_token && token.access_token, 'the config holds a token').toBeTruthy();
      const check = await jsync('check', '--download', src, `jc:${tag}`);
      expect(check.code, check.stderr).toBe(0);
      expect(check.stderr).toMatch(/: 0 differences found/);
      const listed = await jsync('lsjson', '-R', '--files-only', '--hash', `jc:${tag}`);
      const got = new Map((JSON.parse(listed.stdout) as { Path: string; Hashes: { md5: string } }[]).map((e) => [e.Path, e.Hashes.md5]));
      expect(got).toEqual(want);
    });
  }
});
