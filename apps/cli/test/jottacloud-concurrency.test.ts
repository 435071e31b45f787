// Two jsync processes (the BUILT CLI; `pnpm test` builds first) sharing one config and one Jottacloud remote run at
// once — copies to different folders, stretched by --bwlimit over several 2-second access tokens — while a third
// process keeps adding sections to the same config file. Required: both copies succeed, nothing reuses a refresh
// token (the emulator revokes a whole login on reuse: no family revoked), no update of the config file is lost (every
// added section is there, and the file holds the newest refresh token: after the server expires every access token a
// later run refreshes without a new login). The same run with the second process on a COPY of the config (what
// disabling the shared file and its lock amounts to) must break exactly these properties: that is checked too.

import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrashLane, type CrashRun, JSYNC_BIN, inspectConfig, runningPids, startCrashLane } from './helpers/jotta-crash-env.js';
import { ids, serverFiles, writeSeededTree } from './helpers/jotta-crash-scenario.js';

const AUTH_HINT = /invalid_grant.*jsync config reconnect jc:/;
/**
 * Transfers of about 1.7 MiB at 300 KiB/s: each copy outlives two or three 2-second access tokens (which are always
 * within the 10 s refresh margin, so the two processes refresh before nearly every request: dozens of rotations).
 */
const COPY_FLAGS = ['--bwlimit', '300K', '--transfers', '2', '--retries-sleep', '0'];

/** What a concurrent round produced. */
interface Round {
  runs: CrashRun[];
  /** Sections `note<i>` the config writer added (each `config create` exited 0). */
  notes: string[];
  refreshes: number;
  revoked: number;
  trees: { folder: string; want: Map<string, string> }[];
}

/**
 * Copies two trees at once (the second with config `confB`, default the shared one) while a third process adds
 * sections `note1…` to the shared config one after another until both copies have ended.
 */
async function round(lane: CrashLane, tag: string, confB?: string): Promise<Round> {
  const trees = [0, 1].map((i) => {
    const src = join(lane.dir, `${tag}-src${i}`);
    const content = writeSeededTree(src, tag.length * 1000 + i + 1, 12, 1_500_000 + 1000 * i);
    return { src, folder: `${tag}${i}`, want: ids(content) };
  });
  const before = lane.emu.state.tokenStats().revokedFamilies;
  lane.emu.state.clearRequests();
  let ended = false;
  const copies = Promise.all(trees.map((t, i) => lane.bin(['copy', t.src, `jc:${t.folder}`, ...COPY_FLAGS], { ...(i === 1 && confB ? { conf: confB } : {}), timeoutMs: 90_000 })))
    .finally(() => { ended = true; });
  const notes: string[] = [];
  const writer = (async () => {
    for (let i = 1; !ended && i <= 30; i++) {
      const r = await lane.bin(['config', 'create', `note${i}`, 'local']);
      if (r.code !== 0) throw new Error(`config create note${i} exited ${r.code}: ${r.err}`);
      notes.push(`note${i}`);
    }
  })();
  const [runs] = await Promise.all([copies, writer]);
  return {
    runs, notes, trees,
    refreshes: lane.emu.state.requests.filter((r) => r.op === 'token' && r.status === 200).length,
    revoked: lane.emu.state.tokenStats().revokedFamilies - before,
  };
}

/** The section names of the config file. */
function sections(conf: string): string[] {
  const { problems } = inspectConfig(conf);
  if (problems.length > 0) throw new Error(`config does not parse: ${problems.join(', ')}`);
  return [...readFileSync(conf, 'utf8').matchAll(/^\[([^\]]+)\]$/gm)].map((m) => m[1]!);
}

