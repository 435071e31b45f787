// Scenarios of the Jottacloud crash test: for each kill phase a fresh folder with unique seeded content (no dedup
// between trials), the command, the seeded kill point, and the invariants checked after the kill and after the
// rerun: no partial or foreign content under a final name (server current revisions, local final names; local
// `*.partial` temp files are fine), no replaced file gone, destination-only files deleted only once every source
// file was in place, moved files present on one side, and jsync's own listing showing exactly the completed files.

import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Emulator } from '@jsync/jottacloud-emulator';
import type { CrashLane, KillPoint } from './jotta-crash-env.js';

/** Where a kill lands. */
export type Phase = 'allocate' | 'upload' | 'token' | 'download' | 'delete';
/** The command shape of a trial. */
export type Variant = 'sync-up' | 'sync-down' | 'move-down';

/** Relative path → content. */
export type Content = Map<string, Buffer>;

/** One trial: its folder, directories, content, command and kill point. */
export interface Trial {
  phase: Phase;
  variant: Variant;
  folder: string;
  src: string;
  dst: string;
  ref: string;
  content: Content;
  stale: Content;
  destOnly: Content;
  args: string[];
  kill: KillPoint;
}

const MTIME = new Date('2024-05-06T07:08:09Z');
const OLD = new Date('2023-01-02T03:04:05Z');
/** The local backend's temp names: `<leaf>.<8 hex>.partial`. */
export const PARTIAL = /\.[0-9a-f]{8}\.partial$/;
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

/** `size` pseudo-random bytes for `seed` (AES-CTR keystream). */
function bytes(seed: number, size: number): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32BE(seed >>> 0, 0);
  key.writeUInt32BE(0x63726173, 4);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

function writeTree(dir: string, content: Content, mtime: Date): void {
  mkdirSync(dir, { recursive: true });
  for (const [rel, data] of content) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
    utimesSync(p, mtime, mtime);
  }
}

/** Writes `count` small files and one of `bigBytes` (unique bytes for `seed`) under `dir`; returns the content. */
export function writeSeededTree(dir: string, seedValue: number, count: number, bigBytes: number): Content {
  const content: Content = new Map();
  for (let i = 0; i < count; i++) content.set(`${['', 'a/', 'a/b/'][i % 3]}f${i}.bin`, bytes(seedValue * 97 + i, 1000 + 37 * i));
  if (bigBytes > 0) content.set('big/large.bin', bytes(seedValue * 97 + 96, bigBytes));
  writeTree(dir, content, MTIME);
  return content;
}

async function seed(emu: Emulator, folder: string, content: Content, mtime: Date): Promise<void> {
  for (const [rel, data] of content) await emu.state.putFile(`Jotta/Archive/${folder}/${rel}`, data, { modified: mtime.getTime() / 1000 });
}

/**
 * Builds trial `index` of `phase` (fault-free set-up) with kill parameters drawn from `rnd`; `alt` picks the second
 * command shape of the delete phase (move's source deletions instead of a sync's delete phase).
 */
