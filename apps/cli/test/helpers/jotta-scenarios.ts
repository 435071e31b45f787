// The sync scenario corpus with Jottacloud (the in-process emulator) as destination or as source: skip reasons
// computed from a scenario, a runner that places trees on a remote path of one shared emulator, and the projection
// that compares the outcome with rclone's recorded local→local one.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Timestamp, isJsyncError, listRecursive } from '@jsync/core';
import type { Fs, FsObject } from '@jsync/core';
import type { JottaEnv } from './jotta-tools.js';
import { project, type Projection } from './scenario-compare.js';
import { deletedPaths, normalizeLog, sortedTextLines, transferredPaths } from './scenario-log.js';
import { inspectedTrees } from './scenario-run.js';
import { DEFAULT_MTIME, buildLocalTree, resultFile, seedFs, snapshotLocalTree } from './scenario-tree.js';
import type { Outcome, ResultFile, ResultTree, Scenario, ScenarioTree, TreeName } from './scenario-types.js';

/** Where the emulator holds a scenario's trees: the destination (and backup) or the source. */
export type JottaVariant = 'jottacloud-dst' | 'jottacloud-src';

/** The trees a variant places on Jottacloud. */
export function jottaTrees(variant: JottaVariant): ReadonlySet<TreeName> {
  return new Set(variant === 'jottacloud-dst' ? ['dst', 'backup'] : ['src']);
}

/** Hash names other than md5 (Jottacloud has md5 only). */
const OTHER_HASHES = /\b(sha-?1|sha-?256|sha-?512|crc-?32|whirlpool|dropbox|quickxor|mailru|hidrive|xxh3|blake3|tiger)\b/i;

/** rclone's log lines for a directory moved in one server-side operation (DirMove). */
const DIR_MOVE = /: Server side directory move succeeded$|: Skipped server-side directory move as --dry-run is set$/;

const treesOf = (s: Scenario): [TreeName, ScenarioTree][] =>
  (['src', 'dst', 'backup'] as const).flatMap((t) => (s[t] ? [[t, s[t]] as [TreeName, ScenarioTree]] : []));

/** Every path of a tree: files, listed directories and their parents. */
function allPaths(tree: ScenarioTree): string[] {
  const out = new Set<string>();
  const add = (p: string) => {
    const parts = p.split('/');
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('/'));
  };
  for (const f of tree.files) add(f.path);
  for (const d of tree.dirs ?? []) add(d);
  return [...out];
}

/**
 * Why the recorded (local→local) outcome cannot hold with Jottacloud in `variant`, or undefined when it must:
 * two names equal ignoring case (Jottacloud is case-insensitive, so they are one item there, or a source name
 * matches a differently cased destination name), two versions of a file whose modtimes differ by less than a
 * second (Jottacloud keeps whole seconds, and its 1 s precision makes them equal), a hash other than md5, or a
 * recorded server-side directory move (in both variants source and destination are on different remotes).
 */
export function jottaSkipReason(s: Scenario, variant: JottaVariant): string | undefined {
  const byFold = new Map<string, string>();
  for (const [, tree] of treesOf(s)) {
    for (const p of allPaths(tree)) {
      const other = byFold.get(p.toLowerCase());
      if (other !== undefined && other !== p) return `case-insensitive: "${other}" and "${p}" are one name on Jottacloud`;
      byFold.set(p.toLowerCase(), p);
    }
  }
  const mtime = s.mtime ?? DEFAULT_MTIME;
  const times = new Map<string, bigint[]>();
  for (const [, tree] of treesOf(s)) {
    for (const f of tree.files) times.set(f.path, [...(times.get(f.path) ?? []), Timestamp.parse(f.mtime ?? mtime).ns]);
  }
  for (const [p, ts] of times) {
    for (const a of ts) {
      for (const b of ts) {
        const d = a > b ? a - b : b - a;
        if (d > 0n && d < 1_000_000_000n) return `sub-second: the versions of "${p}" differ by ${d} ns, equal at Jottacloud's 1 s precision`;
      }
    }
  }
  const hashArg = s.args.find((a) => OTHER_HASHES.test(a));
  if (hashArg !== undefined) return `hash: "${hashArg}" is not available on Jottacloud (md5 only)`;
  // Source and destination are on different remotes in both variants: rclone cannot move a directory server-side.
  const dirMove = s.expect?.log.find((l) => DIR_MOVE.test(l));
  if (dirMove !== undefined && jottaTrees(variant).has('src') !== jottaTrees(variant).has('dst')) {
    return 'the recorded outcome is a server-side directory move, which needs source and destination on one remote';
  }
  return undefined;
}

/** What a run needs: the emulator env, the config file with the remote, and a unique remote folder. */
export interface JottaRunOptions {
  env: JottaEnv;
  configPath: string;
  /** Remote name in the config file. */
  remote: string;
  /** Folder on the remote for this run (fresh per scenario and variant). */
  prefix: string;
  variant: JottaVariant;
  extraArgs?: readonly string[];
}

