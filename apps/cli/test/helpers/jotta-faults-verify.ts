// Checks of one fault run: invariants after any run (nothing lost, nothing deleted after an error, no corrupt
// content under a final name), the clean state after exit 0 (`jsync check`, `check --download`), and the
// loudness of a failure (a final "Failed to …" line naming the fault).

import { type Lane, type Run, type Tree, localTree, serverTree, writeTree } from './jotta-faults-env.js';
import type { FaultCase, Prepared } from './jotta-faults-types.js';

/** The error line rclone-style commands end with (`<date> <time> Failed to <cmd>…`). */
const FINAL_LINE = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Failed to [a-z ]+/;
/** A JavaScript stack frame: never shown to users. */
export const STACK = /^\s+at (?:\S+ )?\(?(?:file:|node:|\/)/m;

/** Differences between two trees (`missing`/`differs`/`extra` relative paths), empty when equal. */
export function sameTree(a: Tree, b: Tree): string[] {
  const diff: string[] = [];
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w) diff.push(`missing ${k}`);
    else if (w.md5 !== v.md5 || w.size !== v.size) diff.push(`differs ${k}`);
  }
  for (const k of b.keys()) if (!a.has(k)) diff.push(`extra ${k}`);
  return diff;
}

/** The last non-blank line of a text. */
export function lastLine(s: string): string {
  const lines = s.split('\n').filter((l) => l.trim() !== '');
  return lines[lines.length - 1] ?? '';
}

/** Invariants that hold after any run, faulty or not (`run`: the faulty run): returns [problems, lost files]. */
export function invariants(lane: Lane, c: FaultCase, p: Prepared, run: Run): [string[], string[]] {
  const failed = run.code !== 0;
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
    // Only deletions the -v log shows (made in an attempt whose transfers had no error, see deletesAfterErrors) may be gone.
    for (const [rel, id] of p.destOnly) {
      if (server.get(rel)?.md5 !== id.md5 && !run.err.includes(`: ${rel}: Deleted\n`)) lost.push(`destination-only ${rel} gone after a failed sync`);
    }
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
export async function verifyClean(lane: Lane, c: FaultCase, p: Prepared, remote: string): Promise<string[]> {
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
 * `-v` output of a sync, cut into attempts at its `Attempt n/m failed|succeeded` lines: within an attempt, no file
 * may be deleted after an error of the transfer phase was logged (rclone: "not deleting files as there were IO
 * errors"). Failures of deletions themselves do not count: they come from the delete phase.
 */
export function deletesAfterErrors(err: string): string[] {
  const problems: string[] = [];
  let firstError: string | undefined;
  for (const line of err.split('\n')) {
    if (/Attempt \d+\/\d+ (failed|succeeded)/.test(line)) {
      firstError = undefined;
      continue;
    }
    if (/ ERROR : /.test(line) && !/Couldn't delete|not deleting/.test(line)) firstError ??= line;
    if (/INFO {2}: .*: Deleted$/.test(line) && firstError !== undefined) problems.push(`deleted after an error in the same attempt: ${line} (after: ${firstError})`);
  }
  return problems;
}

/** Problems of a run that exited non-zero: it must say what failed, the way rclone's commands do. */
export function loudness(c: FaultCase, r: Run): string[] {
  const problems: string[] = [];
  // rclone's last log line names the command; the error text after it may continue on more lines (hints).
  const stamped = r.err.split('\n').filter((l) => /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /.test(l));
  const final = stamped[stamped.length - 1] ?? '';
  if (!FINAL_LINE.test(final)) problems.push(`exit ${r.code} without a final "Failed to …" line: ${JSON.stringify(final.slice(0, 300))}`);
  if (!c.errorText.test(r.err)) problems.push(`error output does not name the fault (${c.errorText}): ${JSON.stringify(final.slice(0, 300))}`);
  return problems;
}
