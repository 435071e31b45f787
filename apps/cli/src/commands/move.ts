// `jsync move source:path dest:path`: move files, server-side when possible (rclone cmd/move).

import { Command } from 'commander';
import { moveDir, moveFile } from '@jsync/core';
import type { CliContext } from '../context.js';
import { addBoolFlag } from '../flags/flag-values.js';
import { checkArgs } from './args.js';
import { newFsSrcFileDst } from './fs-args.js';
import { runCommand, throwRunError, withEnvFlags } from './transfer-run.js';

/** Creates the `move` command. */
export function createMoveCommand(ctx: CliContext): Command {
  const cmd = new Command('move')
    .description('Move files from source to dest.')
    .usage('source:path dest:path [flags]')
    .argument('[args...]');
  addBoolFlag(cmd, 'delete-empty-src-dirs', '', 'Delete empty source dirs after move');
  addBoolFlag(cmd, 'create-empty-src-dirs', '', 'Create empty source dirs on destination after move');
  return withEnvFlags(cmd, ctx).action(async function (this: Command, args: string[], opts: { deleteEmptySrcDirs?: boolean; createEmptySrcDirs?: boolean }) {
    checkArgs(this, args, 2, 2);
    const { src, dst } = await newFsSrcFileDst(ctx, args);
    const options = { deleteEmptySrcDirs: opts.deleteEmptySrcDirs === true, createEmptySrcDirs: opts.createEmptySrcDirs === true };
    await runCommand(ctx, { options }, async (octx) => {
      throwRunError(src.file === undefined
        ? await moveDir({ ctx: octx, fdst: dst.fs, fsrc: src.fs })
        : await moveFile({ ctx: octx, fdst: dst.fs, dstFileName: src.file, fsrc: src.fs, srcFileName: src.file }));
    });
  });
}
