// `config show [name]`, `config redacted [name]` and `config dump` (rclone fs/config ShowConfig/ShowRemote/Dump).

import { Command } from 'commander';
import type { ConfigFile } from '@jsync/core';
import { CliFatalError, type CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { backendOf, fileGet, goCompare, goJsonString, nested, optionOf } from './config-shared.js';

/** The redacted output's closing reminder (later rclone). */
export const REDACTED_FOOTER = '### Double check the config for sensitive info before posting publicly';

/** How {@link remoteOptionLines} prints: `key = value` (show) or `- key: value` (wizard), optionally redacted. */
export interface RemoteLinesOptions {
  prefix?: string;
  sep?: string;
  redacted?: boolean;
}

/**
 * The remote's `key = value` lines in file order, as rclone 1.60's printRemoteOptions: password-type values print
 * as `*** ENCRYPTED ***`; with `redacted`, password and sensitive values print as `XXX`. No type at all is fatal
 * (`Couldn't find type of fs for "x"`, exit 1; redacted mode prints a comment instead). For a type jsync has no
 * backend for (rclone knows more backends) the values are printed unmasked after a `# didn't find backend …`
 * comment, as later rclone does — except in redacted mode, where every value but `type` becomes `XXX` to stay safe.
 */
export function remoteOptionLines(ctx: CliContext, cfg: ConfigFile, name: string, opts: RemoteLinesOptions = {}): string {
  const { prefix = '', sep = ' = ' } = opts;
  const type = fileGet(ctx, cfg, name, 'type');
  if (type === '' && !opts.redacted) throw new CliFatalError(`Couldn't find type of fs for ${JSON.stringify(name)}`);
  const def = backendOf(ctx, type);
  let out = '';
  if (type === '') out += `# couldn't find type of fs for ${JSON.stringify(name)}\n`;
  else if (!def) out += `# didn't find backend called ${JSON.stringify(type)}\n`;
  for (const key of cfg.keys(name)) {
    const value = fileGet(ctx, cfg, name, key);
    const spec = optionOf(def, key);
    const isPassword = spec?.type === 'password';
    const secret = def ? isPassword || spec?.sensitive === true : key !== 'type';
    if (opts.redacted && secret && value !== '') out += `${prefix}${key}${sep}XXX\n`;
    else if (isPassword && value !== '') out += `${prefix}${key}${sep}*** ENCRYPTED ***\n`;
    else out += `${prefix}${key}${sep}${value}\n`;
  }
  return out;
}

/** One remote as `[name]` plus its {@link remoteOptionLines} (rclone ShowRemote); the header is printed even when fatal. */
export function formatRemote(ctx: CliContext, cfg: ConfigFile, name: string, opts: { redacted?: boolean } = {}): string {
  try {
    return `[${name}]\n${remoteOptionLines(ctx, cfg, name, opts)}`;
  } catch (err) {
    ctx.io.stdout.write(`[${name}]\n`);
    throw err;
  }
}

/** Creates `config show`. */
export function createConfigShowCommand(ctx: CliContext): Command {
  return nested(ctx, new Command('show'))
    .description('Print (decrypted) config file, or the config for a single remote.')
    .usage('[<remote>] [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 0, 1);
      const cfg = await ctx.config();
      if (args.length === 0) {
        const text = cfg.serialize();
        ctx.io.stdout.write(text === '' ? '; empty config\n' : text);
        return;
      }
      ctx.io.stdout.write(formatRemote(ctx, cfg, args[0]!.replace(/:+$/, '')));
    });
}

/** Creates `config redacted` (rclone ≥ 1.64 format; 1.60 has no such command). */
export function createConfigRedactedCommand(ctx: CliContext): Command {
  return nested(ctx, new Command('redacted'))
    .description('Print redacted (decrypted) config file, or the redacted config for a single remote.')
    .usage('[<remote>] [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 0, 1);
      const cfg = await ctx.config();
      let out = '';
      if (args.length === 1) {
        out = formatRemote(ctx, cfg, args[0]!.replace(/:+$/, ''), { redacted: true });
      } else {
        const names = cfg.sectionNames().sort(goCompare);
        if (names.length === 0) out = '; empty config\n';
        out += names.map((n) => formatRemote(ctx, cfg, n, { redacted: true })).join('\n');
      }
      ctx.io.stdout.write(`${out}${REDACTED_FOOTER}\n`);
    });
}

/** rclone's `config dump` text: sections → sorted keys → values, 4-space indented JSON, no trailing newline. */
export function formatDump(ctx: CliContext, cfg: ConfigFile): string {
  const names = cfg.sectionNames().sort(goCompare);
  if (names.length === 0) return '{}';
  const sections = names.map((name) => {
    const keys = cfg.keys(name).sort(goCompare);
    const body = keys.map((k) => `        ${goJsonString(k)}: ${goJsonString(fileGet(ctx, cfg, name, k))}`);
    return `    ${goJsonString(name)}: ${keys.length === 0 ? '{}' : `{\n${body.join(',\n')}\n    }`}`;
  });
  return `{\n${sections.join(',\n')}\n}`;
}

/** Creates `config dump`. */
export function createConfigDumpCommand(ctx: CliContext): Command {
  return nested(ctx, new Command('dump'))
    .description('Dump the config file as JSON.')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 0, 0);
      ctx.io.stdout.write(formatDump(ctx, await ctx.config()));
    });
}