async function withFs<T>(o: JottaRunOptions, tree: TreeName, fn: (fs: Fs) => Promise<T>): Promise<T> {
  const fs = await o.env.openFs(o.configPath, `${o.remote}:${o.prefix}/${tree}`);
  try {
    return await fn(fs);
  } finally {
    await fs.features.shutdown?.();
  }
}

async function readAll(obj: FsObject): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await obj.open()) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** Files and directories below a Jottacloud root; null when the root does not exist. */
async function snapshotJotta(fs: Fs): Promise<ResultTree | null> {
  const files: ResultFile[] = [];
  const dirs: string[] = [];
  try {
    for await (const page of listRecursive(fs, '')) {
      for (const e of page) {
        if (e.isDir) dirs.push(e.remote);
        else files.push(resultFile(e.remote, await readAll(e), e.modTime()));
      }
    }
  } catch (err) {
    if (isJsyncError(err, 'DIR_NOT_FOUND')) return null;
    throw err;
  }
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), dirs: dirs.sort() };
}

/** Runs `s` once with jsync in-process, its Jottacloud trees on `<remote>:<prefix>/<tree>`, the rest in a temp dir. */
export async function runJottaScenario(s: Scenario, o: JottaRunOptions): Promise<Outcome> {
  const root = mkdtempSync(path.join(tmpdir(), `jsync-jscn-${s.name}-`));
  try {
    const onJotta = jottaTrees(o.variant);
    const work = path.join(root, 'work');
    mkdirSync(work);
    for (const [name, text] of Object.entries(s.work ?? {})) writeFileSync(path.join(work, name), text);
    const mtime = s.mtime ?? DEFAULT_MTIME;
    const place: Record<TreeName, string> = { src: '', dst: '', backup: '' };
    for (const t of ['src', 'dst', 'backup'] as const) {
      const spec = s[t];
      if (onJotta.has(t)) {
        place[t] = `${o.remote}:${o.prefix}/${t}`;
        if (spec) {
          await withFs(o, t, async (fs) => {
            await seedFs(fs, spec, mtime);
            for (const d of spec.dirs ?? []) await fs.mkdir(d);
          });
        }
      } else {
        place[t] = path.join(root, t);
        if (spec) buildLocalTree(spec, place[t], mtime);
      }
    }
    const subst = (a: string) =>
      a.replaceAll('{src}', place.src).replaceAll('{dst}', place.dst).replaceAll('{backup}', place.backup)
        .replaceAll('{work}', work).replaceAll('{root}', root);
    const args = [...s.args.map(subst), ...(o.extraArgs ?? []), '-v'];
    const raw = await o.env.jsync(o.configPath, args, { cwd: root });
    const trees: Partial<Record<TreeName, ResultTree | null>> = {};
    for (const t of inspectedTrees(s)) trees[t] = onJotta.has(t) ? await withFs(o, t, snapshotJotta) : snapshotLocalTree(place[t]);
    const reports: Record<string, string[]> = {};
    for (const r of s.reports ?? []) {
      try {
        reports[r] = sortedTextLines(readFileSync(path.join(work, r), 'utf8'));
      } catch {
        // a report that was not written stays absent
      }
    }
    // `jottacloud root '<prefix>/dst/sub'` → `{dst/sub}`, as fsNeutral does for local and memory descriptions.
    const jottaRoot = new RegExp(`jottacloud root '${o.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/([^']+)'`, 'g');
    const log = normalizeLog(raw.stderr, root).map((l) => l.replace(jottaRoot, '{$1}'));
    const command = s.args[0] ?? '';
    return {
      exit: raw.code, trees, transferred: transferredPaths(log, command), deleted: deletedPaths(log), log,
      stdout: sortedTextLines(raw.stdout.toString('utf8')), reports,
    };
  } finally {
    if (!process.env['JSYNC_KEEP_SCENARIOS']) rmSync(root, { recursive: true, force: true });
  }
}

/** A result file with its modtime cut to whole seconds (Jottacloud's precision). */
function toSeconds(f: ResultFile): ResultFile {
  return { ...f, mtime: f.mtime.replace(/\.\d+Z$/, '.000000000Z') };
}

/**
 * The comparable part of an outcome with Jottacloud in the variant: as the memory variants (cross-remote moves
 * are copy + delete, `purge` by trees), but trees keep their directories (Jottacloud has real, also empty, ones)
 * and every modtime is cut to whole seconds.
 */
export function projectJotta(o: Outcome, s: Scenario): Projection {
  const base = project(o, s, 'memdst');
  const trees: Projection['trees'] = {};
  for (const [name, t] of Object.entries(o.trees) as [TreeName, ResultTree | null][]) {
    trees[name] = t === null ? null : { files: t.files.map(toSeconds), dirs: t.dirs };
  }
  return { ...base, trees };
}
