// The jottacloud cases: jsync and rclone against ONE in-process Jottacloud emulator, both through its HTTPS proxy
// (HTTPS_PROXY + --ca-cert), each with its own remote `jc` configured from its own personal login token.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The jottacloud case ids in run order. */
export const JC_CASE_IDS = ['jc-copy-small', 'jc-copy-big', 'jc-lsjson-100k'];

/** Entries (folders + files below the listed root) of the tree the lsjson case lists. */
export const DEFAULT_LIST_ENTRIES = 100_000;

/** The emulator's device/mountpoint that remotes configured with defaults (Jotta/Archive) point at. */
export const JC_MOUNT = 'Jotta/Archive';

/** Path of the built emulator library below the repository root. */
export const EMULATOR_DIST = 'packages/jottacloud-emulator/dist/index.js';

/**
 * Plans the listing tree (no I/O): `entries` = folders + files below its root. About one folder per 1,000 entries
 * (100 for 100,000: 10 top folders with 9 subfolders each), the files spread round-robin over them.
 */
export function planListTree(entries) {
  if (!Number.isInteger(entries) || entries < 2) throw new Error(`the listing tree needs at least 2 entries, got ${entries}`);
  const nDirs = Math.max(1, Math.round(entries / 1000));
  const tops = Math.ceil(nDirs / 10);
  let subsLeft = nDirs - tops;
  const dirs = [];
  for (let t = 0; t < tops; t++) {
    const top = `d${String(t).padStart(3, '0')}`;
    dirs.push(top);
    for (let s = 0; s < 9 && subsLeft > 0; s++, subsLeft--) dirs.push(`${top}/s${s}`);
  }
  const files = [];
  for (let i = 0; i < entries - nDirs; i++) {
    files.push({ path: `${dirs[i % nDirs]}/f${String(i).padStart(6, '0')}.txt`, content: `entry ${i}\n`, modified: 1_700_000_000 + i });
  }
  return { dirs, files };
}

/** Why the jottacloud cases cannot run here (rclone or the built emulator missing), or undefined when they can. */
export function jcUnavailable({ root, rclone = 'rclone' }) {
  if (spawnSync(rclone, ['version'], { stdio: 'ignore' }).error) return `${rclone} not found on PATH`;
  if (!existsSync(join(root, EMULATOR_DIST))) return `${EMULATOR_DIST} is missing (run pnpm build)`;
  return undefined;
}

/**
 * The environment for a tool talking to the emulator: `base` without any proxy variables, then HTTPS_PROXY set to
 * the emulator and HOME/XDG dirs inside `home` (no user config or cache leaks in or out).
 */
