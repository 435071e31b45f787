// `jsync rmdirs remote:path`: remove empty directories under the path, obeying filters (rclone cmd/rmdirs).

import { Command } from 'commander';
import { rmdirs } from '@jsync/core';
import type { CliContext } from '../context.js';
import { addBoolFlag } from '../flags/flag-values.js';
import { checkArgs } from './args.js';
import { newFsDir } from './mkdir.js';
import { runCommand, withEnvFlags } from './transfer-run.js';

/** Creates the `rmdirs` command. */
export function createRmdirsCommand(ctx: CliContext): Command {
  const cmd = new Command('rmdirs')
    .description('Remove empty directories under the path.')
    .usage('remote:path [flags]')
    .argument('[args...]');
  addBoolFlag(cmd, 'leave-root', '', 'Do not remove root directory if empty');
  return withEnvFlags(cmd, ctx).action(async function (this: Command, args: string[], opts: { leaveRoot?: boolean }) {
    checkArgs(this, args, 1, 1);
    await ctx.loadFilter();
    const dir = await newFsDir(ctx, args[0]!);
    await runCommand(ctx, { showStats: false, backupDir: false }, (octx) => rmdirs(octx, dir.fs, '', { leaveRoot: opts.leaveRoot === true }));
  });
}
