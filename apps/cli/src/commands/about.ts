// `jsync about remote:`: quota and usage as rclone prints it (text, --full, --json).

import { Command } from 'commander';
import { JsyncError, type Usage, findJsyncError, formatByteUnit, formatCountSuffix, isJsyncError, jsyncError } from '@jsync/core';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';

const FIELDS = [
  ['Total', 'total'], ['Used', 'used'], ['Free', 'free'], ['Trashed', 'trashed'], ['Other', 'other'], ['Objects', 'objects'],
] as const;

/** Creates the `about` command. */
export function createAboutCommand(ctx: CliContext): Command {
  return new Command('about')
    .description('Get quota information from the remote.')
    .argument('[args...]', 'remote:')
    .option('--json', 'Format output as JSON')
    .option('--full', 'Full numbers instead of human-readable')
    .action(async function (this: Command, args: string[], opts: { json?: boolean; full?: boolean }) {
      checkArgs(this, args, 1, 1);
      const { fs } = await ctx.newFs(args[0]!);
      if (!fs.features.about) throw jsyncError('NOT_IMPLEMENTED', { message: `${fs.toString()} doesn't support about` });
      let usage: Usage;
      try {
        usage = await fs.features.about();
      } catch (err) {
        const code = isJsyncError(err) ? (findJsyncError(err)?.code ?? 'IO') : 'IO';
        throw new JsyncError({ code, message: `about call failed: ${(err as Error).message}`, cause: err });
      }
      ctx.io.stdout.write(opts.json ? formatAboutJson(usage) : formatAboutText(usage, { full: opts.full === true }));
    });
}

/** rclone's text form: one line per present field, label padded to 9 columns. */
export function formatAboutText(usage: Usage, opts: { full: boolean }): string {
  let out = '';
  for (const [label, key] of FIELDS) {
    const v = usage[key];
    if (v === undefined) continue;
    const shown = opts.full ? String(v) : key === 'objects' ? formatCountSuffix(v) : formatByteUnit(v);
    out += `${(label + ':').padEnd(9)}${shown}\n`;
  }
  return out;
}

/** rclone's --json form: tab-indented object with only the present fields. */
export function formatAboutJson(usage: Usage): string {
  const o: Record<string, number> = {};
  for (const key of ['total', 'used', 'trashed', 'other', 'free', 'objects'] as const) {
    if (usage[key] !== undefined) o[key] = usage[key];
  }
  return JSON.stringify(o, null, '\t') + '\n';
}
