// The interactive `config` wizard and `config reconnect` of the BUILT CLI in a pseudo-terminal (helpers/pty-run.py,
// python3's pty module): a local remote proves the harness, then a jottacloud remote logs in against the emulator
// (its built `jotta-emulator` binary, reached through HTTPS_PROXY and --ca-cert) with the login token typed unechoed;
// a revoked login then ends commands with exit 7 until `config reconnect`.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JSYNC_BIN } from './helpers/scenario-run.js';

const here = dirname(fileURLToPath(import.meta.url));
const PTY_RUN = join(here, 'helpers', 'pty-run.py');
const EMULATOR_BIN = resolve(here, '../../../packages/jottacloud-emulator/dist/bin.js');
const havePython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;
const ready = havePython && existsSync(JSYNC_BIN);

interface PtyResult {
  transcript: string;
  status: number | null;
  error: string | null;
}

let dir: string;
let cfg: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-pty-'));
  cfg = join(dir, 'rclone.conf');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the built jsync with `args` in a PTY, typing each answer once its prompt text has appeared. */
function ptyJsync(args: string[], steps: Array<[string, string]>, env: Record<string, string> = {}): PtyResult {
  const spec = join(dir, `pty-${Date.now()}.json`);
  writeFileSync(spec, JSON.stringify({ argv: [process.execPath, JSYNC_BIN, '--config', cfg, ...args], env: { TZ: 'UTC', ...env }, steps, timeout: 20 }));
  const r = spawnSync('python3', [PTY_RUN, spec], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`pty-run.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PtyResult;
}

describe('PTY harness', () => {
  it('finds python3 with pty and the built CLI', () => {
    expect(havePython, 'python3 with the pty module is needed').toBe(true);
    expect(existsSync(JSYNC_BIN), `${JSYNC_BIN} is missing: run \`pnpm build\``).toBe(true);
  });

  // Skip reason: needs python3 (its pty module drives the terminal) and the built CLI; both exist under `pnpm test` in CI.
  it.runIf(ready)('creates a local remote through the wizard on a terminal (answers echoed by the tty)', () => {
    const r = ptyJsync(['config'], [['n/s/q> ', 'n'], ['name> ', 'myloc'], ['Storage> ', 'local'], ['y/n> ', ''], ['y/e/d> ', 'y'], ['e/n/d/r/c/s/q> ', 'q']]);
    expect(r.error).toBeNull();
    expect(r.status).toBe(0);
    // the terminal echoes what was typed (and turns \n into \r\n)
    expect(r.transcript).toContain('name> myloc\r\n');
    expect(r.transcript).toContain('Storage> local\r\n');
    expect(r.transcript).toContain('Configuration complete.\r\nOptions:\r\n- type: local\r\nKeep this "myloc" remote?\r\n');
    expect(readFileSync(cfg, 'utf8')).toBe('[myloc]\ntype = local\n\n');
  }, 60_000);
});

interface Emulator {
  proc: ChildProcess;
  url: string;
  proxy: string;
  caCert: string;
  loginToken: string;
}

/** Starts the built emulator binary and reads its ready line. */
async function startEmulatorProcess(dataDir: string): Promise<Emulator> {
  const proc = spawn(process.execPath, [EMULATOR_BIN, '--tls-dir', join(dataDir, 'tls')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! });
  const first = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error('emulator did not start in 20 s')), 20_000);
    lines.once('line', (l) => {
      clearTimeout(timer);
      res(l);
    });
    proc.once('exit', (code) => rej(new Error(`emulator exited with ${code}`)));
  });
  return { proc, ...(JSON.parse(first) as Omit<Emulator, 'proc'>) };
}

