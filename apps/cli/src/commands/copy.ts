// `jsync copy source:path dest:path`: copy new and changed files, never delete (rclone cmd/copy).

import { Command } from 'commander';
import { copyDir, copyFile } from '@jsync/core';
import type { CliContext } from '../context.js';
import { addBoolFlag } from '../flags/flag-values.js';
import { checkArgs } from './args.js';
import { newFsSrcFileDst } from './fs-args.js';
import { runCommand, throwRunError, withEnvFlags } from './transfer-run.js';

/** Creates the `copy` command. */
export function createCopyCommand(ctx: CliContext): Command {
  const cmd = new Command('copy')
    .description('Copy files from source to dest, skipping identical files.')
    .usage('source:path dest:path [flags]')
    .argument('[args...]');
  addBoolFlag(cmd, 'create-empty-src-dirs', '', 'Create empty source dirs on destination after copy');
  return withEnvFlags(cmd, ctx).action(async function (this: Command, args: string[], opts: { createEmptySrcDirs?: boolean }) {
    checkArgs(this, args, 2, 2);
    const { src, dst } = await newFsSrcFileDst(ctx, args);
    await runCommand(ctx, { options: { createEmptySrcDirs: opts.createEmptySrcDirs === true } }, async (octx) => {
      // rclone copies a file source without the one-file filter (cmd.NewFsSrcFileDst).
      throwRunError(src.file === undefined
        ? await copyDir({ ctx: octx, fdst: dst.fs, fsrc: src.fs })
        : await copyFile({ ctx: octx, fdst: dst.fs, dstFileName: src.file, fsrc: src.fs, srcFileName: src.file }));
    });
  });
}
