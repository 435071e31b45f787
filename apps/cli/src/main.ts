// Entry point logic: parse, run one command, print rclone's final error line, return the exit code.

import { CommanderError, type Command } from 'commander';
import { type Registry, redactCredentials } from '@jsync/core';
import { boolFlagNames } from './flags/bool-flags.js';
import { CliContext, CliFatalError } from './context.js';
import { type CliIo, processIo } from './io.js';
import { createProgram } from './program.js';
import { createRegistry } from './backends.js';
import { CliUsageError } from './commands/args.js';
import { ExitCode, resolveExitCode } from './exit-codes.js';
import { logDate } from './output/log.js';

/** Options for {@link main}. */
export interface MainOptions {
  io?: CliIo;
  registry?: Registry;
}

/** Runs `jsync <argv>` and resolves to the exit code; never calls process.exit. */
export async function main(argv: readonly string[], opts: MainOptions = {}): Promise<number> {
  const io = opts.io ?? processIo();
  const registry = opts.registry ?? createRegistry();
  const ctx = new CliContext({ io, registry, argv });
  const program = createProgram(ctx);
  let commandName = 'jsync';
  program.hook('preAction', (_p, action) => {
    commandName = action.name();
    ctx.command = action;
  });
  try {
    await program.parseAsync(normalizeBoolFlags(argv, boolFlagNames(program)), { from: 'user' });
  } catch (err) {
    return handleError(ctx, program, commandName, err);
  }
  if (ctx.errorCount > 0) return finalError(ctx, commandName, ctx.lastError);
  return ctx.successExitCode();
}

function handleError(ctx: CliContext, program: Command, commandName: string, err: unknown): number {
  if (err instanceof CommanderError) return commanderError(ctx, program, err);
  if (err instanceof CliUsageError) {
    ctx.io.stderr.write(usageText(err.command));
    ctx.io.stderr.write(redactCredentials(err.message) + '\n');
    return ExitCode.USAGE_ERROR;
  }
  if (err instanceof CliFatalError) {
    ctx.logger.plain(err.message);
    return err.exitCode;
  }
  ctx.countError(err);
  return finalError(ctx, commandName, err);
}

function finalError(ctx: CliContext, commandName: string, err: unknown): number {
  const msg = err instanceof Error ? err.message : String(err);
  const n = ctx.errorCount;
  ctx.logger.plain(n <= 1 ? `Failed to ${commandName}: ${msg}` : `Failed to ${commandName} with ${n} errors: last error was: ${msg}`);
  return resolveExitCode(err);
}

function commanderError(ctx: CliContext, program: Command, err: CommanderError): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return ExitCode.SUCCESS;
  const active = findActiveCommand(program, ctx.argv);
  if (err.code === 'commander.unknownCommand') {
    const name = /'([^']*)'/.exec(err.message)?.[1] ?? '';
    ctx.io.stderr.write(`Error: unknown command ${JSON.stringify(name)} for "jsync"\nRun 'jsync --help' for usage.\n`);
    return ExitCode.USAGE_ERROR;
  }
  // Flag and argument values are echoed in these messages: mask any credential among them.
  let message = redactCredentials(err.message.replace(/^error: /, ''));
  const unknown = /^unknown option '([^']*)'/.exec(message);
  if (unknown) message = `unknown flag: ${unknown[1]}`;
  const invalid = /^option '[^']*' argument '[^']*' is invalid\. (.*)$/s.exec(message);
  if (invalid) message = invalid[1]!;
  ctx.io.stderr.write(`Error: ${message}\n${usageText(active)}\n`);
  ctx.io.stderr.write(`${logDate(new Date())} Fatal error: ${message}\n`);
  return ExitCode.USAGE_ERROR;
}

function usageText(cmd: Command): string {
  const path: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) path.unshift(c.name());
  return `Usage:\n  ${path.join(' ')} ${cmd.usage()}\n\nUse "jsync [command] --help" for more information about a command.\n`;
}

// The deepest command named by the non-flag words of argv (for usage text after a parse error).
function findActiveCommand(program: Command, argv: readonly string[]): Command {
  let cmd = program;
  for (const word of argv) {
    if (word.startsWith('-')) continue;
    const sub = cmd.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (!sub) break;
    cmd = sub;
  }
  return cmd;
}

/** Rewrites `--flag=true|false` / `-f=false` for boolean flags into `--flag` / `--no-flag` (pflag syntax commander lacks). */
export function normalizeBoolFlags(argv: readonly string[], boolFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const long = /^--([^=]+)=(.*)$/s.exec(a);
    const short = /^(-[^-])=(.*)$/s.exec(a);
    const name = long ? long[1]! : short ? short[1]! : undefined;
    const value = long ? long[2]! : short ? short[2]! : undefined;
    if (name === undefined || value === undefined || !boolFlags.has(name)) {
      out.push(a);
      continue;
    }
    const truthy = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
    const falsy = ['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value);
    if (!truthy && !falsy) out.push(a);
    else if (truthy) out.push(short ? name : `--${name}`);
    else if (long && name.startsWith('no-')) out.push(`--${name.slice(3)}`);
    else if (long) out.push(`--no-${name}`);
    // `-f=false` for a short flag with no negation: just drop it (the default is false).
  }
  return out;
}
