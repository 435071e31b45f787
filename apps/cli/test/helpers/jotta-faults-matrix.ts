// One fault run of the matrix: prepare fresh seeded content, run a jsync command while the emulator injects faults,
// clear the faults, then require either exit 0 and a clean `check`, or a non-zero exit with a clear error line and
// a fault-free rerun that converges to check-clean. Invariants (nothing lost, nothing deleted after an error, no
// corrupt content visible under a final name) are checked after every run and collected as problems.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Lane, type Run, type Tree, type TreeContent, localTree, makeContent, seedServer, seededBytes, serverTree, treeOf, writeTree,
} from './jotta-faults-env.js';

/** Which command a run exercises. */
export type FaultOp = 'copy-up' | 'sync-up' | 'move-up' | 'copy-down' | 'check-download';

/** One cell of the matrix. */
export interface FaultCase {
  /** Short label for the summary table. */
  name: string;
  op: FaultOp;
  /** Emulator fault specs active during the faulty run (`op=kind[:p|@n]`). */
  faults: string[];
  /** `--retries` / `--low-level-retries` of the faulty run (default 3 / 3). */
  retries?: number;
  lowLevelRetries?: number;
  /** More flags for the faulty run (e.g. `--bwlimit`, `--transfers 1`). */
  flags?: string[];
  /** What the error output must name when the run fails. */
  errorText: RegExp;
  /** The run must fail (a persistent fault with too few retries). */
  mustFail?: boolean;
  /** Also `check --download` after the run converged. */
  checkDownload?: boolean;
  /** Small files in the tree (default 20) and size of the big one (default 2 MiB). */
  small?: number;
  big?: number;
  /** The exit code a failing run must have (e.g. 7 for revoked credentials). */
  failCode?: number;
  /** Log in again (`config reconnect jc:` with a fresh login token) before the fault-free rerun. */
  reconnect?: boolean;
  /** Started with the faulty run (e.g. timers expiring tokens); the returned function stops it. */
  whileRunning?: (lane: Lane) => () => void;
  /** Extra assertions on the faulty run (return problems). */
  extra?: (lane: Lane, ctx: CaseContext) => string[];
}

/** What a case's `extra` hook gets. */
export interface CaseContext {
  run: Run;
  folder: string;
  /** Emulator request log entries of the faulty run. */
  requests: Lane['emu']['state']['requests'];
  /** Token families revoked before the run. */
  revokedBefore: number;
}

/** The outcome of one case. */
export interface CaseResult {
  name: string;
  op: FaultOp;
  faults: string;
  code: number;
  fired: number;
  /** Requests to the token endpoint during the faulty run. */
  tokenRequests: number;
  /** `clean`: exit 0 and check-clean; `loud`: non-zero with a clear error, rerun converged. */
  outcome: 'clean' | 'loud' | 'broken';
  rerunCode: number | undefined;
  converged: boolean;
  /** Files whose content was lost (deleted after an error, moved away unverified, overwritten with bad data). */
  lost: string[];
  problems: string[];
  /** The faulty run's last 40 stderr lines when there are problems (for the failure message). */
  log: string;
  ms: number;
}

/** The error line rclone-style commands end with (`<date> <time> Failed to <cmd>…`). */
const FINAL_LINE = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Failed to [a-z ]+/;
/** A JavaScript stack frame: never shown to users. */
const STACK = /^\s+at (?:\S+ )?\(?(?:file:|node:|\/)/m;

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

function sameTree(a: Tree, b: Tree): string[] {
  const diff: string[] = [];
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w) diff.push(`missing ${k}`);
    else if (w.md5 !== v.md5 || w.size !== v.size) diff.push(`differs ${k}`);
  }
  for (const k of b.keys()) if (!a.has(k)) diff.push(`extra ${k}`);
  return diff;
}

function lastLine(s: string): string {
  const lines = s.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}

