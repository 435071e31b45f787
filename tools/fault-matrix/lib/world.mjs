// One run's world: an in-process Jottacloud emulator (its own account, seed and token lifetime), a jsync config with
// remote `jc` made by the built CLI's `config create`, and the built CLI run as a real child process through the
// emulator's HTTPS proxy (spawned asynchronously: the emulator lives in this process), killed after a timeout.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
/** The built CLI. */
export const JSYNC_BIN = join(ROOT, 'apps/cli/dist/bin.js');
/** The built emulator library. */
export const EMULATOR_DIST = join(ROOT, 'packages/jottacloud-emulator/dist/index.js');

/** Why the matrix cannot run here (something unbuilt), or undefined. */
export function unavailable() {
  for (const p of [JSYNC_BIN, EMULATOR_DIST]) if (!existsSync(p)) return `${p} is missing (run pnpm build)`;
  return undefined;
}

let emulatorModule;
/** The emulator library (loaded once). */
export async function emulatorLib() {
  emulatorModule ??= await import(pathToFileURL(EMULATOR_DIST).href);
  return emulatorModule;
}

/** The environment of every jsync child: no proxy/JSYNC_/RCLONE_ variables leaking in, UTC, HOME in the run dir. */
export function childEnv(base, { proxy, home }) {
  const env = {};
  for (const [k, v] of Object.entries(base)) {
    if (v !== undefined && !/^(https?_proxy|no_proxy|all_proxy|NODE_OPTIONS)$/i.test(k) && !/^(JSYNC_|RCLONE_)/.test(k)) env[k] = v;
  }
  return { ...env, HTTPS_PROXY: proxy, TZ: 'UTC', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') };
}

/** Child processes still running (killed by `killAll` when the script is interrupted). */
const running = new Set();

/** SIGKILLs every jsync child still running. */
export function killAll() {
  for (const child of running) child.kill('SIGKILL');
}

/**
 * Runs `node <bin> …args` without blocking the event loop; resolves `{ code, out, err, ms, timedOut }`
 * (`code` 124 when it was killed after `timeoutMs`).
 */
export function runBin(args, { env, cwd, timeoutMs }) {
  const t0 = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [JSYNC_BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      running.delete(child);
      fail(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      done({
        code: timedOut ? 124 : code ?? 128, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8'), ms: Date.now() - t0, timedOut,
      });
    });
  });
}

/**
 * Starts an emulator for one run (seed, token lifetime, slow delay; CA in the shared `tlsDir`) and configures remote
 * `jc` in `<dir>/jsync.conf`. Returns `{ emu, dir, conf, jsync(args, opts) }`; `stop()` ends the emulator.
 */
export async function startWorld(dir, { seed, tokenLifetimeSeconds = 3600, slowMs = 1000, tlsDir, timeoutMs = 60_000 }) {
  mkdirSync(dir, { recursive: true });
  const { startEmulator } = await emulatorLib();
  const emu = await startEmulator({ seed, tlsDir, tokenLifetimeSeconds, behaviour: { slowMs } });
  const conf = join(dir, 'jsync.conf');
  const env = childEnv(process.env, { proxy: emu.proxy, home: dir });
  const jsync = (args, o = {}) => runBin(['--config', o.conf ?? conf, '--ca-cert', emu.caCert, ...args], { env, cwd: dir, timeoutMs: o.timeoutMs ?? timeoutMs });
  const world = {
    emu, dir, conf, jsync,
    login: (c = conf) => jsync(['config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${emu.mintLoginToken()}`], { conf: c }),
    reconnect: (c = conf) => jsync(['config', 'reconnect', 'jc:', 'config_type=standard', `config_login_token=${emu.mintLoginToken()}`], { conf: c }),
    stop: () => emu.stop(),
  };
  const made = await world.login();
  if (made.code !== 0) {
    await emu.stop();
    throw new Error(`config create failed (exit ${made.code}): ${made.err.slice(-500)}`);
  }
  return world;
}
