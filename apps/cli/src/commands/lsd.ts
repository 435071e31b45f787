// `jsync lsd`: directories with size, date, item count and path; -R recurses (rclone operations.ListDir).

import { Command, Option } from 'commander';
import type { Directory } from '@jsync/core';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { formatLsdLine } from '../output/listing.js';
import { configMaxDepth, listSource, writeOut } from '../output/listing-run.js';

/** Creates the `lsd` command. */
export function createLsdCommand(ctx: CliContext): Command {
  return new Command('lsd')
    .description('List all directories/containers/buckets in the path.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .addOption(new Option('-R, --recursive', 'Recurse into the listing'))
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      // rclone sets --max-depth 0 for -R, which its walker treats as unlimited (and never uses ListR for).
      const maxDepth = this.opts()['recursive'] === true ? 0 : configMaxDepth(ctx, false);
      const src = await ctx.newFs(args[0]!);
      const human = ctx.globals.humanReadable;
      for await (const entries of listSource(ctx, src, { listType: 'dirs', maxDepth })) {
        writeOut(ctx, entries.filter((e): e is Directory => e.isDir).map((d) => formatLsdLine(d, human)).join(''));
      }
    });
}