export async function prepareTrial(lane: CrashLane, phase: Phase, index: number, rnd: () => number, alt = false): Promise<Trial> {
  const base = join(lane.dir, `t${index}`);
  const folder = `t${index}`;
  const s = 7000 + index * 101;
  const content: Content = new Map();
  for (let i = 0; i < 10; i++) content.set(`${['', 'a/', 'a/b/', 'c d/'][i % 4]}f${i}.bin`, bytes(s + i, 1024 + Math.floor(rnd() * 6000)));
  content.set('big/large.bin', bytes(s + 99, 1_200_000 + Math.floor(rnd() * 800_000)));
  const stale: Content = new Map([...content.keys()].slice(0, 2).map((rel, i) => [rel, bytes(s + 50 + i, 1500)]));
  const destOnly: Content = new Map();
  const nth = (max: number) => 1 + Math.floor(rnd() * max);
  const variant: Variant = phase === 'download' ? 'sync-down' : phase === 'delete' && alt ? 'move-down' : 'sync-up';
  const t: Trial = {
    phase, variant, folder, content, stale, destOnly, src: join(base, 'src'), dst: join(base, 'dst'), ref: join(base, 'ref'), args: [],
    kill: { op: phase, nth: 1, delayMs: 0 },
  };
  writeTree(t.ref, content, MTIME);
  if (variant === 'sync-up') {
    writeTree(t.src, content, MTIME);
    if (phase === 'delete') {
      // Everything is in place already: the run only deletes (a long delete phase).
      for (let i = 0; i < 24; i++) destOnly.set(`gone/${i % 3}/x${i}.bin`, bytes(s + 200 + i, 600 + i));
      await seed(lane.emu, folder, new Map([...content, ...destOnly]), MTIME);
      t.stale = new Map();
      t.kill = { op: 'delete', nth: nth(16), delayMs: Math.floor(rnd() * 30) };
    } else {
      for (let i = 0; i < 3; i++) destOnly.set(`only/x${i}.bin`, bytes(s + 300 + i, 900 + i));
      await seed(lane.emu, folder, new Map([...stale, ...destOnly]), OLD);
      if (phase === 'allocate') t.kill = { op: 'allocate', nth: nth(8), delayMs: Math.floor(rnd() * 5) };
      else if (phase === 'upload') t.kill = { op: 'upload', nth: nth(8), delayMs: Math.floor(rnd() * 60) };
      else {
        // Expire every access token on an allocate: the next request gets 401 and the client refreshes.
        t.kill = { op: 'token', nth: 1, delayMs: Math.floor(rnd() * 40), before: { op: 'allocate', nth: nth(5), action: (emu) => emu.state.expireAccessTokens() } };
      }
    }
    t.args = ['sync', t.src, `jc:${folder}`, '--transfers', '2'];
  } else {
    await seed(lane.emu, folder, content, MTIME);
    if (variant === 'sync-down') {
      for (let i = 0; i < 3; i++) destOnly.set(`only/x${i}.bin`, bytes(s + 300 + i, 900 + i));
      writeTree(t.dst, new Map([...stale, ...destOnly]), OLD);
      t.kill = { op: 'download', nth: nth(8), delayMs: Math.floor(rnd() * 60) };
      t.args = ['sync', `jc:${folder}`, t.dst, '--transfers', '2'];
    } else {
      t.stale = new Map([...stale].slice(0, 1));
      writeTree(t.dst, t.stale, OLD);
      t.kill = { op: 'delete', nth: nth(8), delayMs: Math.floor(rnd() * 30) };
      t.args = ['move', `jc:${folder}`, t.dst, '--transfers', '2'];
    }
  }
  return t;
}

/** Identities of a tree: path → md5. */
export type Ids = Map<string, string>;
/** The identities of a content map. */
export const ids = (c: Content): Ids => new Map([...c].map(([k, v]) => [k, md5(v)]));

/** The live current files of a server folder (path → md5); trashed files and INCOMPLETE/CORRUPT revisions excluded. */
export function serverFiles(emu: Emulator, folder: string): Ids {
  const out: Ids = new Map();
  const walk = (path: string, rel: string) => {
    const n = emu.state.stat(path);
    if (!n || n.deleted !== null) return;
    if (n.kind === 'file') {
      if (n.current) out.set(rel, n.current.md5);
    } else for (const c of n.children ?? []) walk(`${path}/${c}`, rel ? `${rel}/${c}` : c);
  };
  walk(`Jotta/Archive/${folder}`, '');
  return out;
}

/** Local files under final names (path → md5) and `*.partial` temp files apart. */
export function localFiles(dir: string): { files: Ids; partials: string[] } {
  const files: Ids = new Map();
  const partials: string[] = [];
  const walk = (abs: string, rel: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(abs, e.name), r);
      else if (PARTIAL.test(e.name)) partials.push(r);
      else files.set(r, md5(readFileSync(join(abs, e.name))));
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return { files, partials };
}

