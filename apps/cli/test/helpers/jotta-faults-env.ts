// Fault-run plumbing: one in-process Jottacloud emulator per "lane" (its own account, faults, token lifetime) with a
// jsync config pointing at it, jsync run in-process (main()) or as the built bin (a real process, spawned
// asynchronously so the in-process emulator keeps answering), seeded local trees, and the server's view of a folder.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '@jsync/core';
import { createJottacloudBackend } from '@jsync/backend-jottacloud';
import { localBackend } from '@jsync/backend-local';
import { main } from '../../src/main.js';
import { memoryIo } from '../../src/io.js';
import { startEmulator } from '@jsync/jottacloud-emulator';
import type { Emulator } from '@jsync/jottacloud-emulator';
import { prng } from './scenario-crash.js';

/** The built CLI (`node apps/cli/dist/bin.js`), for runs as real processes. */
export const JSYNC_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/bin.js');

/** What one jsync run produced. */
export interface Run {
  code: number;
  out: string;
  err: string;
  ms: number;
}

/** One emulator with its own account and a config holding remote `jc` (device Jotta, mountpoint Archive). */
export interface Lane {
  readonly emu: Emulator;
  readonly dir: string;
  readonly conf: string;
  /** `jsync --config <conf> --ca-cert <ca> …args`, in-process (TZ=UTC, cwd = lane dir). */
  jsync(args: readonly string[], opts?: { conf?: string }): Promise<Run>;
  /** The same through the built bin as a child process (HTTPS_PROXY = the emulator), killed after `timeoutMs`. */
  bin(args: readonly string[], opts?: { conf?: string; timeoutMs?: number }): Promise<Run>;
  /** `config create jc jottacloud …` with a fresh login token into `conf` (default the lane's). */
  createRemote(conf?: string): Promise<Run>;
}

/** Options of a lane's emulator. */
export interface LaneOptions {
  seed: number;
  tokenLifetimeSeconds?: number;
  /** Shared CA directory (one key pair for all lanes: generating one per lane costs CPU). */
  tlsDir: string;
}

/** Starts an emulator under `dir` and creates remote `jc` in `dir/jsync.conf`. */
export async function startLane(dir: string, opts: LaneOptions): Promise<Lane> {
  mkdirSync(dir, { recursive: true });
  const emu = await startEmulator({
    seed: opts.seed, tlsDir: opts.tlsDir, ...(opts.tokenLifetimeSeconds ? { tokenLifetimeSeconds: opts.tokenLifetimeSeconds } : {}),
  });
  const registry = new Registry([createJottacloudBackend({ env: { HTTPS_PROXY: emu.proxy } }), localBackend]);
  const conf = join(dir, 'jsync.conf');
  const jsync = async (args: readonly string[], o: { conf?: string } = {}): Promise<Run> => {
    const t0 = Date.now();
    const io = memoryIo({ env: { TZ: 'UTC' }, cwd: dir, homeDir: dir });
    const code = await main(['--config', o.conf ?? conf, '--ca-cert', emu.caCert, ...args], { io, registry });
    return { code, out: io.out(), err: io.err(), ms: Date.now() - t0 };
  };
  const bin = (args: readonly string[], o: { conf?: string; timeoutMs?: number } = {}): Promise<Run> =>
    runBin(['--config', o.conf ?? conf, '--ca-cert', emu.caCert, ...args], { proxy: emu.proxy, cwd: dir, timeoutMs: o.timeoutMs ?? 60_000 });
  const lane: Lane = {
    emu, dir, conf, jsync, bin,
    createRemote: (c) => jsync(['config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${emu.mintLoginToken()}`], c ? { conf: c } : {}),
  };
  const made = await lane.createRemote();
  if (made.code !== 0) {
    await emu.stop();
    throw new Error(`config create failed (${made.code}): ${made.err}`);
  }
  return lane;
}

function runBin(args: readonly string[], o: { proxy: string; cwd: string; timeoutMs: number }): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(https?_proxy|no_proxy|all_proxy)$/i.test(k) && !k.startsWith('JSYNC_') && !k.startsWith('RCLONE_')) env[k] = v;
  }
  Object.assign(env, { HTTPS_PROXY: o.proxy, TZ: 'UTC', HOME: o.cwd });
  const t0 = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [JSYNC_BIN, ...args], { env, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        code: code ?? (signal ? 128 : -1), out: Buffer.concat(out).toString('utf8'),
        err: Buffer.concat(err).toString('utf8') + (signal ? `\n[killed by ${signal} after ${o.timeoutMs} ms]` : ''), ms: Date.now() - t0,
      });
    });
  });
}

