// `config show [name]`, `config redacted [name]` and `config dump` (rclone fs/config ShowConfig/ShowRemote/Dump).
// Unlike rclone 1.60, `config show` and `config dump` mask password and sensitive values (`XXX`, like later rclone's
// `config redacted`) unless `--unredacted` is given; create/update/password print the remote masked as well.

import { Command } from 'commander';
import type { AnyBackendDefinition, ConfigFile } from '@jsync/core';
import { CliFatalError, type CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { backendOf, fileGet, goCompare, goJsonString, nested, optionOf } from './config-shared.js';

/** The redacted output's closing reminder (later rclone). */
export const REDACTED_FOOTER = '### Double check the config for sensitive info before posting publicly';

/** What a redacted value prints as (later rclone's `config redacted`). */
export const REDACTED_VALUE = 'XXX';

/** How {@link remoteOptionLines} prints: `key = value` (show) or `- key: value` (wizard), optionally redacted. */
export interface RemoteLinesOptions {
  prefix?: string;
  sep?: string;
  redacted?: boolean;
  /** A remote without `type` gets a comment instead of rclone 1.60's fatal error. @default redacted */
  tolerateNoType?: boolean;
}

/**
 * True when `key` of a remote of backend `def` holds a secret: password-type and `sensitive` options; for a type jsync
 * has no backend for (or no type at all) every key but `type`, since its options are unknown.
 */
export function isSecretKey(def: AnyBackendDefinition | undefined, key: string): boolean {
  if (!def) return key !== 'type';
  const spec = optionOf(def, key);
  return spec?.type === 'password' || spec?.sensitive === true;
}

/**
 * The remote's `key = value` lines in file order, as rclone 1.60's printRemoteOptions: password-type values print
 * as `*** ENCRYPTED ***`; with `redacted`, password and sensitive values print as `XXX`. No type at all is fatal
 * (`Couldn't find type of fs for "x"`, exit 1) unless `tolerateNoType`, which prints a comment instead. For a type jsync has no
 * backend for (rclone knows more backends) the values are printed unmasked after a `# didn't find backend …`
 * comment, as later rclone does — except in redacted mode, where every value but `type` becomes `XXX` to stay safe.
 */
export function remoteOptionLines(ctx: CliContext, cfg: ConfigFile, name: string, opts: RemoteLinesOptions = {}): string {
  const { prefix = '', sep = ' = ', redacted = false } = opts;
  const type = fileGet(ctx, cfg, name, 'type');
  if (type === '' && !(opts.tolerateNoType ?? redacted)) throw new CliFatalError(`Couldn't find type of fs for ${JSON.stringify(name)}`);
  const def = backendOf(ctx, type);
  let out = '';
  if (type === '') out += `# couldn't find type of fs for ${JSON.stringify(name)}\n`;
  else if (!def) out += `# didn't find backend called ${JSON.stringify(type)}\n`;
  for (const key of cfg.keys(name)) {
    const value = fileGet(ctx, cfg, name, key);
    if (redacted && value !== '' && isSecretKey(def, key)) out += `${prefix}${key}${sep}${REDACTED_VALUE}\n`;
    else if (value !== '' && optionOf(def, key)?.type === 'password') out += `${prefix}${key}${sep}*** ENCRYPTED ***\n`;
    else out += `${prefix}${key}${sep}${value}\n`;
  }
  return out;
}

/** Options of {@link formatRemote}. */
export interface FormatRemoteOptions {
  /** Mask password and sensitive values as `XXX`. @default true */
  redacted?: boolean;
  /** See {@link RemoteLinesOptions.tolerateNoType}. @default false */
  tolerateNoType?: boolean;
}

/**
 * One remote as `[name]` plus its {@link remoteOptionLines} (rclone ShowRemote), redacted unless `redacted: false`;
 * the header is printed even when fatal.
 */
export function formatRemote(ctx: CliContext, cfg: ConfigFile, name: string, opts: FormatRemoteOptions = {}): string {
  try {
    return `[${name}]\n${remoteOptionLines(ctx, cfg, name, { redacted: opts.redacted ?? true, tolerateNoType: opts.tolerateNoType ?? false })}`;
  } catch (err) {
    ctx.io.stdout.write(`[${name}]\n`);
    throw err;
  }
}

/** The `--unredacted` flag of `config show` and `config dump` (jsync; rclone 1.60 never masks these). */
const UNREDACTED_HELP = 'Show passwords, tokens and other sensitive values instead of XXX';

/** Creates `config show [remote] [--unredacted]`. */
export function createConfigShowCommand(ctx: CliContext): Command {
  return nested(ctx, new Command('show'))
    .description('Print (decrypted) config file, or the config for a single remote.')
    .usage('[<remote>] [flags]')
    .option('--unredacted', UNREDACTED_HELP)
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 0, 1);
      const unredacted = this.opts<{ unredacted?: boolean }>().unredacted === true;
      const cfg = await ctx.config();
      if (args.length === 1) {
        ctx.io.stdout.write(formatRemote(ctx, cfg, args[0]!.replace(/:+$/, ''), { redacted: !unredacted }));
        return;
      }
      if (unredacted) {
        const text = cfg.serialize();
        ctx.io.stdout.write(text === '' ? '; empty config\n' : text);
        return;
      }
      const names = cfg.sectionNames();
      if (names.length === 0) ctx.io.stdout.write('; empty config\n');
      for (const n of names) ctx.io.stdout.write(`${formatRemote(ctx, cfg, n, { tolerateNoType: true })}\n`);
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
        out = formatRemote(ctx, cfg, args[0]!.replace(/:+$/, ''), { tolerateNoType: true });
      } else {
        const names = cfg.sectionNames().sort(goCompare);
        if (names.length === 0) out = '; empty config\n';
        out += names.map((n) => formatRemote(ctx, cfg, n, { tolerateNoType: true })).join('\n');
      }
      ctx.io.stdout.write(`${out}${REDACTED_FOOTER}\n`);
    });
}

/**
 * rclone's `config dump` text: sections → sorted keys → values, 4-space indented JSON, no trailing newline; with
 * `redacted` (the default) password and sensitive values are `"XXX"` (see {@link isSecretKey}).
 */
export function formatDump(ctx: CliContext, cfg: ConfigFile, opts: { redacted?: boolean } = {}): string {
  const redacted = opts.redacted ?? true;
  const names = cfg.sectionNames().sort(goCompare);
  if (names.length === 0) return '{}';
  const sections = names.map((name) => {
    const def = backendOf(ctx, fileGet(ctx, cfg, name, 'type'));
    const keys = cfg.keys(name).sort(goCompare);
    const body = keys.map((k) => {
      const value = fileGet(ctx, cfg, name, k);
      return `        ${goJsonString(k)}: ${goJsonString(redacted && value !== '' && isSecretKey(def, k) ? REDACTED_VALUE : value)}`;
    });
    return `    ${goJsonString(name)}: ${keys.length === 0 ? '{}' : `{\n${body.join(',\n')}\n    }`}`;
  });
  return `{\n${sections.join(',\n')}\n}`;
}

/** Creates `config dump [--unredacted]`. */
export function createConfigDumpCommand(ctx: CliContext): Command {
  return nested(ctx, new Command('dump'))
    .description('Dump the config file as JSON.')
    .option('--unredacted', UNREDACTED_HELP)
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 0, 0);
      const unredacted = this.opts<{ unredacted?: boolean }>().unredacted === true;
      ctx.io.stdout.write(formatDump(ctx, await ctx.config(), { redacted: !unredacted }));
    });
}