/** Invariants of a trial's destination (and, for move, its source) right now: violations, files in place, partials. */
export function inspectTrial(lane: CrashLane, t: Trial): { violations: string[]; inPlace: number; destOnlyGone: number; partials: string[] } {
  const violations: string[] = [];
  const want = ids(t.content);
  const old = ids(t.stale);
  const extra = ids(t.destOnly);
  const local = localFiles(t.dst);
  const dest = t.variant === 'sync-up' ? serverFiles(lane.emu, t.folder) : local.files;
  for (const [rel, sum] of dest) {
    if (sum !== want.get(rel) && sum !== old.get(rel) && sum !== extra.get(rel)) violations.push(`${rel}: content under a final name is neither the new nor the previous version`);
  }
  for (const rel of old.keys()) if (!dest.has(rel)) violations.push(`${rel}: a file the run replaces disappeared`);
  const inPlace = [...want].filter(([rel, sum]) => dest.get(rel) === sum).length;
  const destOnlyGone = [...extra.keys()].filter((rel) => !dest.has(rel)).length;
  if (destOnlyGone > 0 && inPlace < want.size) violations.push(`${destOnlyGone} destination-only files deleted while only ${inPlace}/${want.size} source files were in place`);
  if (t.variant === 'move-down') {
    const server = serverFiles(lane.emu, t.folder);
    for (const [rel, sum] of want) if (server.get(rel) !== sum && dest.get(rel) !== sum) violations.push(`${rel}: moved file neither at the source nor at the destination`);
  }
  return { violations, inPlace, destOnlyGone, partials: local.partials };
}

/** jsync's own view of a server folder equals the completed files (no INCOMPLETE/CORRUPT object listed). */
export async function listingMatches(lane: CrashLane, t: Trial): Promise<string[]> {
  const r = await lane.jsync(['lsjson', '-R', '--files-only', '--hash', `jc:${t.folder}`]);
  if (r.code !== 0) return [`lsjson exited ${r.code}: ${r.err.trim().split('\n').pop()}`];
  const listed = new Map((JSON.parse(r.out) as { Path: string; Hashes?: { md5?: string } }[]).map((e) => [e.Path, e.Hashes?.md5 ?? '']));
  const server = serverFiles(lane.emu, t.folder);
  const problems: string[] = [];
  for (const [rel, sum] of listed) if (server.get(rel) !== sum) problems.push(`listed ${rel} (${sum}) is not a completed file on the server`);
  for (const rel of server.keys()) if (!listed.has(rel)) problems.push(`completed ${rel} missing from the listing`);
  return problems;
}

/** Differences from the converged state (destination equals the source; move: source empty), [] when reached. */
export function goalDiffs(lane: CrashLane, t: Trial): string[] {
  const want = ids(t.content);
  const dest = t.variant === 'sync-up' ? serverFiles(lane.emu, t.folder) : localFiles(t.dst).files;
  const diffs: string[] = [];
  for (const [rel, sum] of want) if (dest.get(rel) !== sum) diffs.push(`${dest.has(rel) ? 'differs' : 'missing'} ${rel}`);
  for (const rel of dest.keys()) if (!want.has(rel)) diffs.push(`extra ${rel}`);
  if (t.variant === 'move-down') for (const rel of serverFiles(lane.emu, t.folder).keys()) diffs.push(`still at the source ${rel}`);
  return diffs;
}

/**
 * The `check --download` that confirms a converged trial (after a move, one way: `*.partial` files a killed run left
 * stay at the destination — move deletes nothing there — and goalDiffs has already compared the final names).
 */
export function checkArgs(t: Trial): string[] {
  if (t.variant === 'sync-up') return ['check', '--download', t.src, `jc:${t.folder}`];
  if (t.variant === 'sync-down') return ['check', '--download', `jc:${t.folder}`, t.dst];
  return ['check', '--download', '--one-way', t.ref, t.dst];
}
