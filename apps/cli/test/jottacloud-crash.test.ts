// Crash safety against Jottacloud (users-and-reliability §5): the BUILT CLI (apps/cli/dist/bin.js; `pnpm test` builds
// first) is SIGKILLed when a seeded request reaches the emulator — the nth allocate, upload, token refresh, download
// or delete (sync delete phase / move's source deletions), immediately or a few ms later — and run again. After each
// kill and after the rerun: no partial or foreign content under a final name (server current revisions; local final
// names, `*.partial` siblings allowed), no replaced file gone, destination-only files deleted only once the
// destination was complete, moved files on one side at least, jsync's listing shows only completed uploads, the config
// and its token parse. The rerun must succeed (a kill during a refresh may lose the rotated token: then it must fail
// with exit 7 and the reconnect hint, and `config reconnect` recovers); the final `check --download` is clean.

import { existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrashLane, JSYNC_BIN, inspectConfig, runningPids, startCrashLane } from './helpers/jotta-crash-env.js';
import { type Phase, checkArgs, goalDiffs, inspectTrial, listingMatches, prepareTrial } from './helpers/jotta-crash-scenario.js';
import { prng } from './helpers/scenario-crash.js';

const PHASES: Phase[] = ['allocate', 'upload', 'token', 'download', 'delete'];
const PER_PHASE = 4;
const SEED = 20250607;
const AUTH_HINT = /invalid_grant.*jsync config reconnect jc:/;


/** What one trial saw. */
interface TrialResult {
  index: number;
  phase: Phase;
  variant: string;
  killed: boolean;
  trigger: string;
  delayMs: number;
  partials: number;
  /** `*.partial` files still there after the rerun. */
  partialsLeft: number;
  relogin: boolean;
  problems: string[];
}

/** One kill and its rerun in `lane`; problems are collected, not thrown, so the summary shows every trial. */
async function trial(lane: CrashLane, phase: Phase, index: number, rnd: () => number, alt: boolean): Promise<TrialResult> {
  const t = await prepareTrial(lane, phase, index, rnd, alt);
  const flags = ['--retries-sleep', '0'];
  const run = await lane.bin([...t.args, ...flags], { kill: t.kill });
  const res: TrialResult = { index, phase, variant: t.variant, killed: run.killed, trigger: run.trigger ?? '-', delayMs: t.kill.delayMs, partials: 0, partialsLeft: 0, relogin: false, problems: [] };
  const p = (where: string, xs: readonly string[]) => res.problems.push(...xs.map((x) => `${where}: ${x}`));
  if (!run.killed) p('run', [`the kill point was not reached (exit ${run.code}): ${run.err.trim().split('\n').pop()}`]);
  const seen = inspectTrial(lane, t);
  res.partials = seen.partials.length;
  p('after the kill', seen.violations);
  const conf = inspectConfig(lane.conf);
  p('config after the kill', conf.problems);
  if (phase !== 'token' && t.variant === 'sync-up') p('listing after the kill', await listingMatches(lane, t));

  let again = await lane.bin([...t.args, ...flags]);
  if (again.code !== 0 && phase === 'token' && again.code === 7 && AUTH_HINT.test(again.err)) {
    // The server rotated the refresh token but the process died before saving the new one: the login is gone, loudly.
    res.relogin = true;
    p('after the rerun', inspectTrial(lane, t).violations);
    const re = await lane.reconnect();
    if (re.code !== 0) p('reconnect', [`exit ${re.code}: ${re.err.trim().split('\n').pop()}`]);
    again = await lane.bin([...t.args, ...flags]);
  }
  if (again.code !== 0) p('rerun', [`exit ${again.code}: ${again.err.trim().split('\n').slice(-3).join(' | ')}`]);
  const after = inspectTrial(lane, t);
  res.partialsLeft = after.partials.length;
  p('after the rerun', after.violations);
  p('after the rerun', goalDiffs(lane, t).map((d) => `not converged: ${d}`));
  p('config after the rerun', inspectConfig(lane.conf).problems);
  if (t.variant === 'sync-up') p('listing after the rerun', await listingMatches(lane, t));
  const check = await lane.jsync(checkArgs(t));
  if (check.code !== 0 || !/: 0 differences found/.test(check.err)) p('check --download', [`exit ${check.code}: ${check.err.trim().split('\n').pop()}`]);
  return res;
}

