// `jsync deletefile remote:path`: remove one file, ignoring filters (rclone cmd/deletefile).

import { Command } from 'commander';
import { deleteFile } from '@jsync/core';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { runCommand } from './transfer-run.js';

/** Creates the `deletefile` command. */
export function createDeletefileCommand(ctx: CliContext): Command {
  return new Command('deletefile')
    .description('Remove a single file from remote.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      await ctx.loadFilter();
      const { fs, file } = await ctx.newFs(args[0]!);
      await runCommand(ctx, { showStats: false, backupDir: false }, async (octx) => {
        // An unclassified error: rclone retries it and exits 1.
        if (file === undefined) throw new Error(`${args[0]} is a directory or doesn't exist`);
        await deleteFile(octx, await fs.newObject(file, { signal: ctx.abort.signal }));
      });
    });
}
