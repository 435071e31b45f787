// What of an outcome is compared in each variant: everything for local→local, less where the memory backend
// differs by nature (no empty directories; a cross-remote move logs a copy and a delete).

import { movesAreTransfers } from './scenario-log.js';
import { memoryTrees } from './scenario-run.js';
import type { Outcome, ResultFile, ResultTree, Scenario, TreeName, Variant } from './scenario-types.js';

/** The comparable part of an outcome (log lines are compared separately). */
export interface Projection {
  exit: number;
  trees: Partial<Record<TreeName, ResultTree | ResultFile[] | null>>;
  transferred: string[];
  deleted: string[];
  stdout: string[];
  reports: Record<string, string[]>;
}

/**
 * Projects an outcome for comparison in `variant`. Local→local keeps everything. When any tree is in memory, trees
 * are compared by their files only (bucket backends have no empty directories, and a memory source has none to
 * create), and for move commands a source `Deleted` line of a moved file is dropped (across remotes rclone moves by
 * copy + delete instead of a server-side rename). `purge` on a backend without a Purge feature deletes file by file
 * and logs each (rclone operations.Purge fallback), so its deletions are compared through the trees only.
 */
export function project(o: Outcome, s: Scenario, variant: Variant): Projection {
  if (variant === 'local') {
    return { exit: o.exit, trees: o.trees, transferred: o.transferred, deleted: o.deleted, stdout: o.stdout, reports: o.reports };
  }
  const trees: Projection['trees'] = {};
  for (const [name, t] of Object.entries(o.trees) as [TreeName, ResultTree | null][]) trees[name] = t?.files ?? [];
  const command = s.args[0] ?? '';
  const moved = new Set(movesAreTransfers(command) ? o.transferred : []);
  return {
    exit: o.exit, trees, transferred: o.transferred, deleted: command === 'purge' ? [] : o.deleted.filter((p) => !moved.has(p)),
    stdout: o.stdout, reports: o.reports,
  };
}

/** Whether a variant keeps any tree in memory. */
export function usesMemory(variant: Variant): boolean {
  return memoryTrees(variant).size > 0;
}
