// Crash-test plumbing against the Jottacloud emulator: an in-process emulator with a config holding remote `jc`, the
// built CLI run as a real process that is SIGKILLed when a chosen request reaches the emulator (a synchronous hook on
// the emulator's request log: the kill lands before the route answers, or `delayMs` later), and the config file
// read back the way a user's next run would read it.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from '@jsync/core';
import { createJottacloudBackend } from '@jsync/backend-jottacloud';
import { localBackend } from '@jsync/backend-local';
import { startEmulator } from '@jsync/jottacloud-emulator';
import type { Emulator, RequestRecord } from '@jsync/jottacloud-emulator';
import { main } from '../../src/main.js';
import { memoryIo } from '../../src/io.js';

/** The built CLI (the root `pnpm test` builds first). */
export const JSYNC_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../dist/bin.js');
/** Development knob: another program to crash instead (`JSYNC_CRASH_BIN=rclone`: rclone 1.60 writes downloads in place). */
const OTHER = process.env['JSYNC_CRASH_BIN'];

/** What one jsync run produced; `killed` when the crash trigger fired. */
export interface CrashRun {
  code: number | null;
  killed: boolean;
  err: string;
  ms: number;
  /** The request that triggered the kill (op and url), if any. */
  trigger?: string;
}

/** When to kill: the `nth` request of emulator op `op` (after `before` ran on the `beforeNth` request of `beforeOp`). */
export interface KillPoint {
  op: string;
  nth: number;
  /** Milliseconds between the trigger request's arrival and the SIGKILL (0: before the server handles it). */
  delayMs: number;
  /** Optional action on an earlier request, e.g. expiring every access token so that a refresh follows. */
  before?: { op: string; nth: number; action: (emu: Emulator) => void };
}

/** Options of one CLI process. */
export interface BinOptions {
  kill?: KillPoint;
  /** Another config file (default: the lane's). */
  conf?: string;
  timeoutMs?: number;
}

/** An emulator with remote `jc` configured in `conf`. */
export interface CrashLane {
  readonly emu: Emulator;
  readonly dir: string;
  readonly conf: string;
  /** In-process `jsync --config conf --ca-cert … args` (for checks and listings; cheap). */
  jsync(args: readonly string[]): Promise<{ code: number; out: string; err: string }>;
  /** The built CLI as a real process (config `conf`, default the lane's); SIGKILLed at `kill` if given and reached. */
  bin(args: readonly string[], opts?: BinOptions): Promise<CrashRun>;
  /** `config reconnect jc:` with a fresh login token. */
  reconnect(): Promise<{ code: number; err: string }>;
}

/** Process ids of CLI runs still going (for afterAll). */
export const runningPids = new Set<number>();

/** Calls `hook` synchronously for every request the emulator logs, once its op is known (same tick, before the route runs). */
function onRequest(emu: Emulator, hook: (rec: RequestRecord) => void): void {
  const log = emu.state.requests as RequestRecord[];
  const push = log.push;
  log.push = function (this: RequestRecord[], ...recs: RequestRecord[]): number {
    // The router logs a request before classifying it, then sets `op` synchronously and awaits: a microtask sees the op.
    for (const rec of recs) queueMicrotask(() => hook(rec));
    return push.apply(this, recs);
  };
}

