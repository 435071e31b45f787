// Crash safety (users-and-reliability §5 req. 16 and 41): a large local→local `sync` run by the BUILT CLI
// (apps/cli/dist/bin.js — the root `pnpm test` builds first) is killed with SIGKILL at seeded random points and run
// again. After every kill: no file under a final name holds anything but the source version or the destination's
// previous version (no partial file under a final name), no file the sync replaces ever disappears, and no
// destination-only file has been deleted unless every source file was already in place (delete-after). When a run
// completes, the destination equals the source, no `*.partial` is left, and `jsync check` is clean.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibratedStart, inspect, makeFixture, phaseOf, prng, resetDestination } from './helpers/scenario-crash.js';
import type { Fixture, Inspection, Phase } from './helpers/scenario-crash.js';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');
/** Development knob: another program to crash instead (`JSYNC_CRASH_BIN=rclone` shows the invariants catching rclone 1.60's in-place writes). */
const OTHER = process.env['JSYNC_CRASH_BIN'];
const command = (args: string[]): [string, string[]] => (OTHER ? [OTHER, ['--config', '/dev/null', ...args]] : [process.execPath, [BIN, '--config', '/dev/null', ...args]]);
const FILES = 2000;
const KILLS = 20;
/** Destination-only files (a longer delete phase makes kills inside it likely). */
const EXTRAS = 400;
const MAX_SPAWNS = 60;

/** Process groups of CLI runs still going (killed in afterAll if a failed assertion left one behind). */
const running = new Set<number>();

/** Runs the CLI; with `killAfterMs` it is SIGKILLed (with its process group) at that time if still running. */
function runCli(args: string[], killAfterMs?: number): Promise<{ code: number | null; killed: boolean; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const [cmd, argv] = command(args);
    const child = spawn(cmd, argv, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    const err: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => err.push(c));
    if (child.pid !== undefined) running.add(child.pid);
    let killed = false;
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => {
      killed = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        killed = false; // already gone
      }
    }, killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      resolve({ code, killed, stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - start });
    });
  });
}

describe('crash safety: kill -9 during a large local→local sync', () => {
  let root = '';
  let fx: Fixture;

  beforeAll(() => {
    if (!OTHER && !existsSync(BIN)) throw new Error(`${BIN} is missing: build the CLI first (\`pnpm build\`; the root \`pnpm test\` builds before testing)`);
    const help = spawnSync(...command(['sync', '--help']), { encoding: 'utf8' });
    if (help.status !== 0) throw new Error(`the built CLI has no working \`sync\` command (stale dist? run \`pnpm build\`): ${help.stderr}`);
    root = mkdtempSync(path.join(tmpdir(), 'jsync-crash-'));
    fx = makeFixture(root, { files: FILES, extras: EXTRAS });
  }, 60_000);

  afterAll(() => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('holds its invariants across 20 seeded kills and ends with a clean check', async () => {
    const rand = prng(424242);
    const debug = process.env['JSYNC_CRASH_DEBUG'] ? (m: string) => console.log(m) : () => {};
    resetDestination(fx);
    // Calibration: a full run from the initial state and a no-op run give the time scale of the kill points.
    const full = await runCli(['sync', fx.src, fx.dst]);
    expect(full.code, full.stderr).toBe(0);
    expect(inspect(fx)).toEqual({ violations: [], inPlace: FILES, extrasDeleted: fx.extras.size, partials: [] });
    const noop = await runCli(['sync', fx.src, fx.dst]);
    expect(noop.code, noop.stderr).toBe(0);
    const start = calibratedStart(fx);
    debug(`calibration: full run ${full.ms} ms, no-op run ${noop.ms} ms`);

    resetDestination(fx);
    const kills: { delay: number; phase: Phase; inPlace: number; extrasDeleted: number; partials: number }[] = [];
    let completions = 0;
    const partialsSeen = new Set<string>();
    let last: Inspection = { violations: [], inPlace: start, extrasDeleted: 0, partials: [] };
    let scale = 1;
    for (let spawns = 0; kills.length < KILLS && spawns < MAX_SPAWNS; spawns++) {
      // A kill point in what is left of this sync. Start-up, listing and checks take about a no-op run (one kill
      // in five lands there); the transfers still to do add their share of a full run and the deletions come right
      // after them, so the other kills fall from late in the checks to a little past the transfers. `scale` adapts
      // the window to the machine's speed: it shrinks when runs finish before their kill point.
      const remaining = (FILES - last.inPlace) / (FILES - start);
      const window = scale * ((full.ms - noop.ms) * remaining + noop.ms * 0.5);
      const delay = Math.floor(rand() < 0.2 ? rand() * noop.ms : noop.ms * 0.8 + rand() * window);
      const run = await runCli(['sync', fx.src, fx.dst], delay);
      const seen = inspect(fx);
      const complete = seen.inPlace === FILES && seen.extrasDeleted === fx.extras.size;
      const phase = phaseOf(last, seen, fx.extras.size);
      debug(`spawn ${spawns}: delay ${delay} ms, ${run.killed ? 'killed' : `exited ${run.code}`} (${phase}), ${seen.inPlace} in place, ${seen.extrasDeleted} extras deleted, ${seen.partials.length} partials`);
      expect(seen.violations, `after a kill at ${delay} ms`).toEqual([]);
      if (run.killed) {
        kills.push({ delay, phase, inPlace: seen.inPlace, extrasDeleted: seen.extrasDeleted, partials: seen.partials.length });
        for (const p of seen.partials) partialsSeen.add(p);
        scale = Math.min(1, scale * 1.1);
      } else {
        scale *= 0.7;
        // The run finished before its kill point: the sync is complete and stray partials are gone.
        expect(run.code, run.stderr).toBe(0);
        expect(seen).toEqual({ violations: [], inPlace: FILES, extrasDeleted: fx.extras.size, partials: [] });
        completions++;
      }
      last = seen;
      if (complete) {
        resetDestination(fx); // nothing left to interrupt: start over from the initial destination
        last = { violations: [], inPlace: start, extrasDeleted: 0, partials: [] };
      }
    }
    expect(kills.length).toBe(KILLS);

    // Final uninterrupted rerun, then the CLI's own check.
    const final = await runCli(['sync', fx.src, fx.dst]);
    expect(final.code, final.stderr).toBe(0);
    expect(inspect(fx)).toEqual({ violations: [], inPlace: FILES, extrasDeleted: fx.extras.size, partials: [] });
    const check = await runCli(['check', fx.src, fx.dst]);
    expect(check.code, check.stderr).toBe(0);

    // The kills must have landed in different phases to mean something.
    expect(kills.some((k) => k.phase === 'transfers')).toBe(true);
    const phases = kills.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k.phase]: (acc[k.phase] ?? 0) + 1 }), {});
    console.log(`crash loop: ${kills.length} kills by phase ${JSON.stringify(phases)}, ${completions} runs completed before their kill point, ` +
      `${partialsSeen.size} distinct stray *.partial files seen after kills (each completed sync deleted them as destination-only files); ` +
      `kill points (ms / source files in place / extras deleted / partials): ` +
      kills.map((k) => `${k.delay}/${k.inPlace}/${k.extrasDeleted}/${k.partials}`).join(' '));
  }, 180_000);
});
