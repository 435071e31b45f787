// `jsync moveto source:path dest:path`: move a file under a new name, or a directory like move (rclone cmd/moveto).

import { Command } from 'commander';
import { moveDir, moveFile } from '@jsync/core';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { newFsSrcDstFiles } from './fs-args.js';
import { runCommand, throwRunError } from './transfer-run.js';

/** Creates the `moveto` command. */
export function createMovetoCommand(ctx: CliContext): Command {
  return new Command('moveto')
    .description('Move file or directory from source to dest.')
    .usage('source:path dest:path [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 2, 2);
      const { src, dst, dstFileName } = await newFsSrcDstFiles(ctx, args);
      await runCommand(ctx, {}, async (octx) => {
        throwRunError(src.file === undefined || dstFileName === undefined
          ? await moveDir({ ctx: octx, fdst: dst.fs, fsrc: src.fs })
          : await moveFile({ ctx: octx, fdst: dst.fs, dstFileName, fsrc: src.fs, srcFileName: src.file }));
      });
    });
}