/** The state a case starts from. */
interface Prepared {
  content: TreeContent;
  want: Tree;
  /** sync-up: destination-only files (must survive a failed sync) and stale versions of source files. */
  destOnly: Tree;
  stale: Tree;
  src: string;
  dst: string;
  folder: string;
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

/** Invariants that hold after any run, faulty or not: returns [problems, lost files]. */
function invariants(lane: Lane, c: FaultCase, p: Prepared, failed: boolean): [string[], string[]] {
  const problems: string[] = [];
  const lost: string[] = [];
  const server = serverTree(lane.emu, p.folder);
  const local = localTree(c.op === 'copy-down' ? p.dst : p.src);
  if (c.op === 'copy-down' || c.op === 'check-download') {
    for (const d of sameTree(p.want, server)) lost.push(`server ${d}`);
  }
  if (c.op === 'check-download') for (const d of sameTree(p.want, local)) lost.push(`local ${d}`);
  if (c.op === 'copy-down') {
    for (const [rel, id] of local) {
      const w = p.want.get(rel);
      if (!w) problems.push(`unexpected local file ${rel}`);
      else if (w.md5 !== id.md5) problems.push(`corrupt local file under its final name: ${rel} (${id.size} of ${w.size} bytes)`);
    }
  }
  if (c.op === 'copy-up' || c.op === 'sync-up') for (const d of sameTree(p.want, local)) lost.push(`source ${d}`);
  if (c.op === 'copy-up' || c.op === 'sync-up' || c.op === 'move-up') {
    // No live server file may hold content other than the source's (or, for sync, what was there before).
    for (const [rel, id] of server) {
      const ok = p.want.get(rel)?.md5 === id.md5 || p.stale.get(rel)?.md5 === id.md5 || p.destOnly.get(rel)?.md5 === id.md5;
      if (!ok) problems.push(`server holds unexpected content at ${rel} (${id.size} bytes)`);
    }
  }
  if (c.op === 'sync-up' && failed) {
    for (const [rel, id] of p.destOnly) if (server.get(rel)?.md5 !== id.md5) lost.push(`destination-only ${rel} deleted after an error`);
    for (const [rel, id] of p.stale) {
      const now = server.get(rel)?.md5;
      if (now !== id.md5 && now !== p.want.get(rel)?.md5) lost.push(`destination ${rel} neither old nor new`);
    }
  }
  if (c.op === 'move-up') {
    for (const [rel, id] of p.want) {
      if (local.get(rel)?.md5 === id.md5) continue;
      if (server.get(rel)?.md5 !== id.md5) lost.push(`moved ${rel} is neither in the source nor verified at the destination`);
    }
  }
  return [problems, lost];
}

/** Checks after a run that exited 0: the destination matches and `jsync check` (and `--download`) is clean. */
async function verifyClean(lane: Lane, c: FaultCase, p: Prepared, remote: string): Promise<string[]> {
  const problems: string[] = [];
  const server = serverTree(lane.emu, p.folder);
  if (c.op === 'check-download') return problems;
  if (c.op === 'copy-down') {
    problems.push(...sameTree(p.want, localTree(p.dst)).map((d) => `local after exit 0: ${d}`));
  } else {
    problems.push(...sameTree(p.want, server).map((d) => `server after exit 0: ${d}`));
  }
  if (c.op === 'move-up') {
    const left = localTree(p.src);
    if (left.size > 0) problems.push(`move exited 0 but left ${left.size} source files`);
    writeTree(p.src, p.content); // the original, to let `jsync check` compare
  }
  const [a, b] = c.op === 'copy-down' ? [remote, p.dst] : [p.src, remote];
  const checks = [['check', a, b], ...(c.checkDownload ? [['check', '--download', a, b]] : [])];
  for (const args of checks) {
    const r = await lane.jsync(args);
    if (r.code !== 0 || !/: 0 differences found/.test(r.err)) problems.push(`${args.slice(0, -2).join(' ')} after exit 0: code ${r.code}: ${lastLine(r.err)}`);
  }
  return problems;
}

/**
 * `-v` output of a sync, cut at its `Attempt n/m failed|succeeded` lines: an attempt that failed must not have
 * deleted anything (rclone: "not deleting files as there were IO errors").
 */
function deletesInFailedAttempts(err: string): string[] {
  const problems: string[] = [];
  let deleted: string[] = [];
  for (const line of err.split('\n')) {
    if (/INFO {2}: .*: Deleted$/.test(line)) deleted.push(line);
    const attempt = /Attempt (\d+\/\d+) (failed|succeeded)/.exec(line);
    if (attempt) {
      if (attempt[2] === 'failed' && deleted.length > 0) problems.push(`attempt ${attempt[1]} failed after deleting: ${deleted.join(' | ')}`);
      deleted = [];
    }
  }
  return problems;
}

/** Problems of a run that exited non-zero: it must say what failed, the way rclone's commands do. */
function loudness(c: FaultCase, r: Run): string[] {
  const problems: string[] = [];
  // rclone's last log line names the command; the error text after it may continue on more lines (hints).
  const stamped = r.err.split('\n').filter((l) => /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /.test(l));
  const final = stamped[stamped.length - 1] ?? '';
  if (!FINAL_LINE.test(final)) problems.push(`exit ${r.code} without a final "Failed to …" line: ${JSON.stringify(final.slice(0, 300))}`);
  if (!c.errorText.test(r.err)) problems.push(`error output does not name the fault (${c.errorText}): ${JSON.stringify(final.slice(0, 300))}`);
  return problems;
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
  if (c.op === 'sync-up') problems.push(...deletesInFailedAttempts(run.err));
  problems.push(...(c.extra?.(lane, { run, folder: p.folder, requests, revokedBefore }) ?? []));
  const [inv, lost] = invariants(lane, c, p, failed);
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
