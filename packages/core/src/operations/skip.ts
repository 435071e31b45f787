// rclone's SkipDestructive: --dry-run and -i/--interactive gate every mutating call, with rclone's NOTICE texts.

import type { Fs } from '../fs/types.js';
import type { OperationContext } from '../sync/options.js';
import { formatSizeSuffix } from '../util/units.js';
import { runState } from './state.js';

/** What a destructive action is about: a path string, or an object/Fs whose `toString()` names it. */
export type SkipSubject = string | { toString(): string; readonly size?: number };

/**
 * True when `action` on `subject` must not be done: always under `--dry-run`, or when the `-i` question
 * (`ctx.confirm`) is answered no. Logs NOTICE `Skipped <action> as --dry-run is set (size N)` (size only for
 * subjects that have one ≥ 0), as rclone.
 */
export async function skipDestructive(ctx: OperationContext, subject: SkipSubject, action: string): Promise<boolean> {
  let flag: string;
  const name = String(subject);
  if (ctx.options.dryRun) {
    flag = '--dry-run';
  } else if (ctx.confirm !== undefined) {
    const confirm = ctx.confirm.bind(ctx);
    const state = runState(ctx);
    const answer = state.confirmQueue.then(() => confirm(action, name));
    state.confirmQueue = answer.catch(() => undefined);
    if (await answer) return false;
    flag = '--interactive';
  } else {
    return false;
  }
  const size = typeof subject === 'string' ? -1 : subject.size ?? -1;
  const suffix = size >= 0 ? ` (size ${formatSizeSuffix(size)})` : '';
  ctx.logger.log('NOTICE', name, `Skipped ${action} as ${flag} is set${suffix}`);
  return true;
}

/** rclone's LogDirName: the directory path, or the Fs description for the root. */
export function logDirName(fs: Fs, dir: string): string {
  return dir === '' ? fs.toString() : dir;
}

/** An error's message as Go's `%v` prints it. */
export function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
