// `jsync purge remote:path`: remove the path and all of its contents, ignoring filters (rclone cmd/purge).

import { Command } from 'commander';
import { purge } from '@jsync/core';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { newFsDir } from './mkdir.js';
import { runCommand } from './transfer-run.js';

/** Creates the `purge` command. */
export function createPurgeCommand(ctx: CliContext): Command {
  return new Command('purge')
    .description('Remove the path and all of its contents.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      await ctx.loadFilter();
      const dir = await newFsDir(ctx, args[0]!);
      await runCommand(ctx, { showStats: false, backupDir: false }, (octx) => purge(octx, dir.fs, ''));
    });
}
