// `jsync mkdir remote:path` (rclone cmd/mkdir) and cmd.NewFsDir shared with other commands.

import { Command } from 'commander';
import { CliFatalError, type CliContext, type OpenedFs } from '../context.js';
import { checkArgs } from './args.js';
import { runWithRetries } from './retry.js';

/** Opens `path` as a directory like rclone's `cmd.NewFsDir`: a path naming a file is fatal. */
export async function newFsDir(ctx: CliContext, path: string): Promise<OpenedFs> {
  const opened = await ctx.newFs(path);
  if (opened.isFile) throw new CliFatalError(`Failed to create file system for ${JSON.stringify(path)}: is a file not a directory`);
  return opened;
}

/** Creates the `mkdir` command. */
export function createMkdirCommand(ctx: CliContext): Command {
  return new Command('mkdir')
    .description("Make the path if it doesn't already exist.")
    .argument('[args...]', 'remote:path')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      const { fs } = await newFsDir(ctx, args[0]!);
      if (!fs.features.canHaveEmptyDirectories && fs.root.includes('/')) {
        ctx.logger.log('NOTICE', fs.toString(), "Warning: running mkdir on a remote which can't have empty directories does nothing");
      }
      await runWithRetries(ctx, async () => {
        ctx.logger.log('DEBUG', fs.toString(), 'Making directory');
        await fs.mkdir('');
      });
    });
}
