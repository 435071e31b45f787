// `jsync sync source:path dest:path`: make dest identical to source, modifying dest only (rclone cmd/sync).

import { Command } from 'commander';
import { copyFile, sync } from '@jsync/core';
import type { CliContext } from '../context.js';
import { addBoolFlag } from '../flags/flag-values.js';
import { checkArgs } from './args.js';
import { newFsSrcFileDst } from './fs-args.js';
import { runCommand, throwRunError, withEnvFlags } from './transfer-run.js';

/** Creates the `sync` command. */
export function createSyncCommand(ctx: CliContext): Command {
  const cmd = new Command('sync')
    .description('Make source and dest identical, modifying destination only.')
    .usage('source:path dest:path [flags]')
    .argument('[args...]');
  addBoolFlag(cmd, 'create-empty-src-dirs', '', 'Create empty source dirs on destination after sync');
  return withEnvFlags(cmd, ctx).action(async function (this: Command, args: string[], opts: { createEmptySrcDirs?: boolean }) {
    checkArgs(this, args, 2, 2);
    const { src, dst } = await newFsSrcFileDst(ctx, args);
    await runCommand(ctx, { options: { createEmptySrcDirs: opts.createEmptySrcDirs === true } }, async (octx) => {
      // A file source is copied like `copy` does (rclone: operations.CopyFile, nothing deleted).
      throwRunError(src.file === undefined
        ? await sync({ ctx: octx, fdst: dst.fs, fsrc: src.fs })
        : await copyFile({ ctx: octx, fdst: dst.fs, dstFileName: src.file, fsrc: src.fs, srcFileName: src.file }));
    });
  });
}
