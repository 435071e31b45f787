// `jsync lsf`: entries formatted for scripts (--format letters, separator, CSV) (rclone cmd/lsf).

import { Command, CommanderError, Option } from 'commander';
import { goQuote } from '@jsync/core';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { ListFormat } from '../output/listing.js';
import { type HashChoice, parseHashChoice, unknownHashMessage } from '../output/hashsum.js';
import { listJsonEntries, type ListJsonRunOptions } from '../output/lsjson-run.js';
import { writeOut } from '../output/listing-run.js';

/** Creates the `lsf` command. */
export function createLsfCommand(ctx: CliContext): Command {
  return new Command('lsf')
    .description('List directories and objects in remote:path formatted for parsing.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .addOption(new Option('-F, --format <string>', 'Output format - see  help for details').default('p'))
    .addOption(new Option('-s, --separator <string>', 'Separator for the items in the format').default(';'))
    .addOption(new Option('-d, --dir-slash', 'Append a slash to directory names').default(true))
    .addOption(new Option('--no-dir-slash').hideHelp())
    .addOption(new Option('--hash <h>', 'Use this hash when `h` is used in the format MD5|SHA-1|DropboxHash').default('md5').argParser(parseHashFlag))
    .addOption(new Option('--files-only', 'Only list files'))
    .addOption(new Option('--dirs-only', 'Only list directories'))
    .addOption(new Option('--csv', 'Output in CSV format'))
    .addOption(new Option('--absolute', 'Put a leading / in front of path names'))
    .addOption(new Option('-R, --recursive', 'Recurse into the listing'))
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      const o = this.opts();
      const src = await ctx.newFs(args[0]!);
      const csv = o['csv'] === true;
      const separator = csv && this.getOptionValueSource('separator') !== 'cli' ? ',' : String(o['separator']);
      const format = String(o['format']);
      const hash = o['hash'] as HashChoice;
      const list = ListFormat.create({ format, separator, dirSlash: o['dirSlash'] !== false, absolute: o['absolute'] === true, csv, hashName: hash });
      const run: ListJsonRunOptions = {
        recurse: o['recursive'] === true,
        noModTime: !format.includes('t'),
        noMimeType: !format.includes('m'),
        filesOnly: o['filesOnly'] === true,
        dirsOnly: o['dirsOnly'] === true,
        ...(format.includes('h') ? { hashTypes: [hash] } : {}),
        encrypted: format.includes('e'),
      };
      for await (const { items } of listJsonEntries(ctx, src, run)) {
        writeOut(ctx, items.map((item) => list.format(item) + '\n').join(''));
      }
    });
}

function parseHashFlag(value: string): HashChoice {
  const h = parseHashChoice(value);
  // A CommanderError so main prints rclone's `Error: …`, usage and `Fatal error: …` (exit 1).
  if (h === undefined) throw new CommanderError(1, 'jsync.invalidFlag', `error: invalid argument ${goQuote(value)} for "--hash" flag: ${unknownHashMessage(value)}`);
  return h;
}
