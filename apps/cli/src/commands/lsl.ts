// `jsync lsl`: objects with size, modification time and path, recursive (rclone operations.ListLong).

import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { formatLslLine } from '../output/listing.js';
import { listObjects, writeOut } from '../output/listing-run.js';

/** Creates the `lsl` command. */
export function createLslCommand(ctx: CliContext): Command {
  return new Command('lsl')
    .description('List the objects in path with modification time, size and path.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      const src = await ctx.newFs(args[0]!);
      const human = ctx.globals.humanReadable;
      for await (const objects of listObjects(ctx, src)) {
        writeOut(ctx, objects.map((o) => formatLslLine(o, human)).join(''));
      }
    });
}
