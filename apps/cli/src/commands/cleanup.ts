// `jsync cleanup remote:path`: empty the trash / old versions when the backend can (rclone cmd/cleanup).

import { Command } from 'commander';
import { cleanUp } from '@jsync/core';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { newFsSrc } from './fs-args.js';
import { runCommand } from './transfer-run.js';

/** Creates the `cleanup` command. */
export function createCleanupCommand(ctx: CliContext): Command {
  return new Command('cleanup')
    .description('Clean up the remote if possible.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      const src = await newFsSrc(ctx, args[0]!);
      // `<Fs> doesn't support cleanup` is unclassified: retried, exit 1, as rclone.
      await runCommand(ctx, { showStats: false, backupDir: false }, (octx) => cleanUp(octx, src.fs));
    });
}
