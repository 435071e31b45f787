// Test harness: the real rclone (Debian v1.60.1) against an in-process emulator through its HTTPS proxy.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatorOptions } from '../src/index.js';

/** true when an rclone binary is on PATH (CI installs Debian's rclone in .ci/run). */
export const hasRclone = spawnSync('rclone', ['version'], { stdio: 'ignore' }).error === undefined;

/** The repository root, and the shared test vectors next to it. */
export const repoRoot = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const testVectorsDir = resolve(repoRoot, '../shared/test-vectors');

/** Output of one rclone run. */
export interface RcloneRun {
  readonly status: number;
  readonly stdout: Buffer;
  readonly stderr: string;
  /** stdout as UTF-8 text. */
  readonly out: string;
}

/** A running emulator plus an rclone config pointing at it. */
export interface Interop {
  readonly emu: Awaited<ReturnType<typeof startEmulator>>;
  readonly work: string;
  readonly configPath: string;
  /** Runs `rclone --config <conf> --ca-cert <ca> …args` with HTTPS_PROXY set to the emulator. */
  rclone(args: readonly string[], opts?: { timeoutMs?: number }): Promise<RcloneRun>;
  /** Like rclone() but fails the test with rclone's stderr unless it exits 0. */
  ok(args: readonly string[]): Promise<RcloneRun>;
  /** POSTs JSON to an admin endpoint of the emulator. */
  admin(path: string, init?: { method?: string; body?: unknown }): Promise<Response>;
  stop(): Promise<void>;
}

