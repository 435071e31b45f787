// --dry-run makes zero mutating calls: every scenario of the corpus whose command changes things (sync, copy, move,
// copyto, moveto, delete, purge, rmdirs) runs again with --dry-run through a registry whose local and memory
// backends fail on any mutating call; `check` runs as it is. Nothing may be called, and every tree must be exactly
// as it was built.

import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Registry, Timestamp, listEntries, nullLogger } from '@jsync/core';
import type { FsObject } from '@jsync/core';
import { localBackend } from '@jsync/backend-local';
import { describe, expect, it } from 'vitest';
import { guardBackend, type Mutation } from './helpers/scenario-guard.js';
import { inspectedTrees, memoryTrees, runScenario } from './helpers/scenario-run.js';
import { buildLocalTree, filesOnly, initialResultTree, snapshotLocalTree } from './helpers/scenario-tree.js';
import { jsyncExpectation, loadScenarios, scenarioVariants } from './helpers/scenario-types.js';
import type { Scenario, Variant } from './helpers/scenario-types.js';

const MUTATING = new Set(['sync', 'copy', 'move', 'copyto', 'moveto', 'delete', 'purge', 'rmdirs']);
const READ_ONLY = new Set(['check']);

const scenarios = loadScenarios().filter((s) => MUTATING.has(s.args[0]!) || READ_ONLY.has(s.args[0]!));

async function guardedRun(s: Scenario, variant: Variant) {
  const mutations: Mutation[] = [];
  const dry = MUTATING.has(s.args[0]!) && !s.args.includes('--dry-run') ? ['--dry-run'] : [];
  const outcome = await runScenario(s, {
    tool: 'jsync',
    variant,
    extraArgs: [...(s.jsync?.extraArgs ?? []), ...dry],
    registry: (memory) => new Registry([guardBackend(localBackend, mutations), guardBackend(memory, mutations)]),
  });
  return { mutations, outcome };
}

/** Whether the recorded (real) run of `s` leaves some tree different from how it was built. */
function realRunChanges(s: Scenario): boolean {
  if (!s.expect) return false;
  const want = jsyncExpectation(s, s.expect);
  return inspectedTrees(s).some((t) => !isDeepStrictEqual(want.trees[t] ?? null, initialResultTree(s[t], s.mtime)));
}

describe('the dry-run guard', () => {
  it('passes reads through and records and rejects every mutating call', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'jsync-guard-'));
    try {
      buildLocalTree({ files: [{ path: 'd/a.txt', text: 'a' }], dirs: ['e'] }, root);
      const log: Mutation[] = [];
      const args = { name: 'local', root, options: {}, rawOptions: {}, logger: nullLogger, global: {} };
      const { fs } = await guardBackend(localBackend, log).newFs(args);
      const [obj] = (await listEntries(fs, 'd')).filter((e) => !e.isDir) as FsObject[];
      expect(obj!.fs).toBe(fs);
      expect(await obj!.hash('md5')).toBe('0cc175b9c0f1b6a831c399e269772661');
      const again = await fs.newObject('d/a.txt');
      const attempts: [string, () => Promise<unknown>][] = [
        ['put', () => fs.put((async function* () {})(), obj!)],
        ['mkdir', () => fs.mkdir('x')],
        ['rmdir', () => fs.rmdir('e')],
        ['object.setModTime', () => again.setModTime(Timestamp.parse('2000-01-01T00:00:00Z'))],
        ['object.update', () => again.update((async function* () {})(), obj!)],
        ['object.remove', () => obj!.remove()],
        ['purge', () => fs.features.purge!('d')],
        ['move', () => fs.features.move!(obj!, 'moved.txt')],
        ['dirMove', () => fs.features.dirMove!(fs, 'd', 'd2')],
        ['putStream', () => fs.features.putStream!((async function* () {})(), obj!)],
      ];
      for (const [, attempt] of attempts) await expect(attempt()).rejects.toThrow(/dry-run guard/);
      expect(log.map((m) => m.op)).toEqual(attempts.map(([op]) => op));
      expect(snapshotLocalTree(root)).toEqual(initialResultTree({ files: [{ path: 'd/a.txt', text: 'a' }], dirs: ['e'] }));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('--dry-run makes no mutating call', () => {
  it('covers every mutating command', () => {
    const commands = new Set(scenarios.map((s) => s.args[0]));
    if (!process.env['JSYNC_SCENARIOS']) for (const c of [...MUTATING, ...READ_ONLY]) expect(commands).toContain(c);
  });

  for (const s of scenarios) {
    const variants = scenarioVariants(s).filter((v) => v === 'local' || v === 'memdst' || v === 'memboth');
    for (const variant of variants) {
      it(`${s.name} [${variant}]`, async () => {
        const { mutations, outcome } = await guardedRun(s, variant);
        expect(mutations).toEqual([]);
        const mem = memoryTrees(variant);
        for (const t of inspectedTrees(s)) {
          const before = initialResultTree(s[t], s.mtime);
          if (mem.has(t)) expect(filesOnly(outcome.trees[t]), `${t} files`).toEqual(filesOnly(before));
          else expect(outcome.trees[t], `${t} tree`).toEqual(before);
        }
        // Not vacuous: where the real run changes a tree, the dry run must say what it skipped.
        if (MUTATING.has(s.args[0]!) && realRunChanges(s)) {
          expect(outcome.log.filter((l) => /Skipped .* as --dry-run is set/.test(l))).not.toEqual([]);
        }
      });
    }
  }
});
