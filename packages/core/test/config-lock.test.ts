// Cross-process config lock: locked read-modify-write of a section, stale lock takeover, timeouts, file mode.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFile, acquireConfigLock } from '../src/config/index.js';
import { isJsyncError } from '../src/fs/errors.js';

const helpers = fileURLToPath(new URL('./helpers/', import.meta.url));
const coreSrc = fileURLToPath(new URL('../src/', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));

// The child processes run config-file.ts (and what it imports) compiled by tsc into a temp dir, so they test the
// current sources whether or not dist/ was rebuilt.
let compiled: string;
let configSrc: string;
beforeAll(() => {
  compiled = mkdtempSync(join(tmpdir(), 'jsync-lock-build-'));
  const r = spawnSync(process.execPath, [
    tsc, '--outDir', compiled, '--rootDir', coreSrc, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022',
    '--types', 'node', '--skipLibCheck', '--noCheck', '--declaration', 'false', join(coreSrc, 'config', 'config-file.ts'),
  ], { encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stdout + r.stderr).toBe(0);
  writeFileSync(join(compiled, 'package.json'), '{"type":"module"}\n');
  configSrc = pathToFileURL(join(compiled, 'config', 'config-file.js')).href;
}, 90_000);
afterAll(() => rmSync(compiled, { recursive: true, force: true }));

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-lock-'));
  path = join(dir, 'rclone.conf');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs config-lock-child.mjs in a fresh node process; resolves with its exit code and stderr. */
function child(mode: 'update' | 'save', n: number): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [join(helpers, 'config-lock-child.mjs'), configSrc, path, mode, String(n)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 50_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, err });
    });
  });
}

