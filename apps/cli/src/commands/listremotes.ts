// `jsync listremotes [--long]`: config sections plus env-defined remotes, sorted, as rclone 1.60 prints them.

import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { envRemoteNames, fileGet, goCompare } from './config-shared.js';

/** Creates the `listremotes` command. */
export function createListremotesCommand(ctx: CliContext): Command {
  return new Command('listremotes')
    .description('List all the remotes in the config file.')
    .argument('[args...]')
    .option('--long', 'Show the type as well as names')
    .addOption(new Option('--no-long').hideHelp()) // target of --long=false
    .action(async function (this: Command, args: string[], opts: { long?: boolean }) {
      checkArgs(this, args, 0, 0);
      const cfg = await ctx.config();
      // rclone 1.60 appends env-defined names without removing duplicates of file sections.
      const remotes = [...cfg.sectionNames(), ...envRemoteNames(ctx.io.env)].sort(goCompare);
      const maxLen = Math.max(1, ...remotes.map((r) => Buffer.byteLength(r, 'utf8')));
      let out = '';
      for (const remote of remotes) {
        if (!opts.long) {
          out += `${remote}:\n`;
          continue;
        }
        // Go's %-*s pads by runes while the width was measured in bytes.
        const label = `${remote}:`;
        out += `${label}${' '.repeat(Math.max(0, maxLen + 1 - [...label].length))} ${fileGet(ctx, cfg, remote, 'type')}\n`;
      }
      ctx.io.stdout.write(out);
    });
}
