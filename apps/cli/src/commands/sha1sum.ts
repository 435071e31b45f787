// `jsync sha1sum`: an sha1sum file for every object in the path, or for stdin (rclone cmd/sha1sum).

import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { addHashsumFlags, readHashsumFlags } from '../output/hashsum-flags.js';
import { runHashCommand } from '../output/hashsum-run.js';

/** Creates the `sha1sum` command. */
export function createSha1sumCommand(ctx: CliContext): Command {
  return addHashsumFlags(new Command('sha1sum'))
    .description('Produces an sha1sum file for all the objects in the path.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 0, 1);
      await runHashCommand(ctx, args, 0, 'sha1', readHashsumFlags(this));
    });
}
