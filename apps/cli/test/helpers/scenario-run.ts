// Runs one corpus scenario with rclone (subprocess, local→local) or jsync (in-process main(), local or memory
// trees) in a fresh temp directory and reports the outcome: trees, exit code, transfers, deletions, log, reports.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry, nullLogger } from '@jsync/core';
import type { AnyBackendDefinition, Fs } from '@jsync/core';
import { localBackend } from '@jsync/backend-local';
import { createMemoryBackend } from '@jsync/backend-memory';
import { main } from '../../src/main.js';
import { memoryIo } from '../../src/io.js';
import { deletedPaths, normalizeLog, sortedTextLines, transferredPaths } from './scenario-log.js';
import { buildLocalTree, seedFs, snapshotFs, snapshotLocalTree, DEFAULT_MTIME } from './scenario-tree.js';
import type { Outcome, ResultTree, Scenario, TreeName, Variant } from './scenario-types.js';

/** Which trees live in the memory backend for a variant. */
export function memoryTrees(variant: Variant): ReadonlySet<TreeName> {
  switch (variant) {
    case 'local': return new Set();
    case 'memdst': return new Set(['dst', 'backup']);
    case 'memsrc': return new Set(['src']);
    case 'memboth': return new Set(['src', 'dst', 'backup']);
  }
}

/** The trees a scenario inspects afterwards. */
export function inspectedTrees(s: Scenario): TreeName[] {
  const usesBackup = s.backup != null || s.args.some((a) => a.includes('{backup}'));
  return usesBackup ? ['src', 'dst', 'backup'] : ['src', 'dst'];
}

/** The built CLI (apps/cli/dist/bin.js), for runs as a real process. */
export const JSYNC_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/bin.js');

/** How to run. */
export interface RunScenarioOptions {
  /** rclone (subprocess), jsync in-process (`main()`), or the built jsync CLI as a subprocess. */
  tool: 'rclone' | 'jsync' | 'jsync-bin';
  variant: Variant;
  /** Arguments added for this tool (a deliberate difference's jsync-only flags). */
  extraArgs?: readonly string[];
  /** Builds the registry jsync runs with, around the run's own memory backend (default: local + that memory). */
  registry?: (memory: AnyBackendDefinition) => Registry;
}

function memoryFs(def: AnyBackendDefinition, tree: TreeName): Promise<Fs> {
  return def.newFs({ name: ':memory', root: `bucket/${tree}`, options: {}, rawOptions: {}, logger: nullLogger, global: {} }).then((r) => r.fs);
}

/** A process's exit code and output. */
interface Raw {
  code: number;
  stdout: string;
  stderr: string;
}

function spawnProgram(cmd: string, args: readonly string[], cwd: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('RCLONE_') && !k.startsWith('JSYNC_')) env[k] = v;
    env['TZ'] = 'UTC';
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** Runs `s` once and returns what happened; the temp directory is removed afterwards (unless JSYNC_KEEP_SCENARIOS). */
export async function runScenario(s: Scenario, opts: RunScenarioOptions): Promise<Outcome> {
  if (opts.tool !== 'jsync' && opts.variant !== 'local') throw new Error(`${opts.tool} runs only local→local`);
  const root = mkdtempSync(path.join(tmpdir(), `jsync-scn-${s.name}-`));
  try {
    return await runIn(root, s, opts);
  } finally {
    if (!process.env['JSYNC_KEEP_SCENARIOS']) rmSync(root, { recursive: true, force: true });
  }
}

async function runIn(root: string, s: Scenario, opts: RunScenarioOptions): Promise<Outcome> {
  const mem = memoryTrees(opts.variant);
  const memory = createMemoryBackend();
  const work = path.join(root, 'work');
  mkdirSync(work);
  for (const [name, text] of Object.entries(s.work ?? {})) writeFileSync(path.join(work, name), text);
  const mtime = s.mtime ?? DEFAULT_MTIME;
  const place: Record<TreeName, string> = { src: '', dst: '', backup: '' };
  for (const t of ['src', 'dst', 'backup'] as const) {
    const spec = s[t];
    if (mem.has(t)) {
      place[t] = `:memory:bucket/${t}`;
      if (spec) await seedFs(await memoryFs(memory, t), spec, mtime);
    } else {
      place[t] = path.join(root, t);
      if (spec) buildLocalTree(spec, place[t], mtime);
    }
  }
  const subst = (a: string) =>
    a.replaceAll('{src}', place.src).replaceAll('{dst}', place.dst).replaceAll('{backup}', place.backup)
      .replaceAll('{work}', work).replaceAll('{root}', root);
  const args = [...s.args.map(subst), ...(opts.extraArgs ?? []), '-v'];
  let raw: Raw;
  if (opts.tool === 'rclone') {
    raw = await spawnProgram('rclone', ['--config', '/dev/null', ...args], root);
  } else if (opts.tool === 'jsync-bin') {
    raw = await spawnProgram(process.execPath, [JSYNC_BIN, '--config', '/dev/null', ...args], root);
  } else {
    const io = memoryIo({ cwd: root, env: { TZ: 'UTC' } });
    const registry = opts.registry ? opts.registry(memory) : new Registry([localBackend, memory]);
    const code = await main(['--config', '/dev/null', ...args], { io, registry });
    raw = { code, stdout: io.out(), stderr: io.err() };
  }
  const trees: Partial<Record<TreeName, ResultTree | null>> = {};
  for (const t of inspectedTrees(s)) trees[t] = mem.has(t) ? await snapshotFs(await memoryFs(memory, t)) : snapshotLocalTree(place[t]);
  const reports: Record<string, string[]> = {};
  for (const r of s.reports ?? []) {
    try {
      reports[r] = sortedTextLines(readFileSync(path.join(work, r), 'utf8'));
    } catch {
      // a report that was not written stays absent
    }
  }
  const log = normalizeLog(raw.stderr, root);
  const command = s.args[0] ?? '';
  return {
    exit: raw.code, trees, transferred: transferredPaths(log, command), deleted: deletedPaths(log), log,
    stdout: sortedTextLines(raw.stdout), reports,
  };
}

/** Runs `tasks` with at most `parallel` at once; results in input order. */
export async function pool<T>(tasks: readonly (() => Promise<T>)[], parallel: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, tasks.length) }, worker));
  return out;
}
