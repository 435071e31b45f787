// One fault run of the matrix: prepare fresh seeded content, run a jsync command while the emulator injects faults,
// clear the faults, then require either exit 0 and a clean `check`, or a non-zero exit with a clear error line and
// a fault-free rerun that converges to check-clean. Invariants (nothing lost, nothing deleted after an error, no
// corrupt content visible under a final name) are checked after every run and collected as problems.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Lane, type Run, type TreeContent, makeContent, seedServer, seededBytes, treeOf, writeTree } from './jotta-faults-env.js';
import type { CaseResult, FaultCase, FaultOp, Prepared } from './jotta-faults-types.js';
import { STACK, deletesAfterErrors, invariants, lastLine, loudness, verifyClean } from './jotta-faults-verify.js';

export type { CaseContext, CaseResult, FaultCase, FaultOp } from './jotta-faults-types.js';

const TOP_FLAGS = ['--retries-sleep', '0'];

function cmdArgs(op: FaultOp, src: string, remote: string, dst: string): string[] {
  switch (op) {
    case 'copy-up': return ['copy', src, remote];
    case 'sync-up': return ['sync', src, remote];
    case 'move-up': return ['move', src, remote];
    case 'copy-down': return ['copy', remote, dst];
    case 'check-download': return ['check', '--download', src, remote];
  }
}

async function prepare(lane: Lane, c: FaultCase, index: number, seed: number): Promise<Prepared> {
  const base = join(lane.dir, `case${index}`);
  rmSync(base, { recursive: true, force: true });
  const folder = `case${index}`;
  const content = makeContent(seed, c.small ?? 20, c.big ?? 2 * 2 ** 20);
  const p: Prepared = { content, want: treeOf(content), destOnly: new Map(), stale: new Map(), src: join(base, 'src'), dst: join(base, 'dst'), folder };
  if (c.op === 'copy-down' || c.op === 'check-download') await seedServer(lane.emu, folder, content);
  if (c.op !== 'copy-down') writeTree(p.src, content);
  if (c.op === 'sync-up') {
    const extra: TreeContent = new Map();
    for (let i = 0; i < 5; i++) extra.set(i % 2 ? `a/only-${i}.bin` : `gone/only-${i}.bin`, seededBytes(seed * 7919 + i, 700 + 300 * i));
    const staleContent: TreeContent = new Map();
    for (const rel of [...content.keys()].slice(0, 2)) staleContent.set(rel, seededBytes(seed * 104729 + rel.length, 1500));
    await seedServer(lane.emu, folder, new Map([...extra, ...staleContent]));
    p.destOnly = treeOf(extra);
    p.stale = treeOf(staleContent);
  }
  return p;
}