/** A pid that is certainly not running (a child that has exited). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore' });
  expect(r.status).toBe(0);
  return r.pid!;
}

describe('ConfigFile.update across processes', () => {
  it('loses no increment when two processes each do 50 locked increments', async () => {
    writeFileSync(path, '[counter]\ntype = memory\nn = 0\n\n', { mode: 0o600 });
    const results = await Promise.all([child('update', 50), child('update', 50)]);
    for (const r of results) expect(r, r.err).toMatchObject({ code: 0 });
    const cfg = await ConfigFile.load({ path });
    expect(cfg.get('counter', 'n')).toBe('100');
    expect(cfg.get('counter', 'type')).toBe('memory');
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  }, 60_000);

  it('keeps locked updates and plain saves of other sections from clobbering each other', async () => {
    writeFileSync(path, '[counter]\ntype = memory\n\n[other]\ntype = memory\n\n', { mode: 0o600 });
    const results = await Promise.all([child('update', 40), child('save', 40)]);
    for (const r of results) expect(r, r.err).toMatchObject({ code: 0 });
    const cfg = await ConfigFile.load({ path });
    expect(cfg.get('counter', 'n')).toBe('40');
    expect(cfg.get('other', 'n')).toBe('40');
  }, 60_000);
});

describe('ConfigFile.update in one process', () => {
  it('hands fn the section as on disk now (another writer changed it) and writes the returned keys', async () => {
    writeFileSync(path, '[r]\ntype = memory\ntoken = old\n\n[s]\ntype = local\n\n', { mode: 0o600 });
    const cfg = await ConfigFile.load({ path });
    const other = await ConfigFile.load({ path });
    other.set('r', 'token', 'rotated-elsewhere');
    await other.save();
    let seen: Record<string, string> | undefined;
    await cfg.update('r', async (cur) => {
      seen = { ...cur };
      return { token: 'mine', extra: '' };
    });
    expect(seen).toEqual({ type: 'memory', token: 'rotated-elsewhere' });
    expect(readFileSync(path, 'utf8')).toBe('[r]\ntype = memory\ntoken = mine\nextra = \n\n[s]\ntype = local\n\n');
    expect(cfg.get('r', 'token')).toBe('mine');
  });

  it('writes nothing for undefined, and releases the lock when fn throws', async () => {
    writeFileSync(path, '[r]\ntype = memory\n\n', { mode: 0o600 });
    const before = statSync(path).mtimeMs;
    const cfg = await ConfigFile.load({ path });
    await cfg.update('r', async () => undefined);
    expect(statSync(path).mtimeMs).toBe(before);
    await expect(cfg.update('r', async () => {
      expect(existsSync(`${path}.lock`)).toBe(true);
      throw new Error('refresh failed');
    })).rejects.toThrow('refresh failed');
    expect(existsSync(`${path}.lock`)).toBe(false);
    await cfg.update('r', async () => ({ k: 'v' }));
    expect(readFileSync(path, 'utf8')).toBe('[r]\ntype = memory\nk = v\n\n');
  });

  it('fails with a CONFIG error for a section that is gone', async () => {
    writeFileSync(path, '[r]\ntype = memory\n\n');
    const cfg = await ConfigFile.load({ path });
    writeFileSync(path, '');
    const err = await cfg.update('r', async () => ({ k: 'v' })).catch((e: unknown) => e);
    expect(isJsyncError(err, 'CONFIG')).toBe(true);
    expect((err as Error).message).toBe(`config section "r" not found in ${JSON.stringify(path)}`);
  });

  it('keeps mode 0600 (and an explicit 0640) across updates', async () => {
    writeFileSync(path, '[r]\ntype = memory\n\n', { mode: 0o600 });
    const cfg = await ConfigFile.load({ path });
    await cfg.update('r', async () => ({ a: '1' }));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    chmodSync(path, 0o640);
    await cfg.update('r', async () => ({ a: '2' }));
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('runs fn on the in-memory section of an in-memory config', async () => {
    const cfg = ConfigFile.fromText('[r]\ntype = memory\nn = 1\n');
    await cfg.update('r', async (cur) => ({ n: String(Number(cur.n) + 1) }));
    expect(cfg.get('r', 'n')).toBe('2');
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});

describe('stale and held locks', () => {
  const lockText = (pid: number, host: string) => JSON.stringify({ pid, host, time: '2020-01-01T00:00:00.000Z', token: 'x' });

  it('takes over a lock whose owner pid is dead on this host', async () => {
    writeFileSync(path, '[r]\ntype = memory\n\n');
    writeFileSync(`${path}.lock`, lockText(deadPid(), hostname()));
    const cfg = await ConfigFile.load({ path, lock: { waitMs: 5_000 } });
    const t0 = Date.now();
    await cfg.update('r', async () => ({ k: 'v' }));
    expect(Date.now() - t0).toBeLessThan(4_000);
    expect(cfg.get('r', 'k')).toBe('v');
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('takes over a lock of another host that was not touched for longer than the stale age', async () => {
    writeFileSync(path, '[r]\ntype = memory\n\n');
    writeFileSync(`${path}.lock`, lockText(1, 'some-other-host'));
    const old = new Date(Date.now() - 3 * 60_000);
    utimesSync(`${path}.lock`, old, old);
    const cfg = await ConfigFile.load({ path, lock: { waitMs: 5_000 } });
    await cfg.save();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('waits for a live holder, then fails naming the lock file', async () => {
    writeFileSync(path, '[r]\ntype = memory\n\n');
    writeFileSync(`${path}.lock`, lockText(process.pid, hostname()));
    const cfg = await ConfigFile.load({ path, lock: { waitMs: 300 } });
    const t0 = Date.now();
    const err = await cfg.update('r', async () => ({ k: 'v' })).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(isJsyncError(err, 'CONFIG')).toBe(true);
    expect((err as Error).message).toBe(
      `timed out after 0.3s waiting for the config file lock ${JSON.stringify(`${path}.lock`)} (held by pid ${process.pid} on ${hostname()} since 2020-01-01T00:00:00.000Z); if no jsync process uses this config, delete the lock file`,
    );
    expect(readFileSync(path, 'utf8')).toBe('[r]\ntype = memory\n\n');
  });

  it('hands the lock over once the holder releases it, and a lock file holds pid, host and time', async () => {
    const held = await acquireConfigLock(path);
    const owner = JSON.parse(readFileSync(held.path, 'utf8')) as Record<string, unknown>;
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
    expect(Number.isNaN(Date.parse(String(owner['time'])))).toBe(false);
    expect(statSync(held.path).mode & 0o777).toBe(0o600);
    let got = false;
    const waiter = acquireConfigLock(path, { waitMs: 5_000 }).then((l) => {
      got = true;
      return l;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toBe(false);
    await held.release();
    const second = await waiter;
    expect(got).toBe(true);
    await second.release();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});