// Skip reason: needs the built CLI (apps/cli/dist/bin.js); `pnpm test` builds it first, so it runs there.
describe.runIf(existsSync(JSYNC_BIN))('two jsync processes, one config, one remote, 2-second access tokens', () => {
  let root = '';
  let shared: CrashLane;
  let broken: CrashLane;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'jsync-jotta-concurrency-'));
    shared = await startCrashLane(join(root, 'shared'), { seed: 61, tlsDir: join(root, 'tls'), tokenLifetimeSeconds: 2 });
    broken = await startCrashLane(join(root, 'broken'), { seed: 62, tlsDir: join(root, 'tls'), tokenLifetimeSeconds: 2 });
  }, 60_000);

  afterAll(async () => {
    for (const pid of runningPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await shared?.emu.stop();
    await broken?.emu.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('both copies succeed; no refresh token reused; no config update lost; the config holds the newest token', async () => {
    const r = await round(shared, 'c');
    console.log(`shared config: exits ${r.runs.map((x) => x.code).join(',')}, ${r.runs.map((x) => x.ms).join('/')} ms, ${r.refreshes} refreshes, ` +
      `${r.revoked} families revoked, ${r.notes.length} sections added meanwhile`);
    for (const run of r.runs) expect(run.code, run.err).toBe(0);
    expect(r.runs.every((x) => x.ms > 4000), 'each copy outlived its access tokens').toBe(true);
    expect(r.refreshes, 'the processes refreshed').toBeGreaterThanOrEqual(2);
    expect(r.revoked, 'no refresh token was presented twice').toBe(0);
    for (const t of r.trees) expect(serverFiles(shared.emu, t.folder)).toEqual(t.want);
    // No lost update: every section the third process added is still there next to the remote.
    expect(r.notes.length).toBeGreaterThanOrEqual(2);
    expect(sections(shared.conf)).toEqual(['jc', ...r.notes]);
    // The newest token is in the file: with every access token expired, a new process must refresh with it.
    shared.emu.state.expireAccessTokens();
    shared.emu.state.clearRequests();
    const after = await shared.bin(['lsf', 'jc:']);
    expect(after.code, after.err).toBe(0);
    // (Tokens living 2 s are always inside the 10 s refresh margin: the run refreshes before each authorised request.)
    expect(shared.emu.state.requests.filter((x) => x.op === 'token' && x.status === 200).length, 'the later run refreshed').toBeGreaterThanOrEqual(1);
    expect(shared.emu.state.tokenStats().revokedFamilies).toBe(0);
    for (const t of r.trees) {
      const check = await shared.jsync(['check', join(shared.dir, `c-src${t.folder.slice(1)}`), `jc:${t.folder}`]);
      expect(check.code, check.err).toBe(0);
    }
  }, 150_000);

  it('broken on purpose (second process on a copy of the config): a refresh token is reused, the login is revoked, runs fail with exit 7', async () => {
    const copy = join(broken.dir, 'copy.conf');
    copyFileSync(broken.conf, copy);
    const r = await round(broken, 'b', copy);
    const failed = r.runs.filter((x) => x.code !== 0);
    console.log(`copied config: exits ${r.runs.map((x) => x.code).join(',')}, ${r.refreshes} refreshes, ${r.revoked} families revoked; ` +
      `failures: ${failed.map((x) => x.err.trim().split('\n').pop()).join(' | ')}`);
    expect(r.revoked, 'the reused refresh token revoked the login').toBeGreaterThanOrEqual(1);
    expect(failed.length, 'at least one copy failed').toBeGreaterThanOrEqual(1);
    for (const x of failed) {
      expect(x.code).toBe(7);
      expect(x.err).toMatch(AUTH_HINT);
    }
    // The shared file no longer holds a working token: the next run needs a new login.
    broken.emu.state.expireAccessTokens();
    const after = await broken.bin(['lsf', 'jc:']);
    expect(after.code).toBe(7);
    expect(after.err).toMatch(AUTH_HINT);
  }, 150_000);

  it('broken on purpose (an unlocked writer puts back a stale snapshot of the file): the checks see the lost section and the lost token', async () => {
    expect((await broken.reconnect()).code).toBe(0);
    const stale = readFileSync(broken.conf, 'utf8');
    broken.emu.state.expireAccessTokens();
    const refreshed = await broken.bin(['lsf', 'jc:']); // rotates the refresh token and saves the new one
    expect(refreshed.code, refreshed.err).toBe(0);
    expect((await broken.bin(['config', 'create', 'late', 'local'])).code).toBe(0);
    expect(sections(broken.conf).at(-1)).toBe('late');
    writeFileSync(broken.conf, stale); // what a read-modify-write without the lock and the re-read does
    expect(sections(broken.conf)).not.toContain('late');
    broken.emu.state.expireAccessTokens();
    const after = await broken.bin(['lsf', 'jc:']);
    expect(after.code, 'the stale refresh token is refused and ends the login').toBe(7);
    expect(after.err).toMatch(AUTH_HINT);
  }, 60_000);
});