/** A fresh one-use personal login token from the emulator's admin endpoint. */
async function mintLoginToken(emu: Emulator): Promise<string> {
  const res = await fetch(`${emu.url}/__admin/login-token`, { method: 'POST' });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

// Skip reason: as above, plus the built emulator binary (packages/jottacloud-emulator/dist), built by `pnpm test`.
describe.runIf(ready && existsSync(EMULATOR_BIN))('jottacloud wizard and reconnect on a terminal, against the emulator', () => {
  let emu: Emulator;
  let emuDir: string;
  beforeAll(async () => {
    emuDir = mkdtempSync(join(tmpdir(), 'jsync-pty-emu-'));
    emu = await startEmulatorProcess(emuDir);
  }, 30_000);
  afterAll(async () => {
    if (emu) {
      const exited = new Promise((r) => emu.proc.once('exit', r));
      emu.proc.kill('SIGTERM');
      await exited;
    }
    rmSync(emuDir, { recursive: true, force: true });
  });

  const env = () => ({ HTTPS_PROXY: emu.proxy });
  const jsync = (...args: string[]) =>
    spawnSync(process.execPath, [JSYNC_BIN, '--config', cfg, '--ca-cert', emu.caCert, ...args], { encoding: 'utf8', env: { ...process.env, ...env() }, timeout: 60_000 });
  const tokenOf = (text: string) => JSON.parse(/^token = (.*)$/m.exec(text)![1]!) as { access_token: string; refresh_token: string; token_type: string; expiry: string };

  it('logs in with a personal login token typed without echo, then the remote works', async () => {
    const login = emu.loginToken;
    const r = ptyJsync(['--ca-cert', emu.caCert, 'config'], [
      ['n/s/q> ', 'n'], ['name> ', 'jc'], ['Storage> ', 'jottacloud'], ['y/n> ', 'n'],
      ['config_type> ', ''], ['config_login_token> ', login], ['y/n> ', ''], ['y/e/d> ', 'y'], ['e/n/d/r/c/s/q> ', 'q'],
    ], env());
    expect(r.error).toBeNull();
    expect(r.status).toBe(0);
    expect(r.transcript).toContain('Option config_type.\r\n');
    expect(r.transcript).toContain('Press Enter for the default (standard).\r\n');
    expect(r.transcript).toContain('config_login_token> ');
    expect(r.transcript).not.toContain(login);
    // hidden options (token, device, …) are not asked as questions
    expect(r.transcript).not.toContain('Option token.');
    const text = readFileSync(cfg, 'utf8');
    expect(text).toMatch(/^\[jc\]\ntype = jottacloud\n/);
    expect(text).toContain('configVersion = 1\n');
    expect(text).toContain('client_id = jottacli\n');
    expect(text).not.toContain('config_');
    const token = tokenOf(text);
    expect(token.token_type).toBe('Bearer');
    expect(token.refresh_token).not.toBe('');
    // the stored remote is usable
    expect(jsync('mkdir', 'jc:made-by-pty').status).toBe(0);
    const ls = jsync('lsf', 'jc:');
    expect(ls.stderr).toBe('');
    expect(ls.stdout).toBe('made-by-pty/\n');
  }, 90_000);

  it('config reconnect asks again and stores new credentials, keeping the other keys', async () => {
    writeFileSync(cfg, '');
    const first = jsync('config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${await mintLoginToken(emu)}`);
    expect(first.status, first.stderr).toBe(0);
    const before = readFileSync(cfg, 'utf8');
    const fresh = await mintLoginToken(emu);
    const r = ptyJsync(['--ca-cert', emu.caCert, 'config', 'reconnect', 'jc:'], [['config_type> ', '1'], ['config_login_token> ', fresh]], env());
    expect(r.error, r.transcript).toBeNull();
    expect(r.status).toBe(0);
    expect(r.transcript).not.toContain(fresh);
    const after = readFileSync(cfg, 'utf8');
    expect(tokenOf(after).refresh_token).not.toBe(tokenOf(before).refresh_token);
    expect(after.replace(/^token = .*$/m, '')).toBe(before.replace(/^token = .*$/m, ''));
    expect(jsync('lsf', 'jc:').status).toBe(0);
  }, 90_000);

  it('a revoked login (stale refresh token) ends commands with exit 7 and the reconnect hint; reconnect fixes it', async () => {
    writeFileSync(cfg, '');
    expect(jsync('config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${await mintLoginToken(emu)}`).status).toBe(0);
    const copied = readFileSync(cfg, 'utf8');
    const expire = async () => expect((await fetch(`${emu.url}/__admin/expire-tokens`, { method: 'POST' })).status).toBe(200);
    await expire();
    expect(jsync('lsf', 'jc:').status).toBe(0); // refreshes: the stored refresh token rotates
    writeFileSync(cfg, copied); // a copy of the config with the old refresh token, as on a second machine
    await expire();
    const r = jsync('--retries', '3', 'lsf', 'jc:');
    expect(r.status).toBe(7);
    expect(r.stderr).toContain('invalid_grant: maybe token expired? - try refreshing with "jsync config reconnect jc:"');
    expect(r.stderr).not.toContain('Attempt');
    const fixed = jsync('config', 'reconnect', 'jc:', 'config_type=standard', `config_login_token=${await mintLoginToken(emu)}`, 'config_non_standard=false');
    expect(fixed.status, fixed.stderr).toBe(0);
    expect(jsync('lsf', 'jc:').status).toBe(0);
  }, 90_000);
});
