// One run of a matrix cell and the whole matrix: prepare the scenario fault-free, run the command while the emulator
// injects the planned faults, judge the result; a failed run must have been loud and a fault-free rerun must
// converge (goal state reached and `jsync check --download` clean).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { deletesAfterErrors, goalDiffs, invariants, loudness, observe, tail } from './judge.mjs';
import { cells, deriveSeed, runPlan } from './plan.mjs';
import { prepare } from './scenario.mjs';
import { startWorld } from './world.mjs';

/** Flags of every jsync run (`-v` logs deletions; no sleeping between --retries attempts). */
const COMMON = ['-v', '--retries-sleep', '0'];

/** `jsync check …` exited 0 and found no differences: [] when clean, else one problem. */
async function checkClean(world, sc, label) {
  const r = await world.jsync(sc.checkArgs());
  return r.code === 0 && /: 0 differences found/.test(r.err) ? [] : [`${label}: \`jsync ${sc.checkArgs()[0]} --download\` exited ${r.code}: ${tail(r.err).slice(0, 200)}`];
}

/** Goal reached and check clean: the problems, [] when converged. */
async function converged(world, sc, label) {
  const diffs = goalDiffs(sc, observe(world, sc));
  if (diffs.length > 0) return [`${label}: goal not reached: ${diffs.slice(0, 4).join(', ')}${diffs.length > 4 ? ', …' : ''}`];
  return checkClean(world, sc, label);
}

/**
 * Runs one plan in a fresh world under `workDir`; returns the run's record: exit code, faults fired, outcome
 * (`clean` exit 0 and converged, `loud` failed clearly and the rerun converged, `silent` exit 0 without the goal,
 * `unclear` failed without naming the fault, `stuck` the rerun did not converge, `hung` killed at the timeout),
 * lost files, problems and notes.
 */
export async function runOne(plan, { workDir, tlsDir, timeoutMs = 60_000, extraFlags = [], extraFaults = [], keep = false }) {
  const t0 = Date.now();
  const dir = join(workDir, `${plan.kind}-${plan.op}-${plan.seed}`);
  const world = await startWorld(dir, {
    seed: deriveSeed(plan.seed, 'emulator', plan.kind, plan.op), tokenLifetimeSeconds: plan.tokenLifetimeSeconds, slowMs: plan.slowMs, tlsDir, timeoutMs,
  });
  const rec = { kind: plan.kind, op: plan.op, seed: plan.seed, faults: [...plan.faults, ...extraFaults], flags: [...plan.flags, ...extraFlags], code: -1, fired: 0, outcome: 'stuck', relogin: false, lost: [], problems: [], notes: [], log: '', ms: 0 };
  try {
    const sc = await prepare(world, plan);
    const state = world.emu.state;
    await state.settle();
    state.clearRequests();
    state.addFaults(rec.faults);
    let run;
    try {
      run = await world.jsync([...sc.args, ...COMMON, ...rec.flags]);
    } finally {
      rec.fired = state.faults().reduce((n, f) => n + f.fired, 0);
      state.clearFaults();
    }
    await state.settle();
    rec.code = run.code;
    const failed = run.code !== 0;
    const first = invariants(sc, observe(world, sc));
    rec.lost.push(...first.lost);
    rec.problems.push(...first.problems);
    rec.notes.push(...first.notes);
    if (sc.cmd === 'sync') rec.problems.push(...deletesAfterErrors(run.err));
    if (run.timedOut) {
      rec.outcome = 'hung';
      rec.problems.push(`killed after ${timeoutMs} ms`);
    } else if (!failed) {
      const v = await converged(world, sc, 'after exit 0');
      rec.outcome = v.length === 0 ? 'clean' : 'silent';
      rec.problems.push(...v);
    } else {
      const quiet = loudness(plan.kind, run.err);
      rec.problems.push(...quiet);
      if (/invalid_grant/.test(run.err)) {
        // The login session was revoked (a rotated refresh token was lost): log in again, as the message says.
        rec.relogin = true;
        const re = await world.reconnect();
        if (re.code !== 0) rec.problems.push(`config reconnect exited ${re.code}: ${tail(re.err)}`);
      }
      const again = await world.jsync([...sc.args, ...COMMON]);
      await state.settle();
      const second = invariants(sc, observe(world, sc));
      rec.lost.push(...second.lost.filter((l) => !rec.lost.includes(l)).map((l) => `after rerun: ${l}`));
      rec.problems.push(...second.problems.map((p) => `after rerun: ${p}`));
      const v = again.code === 0 ? await converged(world, sc, 'after rerun') : [`fault-free rerun exited ${again.code}: ${tail(again.err).slice(0, 200)}`];
      rec.problems.push(...v);
      rec.outcome = v.length > 0 ? 'stuck' : quiet.length > 0 ? 'unclear' : 'loud';
    }
    if (rec.problems.length + rec.lost.length > 0) rec.log = tail(run.err, 30);
  } catch (e) {
    rec.outcome = 'stuck';
    rec.problems.push(`harness error: ${e?.stack ?? e}`);
  } finally {
    await world.stop();
    if (!keep && rec.problems.length + rec.lost.length === 0) rmSync(dir, { recursive: true, force: true });
    rec.ms = Date.now() - t0;
  }
  return rec;
}

/** Runs `tasks` with at most `width` in flight; results in input order. */
export async function pool(tasks, width) {
  const out = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, tasks.length)) }, worker));
  return out;
}

/**
 * The plans of a matrix: every applicable cell of `kinds` × `ops` (or the explicit `only` cells) for seeds
 * `seed` … `seed + seeds - 1`, at most `maxRuns` (cells first, then seeds: a cut covers every cell once before
 * repeating one).
 */
export function matrixPlans({ kinds, ops, only, seed = 1, seeds = 1, maxRuns = Infinity }) {
  const plans = [];
  const chosen = only ?? cells(kinds, ops);
  for (let s = 0; s < seeds; s++) for (const c of chosen) plans.push(runPlan(c.kind, c.op, seed + s));
  return plans.slice(0, maxRuns);
}

/** Runs the plans `parallel` at a time; `onResult` sees each record as it is done. */
export async function runMatrix(plans, { parallel = 2, onResult, ...opts }) {
  return pool(plans.map((p) => async () => {
    const rec = await runOne(p, opts);
    onResult?.(rec);
    return rec;
  }), parallel);
}
