// `jsync check source:path dest:path`: compare two trees without changing them, with report files (rclone cmd/check).

import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { type CheckReport, check, encodeUtf8Escaped } from '@jsync/core';
import type { CliContext } from '../context.js';
import { addBoolFlag } from '../flags/flag-values.js';
import { goPathError } from '../flags/os-error.js';
import { checkArgs } from './args.js';
import { newFsSrcDst } from './fs-args.js';
import { AlreadyCounted } from './retry.js';
import { runCommand, withEnvFlags } from './transfer-run.js';

/** The report flags in rclone's opening order, with the CheckReport receiver each feeds. */
const REPORTS = [
  ['combined', 'combined', 'Make a combined report of changes to this file'],
  ['missing-on-src', 'missingOnSrc', 'Report all files missing from the source to this file'],
  ['missing-on-dst', 'missingOnDst', 'Report all files missing from the destination to this file'],
  ['match', 'match', 'Report all matching files to this file'],
  ['differ', 'differ', 'Report all non-matching files to this file'],
  ['error', 'error', 'Report all files with errors (hashing or reading) to this file'],
] as const;

type ReportKey = (typeof REPORTS)[number][1];

interface CheckFlags extends Partial<Record<ReportKey, string>> {
  download?: boolean;
  oneWay?: boolean;
}

/** Opens the report outputs like rclone's GetCheckOpt (`-` = stdout, files created/truncated); returns the closer. */
function openReports(ctx: CliContext, flags: CheckFlags): { report: CheckReport; close: () => void } {
  const report: CheckReport = {};
  const fds: number[] = [];
  const close = () => {
    for (const fd of fds.splice(0)) {
      try {
        closeSync(fd);
      } catch (err) {
        ctx.logger.log('ERROR', undefined, `Failed to close report output: ${(err as Error).message}`);
      }
    }
  };
  for (const [, key] of REPORTS) {
    const name = flags[key];
    if (name === undefined || name === '') continue;
    if (name === '-') {
      report[key] = (line) => void ctx.io.stdout.write(encodeUtf8Escaped(line + '\n'));
      continue;
    }
    let fd: number;
    try {
      fd = openSync(resolve(ctx.io.cwd, name), 'w', 0o666);
    } catch (err) {
      close();
      throw new Error(goPathError(err as NodeJS.ErrnoException, name, 'open'), { cause: err });
    }
    fds.push(fd);
    report[key] = (line) => void writeSync(fd, encodeUtf8Escaped(line + '\n'));
  }
  return { report, close };
}

/** Creates the `check` command. */
export function createCheckCommand(ctx: CliContext): Command {
  const cmd = new Command('check')
    .description('Checks the files in the source and destination match.')
    .usage('source:path dest:path [flags]')
    .argument('[args...]');
  addBoolFlag(cmd, 'download', '', 'Check by downloading rather than with hash');
  addBoolFlag(cmd, 'one-way', '', 'Check one way only, source files must exist on remote');
  for (const [flag, , help] of REPORTS) cmd.addOption(new Option(`--${flag} <file>`, help));
  return withEnvFlags(cmd, ctx).action(async function (this: Command, args: string[], flags: CheckFlags) {
    checkArgs(this, args, 2, 2);
    const { src, dst } = await newFsSrcDst(ctx, args);
    // rclone runs check once (no retries) and shows the stats at the end.
    await runCommand(ctx, { retry: false, backupDir: false }, async (octx) => {
      const { report, close } = openReports(ctx, flags);
      try {
        const result = await check({ ctx: octx, fsrc: src.fs, fdst: dst.fs, oneWay: flags.oneWay === true, download: flags.download === true, report });
        // `N differences found` is not counted again: each difference was (rclone marks it counted).
        if (result.error !== undefined) throw new AlreadyCounted(result.error);
      } finally {
        close();
      }
    });
  });
}
