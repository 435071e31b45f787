// Entry point logic: parse, run one command, print rclone's final error line, return the exit code.

import { CommanderError, type Command } from 'commander';
import type { Registry } from '@jsync/core';
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
  const ctx = new CliContext({ io, registry });
  const program = createProgram(ctx);
  let commandName = 'jsync';
  program.hook('preAction', (_p, action) => {
    commandName = action.name();
  });
  try {
    await program.parseAsync(normalizeBoolFlags(argv, boolFlagNames(program)), { from: 'user' });
  } catch (err) {
    return handleError(ctx, program, commandName, err);
  }
  if (ctx.errorCount > 0) return finalError(ctx, commandName, ctx.lastError);
  return ExitCode.SUCCESS;
}

function handleError(ctx: CliContext, program: Command, commandName: string, err: unknown): number {
  if (err instanceof CommanderError) return commanderError(ctx, program, err);
  if (err instanceof CliUsageError) {
    ctx.io.stderr.write(usageText(err.command));
    ctx.io.stderr.write(err.message + '\n');
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
  const active = findActiveCommand(program, err) ?? program;
  if (err.code === 'commander.unknownCommand') {
    const name = /'([^']*)'/.exec(err.message)?.[1] ?? '';
    ctx.io.stderr.write(`Error: unknown command ${JSON.stringify(name)} for "jsync"\nRun 'jsync --help' for usage.\n`);
    return ExitCode.USAGE_ERROR;
  }
  let message = err.message.replace(/^error: /, '');
  const unknown = /^unknown option '([^']*)'/.exec(message);
  if (unknown) message = `unknown flag: ${unknown[1]}`;
  ctx.io.stderr.write(`Error: ${message}\n${usageText(active)}\n`);
  ctx.io.stderr.write(`${logDate(new Date())} Fatal error: ${message}\n`);
  return ExitCode.USAGE_ERROR;
}

function usageText(cmd: Command): string {
  return `Usage:\n  jsync ${cmd.name() === 'jsync' ? '' : cmd.name() + ' '}${cmd.usage()}\n\nUse "jsync [command] --help" for more information about a command.\n`;
}

function findActiveCommand(program: Command, _err: CommanderError): Command | undefined {
  const args = program.args;
  const name = args[0];
  return program.commands.find((c) => c.name() === name);
}

/** Rewrites `--flag=true|false` for boolean flags into `--flag` / `--no-flag` (pflag syntax commander lacks). */
export function normalizeBoolFlags(argv: readonly string[], boolFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const a of argv) {
    if (a === '--') {
      out.push(...argv.slice(out.length));
      break;
    }
    const m = /^--([^=]+)=(.*)$/s.exec(a);
    if (m && boolFlags.has(m[1]!)) {
      const v = m[2]!;
      if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) out.push(`--${m[1]}`);
      else if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) out.push(m[1]!.startsWith('no-') ? `--${m[1]!.slice(3)}` : `--no-${m[1]}`);
      else out.push(a);
    } else out.push(a);
  }
  return out;
}
