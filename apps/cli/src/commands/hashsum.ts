// `jsync hashsum <hash>`: a hash file of any supported type; without a type lists the supported hashes.

import { Command, CommanderError } from 'commander';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { hashHelpString, parseHashChoice, unknownHashMessage } from '../output/hashsum.js';
import { addHashsumFlags, readHashsumFlags } from '../output/hashsum-flags.js';
import { runHashCommand } from '../output/hashsum-run.js';
import { writeOut } from '../output/listing-run.js';

/** Creates the `hashsum` command. */
export function createHashsumCommand(ctx: CliContext): Command {
  return addHashsumFlags(new Command('hashsum'))
    .description('Produces a hashsum file for all the objects in the path.')
    .usage('<hash> remote:path [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 0, 2);
      if (args.length === 0) {
        writeOut(ctx, hashHelpString(0));
        return;
      }
      const type = parseHashChoice(args[0]!);
      if (type === undefined) {
        writeOut(ctx, hashHelpString(0) + '\n');
        // rclone returns this from RunE: cobra prints `Error: …` and the usage, then `Fatal error: …` (exit 1).
        throw new CommanderError(1, 'jsync.invalidArgument', `error: ${unknownHashMessage(args[0]!)}`);
      }
      await runHashCommand(ctx, args, 1, type, readHashsumFlags(this));
    });
}