/** Runs one case on `lane` (whose faults must be empty) and returns its result. */
export async function runCase(lane: Lane, c: FaultCase, index: number, seed: number): Promise<CaseResult> {
  const t0 = Date.now();
  const p = await prepare(lane, c, index, seed);
  const remote = `jc:${p.folder}`;
  const args = cmdArgs(c.op, p.src, remote, p.dst);
  const state = lane.emu.state;
  state.clearFaults();
  state.clearRequests();
  const revokedBefore = state.tokenStats().revokedFamilies;
  state.addFaults(c.faults);
  let run: Run;
  let fired = 0;
  const stop = c.whileRunning?.(lane);
  try {
    run = await lane.jsync([...args, ...TOP_FLAGS, ...(c.op === 'sync-up' ? ['-v'] : []), '--retries', String(c.retries ?? 3), '--low-level-retries', String(c.lowLevelRetries ?? 3), ...(c.flags ?? [])]);
  } finally {
    stop?.();
    fired = state.faults().reduce((n, f) => n + f.fired, 0);
    state.clearFaults();
  }
  const requests = [...state.requests];
  const problems: string[] = [];
  if (STACK.test(run.err)) problems.push('stack trace in the error output');
  if (c.faults.length > 0 && fired === 0) problems.push('no fault fired: the case tests nothing');
  const failed = run.code !== 0;
  if (c.mustFail && !failed) problems.push('a persistent fault with few retries ended with exit 0');
  if (c.op === 'sync-up') problems.push(...deletesAfterErrors(run.err));
  problems.push(...((await c.extra?.(lane, { run, folder: p.folder, requests, revokedBefore })) ?? []));
  const [inv, lost] = invariants(lane, c, p, run);
  problems.push(...inv);
  if (c.op === 'check-download') {
    // A download cut short must be an error of that file, never a claim that identical files differ.
    for (const line of run.err.split('\n')) if (/files differ|: differ/.test(line)) problems.push(`false difference under faults: ${line}`);
    if (!failed && !/: 0 differences found/.test(run.err)) problems.push(`exit 0 without "0 differences found"`);
  }
  let rerunCode: number | undefined;
  let converged = false;
  if (!failed) {
    const v = await verifyClean(lane, c, p, remote);
    problems.push(...v);
    converged = v.length === 0;
  } else {
    problems.push(...loudness(c, run));
    if (c.failCode !== undefined && run.code !== c.failCode) problems.push(`exit ${run.code}, want ${c.failCode}`);
    if (c.reconnect) {
      const re = await lane.jsync(['config', 'reconnect', 'jc:', 'config_type=standard', `config_login_token=${lane.emu.mintLoginToken()}`]);
      if (re.code !== 0) problems.push(`config reconnect exited ${re.code}: ${lastLine(re.err)}`);
    }
    const again = await lane.jsync([...args, ...TOP_FLAGS]);
    rerunCode = again.code;
    if (again.code !== 0) problems.push(`fault-free rerun exited ${again.code}: ${lastLine(again.err)}`);
    else {
      const v = await verifyClean(lane, c, p, remote);
      problems.push(...v.map((s) => `after rerun: ${s}`));
      converged = v.length === 0;
    }
  }
  const loudOk = failed && loudness(c, run).length === 0;
  return {
    name: c.name, op: c.op, faults: c.faults.join(' '), code: run.code, fired, tokenRequests: requests.filter((r) => r.op === 'token').length,
    outcome: !failed ? 'clean' : loudOk ? 'loud' : 'broken',
    rerunCode, converged, lost, problems, ms: Date.now() - t0,
    log: problems.length + lost.length > 0 ? run.err.split('\n').slice(-40).join('\n') : '',
  };
}

/** A fixed-width table of the results and the totals line. */
export function summaryTable(results: readonly CaseResult[]): string {
  const head = ['#', 'case', 'op', 'faults', 'exit', 'fired', 'token', 'outcome', 'rerun', 'lost', 'ms'];
  const rows = results.map((r, i) => [
    String(i + 1), r.name, r.op, r.faults, String(r.code), String(r.fired), String(r.tokenRequests), r.outcome, r.rerunCode === undefined ? '-' : String(r.rerunCode),
    String(r.lost.length), String(r.ms),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const fmt = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const t = totals(results);
  return [fmt(head), ...rows.map(fmt),
    `runs ${t.runs}, exit 0 + check clean ${t.clean}, failed loudly ${t.loud}, converged ${t.converged}, files lost ${t.lost}, with problems ${t.withProblems}`].join('\n');
}

/** Totals over the results. */
export function totals(results: readonly CaseResult[]): { runs: number; clean: number; loud: number; converged: number; lost: number; withProblems: number } {
  return {
    runs: results.length,
    clean: results.filter((r) => r.outcome === 'clean').length,
    loud: results.filter((r) => r.outcome === 'loud').length,
    converged: results.filter((r) => r.converged).length,
    lost: results.reduce((n, r) => n + r.lost.length, 0),
    withProblems: results.filter((r) => r.problems.length > 0).length,
  };
}

/** Runs `tasks` with at most `width` in flight; results in input order. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], width: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return out;
}
