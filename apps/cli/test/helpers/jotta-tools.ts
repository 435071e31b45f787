// One in-process Jottacloud emulator for CLI tests, with jsync (in-process main()) and the installed rclone
// (subprocess) both reaching it the way users reach jottacloud.com: HTTPS_PROXY=<emulator> and --ca-cert <its CA>.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigFile, Registry, createFs, nullLogger } from '@jsync/core';
import type { Fs } from '@jsync/core';
import { createJottacloudBackend } from '@jsync/backend-jottacloud';
import { localBackend } from '@jsync/backend-local';
import { main } from '../../src/main.js';
import { memoryIo } from '../../src/io.js';
import { JSYNC_BIN } from './scenario-run.js';
// Not a dependency of the CLI package (the boundary check allows no @jsync/jottacloud-emulator here): by path.
import { startEmulator } from '@jsync/jottacloud-emulator';
import type { Emulator, EmulatorOptions } from '@jsync/jottacloud-emulator';

/** True when an `rclone` binary answers `rclone version` (CI installs Debian's v1.60.1). */
export const hasRclone: boolean = spawnSync('rclone', ['version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;

/** What one run of either tool produced. */
export interface ToolRun {
  code: number;
  stdout: Buffer;
  /** stdout as UTF-8. */
  out: string;
  stderr: string;
}

/** Which program runs a command line. */
export type Tool = 'jsync' | 'rclone';

/** A running emulator and the two tools pointed at it. */
export interface JottaEnv {
  readonly emu: Emulator;
  /** Scratch directory (rclone's HOME, the proxy's TLS dir); removed by stop(). */
  readonly work: string;
  /** The registry jsync runs with: jottacloud (HTTPS_PROXY = the emulator) and local. */
  readonly registry: Registry;
  /** `jsync --config <configPath> --ca-cert <ca> …args` in-process (TZ=UTC). */
  jsync(configPath: string, args: readonly string[], opts?: { cwd?: string }): Promise<ToolRun>;
  /** `rclone --config <configPath> --ca-cert <ca> …args` with HTTPS_PROXY = the emulator (TZ=UTC, private HOME). */
  rclone(configPath: string, args: readonly string[], opts?: { cwd?: string; timeoutMs?: number }): Promise<ToolRun>;
  /** The built CLI (apps/cli/dist/bin.js) as a process, environment as for rclone: `--config <configPath> --ca-cert <ca> …args`. */
  jsyncBin(configPath: string, args: readonly string[]): Promise<ToolRun>;
  /** Runs `tool`; throws with its stderr unless it exits 0. */
  ok(tool: Tool, configPath: string, args: readonly string[]): Promise<ToolRun>;
  /** `config create <name> jottacloud config_type=standard config_login_token=<fresh token>` with `tool`. */
  createRemote(tool: Tool, configPath: string, name: string): Promise<ToolRun>;
  /** A jottacloud Fs for `path` (`name:dir`) from the config file, as jsync would build it (call fs.features.shutdown). */
  openFs(configPath: string, path: string): Promise<Fs>;
  stop(): Promise<void>;
}

function collect(child: ReturnType<typeof spawn>, timeoutMs: number): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (c: Buffer) => out.push(c));
    child.stderr!.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, out: stdout.toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Environment for rclone: the emulator as HTTPS proxy, nothing bypassing it, a private HOME, no RCLONE_* settings. */
function rcloneEnv(proxy: string, work: string): Record<string, string> {
  const env: Record<string, string> = {};
  const drop = new Set(['https_proxy', 'http_proxy', 'HTTP_PROXY', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']);
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !drop.has(k) && !k.startsWith('RCLONE_') && !k.startsWith('JSYNC_')) env[k] = v;
  return { ...env, HTTPS_PROXY: proxy, TZ: 'UTC', HOME: work, XDG_CONFIG_HOME: join(work, '.config'), XDG_CACHE_HOME: join(work, '.cache') };
}

/** Starts an emulator (TLS material in a temp dir) and returns the tools pointed at it. */
export async function startJottaEnv(options: EmulatorOptions = {}): Promise<JottaEnv> {
  const work = mkdtempSync(join(tmpdir(), 'jsync-jotta-cli-'));
  let emu: Emulator;
  try {
    emu = await startEmulator({ tlsDir: join(work, 'tls'), ...options });
  } catch (err) {
    rmSync(work, { recursive: true, force: true });
    throw err;
  }
  const proxyEnv = { HTTPS_PROXY: emu.proxy };
  const registry = new Registry([createJottacloudBackend({ env: proxyEnv }), localBackend]);
  const env = rcloneEnv(emu.proxy, work);

  const jsync = async (configPath: string, args: readonly string[], opts: { cwd?: string } = {}): Promise<ToolRun> => {
    const io = memoryIo({ env: { TZ: 'UTC' }, cwd: opts.cwd ?? work, homeDir: work });
    const code = await main(['--config', configPath, '--ca-cert', emu.caCert, ...args], { io, registry });
    const stdout = io.outBytes();
    return { code, stdout, out: stdout.toString('utf8'), stderr: io.err() };
  };
  const rclone = (configPath: string, args: readonly string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<ToolRun> =>
    collect(spawn('rclone', ['--config', configPath, '--ca-cert', emu.caCert, ...args], { env, cwd: opts.cwd ?? work, stdio: ['ignore', 'pipe', 'pipe'] }), opts.timeoutMs ?? 120_000);
  const ok = async (tool: Tool, configPath: string, args: readonly string[]): Promise<ToolRun> => {
    const r = tool === 'jsync' ? await jsync(configPath, args) : await rclone(configPath, args);
    if (r.code !== 0) throw new Error(`${tool} ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
    return r;
  };
  const jsyncBin = (configPath: string, args: readonly string[]): Promise<ToolRun> =>
    collect(spawn(process.execPath, [JSYNC_BIN, '--config', configPath, '--ca-cert', emu.caCert, ...args], { env, cwd: work, stdio: ['ignore', 'pipe', 'pipe'] }), 120_000);
  return {
    emu, work, registry, jsync, rclone, jsyncBin, ok,
    createRemote: (tool, configPath, name) =>
      ok(tool, configPath, ['config', 'create', name, 'jottacloud', 'config_type=standard', `config_login_token=${emu.mintLoginToken()}`]),
    async openFs(configPath, path) {
      const config = await ConfigFile.load({ path: configPath });
      const r = await createFs({ registry, config, path, env: {}, logger: nullLogger, global: { caCert: [emu.caCert] } });
      return r.fs;
    },
    async stop() {
      await emu.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** The keys of one `[name]` section of a config file (rclone's INI dialect, `key = value`). */
export function readSection(configPath: string, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inSection = false;
  for (const line of readFileSync(configPath, 'utf8').split('\n')) {
    const header = /^\[(.*)\]$/.exec(line.trim());
    if (header) {
      inSection = header[1] === name;
      continue;
    }
    const kv = /^([^=]+?)\s*=\s?(.*)$/.exec(line);
    if (inSection && kv?.[1] !== undefined) out[kv[1].trim()] = kv[2] ?? '';
  }
  return out;
}

/** The OAuth token stored in a remote's section. */
export interface StoredToken {
  access_token: string;
  token_type: string;
  refresh_token: string;
  expiry: string;
}

/** The token JSON of `[name]`. */
export function readToken(configPath: string, name: string): StoredToken {
  return JSON.parse(readSection(configPath, name)['token'] ?? '{}') as StoredToken;
}

/** Rewrites the token's `expiry` in `[name]` (in the past: the next client to use it must refresh first). */
export function setTokenExpiry(configPath: string, name: string, expiry: string): void {
  let inSection = false;
  const lines = readFileSync(configPath, 'utf8').split('\n').map((line) => {
    const header = /^\[(.*)\]$/.exec(line.trim());
    if (header) inSection = header[1] === name;
    else if (inSection && line.startsWith('token = ')) {
      const tok = JSON.parse(line.slice('token = '.length)) as StoredToken;
      return `token = ${JSON.stringify({ ...tok, expiry })}`;
    }
    return line;
  });
  writeFileSync(configPath, lines.join('\n'));
}
