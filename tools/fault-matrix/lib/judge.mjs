// Judging a run: files lost (content that exists nowhere it may), corrupt content under a final name, deletions
// after an error, whether the goal state was reached, and whether a failure was loud (named the fault).
import { ERROR_TEXT } from './plan.mjs';
import { diffTrees, readLocal, readServer } from './tree.mjs';

/** A JavaScript stack frame: never shown to users. */
export const STACK = /^\s+at (?:\S+ )?\(?(?:file:|node:|\/)/m;
const STAMP = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /;

/** The two sides of a scenario now: `server` (see readServer) and the local directory the operation touches. */
export function observe(world, sc) {
  const server = readServer(world.emu, sc.folder);
  const localDir = sc.dir === 'down' && sc.op !== 'check' ? sc.dst : sc.src;
  const local = sc.dir === 'none' ? { files: new Map(), partials: [] } : readLocal(localDir);
  return { server, local };
}

/**
 * Invariants after any run, faulty or not: returns `{ lost, problems, notes }`.
 * Lost: a source file whose content is no longer at the source, nor at the destination, nor (server side) in a
 * revision or the trash; for delete/cleanup/check a file the command must keep that is no longer live; for copy a
 * destination file gone; for sync a destination-only file deleted while not every source file was in place, i.e.
 * after an error of the transfer phase; a destination file the run replaces gone with neither version in place.
 */
export function invariants(sc, { server, local }) {
  const lost = [];
  const problems = [];
  const notes = [];
  const up = sc.dir === 'up';
  const dest = up || sc.dir === 'none' ? server.live : local.files;
  const held = (rel, md5) => server.history.get(rel)?.has(md5) === true;
  for (const [rel, id] of sc.ids) {
    if (sc.dir === 'none' || sc.op === 'check') {
      if (server.live.get(rel)?.md5 !== id.md5) lost.push(`${rel}: a file ${sc.cmd} must keep is no longer live on the server`);
      if (sc.op === 'check' && local.files.get(rel)?.md5 !== id.md5) lost.push(`${rel}: check changed the local side`);
      continue;
    }
    const atSource = up ? local.files.get(rel)?.md5 === id.md5 : server.live.get(rel)?.md5 === id.md5;
    const atDest = dest.get(rel)?.md5 === id.md5;
    if (!atSource && !atDest && !held(rel, id.md5)) lost.push(`${rel}: source content exists nowhere (not at the source, the destination, revisions or trash)`);
    else if (!atSource && sc.cmd !== 'move') problems.push(`${rel}: ${sc.cmd} changed its source`);
    else if (!atSource && !atDest) problems.push(`${rel}: moved away from the source but only in server revisions/trash, not current at the destination`);
  }
  const allInPlace = [...sc.ids].every(([rel, id]) => dest.get(rel)?.md5 === id.md5);
  for (const [rel, id] of sc.staleIds) {
    if (dest.has(rel)) continue;
    if (up && held(rel, id.md5)) problems.push(`${rel}: a destination file the run replaces is only in revisions/trash`);
    else lost.push(`${rel}: a destination file the run replaces disappeared`);
  }
  for (const rel of sc.destOnlyIds.keys()) {
    if (dest.has(rel)) continue;
    if (sc.cmd === 'copy') lost.push(`${rel}: destination-only file gone after copy`);
    else if (sc.cmd === 'sync' && !allInPlace) lost.push(`${rel}: destination-only file deleted while the destination was incomplete (after an error)`);
  }
  // Every file under a final name holds a version it may hold: the source's, or what was there before.
  const allowed = new Map();
  for (const m of [sc.ids, sc.staleIds, sc.destOnlyIds, sc.doomedIds]) {
    for (const [rel, id] of m) (allowed.get(rel) ?? allowed.set(rel, new Set()).get(rel)).add(id.md5);
  }
  for (const [rel, id] of dest) {
    if (!allowed.has(rel)) problems.push(`unexpected file at the destination: ${rel}`);
    else if (!allowed.get(rel).has(id.md5)) problems.push(`corrupt content under a final name: ${rel} (${id.size} bytes)`);
  }
  for (const p of local.partials) notes.push(`temporary file left: ${p}`);
  for (const p of server.pending) notes.push(`unfinished upload kept by the server: ${p}`);
  return { lost, problems, notes };
}

/** Differences from the goal state (empty when reached). */
export function goalDiffs(sc, { server, local }) {
  const out = [];
  if (sc.goalServer) out.push(...diffTrees(sc.goalServer, server.live).map((d) => `server: ${d}`));
  if (sc.goalLocal) out.push(...diffTrees(sc.goalLocal, local.files).map((d) => `local: ${d}`));
  if (sc.op === 'cleanup' && server.trashed.size > 0) out.push(`server: ${server.trashed.size} files still in the trash`);
  return out;
}

/** The last non-blank lines of a text. */
export function tail(s, n = 1) {
  return s.split('\n').filter((l) => l.trim() !== '').slice(-n).join('\n');
}

/**
 * Problems of a failed run's output: a "clear message" is a final rclone-style `Failed to <command>` line, no stack
 * trace, and an ERROR line or that final message naming the fault (ERROR_TEXT of the kind).
 */
export function loudness(kind, err) {
  const problems = [];
  if (STACK.test(err)) problems.push('stack trace in the error output');
  const lines = err.split('\n');
  const lastStamped = lines.reduce((at, l, i) => (STAMP.test(l) ? i : at), -1);
  const final = lastStamped < 0 ? '' : lines.slice(lastStamped).join('\n');
  if (!/^\S+ \S+ Failed to [a-z]+/.test(final)) problems.push(`no final "Failed to …" line: ${JSON.stringify(tail(err).slice(0, 200))}`);
  const errors = lines.filter((l) => STAMP.test(l) && / ERROR : /.test(l));
  if (![final, ...errors].some((l) => ERROR_TEXT[kind].test(l))) problems.push(`the error output does not name the ${kind} fault: ${JSON.stringify(final.slice(0, 200))}`);
  return problems;
}

/** A sync's `-v` log: within one attempt, no file may be deleted after an error of its transfer phase. */
export function deletesAfterErrors(err) {
  const problems = [];
  let firstError;
  for (const line of err.split('\n')) {
    if (/Attempt \d+\/\d+ (failed|succeeded)/.test(line)) {
      firstError = undefined;
      continue;
    }
    if (/ ERROR : /.test(line) && !/Couldn't delete|not deleting/.test(line)) firstError ??= line;
    if (/INFO {2}: .*: Deleted$/.test(line) && firstError !== undefined) problems.push(`deleted after an error in the same attempt: ${line.slice(20)} (after: ${firstError.slice(20, 200)})`);
  }
  return problems;
}
