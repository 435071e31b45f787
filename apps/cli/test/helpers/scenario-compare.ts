// What of an outcome is compared in each variant: everything for local→local, less where the memory backend
// differs by nature (no empty directories; a cross-remote move logs a copy and a delete).

import { fsNeutral, hasUsageError, movesAreTransfers } from './scenario-log.js';
import type { Outcome, ResultFile, ResultTree, Scenario, TreeName, Variant } from './scenario-types.js';

/** The comparable part of an outcome (log lines are compared separately). */
export interface Projection {
  exit: number;
  trees: Partial<Record<TreeName, ResultTree | ResultFile[] | null>>;
  transferred: string[];
  deleted: string[];
  stdout: string[];
  reports: Record<string, string[]>;
  /** The run ended in a usage error (unknown flag, …). */
  usageError: boolean;
  /** `check` only: its ERROR/NOTICE lines with the Fs descriptions neutralised (compared in every variant). */
  checkLog: string[];
}

function checkLog(o: Outcome, command: string): string[] {
  if (command !== 'check') return [];
  return o.log.filter((l) => /^(ERROR|NOTICE): |^Failed to /.test(l)).map(fsNeutral).sort();
}

/**
 * Projects an outcome for comparison in `variant`. Local→local keeps everything. When any tree is in memory, trees
 * are compared by their files only (bucket backends have no empty directories, and a memory source has none to
 * create), and for move commands a source `Deleted` line of a moved file is dropped (across remotes rclone moves by
 * copy + delete instead of a server-side rename). `purge` on a backend without a Purge feature deletes file by file
 * and logs each (rclone operations.Purge fallback), so its deletions are compared through the trees only.
 */
export function project(o: Outcome, s: Scenario, variant: Variant): Projection {
  const command = s.args[0] ?? '';
  const common = { exit: o.exit, stdout: o.stdout, reports: o.reports, usageError: hasUsageError(o.log), checkLog: checkLog(o, command) };
  if (variant === 'local') return { ...common, trees: o.trees, transferred: o.transferred, deleted: o.deleted };
  const trees: Projection['trees'] = {};
  for (const [name, t] of Object.entries(o.trees) as [TreeName, ResultTree | null][]) trees[name] = t?.files ?? [];
  const moved = new Set(movesAreTransfers(command) ? o.transferred : []);
  return { ...common, trees, transferred: o.transferred, deleted: command === 'purge' ? [] : o.deleted.filter((p) => !moved.has(p)) };
}

