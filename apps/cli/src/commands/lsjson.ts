// `jsync lsjson`: entries as JSON lines framed as an array, or one item with --stat (rclone cmd/lsjson).

import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { writeOut } from '../output/listing-run.js';
import { marshalItem, marshalItemIndent } from '../output/lsjson.js';
import { type ListJsonRunOptions, listJsonEntries, setupListJson, statJson } from '../output/lsjson-run.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Creates the `lsjson` command. */
export function createLsjsonCommand(ctx: CliContext): Command {
  return new Command('lsjson')
    .description('List directories and objects in the path in JSON format.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .addOption(new Option('-R, --recursive', 'Recurse into the listing'))
    .addOption(new Option('--hash', 'Include hashes in the output (may take longer)'))
    .addOption(new Option('--no-modtime', "Don't read the modification time (can speed things up)"))
    .addOption(new Option('--no-mimetype', "Don't read the mime type (can speed things up)"))
    .addOption(new Option('--encrypted', 'Show the encrypted names'))
    .addOption(new Option('--original', 'Show the ID of the underlying Object'))
    .addOption(new Option('--files-only', 'Show only files in the listing'))
    .addOption(new Option('--dirs-only', 'Show only directories in the listing'))
    .addOption(new Option('--hash-type <string>', 'Show only this hash type (may be repeated)').argParser(collect).default([]))
    .addOption(new Option('--stat', 'Just return the info for the pointed to file'))
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      const o = this.opts();
      const opt: ListJsonRunOptions = {
        recurse: o['recursive'] === true,
        showHash: o['hash'] === true,
        noModTime: o['modtime'] === false,
        noMimeType: o['mimetype'] === false,
        encrypted: o['encrypted'] === true,
        filesOnly: o['filesOnly'] === true,
        dirsOnly: o['dirsOnly'] === true,
        hashTypes: o['hashType'] as string[],
      };
      const src = await ctx.newFs(args[0]!);
      if (o['stat'] === true) {
        const setup = setupListJson(ctx, src.fs, opt);
        const item = await statJson(src.fs, src.file ?? '', opt, setup);
        writeOut(ctx, marshalItemIndent(item, { modTimeDigits: setup.modTimeDigits }) + '\n');
        return;
      }
      writeOut(ctx, '[\n');
      let first = true;
      for await (const { items, setup } of listJsonEntries(ctx, src, opt)) {
        let text = '';
        for (const item of items) {
          text += (first ? '' : ',\n') + marshalItem(item, { modTimeDigits: setup.modTimeDigits });
          first = false;
        }
        writeOut(ctx, text);
      }
      writeOut(ctx, first ? ']\n' : '\n]\n');
    });
}
