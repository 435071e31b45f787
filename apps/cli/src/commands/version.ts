// `jsync version`: prints the version and platform, shaped like `rclone version`.

import { Command } from 'commander';
import os from 'node:os';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { JSYNC_VERSION } from '../version.js';

/** Creates the `version` command. */
export function createVersionCommand(ctx: CliContext): Command {
  return new Command('version')
    .description('Show the version number.')
    .argument('[args...]')
    .action(function (this: Command, args: string[]) {
      checkArgs(this, args, 0, 0);
      const lines = [
        `jsync v${JSYNC_VERSION}`,
        `- os/version: ${os.type().toLowerCase()} ${os.release()} (${os.arch()})`,
        `- os/kernel: ${os.release()} (${os.machine?.() ?? os.arch()})`,
        `- os/type: ${process.platform}`,
        `- os/arch: ${process.arch}`,
        `- node version: ${process.version}`,
        `- rclone compatibility: v1.60`,
      ];
      ctx.io.stdout.write(lines.join('\n') + '\n');
    });
}