/** Environment for rclone: our proxy for https, nothing bypassing it, a private HOME. */
function rcloneEnv(proxy: string, work: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: proxy, TZ: 'UTC', HOME: work, XDG_CONFIG_HOME: join(work, '.config'), XDG_CACHE_HOME: join(work, '.cache') };
  for (const k of ['https_proxy', 'http_proxy', 'HTTP_PROXY', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy', 'RCLONE_CONFIG']) delete env[k];
  for (const k of Object.keys(env)) if (k.startsWith('RCLONE_')) delete env[k];
  return env;
}

/** Starts an emulator (temp TLS dir) and prepares an empty rclone config next to it. */
export async function startInterop(options: EmulatorOptions = {}): Promise<Interop> {
  const work = mkdtempSync(join(tmpdir(), 'jsync-rclone-interop-'));
  const emu = await startEmulator({ tlsDir: join(work, 'tls'), ...options });
  const configPath = join(work, 'rclone.conf');
  writeFileSync(configPath, '');
  const env = rcloneEnv(emu.proxy, work);
  const rclone = (args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<RcloneRun> =>
    new Promise((done, fail) => {
      const child = spawn('rclone', ['--config', configPath, '--ca-cert', emu.caCert, ...args], { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      child.once('error', fail);
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        const stdout = Buffer.concat(out);
        done({ status: code ?? (signal ? 128 : -1), stdout, out: stdout.toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
      });
    });
  const ok = async (args: readonly string[]): Promise<RcloneRun> => {
    const r = await rclone(args);
    if (r.status !== 0) throw new Error(`rclone ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
    return r;
  };
  const admin = (path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> =>
    fetch(`${emu.url}${path}`, {
      method: init.method ?? 'POST',
      ...(init.body !== undefined ? { body: JSON.stringify(init.body), headers: { 'content-type': 'application/json' } } : {}),
    });
  return {
    emu, work, configPath, rclone, ok, admin,
    async stop() {
      await emu.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Creates the `jc` remote exactly as a user would: `rclone config create … config_type=standard config_login_token=…`. */
export async function createRemote(t: Interop, name = 'jc'): Promise<string> {
  const token = await t.emu.mintLoginToken();
  await t.ok(['config', 'create', name, 'jottacloud', 'config_type=standard', `config_login_token=${token}`]);
  return token;
}

/** Parses the `[name]` section of an rclone config file. */
export function readSection(configPath: string, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inSection = false;
  for (const line of readFileSync(configPath, 'utf8').split('\n')) {
    const header = /^\[(.*)\]$/.exec(line.trim());
    if (header) { inSection = header[1] === name; continue; }
    const kv = /^([^=]+?)\s*=\s?(.*)$/.exec(line);
    if (inSection && kv?.[1] !== undefined) out[kv[1].trim()] = kv[2] ?? '';
  }
  return out;
}

/** Rewrites one key of a config section in place. */
export function writeSectionKey(configPath: string, name: string, key: string, value: string): void {
  let inSection = false;
  const lines = readFileSync(configPath, 'utf8').split('\n').map((line) => {
    const header = /^\[(.*)\]$/.exec(line.trim());
    if (header) inSection = header[1] === name;
    else if (inSection && line.startsWith(`${key} =`)) return `${key} = ${value}`;
    return line;
  });
  writeFileSync(configPath, lines.join('\n'));
}

interface Vector { set: string; input: string | null; input_hex: string; encoded_hex: string; display: string | null }

/** A test file name: its raw (rclone-internal) bytes, the bytes stored locally and on Jottacloud (v1.60 default encoding). */
export interface VectorName {
  readonly id: string;
  readonly local: Buffer;
  readonly jotta: Buffer;
  /** How rclone prints the name (Standard encoding of the raw name). */
  readonly display: string;
}

/**
 * Names from the shared encoder vectors that rclone's local backend can carry: valid UTF-8 (rclone 1.60's local
 * backend replaces invalid bytes with U+FFFD), stored with the local (Linux) encoding, without NUL, within 255 bytes,
 * and unique ignoring case (Jottacloud is case-insensitive).
 */
export function vectorNames(): VectorName[] {
  const doc = JSON.parse(readFileSync(join(testVectorsDir, 'encoder-vectors.json'), 'utf8')) as { vectors: (Vector & { id: string })[] };
  const jotta = new Map(doc.vectors.filter((v) => v.set === 'jottacloud-default-v1.60').map((v) => [v.input_hex, v.encoded_hex]));
  const seen = new Set<string>();
  const out: VectorName[] = [];
  for (const v of doc.vectors) {
    if (v.set !== 'local-default-linux' || v.input === null) continue;
    const local = Buffer.from(v.encoded_hex, 'hex');
    const remote = jotta.get(v.input_hex);
    if (remote === undefined || local.length === 0 || local.length > 255 || local.includes(0) || local.includes(0x2f)) continue;
    const key = local.toString('latin1').toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ id: v.id, local, jotta: Buffer.from(remote, 'hex'), display: v.display ?? '' });
  }
  return out;
}

/** One local file of a fixture tree. */
export interface LocalFile {
  /** Path relative to the tree root, as bytes (names may be invalid UTF-8). */
  readonly rel: Buffer;
  /** The path as rclone prints it. */
  readonly display: string;
  readonly data: Buffer;
  readonly md5: string;
  readonly mtime: Date;
}

/** Writes files (byte paths) under `root` with whole-second modtimes (Jottacloud keeps seconds). */
export function writeTree(root: string, files: readonly { rel: Buffer | string; data: Buffer; display?: string }[], baseTime = Date.UTC(2024, 2, 4, 5, 6, 7)): LocalFile[] {
  return files.map((f, i) => {
    const rel = Buffer.isBuffer(f.rel) ? f.rel : Buffer.from(f.rel);
    const full = Buffer.concat([Buffer.from(`${root}/`), rel]);
    const parent = full.subarray(0, full.lastIndexOf(0x2f));
    mkdirSync(parent, { recursive: true });
    writeFileSync(full, f.data);
    const mtime = new Date(baseTime + i * 1000);
    utimesSync(full, mtime, mtime);
    return { rel, display: f.display ?? rel.toString('utf8'), data: f.data, md5: createHash('md5').update(f.data).digest('hex'), mtime };
  });
}

/** Deterministic pseudo-random bytes. */
export function bytes(n: number, seed: string): Buffer {
  const out = Buffer.alloc(n);
  let block = createHash('sha256').update(seed).digest();
  for (let off = 0; off < n; off += block.length) {
    block.copy(out, off);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** The entry names of a local directory as raw bytes, sorted. */
export function localNames(dir: string): Buffer[] {
  return readdirSync(dir, { encoding: 'buffer' }).sort(Buffer.compare);
}
