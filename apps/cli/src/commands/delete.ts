// `jsync delete remote:path`: remove the files in path that pass the filters, keep directories (rclone cmd/delete).

import { Command } from 'commander';
import { deleteTree, rmdirs } from '@jsync/core';
import type { CliContext } from '../context.js';
import { addBoolFlag } from '../flags/flag-values.js';
import { checkArgs } from './args.js';
import { newFsSrc } from './fs-args.js';
import { newFsDir } from './mkdir.js';
import { runCommand, withEnvFlags } from './transfer-run.js';

/** Creates the `delete` command. */
export function createDeleteCommand(ctx: CliContext): Command {
  const cmd = new Command('delete')
    .description('Remove the files in path.')
    .usage('remote:path [flags]')
    .argument('[args...]');
  addBoolFlag(cmd, 'rmdirs', '', 'rmdirs removes empty directories but leaves root intact');
  return withEnvFlags(cmd, ctx).action(async function (this: Command, args: string[], opts: { rmdirs?: boolean }) {
    checkArgs(this, args, 1, 1);
    const src = await newFsSrc(ctx, args[0]!);
    await runCommand(ctx, { showStats: false, backupDir: false }, async (octx) => {
      try {
        await deleteTree(octx, src.fs, '');
      } catch (err) {
        // rclone counts a listing failure where the walk meets it and again when the command returns it.
        throw ctx.stats.isCounted(err) ? new Error((err as Error).message, { cause: err }) : err;
      }
      if (opts.rmdirs === true) {
        const dir = await newFsDir(ctx, args[0]!);
        await rmdirs(octx, dir.fs, '', { leaveRoot: true });
      }
    });
  });
}
