// Config files holding tokens are private: the BUILT CLI run under umask 000 (so only explicit modes protect
// anything) against an in-process emulator. `config create` makes a 0600 file (in a new 0700 directory); a token
// refresh rewrites it under the lock as 0600, and the lock file and any temporary file seen meanwhile are 0600 too
// (the refresh is slowed down so that they can be watched); a file the user made 0640 keeps 0640 (rclone).
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Not a dependency of the CLI package: by path, as the other emulator tests do.
import { startEmulator, type Emulator } from '../../../packages/jottacloud-emulator/src/index.js';

const JSYNC_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');
const built = existsSync(JSYNC_BIN) && process.platform !== 'win32';

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-secrets-modes-'));
  emu = await startEmulator({ seed: 43, tlsDir: join(dir, 'tls') });
});
afterAll(async () => {
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  err: string;
  /** Mode of every file seen in the config's directory while the command ran (polled every few ms). */
  seen: Map<string, number>;
}

/** The built jsync under `umask 000`, watching the config directory while it runs. */
function jsync(conf: string, args: readonly string[]): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(https?_proxy|no_proxy|all_proxy)$/i.test(k) && !k.startsWith('JSYNC_') && !k.startsWith('RCLONE_')) env[k] = v;
  }
  Object.assign(env, { HTTPS_PROXY: emu.proxy, TZ: 'UTC', HOME: dir });
  const argv = ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, JSYNC_BIN, '--config', conf, '--ca-cert', emu.caCert, ...args];
  const seen = new Map<string, number>();
  const confDir = dirname(conf);
  let done = false;
  const poll = (): void => {
    if (done) return;
    try {
      for (const name of readdirSync(confDir)) {
        try {
          seen.set(name, statSync(join(confDir, name)).mode & 0o777);
        } catch {
          // gone between readdir and stat
        }
      }
    } catch {
      // directory not made yet
    }
    setTimeout(poll, 3);
  };
  poll();
  return new Promise((resolvePromise, reject) => {
    const child = spawn('/bin/sh', argv, { env, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      done = true;
      resolvePromise({ code: code ?? -1, err: Buffer.concat(err).toString('utf8'), seen });
    });
  });
}

const mode = (p: string): number => statSync(p).mode & 0o777;
const oct = (m: number | undefined): string => (m === undefined ? 'never seen' : `0${m.toString(8)}`);

// Skip reason: needs the built CLI (apps/cli/dist/bin.js); `pnpm test` builds it first, so it runs there. POSIX modes: not on Windows.
describe.runIf(built)('config file modes (built CLI under umask 000)', () => {
  it('config create writes 0600 in a new 0700 directory; a refresh rewrites it 0600 under a 0600 lock file', async () => {
    const conf = join(dir, 'fresh', 'sub', 'jsync.conf');
    const made = await jsync(conf, ['config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${emu.mintLoginToken()}`]);
    expect(made.code, made.err).toBe(0);
    expect(oct(mode(conf))).toBe('0600');
    expect(oct(mode(dirname(conf)))).toBe('0700');
    const before = readFileSync(conf, 'utf8');

    // The refresh answer is slowed down so that the lock (held across it) can be seen.
    emu.state.expireAccessTokens();
    emu.state.addFaults(['token=slow']);
    const refreshed = await jsync(conf, ['-vv', 'lsd', 'jc:']);
    emu.state.clearFaults();
    expect(refreshed.code, refreshed.err).toBe(0);
    expect(refreshed.err).toContain('Token refresh successful');
    expect(readFileSync(conf, 'utf8')).not.toBe(before);
    expect(oct(mode(conf))).toBe('0600');
    expect(oct(refreshed.seen.get('jsync.conf.lock'))).toBe('0600');
    expect(existsSync(`${conf}.lock`)).toBe(false);
    // nothing in the directory (temporary files included) was ever readable by others
    const loose = [...refreshed.seen].filter(([, m]) => (m & 0o077) !== 0).map(([n, m]) => `${n} ${oct(m)}`);
    expect(loose).toEqual([]);
  }, 90_000);

  it('a config file the user made 0640 keeps 0640 when a refresh rewrites it (rclone)', async () => {
    const conf = join(dir, 'shared', 'jsync.conf');
    const made = await jsync(conf, ['config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${emu.mintLoginToken()}`]);
    expect(made.code, made.err).toBe(0);
    chmodSync(conf, 0o640);
    const before = readFileSync(conf, 'utf8');
    emu.state.expireAccessTokens();
    const refreshed = await jsync(conf, ['-vv', 'lsd', 'jc:']);
    expect(refreshed.code, refreshed.err).toBe(0);
    expect(readFileSync(conf, 'utf8')).not.toBe(before);
    expect(oct(mode(conf))).toBe('0640');
  }, 90_000);
});
