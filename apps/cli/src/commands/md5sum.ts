// `jsync md5sum`: an md5sum file for every object in the path, or for stdin (rclone cmd/md5sum).

import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { addHashsumFlags, readHashsumFlags } from '../output/hashsum-flags.js';
import { runHashCommand } from '../output/hashsum-run.js';

/** Creates the `md5sum` command. */
export function createMd5sumCommand(ctx: CliContext): Command {
  return addHashsumFlags(new Command('md5sum'))
    .description('Produces an md5sum file for all the objects in the path.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 0, 1);
      await runHashCommand(ctx, args, 0, 'md5', readHashsumFlags(this));
    });
}