/** True when the built bin exists (the root `pnpm test` builds first). */
export const hasBin = (): boolean => existsSync(JSYNC_BIN);

/** A file's identity: size and md5. */
export interface FileId {
  size: number;
  md5: string;
}

/** Relative path (with '/') → identity. */
export type Tree = Map<string, FileId>;

/** mulberry32, shared with the other seeded CLI tests. */
export { prng };

/** Seeded bytes (unique per seed, so the emulator cannot deduplicate one run's content from another's). */
export function seededBytes(seed: number, size: number): Buffer {
  const rnd = prng(seed);
  const buf = Buffer.allocUnsafe(size + 3);
  for (let i = 0; i < size; i += 4) buf.writeUInt32LE(Math.floor(rnd() * 4294967296), i);
  return buf.subarray(0, size);
}

/** The content of a tree: relative path → bytes. */
export type TreeContent = Map<string, Buffer>;

/** `small` files of 1–6 KiB in a few folders, plus one `bigBytes` file (none when 0), all from `seed`. */
export function makeContent(seed: number, small: number, bigBytes: number): TreeContent {
  const rnd = prng(seed);
  const out: TreeContent = new Map();
  for (let i = 0; i < small; i++) {
    const dir = ['', 'a/', 'a/b/', 'c d/'][i % 4];
    out.set(`${dir}f${String(i).padStart(2, '0')}.bin`, seededBytes(seed * 1000 + i, 1024 + Math.floor(rnd() * 5 * 1024)));
  }
  if (bigBytes > 0) out.set('big/large.bin', seededBytes(seed * 1000 + 999, bigBytes));
  return out;
}

const MTIME = new Date('2024-05-06T07:08:09Z');

/** Writes `content` under `dir` (fixed modtime, whole seconds). */
export function writeTree(dir: string, content: TreeContent): void {
  for (const [rel, data] of content) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
    utimesSync(p, MTIME, MTIME);
  }
  mkdirSync(dir, { recursive: true });
}

/** Identities of a tree's content. */
export function treeOf(content: TreeContent): Tree {
  return new Map([...content].map(([k, v]) => [k, { size: v.length, md5: md5(v) }]));
}

/** md5 hex of bytes. */
export function md5(data: Buffer): string {
  return createHash('md5').update(data).digest('hex');
}

/** The regular files under a local directory (empty when it does not exist). */
export function localTree(dir: string): Tree {
  const out: Tree = new Map();
  const walk = (abs: string, rel: string): void => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(abs, e.name), r);
      else if (e.isFile()) {
        const data = readFileSync(join(abs, e.name));
        out.set(r, { size: statSync(join(abs, e.name)).size, md5: md5(data) });
      }
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return out;
}

/** The live COMPLETED files under `Jotta/Archive/<folder>` as the emulator holds them (trash and partial uploads excluded). */
export function serverTree(emu: Emulator, folder: string): Tree {
  const out: Tree = new Map();
  const walk = (path: string, rel: string): void => {
    const node = emu.state.stat(path);
    if (!node || node.deleted !== null) return;
    if (node.kind === 'file') {
      if (node.current) out.set(rel, { size: node.current.size, md5: node.current.md5 });
      return;
    }
    for (const child of node.children ?? []) walk(`${path}/${child}`, rel ? `${rel}/${child}` : child);
  };
  walk(`Jotta/Archive/${folder}`, '');
  return out;
}

/** Seeds `content` into `Jotta/Archive/<folder>` directly (no protocol, no faults). */
export async function seedServer(emu: Emulator, folder: string, content: TreeContent): Promise<void> {
  for (const [rel, data] of content) await emu.state.putFile(`Jotta/Archive/${folder}/${rel}`, data, { modified: MTIME.getTime() / 1000 });
}