describe('crash safety against jottacloud: kill -9 at seeded requests, then rerun', () => {
  let root = '';
  const lanes: CrashLane[] = [];

  beforeAll(async () => {
    if (!existsSync(JSYNC_BIN)) throw new Error(`${JSYNC_BIN} is missing: build the CLI first (the root \`pnpm test\` builds before testing)`);
    root = mkdtempSync(join(tmpdir(), 'jsync-jotta-crash-'));
    for (const s of [1, 2]) lanes.push(await startCrashLane(join(root, `lane${s}`), { seed: SEED + s, tlsDir: join(root, 'tls') }));
  }, 60_000);

  afterAll(async () => {
    for (const pid of runningPids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const lane of lanes) await lane.emu.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the invariants see broken states: a cut file under a final name, a vanished replaced file, early deletes, a cut config', async () => {
    const lane = lanes[0]!;
    const rnd = prng(1);
    const down = await prepareTrial(lane, 'download', 100, rnd);
    expect(inspectTrial(lane, down).violations).toEqual([]);
    const [rel, data] = [...down.content][0]!;
    writeFileSync(join(down.dst, rel), data.subarray(0, data.length >> 1)); // a partial write under the final name
    unlinkSync(join(down.dst, [...down.destOnly.keys()][0]!)); // a delete while the destination is incomplete
    const v = inspectTrial(lane, down).violations.join('\n');
    expect(v).toMatch(new RegExp(`${rel}: content under a final name is neither the new nor the previous version`));
    expect(v).toMatch(/1 destination-only files deleted while only 0\/11 source files were in place/);
    const stale = [...down.stale.keys()][1]!;
    unlinkSync(join(down.dst, stale));
    expect(inspectTrial(lane, down).violations.join('\n')).toMatch(new RegExp(`${stale}: a file the run replaces disappeared`));
    const move = await prepareTrial(lane, 'delete', 101, rnd, true);
    await lane.emu.state.putFile(`Jotta/Archive/${move.folder}/${[...move.content.keys()][2]!}`, Buffer.from('other'));
    expect(inspectTrial(lane, move).violations.join('\n')).toMatch(/moved file neither at the source nor at the destination/);
    const before = readFileSync(lane.conf, 'utf8');
    try {
      writeFileSync(lane.conf, before.slice(0, before.indexOf('"refresh_token"')));
      expect(inspectConfig(lane.conf).problems).toEqual(['[jc] token is not JSON']);
    } finally {
      writeFileSync(lane.conf, before);
    }
    expect(inspectConfig(lane.conf).problems).toEqual([]);
  });

  it(`${PHASES.length * PER_PHASE} seeded kills (allocate, upload, token refresh, download, delete): invariants hold, reruns converge, checks are clean`, async () => {
    const rnd = prng(SEED);
    const order = PHASES.flatMap((ph) => Array.from({ length: PER_PHASE }, () => ph)).map((ph) => ({ ph, key: rnd() })).sort((a, b) => a.key - b.key).map((x) => x.ph);
    // Two lanes (own emulator and config each) take alternate trials; each lane's trials run one after another.
    const results = await Promise.all(lanes.map(async (lane, li) => {
      const laneRnd = prng(SEED * 7 + li);
      const out: TrialResult[] = [];
      for (let i = li; i < order.length; i += lanes.length) {
        // The delete phase alternates between a sync's delete phase and move's source deletions.
        const alt = order.slice(0, i).filter((ph) => ph === order[i]).length % 2 === 1;
        out.push(await trial(lane, order[i]!, i, laneRnd, alt));
      }
      return out;
    }));
    const all = results.flat().sort((a, b) => a.index - b.index);
    console.log(`jottacloud crash loop (seed ${SEED}):\n${all.map((r) =>
      `  #${r.index} ${r.phase.padEnd(8)} ${r.variant.padEnd(9)} ${r.killed ? 'killed' : 'NOT KILLED'} at ${r.trigger} +${r.delayMs} ms, ` +
      `${r.partials} partials (${r.partialsLeft} after the rerun)${r.relogin ? ', login lost (exit 7, reconnected)' : ''}${r.problems.length ? `, ${r.problems.length} PROBLEMS` : ''}`).join('\n')}`);
    expect(all.flatMap((r) => r.problems.map((p) => `#${r.index} ${r.phase}: ${p}`))).toEqual([]);
    expect(all.filter((r) => r.killed)).toHaveLength(PHASES.length * PER_PHASE);
    for (const ph of PHASES) expect(all.filter((r) => r.phase === ph && r.killed).length, ph).toBe(PER_PHASE);
    // Only a kill during a refresh may cost the login.
    expect(all.filter((r) => r.relogin && r.phase !== 'token')).toEqual([]);
  }, 170_000);
});