/** Starts an emulator under `dir` and configures `jc` (in-process `config create` with a fresh login token). */
export async function startCrashLane(dir: string, opts: { seed: number; tlsDir: string; tokenLifetimeSeconds?: number }): Promise<CrashLane> {
  mkdirSync(dir, { recursive: true });
  const emu = await startEmulator({ seed: opts.seed, tlsDir: opts.tlsDir, ...(opts.tokenLifetimeSeconds ? { tokenLifetimeSeconds: opts.tokenLifetimeSeconds } : {}) });
  const conf = join(dir, 'jsync.conf');
  const registry = new Registry([createJottacloudBackend({ env: { HTTPS_PROXY: emu.proxy } }), localBackend]);
  let armed: { kill: KillPoint; counts: Map<string, number>; fire: (rec: RequestRecord) => void } | undefined;
  onRequest(emu, (rec) => {
    if (!armed) return;
    const n = (armed.counts.get(rec.op) ?? 0) + 1;
    armed.counts.set(rec.op, n);
    const { kill } = armed;
    if (kill.before && rec.op === kill.before.op && n === kill.before.nth) kill.before.action(emu);
    if (rec.op === kill.op && n === kill.nth) armed.fire(rec);
  });
  const jsync = async (args: readonly string[]) => {
    const io = memoryIo({ env: { TZ: 'UTC' }, cwd: dir, homeDir: dir });
    const code = await main(['--config', conf, '--ca-cert', emu.caCert, ...args], { io, registry });
    return { code, out: io.out(), err: io.err() };
  };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(https?_proxy|no_proxy|all_proxy|NODE_OPTIONS)$/i.test(k) && !/^(JSYNC_|RCLONE_)/.test(k)) env[k] = v;
  }
  Object.assign(env, { HTTPS_PROXY: emu.proxy, TZ: 'UTC', HOME: dir });
  const bin = (args: readonly string[], o: BinOptions = {}): Promise<CrashRun> => new Promise((done, fail) => {
    const { kill, timeoutMs = 60_000 } = o;
    const t0 = Date.now();
    const argv = ['--config', o.conf ?? conf, '--ca-cert', emu.caCert, ...args];
    const child = OTHER ? spawn(OTHER, argv, { env, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
      : spawn(process.execPath, [JSYNC_BIN, ...argv], { env, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    const pid = child.pid!;
    runningPids.add(pid);
    const err: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => err.push(c));
    let killed = false;
    let trigger: string | undefined;
    const sigkill = () => {
      try {
        process.kill(pid, 'SIGKILL');
        killed = true;
      } catch {
        // already gone
      }
    };
    if (kill) {
      armed = {
        kill, counts: new Map(), fire: (rec) => {
          trigger = `${rec.op} ${rec.method} ${rec.url.replace(/^https?:\/\/[^/]+/, '').slice(0, 80)}`;
          armed = undefined;
          if (kill.delayMs <= 0) sigkill();
          else setTimeout(sigkill, kill.delayMs);
        },
      };
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      runningPids.delete(pid);
      armed = undefined;
      done({ code, killed, err: Buffer.concat(err).toString('utf8'), ms: Date.now() - t0, ...(trigger ? { trigger } : {}) });
    });
  });
  const lane: CrashLane = {
    emu, dir, conf, jsync, bin,
    reconnect: () => jsync(['config', 'reconnect', 'jc:', 'config_type=standard', `config_login_token=${emu.mintLoginToken()}`]),
  };
  const made = await jsync(['config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${emu.mintLoginToken()}`]);
  if (made.code !== 0) {
    await emu.stop();
    throw new Error(`config create failed (${made.code}): ${made.err}`);
  }
  return lane;
}

/** The config file as the next run reads it: problems (unparsable file, section or token) and leftover files. */
export function inspectConfig(conf: string): { problems: string[]; leftovers: string[]; refreshToken?: string } {
  const problems: string[] = [];
  const leftovers = readdirSync(dirname(conf)).filter((n) => n.startsWith('.jsync.conf.') || n === 'jsync.conf.lock');
  if (!existsSync(conf)) return { problems: ['config file missing'], leftovers };
  const sections = new Map<string, Map<string, string>>();
  let cur: Map<string, string> | undefined;
  for (const raw of readFileSync(conf, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) sections.set(head[1]!, (cur = new Map()));
    else if (cur && line.includes('=')) cur.set(line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim());
    else problems.push(`unparsable config line: ${JSON.stringify(line.slice(0, 40))}`);
  }
  const jc = sections.get('jc');
  if (!jc) return { problems: [...problems, 'section [jc] missing'], leftovers };
  if (jc.get('type') !== 'jottacloud') problems.push(`[jc] type is ${jc.get('type')}`);
  let refreshToken: string | undefined;
  try {
    const tok = JSON.parse(jc.get('token') ?? '') as { access_token?: unknown; refresh_token?: unknown; expiry?: unknown };
    if (typeof tok.access_token !== 'string' || typeof tok.refresh_token !== 'string' || typeof tok.expiry !== 'string' || Number.isNaN(Date.parse(tok.expiry))) {
      problems.push('[jc] token lacks access_token/refresh_token/expiry');
    } else refreshToken = tok.refresh_token;
  } catch {
    problems.push('[jc] token is not JSON');
  }
  return { problems, leftovers, ...(refreshToken ? { refreshToken } : {}) };
}
