// `jsync size`: total object count and size below the path (rclone cmd/size).

import { Command, Option } from 'commander';
import { formatByteUnit, formatCountSuffix } from '@jsync/core';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { listObjects, writeOut } from '../output/listing-run.js';

/** Creates the `size` command. */
export function createSizeCommand(ctx: CliContext): Command {
  return new Command('size')
    .description('Prints the total size and number of objects in remote:path.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .addOption(new Option('--json', 'Format output as JSON'))
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      const src = await ctx.newFs(args[0]!);
      let count = 0;
      let bytes = 0;
      let sizeless = 0;
      for await (const objects of listObjects(ctx, src)) {
        for (const o of objects) {
          count++;
          if (o.size < 0) sizeless++;
          else bytes += o.size;
        }
      }
      if (sizeless > 0) ctx.logger.log('NOTICE', src.fs.toString(), `Size may be underestimated due to ${sizeless} objects with unknown size`);
      if (this.opts()['json'] === true) {
        writeOut(ctx, `{"count":${count},"bytes":${bytes},"sizeless":${sizeless}}\n`);
        return;
      }
      let text = `Total objects: ${formatCountSuffix(count)} (${count})\nTotal size: ${formatByteUnit(bytes)} (${bytes} Byte)\n`;
      if (sizeless > 0) text += `Total objects with unknown size: ${formatCountSuffix(sizeless)} (${sizeless})\n`;
      writeOut(ctx, text);
    });
}