export function jcEnv(base, { proxy, home }) {
  const env = {};
  for (const [k, v] of Object.entries(base)) if (!/^(https?_proxy|all_proxy|no_proxy)$/i.test(k)) env[k] = v;
  return { ...env, HTTPS_PROXY: proxy, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') };
}

/** Runs a child without blocking the event loop (the emulator lives in this process); resolves { code, stdout, stderr }. */
export function run(cmd, args, { env, cwd, timeoutMs = 120_000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [], err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** The first meaningful line of a failed command's output (what the table shows for an unavailable tool). */
export function firstErrorLine(text) {
  const line = text.split('\n').map((s) => s.trim()).find((s) => s !== '' && !/^usage:/i.test(s));
  return (line ?? 'no output').slice(0, 160);
}

/**
 * Starts the shared emulator: in memory (see README: a --data-dir would snapshot the whole account to disk after
 * every mutation and time the emulator's fsyncs), dedup off (else the second tool's uploads of the same content
 * would finish at allocate without sending a byte), day-long access tokens (no refresh inside a timed run).
 * Returns the handle the case builder uses.
 */
export async function startJc({ root, work, baseEnv, log = () => {} }) {
  const { startEmulator } = await import(pathToFileURL(join(root, EMULATOR_DIST)).href);
  const dir = join(work, 'jc');
  const home = join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const emu = await startEmulator({ tlsDir: join(dir, 'tls'), seed: 1, tokenLifetimeSeconds: 86_400, behaviour: { dedup: false } });
  const env = jcEnv(baseEnv, { proxy: emu.proxy, home });
  const configs = { jsync: join(dir, 'jsync.conf'), rclone: join(dir, 'rclone.conf') };
  for (const p of Object.values(configs)) writeFileSync(p, '');
  log(`jottacloud emulator at ${emu.url} (HTTPS proxy, CA ${emu.caCert})`);
  const flags = (tool) => ['--config', configs[tool], '--ca-cert', emu.caCert, '--transfers', '4', '--checkers', '8'];
  let auth;
  return {
    emu, env, configs, flags,
    /** Creates `jc:` for one tool from a fresh login token; resolves undefined, or the reason the tool cannot run. */
    async configure(tool, argv0) {
      const [cmd, ...pre] = argv0;
      const args = [...pre, ...flags(tool), 'config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${emu.mintLoginToken()}`];
      try {
        const r = await run(cmd, args, { env, cwd: dir });
        return r.code === 0 ? undefined : `n/a – ${firstErrorLine(r.stderr || r.stdout)}`;
      } catch (e) {
        return `n/a – ${e.message}`;
      }
    },
    /** Seeds the planned tree at `<mount>/<name>` straight into the emulator's state (no HTTP). */
    async seedTree(name, plan) {
      for (const d of plan.dirs) await emu.state.mkdir(`${JC_MOUNT}/${name}/${d}`);
      for (const f of plan.files) await emu.state.putFile(`${JC_MOUNT}/${name}/${f.path}`, f.content, { modified: f.modified, created: f.modified });
    },
    /** Live files, bytes, folders and file MD5s below `<mount>/<name>` (undefined when it does not exist). */
    stats(name) {
      return treeStatsOf(emu.state, `${JC_MOUNT}/${name}`);
    },
    /** Deletes `<mount>/<name>` permanently (rmDir, so its content is freed) if it exists; waits until done. */
    async remove(name) {
      if (!emu.state.stat(`${JC_MOUNT}/${name}`)) return;
      auth ??= await login(emu);
      const res = await fetch(`${emu.url}/jfs/${emu.state.username}/${JC_MOUNT}/${encodeURIComponent(name)}?rmDir=true`, { method: 'POST', headers: auth });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`deleting ${name} from the emulator: HTTP ${res.status}`);
      await emu.state.settle();
    },
    stop: () => emu.stop(),
  };
}

/** Walks the emulator's state below `path`: { files, bytes, dirs, md5s } of live items, or undefined when absent. */
export function treeStatsOf(state, path) {
  const top = state.stat(path);
  if (!top || top.kind !== 'folder' || top.deleted !== null) return undefined;
  const out = { files: 0, bytes: 0, dirs: 0, md5s: [] };
  const stack = [[path, top]];
  while (stack.length > 0) {
    const [p, node] = stack.pop();
    for (const name of node.children) {
      const child = state.stat(`${p}/${name}`);
      if (!child || child.deleted !== null) continue;
      if (child.kind === 'folder') { out.dirs++; stack.push([`${p}/${name}`, child]); }
      else if (child.current) { out.files++; out.bytes += child.current.size; out.md5s.push(child.current.md5); }
    }
  }
  return out;
}

/** An access token for the bench's own housekeeping requests (a third login, as a client would log in). */
async function login(emu) {
  const token = JSON.parse(Buffer.from(emu.mintLoginToken(), 'base64url').toString());
  const discovery = await (await fetch(token.well_known_link)).json();
  const form = new URLSearchParams({ client_id: 'jottacli', grant_type: 'password', password: token.auth_token, scope: 'openid offline_access', username: token.username });
  const res = await fetch(discovery.token_endpoint, { method: 'POST', body: form });
  const body = await res.json();
  if (!body.access_token) throw new Error(`bench login to the emulator failed: ${JSON.stringify(body).slice(0, 200)}`);
  return { Authorization: `Bearer ${body.access_token}` };
}
