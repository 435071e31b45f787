// Helpers shared by the `config` subcommands and `listremotes`: env-aware lookups, Go sorting/JSON, cobra-style errors.

import { type Command, Option } from 'commander';
import { type AnyBackendDefinition, type ConfigFile, ENV_PREFIXES, type OptionSpec, configEnvSuffix, redactCredentials } from '@jsync/core';
import { CliFatalError, type CliContext } from '../context.js';

/** Gives a nested subcommand the same in-process settings program.ts gives top-level ones. */
export function nested(ctx: CliContext, cmd: Command): Command {
  return cmd.exitOverride().configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: () => {} });
}

/** A boolean flag whose name starts with `no-` but is not commander's negation of another flag. */
export function plainBoolOption(flags: string, help: string): Option {
  const o = new Option(flags, help);
  o.negate = false;
  return o;
}

/**
 * rclone `config.FileGet`: the value from the section when the key exists there (even empty), else the
 * `JSYNC_CONFIG_<REMOTE>_<KEY>` / `RCLONE_CONFIG_<REMOTE>_<KEY>` environment variable, else `""`.
 */
export function fileGet(ctx: CliContext, cfg: ConfigFile, section: string, key: string): string {
  const v = cfg.get(section, key);
  if (v !== undefined) return v;
  for (const prefix of ENV_PREFIXES) {
    const e = ctx.io.env[prefix + configEnvSuffix(section, key)];
    if (e !== undefined) return e;
  }
  return '';
}

/**
 * Remote names defined only by the environment, as rclone 1.60 finds them: every `RCLONE_CONFIG_<X>_TYPE=…`
 * (matched against `NAME=value` like rclone does) gives `x` lower-cased; `JSYNC_CONFIG_` works the same. A name
 * set by both prefixes counts once.
 */
export function envRemoteNames(env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    const m = /^(?:JSYNC|RCLONE)_CONFIG_(.*?)_TYPE=.*$/s.exec(`${k}=${v}`);
    if (!m) continue;
    const name = m[1]!.toLowerCase();
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** Go's sort.Strings order: byte-wise over UTF-8. */
export function goCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Go's json.Marshal string encoding (HTML-safe escapes, `\ufffd` for invalid UTF-8 / lone surrogates). */
export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      out += s[i]! + s[i + 1]!;
      i++;
    } else if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (c === 0x22 || c === 0x5c) out += '\\' + s[i]!;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += '\\u' + c.toString(16).padStart(4, '0');
    } else out += s[i]!;
  }
  return out + '"';
}

/** The backend definition named by the remote's `type`, or undefined. */
export function backendOf(ctx: CliContext, type: string): AnyBackendDefinition | undefined {
  return type === '' ? undefined : ctx.registry.get(type);
}

/** The declared option called `key` of `def`, if any. */
export function optionOf(def: AnyBackendDefinition | undefined, key: string): OptionSpec | undefined {
  return def?.options.find((o) => o.name === key);
}

/**
 * Ends a command the way cobra reports an error returned from RunE: `Error: <msg>`, the usage block, then the
 * log line `Fatal error: <msg>`; exit code 1.
 */
export function runEFailure(ctx: CliContext, cmd: Command, err: unknown): never {
  const msg = redactCredentials(err instanceof Error ? err.message : String(err));
  const path: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) path.unshift(c.name());
  ctx.io.stderr.write(
    `Error: ${msg}\nUsage:\n  jsync ${path.join(' ')} ${cmd.usage()}\n\nUse "jsync [command] --help" for more information about a command.\n\n`,
  );
  throw new CliFatalError(`Fatal error: ${msg}`, { cause: err });
}
