// Cross-process lock of the config file: `<config>.lock` created exclusively, stale owners taken over.

import { randomBytes } from 'node:crypto';
import { open, readFile, rm, stat, utimes } from 'node:fs/promises';
import { hostname } from 'node:os';
import { jsyncError } from '../fs/errors.js';

/** Timing of {@link acquireConfigLock}; the defaults suit every caller, tests shorten them. */
export interface ConfigLockOptions {
  /** Give up after waiting this long (ms). @default 60000 */
  waitMs?: number;
  /** A lock whose file was not touched for this long (ms) is stale. @default 120000 */
  staleMs?: number;
  /** The holder touches its lock file this often (ms) so long holds do not look stale. @default 20000 */
  heartbeatMs?: number;
}

/** A held lock; release it exactly once (also on error). */
export interface ConfigLock {
  /** The lock file. */
  readonly path: string;
  /** Removes the lock file (only if it is still ours). */
  release(): Promise<void>;
}

interface Owner {
  pid: number;
  host: string;
  time: string;
  token: string;
}

const DEFAULTS = { waitMs: 60_000, staleMs: 120_000, heartbeatMs: 20_000 };
/** A takeover guard older than this is left over from a crash in the few lines it protects. */
const GUARD_STALE_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException | undefined)?.code;

async function createExclusive(path: string, text: string): Promise<boolean> {
  try {
    const fh = await open(path, 'wx', 0o600);
    try {
      await fh.writeFile(text);
    } finally {
      await fh.close();
    }
    return true;
  } catch (err) {
    if (code(err) === 'EEXIST') return false;
    throw err;
  }
}

function parseOwner(text: string): Owner | undefined {
  try {
    const o = JSON.parse(text) as Partial<Owner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string') return { pid: o.pid, host: o.host, time: String(o.time ?? ''), token: String(o.token ?? '') };
  } catch {
    // half-written or foreign content: judged by age only
  }
  return undefined;
}

/** True when `pid` is no longer running on this machine (EPERM = alive, owned by someone else). */
function pidDead(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return code(err) === 'ESRCH';
  }
}

/** Why the current lock file is stale, or undefined while its owner may still be working. */
async function staleReason(path: string, text: string, staleMs: number): Promise<string | undefined> {
  const owner = parseOwner(text);
  if (owner && owner.host === hostname() && owner.pid !== process.pid && pidDead(owner.pid)) return `owner pid ${owner.pid} is not running`;
  const st = await stat(path).catch(() => undefined);
  if (st && Date.now() - st.mtimeMs > staleMs) return `not updated for ${Math.round((Date.now() - st.mtimeMs) / 1000)}s`;
  return undefined;
}

/**
 * Removes the lock file if it still holds `text` (stale). A guard file serialises takeovers so two waiters cannot
 * both judge the same stale lock and one of them delete the lock the other has just created.
 */
async function takeOver(path: string, text: string): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await createExclusive(guard, String(process.pid)))) {
    const st = await stat(guard).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > GUARD_STALE_MS) await rm(guard, { force: true });
    return;
  }
  try {
    const now = await readFile(path, 'utf8').catch(() => undefined);
    if (now === text) await rm(path, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/**
 * Takes the config file's lock: `<configPath>.lock` created with O_EXCL holding pid, host name and time. Waits with
 * backoff while another process holds it; takes over a lock whose owner died on this host or that was not touched
 * for `staleMs`; after `waitMs` fails with a CONFIG error naming the lock file.
 */
export async function acquireConfigLock(configPath: string, opts: ConfigLockOptions = {}): Promise<ConfigLock> {
  const { waitMs, staleMs, heartbeatMs } = { ...DEFAULTS, ...opts };
  const path = `${configPath}.lock`;
  const token = randomBytes(8).toString('hex');
  const text = JSON.stringify({ pid: process.pid, host: hostname(), time: new Date().toISOString(), token } satisfies Owner) + '\n';
  const deadline = Date.now() + waitMs;
  let delay = 5;
  let lastOwner = '';
  for (;;) {
    let created: boolean;
    try {
      created = await createExclusive(path, text);
    } catch (err) {
      throw jsyncError('CONFIG', { message: `failed to create config file lock ${JSON.stringify(path)}: ${(err as Error).message}`, cause: err, context: { path } });
    }
    if (created) break;
    const current = await readFile(path, 'utf8').catch((err) => (code(err) === 'ENOENT' ? undefined : Promise.reject(err)));
    if (current === undefined) continue;
    lastOwner = current.trim();
    if ((await staleReason(path, current, staleMs)) !== undefined) {
      await takeOver(path, current);
      continue;
    }
    if (Date.now() >= deadline) {
      const owner = parseOwner(current);
      const who = owner ? ` (held by pid ${owner.pid} on ${owner.host} since ${owner.time})` : lastOwner ? ` (${lastOwner})` : '';
      throw jsyncError('CONFIG', {
        message: `timed out after ${waitMs / 1000}s waiting for the config file lock ${JSON.stringify(path)}${who}; if no jsync process uses this config, delete the lock file`,
        context: { path },
      });
    }
    await sleep(Math.min(delay * (0.5 + Math.random()), Math.max(1, deadline - Date.now())));
    delay = Math.min(delay * 2, 250);
  }
  const timer = setInterval(() => {
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
  }, heartbeatMs);
  timer.unref();
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      const now = await readFile(path, 'utf8').catch(() => undefined);
      if (now === text) await rm(path, { force: true });
    },
  };
}

/** Runs `fn` while holding the config file's lock (released also when `fn` throws). */
export async function withConfigLock<T>(configPath: string, fn: () => Promise<T>, opts?: ConfigLockOptions): Promise<T> {
  const lock = await acquireConfigLock(configPath, opts);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
