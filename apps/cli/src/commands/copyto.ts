// `jsync copyto source:path dest:path`: copy a file under a new name, or a directory like copy (rclone cmd/copyto).

import { Command } from 'commander';
import { copyDir, copyFile } from '@jsync/core';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { newFsSrcDstFiles } from './fs-args.js';
import { runCommand, throwRunError } from './transfer-run.js';

/** Creates the `copyto` command. */
export function createCopytoCommand(ctx: CliContext): Command {
  return new Command('copyto')
    .description('Copy files from source to dest, skipping identical files.')
    .usage('source:path dest:path [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 2, 2);
      const { src, dst, dstFileName } = await newFsSrcDstFiles(ctx, args);
      await runCommand(ctx, {}, async (octx) => {
        throwRunError(src.file === undefined || dstFileName === undefined
          ? await copyDir({ ctx: octx, fdst: dst.fs, fsrc: src.fs })
          : await copyFile({ ctx: octx, fdst: dst.fs, dstFileName, fsrc: src.fs, srcFileName: src.file }));
      });
    });
}
