// `jsync mkdir remote:path` (rclone cmd/mkdir) and the rclone cmd.Run retry loop shared with rmdir/touch.

import { Command } from 'commander';
import { errorClassOf } from '@jsync/core';
import { CliFatalError, type CliContext, type OpenedFs } from '../context.js';
import { checkArgs } from './args.js';

/** rclone's `--retries` default. */
const DEFAULT_RETRIES = 3;

/**
 * Runs `fn` like rclone's `cmd.Run(true, …)`: errors (thrown or counted through `ctx.countError`) are retried
 * up to `--retries` times with rclone's `Attempt n/N failed …` log lines; the last attempt's errors stay counted
 * so main prints the final `Failed to <cmd>: …` line. Never throws what `fn` throws.
 */
export async function runWithRetries(ctx: CliContext, fn: () => Promise<void>): Promise<void> {
  const retries = Math.max(1, (ctx.globals as { retries?: number } | undefined)?.retries ?? DEFAULT_RETRIES);
  for (let attempt = 1; attempt <= retries; attempt++) {
    ctx.errorCount = 0;
    ctx.lastError = undefined;
    try {
      await fn();
    } catch (err) {
      ctx.countError(err);
    }
    if (ctx.errorCount === 0) {
      if (attempt > 1) ctx.logger.log('ERROR', undefined, `Attempt ${attempt}/${retries} succeeded`);
      return;
    }
    const cls = errorClassOf(ctx.lastError);
    if (cls === 'fatal') {
      ctx.logger.log('ERROR', undefined, 'Fatal error received - not attempting retries');
      return;
    }
    if (cls === 'noRetry') {
      ctx.logger.log('ERROR', undefined, "Can't retry any of the errors - not attempting retries");
      return;
    }
    const msg = ctx.lastError instanceof Error ? ctx.lastError.message : String(ctx.lastError);
    ctx.logger.log('ERROR', undefined, `Attempt ${attempt}/${retries} failed with ${ctx.errorCount} errors and: ${msg}`);
  }
}

/** Opens `path` as a directory like rclone's `cmd.NewFsDir`: a path naming a file is fatal. */
export async function newFsDir(ctx: CliContext, path: string): Promise<OpenedFs> {
  const opened = await ctx.newFs(path);
  if (opened.isFile) throw new CliFatalError(`Failed to create file system for ${JSON.stringify(path)}: is a file not a directory`);
  return opened;
}

/** Creates the `mkdir` command. */
export function createMkdirCommand(ctx: CliContext): Command {
  return new Command('mkdir')
    .description("Make the path if it doesn't already exist.")
    .argument('[args...]', 'remote:path')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      const { fs } = await newFsDir(ctx, args[0]!);
      if (!fs.features.canHaveEmptyDirectories && fs.root.includes('/')) {
        ctx.logger.log('NOTICE', fs.toString(), "Warning: running mkdir on a remote which can't have empty directories does nothing");
      }
      await runWithRetries(ctx, async () => {
        ctx.logger.log('DEBUG', fs.toString(), 'Making directory');
        await fs.mkdir('');
      });
    });
}
