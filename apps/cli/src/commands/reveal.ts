// `jsync reveal <obscured>`: undoes `obscure` (rclone's hidden reveal command).

import { Command } from 'commander';
import { encodeUtf8Escaped, reveal } from '@jsync/core';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';

/** Creates the `reveal` command; a bad input ends with `Failed to reveal: …` and exit 1. */
export function createRevealCommand(ctx: CliContext): Command {
  return new Command('reveal')
    .description('Reveal obscured password from rclone.conf')
    .argument('[args...]', 'password')
    .action(function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      ctx.io.stdout.write(encodeUtf8Escaped(reveal(args[0]!) + '\n'));
    });
}
