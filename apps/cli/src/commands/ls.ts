// `jsync ls`: objects with size and path, recursive (rclone operations.List).

import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { formatLsLine } from '../output/listing.js';
import { listObjects, writeOut } from '../output/listing-run.js';

/** Creates the `ls` command. */
export function createLsCommand(ctx: CliContext): Command {
  return new Command('ls')
    .description('List the objects in the path with size and path.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      const src = await ctx.newFs(args[0]!);
      const human = ctx.globals.humanReadable;
      for await (const objects of listObjects(ctx, src)) {
        writeOut(ctx, objects.map((o) => formatLsLine(o, human)).join(''));
      }
    });
}
