// `jsync rmdir remote:path`: removes the directory only when empty (rclone cmd/rmdir).

import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { newFsDir } from './mkdir.js';
import { runWithRetries } from './retry.js';

/** Creates the `rmdir` command. */
export function createRmdirCommand(ctx: CliContext): Command {
  return new Command('rmdir')
    .description('Remove the empty directory at path.')
    .argument('[args...]', 'remote:path')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      const { fs } = await newFsDir(ctx, args[0]!);
      await runWithRetries(ctx, async () => {
        ctx.logger.log('INFO', fs.toString(), 'Removing directory');
        await fs.rmdir('');
      });
    });
}
