// Side-by-side runs of one command line through jsync (in-process) and the installed rclone on two identical local
// fixture trees, with the snapshots and output normalisations the command tests compare.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main } from '../../src/main.js';
import { memoryIo } from '../../src/io.js';

/** True when an `rclone` binary answers (CI installs rclone v1.60.1). */
export const rcloneAvailable: boolean = spawnSync('rclone', ['version'], { encoding: 'utf8' }).status === 0;

/** A fixture: relative path → file content (a path ending in `/` is an empty directory). */
export type Fixture = Record<string, string>;

/** Fixed modtime for fixture files unless a test changes it (2021-02-03 04:05:06 UTC). */
export const FIXTURE_MTIME = new Date(Date.UTC(2021, 1, 3, 4, 5, 6));

/** Writes `fixture` under `root` with {@link FIXTURE_MTIME} modtimes. */
export function writeFixture(root: string, fixture: Fixture): void {
  for (const [rel, text] of Object.entries(fixture)) {
    const p = join(root, rel);
    if (rel.endsWith('/')) {
      mkdirSync(p, { recursive: true });
      continue;
    }
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    utimesSync(p, FIXTURE_MTIME, FIXTURE_MTIME);
  }
}

/** A tree snapshot: relative path → `dir` or `<content>@<mtime seconds>`. */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out[p + '/'] = 'dir';
        walk(p);
      } else {
        out[p] = `${readFileSync(join(root, p), 'utf8')}@${Math.floor(statSync(join(root, p)).mtimeMs / 1000)}`;
      }
    }
  };
  walk('');
  return out;
}

/** What one run produced. */
export interface CmdResult {
  code: number;
  out: string;
  /** stderr without dates, with the run's root as `<root>`. */
  err: string;
  tree: Record<string, string>;
}

/** Output made comparable: no log dates, `<root>` for the temp dir, no elapsed time, speeds and ETAs blanked. */
export function normalizeErr(err: string, root: string): string {
  return err
    .replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '')
    .replaceAll(root, '<root>')
    .replace(/^Elapsed time:.*(\n|$)/gm, '')
    .replace(/, [\d.]+ [KMGTP]?i?B\/s, ETA [^\n]*/g, ', <speed>');
}

/** Sorted lines, for comparing logs of parallel work. */
export const sortedLines = (s: string): string[] => s.split('\n').filter((l) => l !== '').sort();

/** Runs jsync in-process with cwd = a fresh copy of `fixture`. */
export async function runJsyncIn(fixture: Fixture, args: readonly string[], opts: { stdin?: string; env?: Record<string, string> } = {}): Promise<CmdResult> {
  const root = mkdtempSync(join(tmpdir(), 'jsync-cmd-'));
  try {
    writeFixture(root, fixture);
    const io = memoryIo({ env: opts.env ?? {}, cwd: root, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
    const code = await main(['--config', '/dev/null', ...args], { io });
    return { code, out: normalizeErr(io.out(), root), err: normalizeErr(io.err(), root), tree: snapshot(root) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Runs rclone as a subprocess with cwd = a fresh copy of `fixture` (TZ=UTC, no RCLONE_ env). */
export function runRcloneIn(fixture: Fixture, args: readonly string[], opts: { stdin?: string } = {}): CmdResult {
  const root = mkdtempSync(join(tmpdir(), 'rclone-cmd-'));
  try {
    writeFixture(root, fixture);
    const r = spawnSync('rclone', ['--config', '/dev/null', ...args], {
      cwd: root, encoding: 'utf8', env: { PATH: process.env['PATH'], TZ: 'UTC', HOME: root }, input: opts.stdin ?? '',
    });
    return { code: r.status ?? -1, out: normalizeErr(r.stdout, root), err: normalizeErr(r.stderr, root), tree: snapshot(root) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
