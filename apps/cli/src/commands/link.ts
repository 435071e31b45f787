// `jsync link remote:path`: create, retrieve or remove a public link to a file or folder (rclone cmd/link).

import { Command, Option } from 'commander';
import type { Fs } from '@jsync/core';
import type { CliContext } from '../context.js';
import { fsDurationFlag } from '../flags/flag-values.js';
import { checkArgs } from './args.js';
import { runCommand } from './transfer-run.js';

/** rclone operations.PublicLink: the backend's link for `remote` (`""` = the Fs root), or rclone's unsupported error. */
export async function publicLink(fs: Fs, remote: string, opts: { expireMs?: number; unlink?: boolean; signal?: AbortSignal }): Promise<string> {
  const link = fs.features.publicLink;
  if (!link) throw new Error(`${fs.toString()} doesn't support public links`);
  return link(remote, {
    ...(opts.expireMs !== undefined && Number.isFinite(opts.expireMs) ? { expireMs: opts.expireMs } : {}),
    ...(opts.unlink ? { unlink: true } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}

/** Creates the `link` command. */
export function createLinkCommand(ctx: CliContext): Command {
  return new Command('link')
    .description('Generate public link to file/folder.')
    .usage('remote:path [flags]')
    .argument('[args...]')
    .addOption(new Option('--expire <duration>', 'The amount of time that the link will be valid').argParser(fsDurationFlag('expire')).default(Infinity, 'off'))
    .option('--unlink', 'Remove existing public link to file/folder')
    .action(async function (this: Command, args: string[], opts: { expire: number; unlink?: boolean }) {
      checkArgs(this, args, 1, 1);
      // rclone NewFsFile: a file path opens its parent and links that file.
      const opened = await ctx.newFs(args[0]!);
      await runCommand(ctx, { retry: false, showStats: false, backupDir: false }, async (octx) => {
        const url = await publicLink(opened.fs, opened.file ?? '', { expireMs: opts.expire, unlink: opts.unlink === true, signal: octx.signal });
        if (url !== '') ctx.io.stdout.write(`${url}\n`);
      });
    });
}
