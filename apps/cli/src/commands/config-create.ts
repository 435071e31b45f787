// `config create|update|password`: non-interactive remote editing with rclone's obscuring rules and output.

import { Command } from 'commander';
import { checkConfigName, obscure, reveal } from '@jsync/core';
import type { CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { argsToMap } from './config-argmap.js';
import { EPHEMERAL_PREFIX, TerminalConfigPrompter, applyValues, runConfigure } from './config-configure.js';
import { Prompter } from './config-prompt.js';
import { backendOf, fileGet, nested, optionOf, plainBoolOption, runEFailure } from './config-shared.js';
import { formatRemote } from './config-show.js';

export { argsToMap } from './config-argmap.js';

/** Flags shared by `config create` and `config update` (rclone UpdateRemoteOpt). */
export interface UpdateRemoteOptions {
  /** Treat every password value as plain text to obscure. */
  obscure?: boolean;
  /** Treat every password value as already obscured. */
  noObscure?: boolean;
  /** Print the config state machine's JSON answer instead of the remote. */
  nonInteractive?: boolean;
  /** Continue a state machine run (the section is kept). */
  continue?: boolean;
  /** Ask every question (rclone); refused by jsync for now. */
  all?: boolean;
  state?: string;
  result?: string;
}

/** How {@link updateRemote} runs the backend's configure step. */
export interface ConfigureMode {
  /** Run it even without `config_*` answers (`config create`). */
  always?: boolean;
  /** On failure remove the section this command created (`config create`); else leave the file as it was. */
  created?: boolean;
}

/**
 * Sets `values` on the existing remote `name` like rclone's UpdateRemote: password-type options are obscured
 * unless they already reveal cleanly (`obscure` forces, `noObscure` skips), `config_*` keys are not stored,
 * keys the backend does not declare are stored with a NOTICE. When the backend has `configure` (OAuth login, device
 * choice) it runs next — for `config create` always, for `config update` when `config_*` answers are given — with
 * the section plus those answers; the values it returns are stored. Saves the config file only when all of this
 * succeeded (a failed create leaves no half-made section). jsync backends have no resumable state machine, so
 * `--non-interactive`/`--continue` always report the final state.
 */
export async function updateRemote(ctx: CliContext, name: string, values: ReadonlyMap<string, string>, opts: UpdateRemoteOptions, mode: ConfigureMode = {}): Promise<void> {
  if (opts.obscure && opts.noObscure) throw new Error("can't use --obscure and --no-obscure together");
  if (opts.all) throw new Error('--all is not supported by jsync yet: run "jsync config" for the interactive questions');
  checkConfigName(name);
  const cfg = await ctx.config();
  const type = fileGet(ctx, cfg, name, 'type');
  if (type === '') throw new Error("couldn't find type field in config");
  const def = backendOf(ctx, type);
  if (!def) throw new Error(`couldn't find backend for type ${JSON.stringify(type)}`);
  const answers = new Map<string, string>();
  for (const [key, raw] of values) {
    let value = raw;
    if (!opts.noObscure && optionOf(def, key)?.type === 'password') {
      let revealed = true;
      try {
        reveal(value);
      } catch {
        revealed = false;
      }
      if (!revealed || opts.obscure) value = obscure(value);
    }
    if (key.startsWith(EPHEMERAL_PREFIX)) {
      answers.set(key, value);
      continue;
    }
    if (key !== 'type' && !optionOf(def, key)) {
      ctx.logger.log('NOTICE', undefined, `Config key ${JSON.stringify(key)} is not an option of backend ${JSON.stringify(type)} - storing it anyway`);
    }
    cfg.set(name, key, value);
  }
  if (def.configure && (mode.always || answers.size > 0)) {
    const interactive = !opts.nonInteractive && !opts.continue && (ctx.io.stdin as { isTTY?: boolean }).isTTY === true;
    try {
      const prompter = interactive ? new TerminalConfigPrompter(new Prompter(ctx.io)) : undefined;
      applyValues(cfg, name, await runConfigure({ ctx, cfg, name, def, answers, ...(prompter ? { prompter } : {}) }));
    } catch (err) {
      if (mode.created) cfg.deleteSection(name);
      throw err;
    }
  }
  await cfg.save();
}

/** What create/update print: the remote (masked) or, for the state-machine modes, rclone's final ConfigOut JSON. */
async function printResult(ctx: CliContext, name: string, opts: UpdateRemoteOptions): Promise<void> {
  if (opts.nonInteractive || opts.continue) {
    ctx.io.stdout.write('{\n\t"State": "",\n\t"Option": null,\n\t"Error": "",\n\t"Result": ""\n}\n');
    return;
  }
  ctx.io.stdout.write(formatRemote(ctx, await ctx.config(), name));
}

function addUpdateFlags(cmd: Command): Command {
  return cmd
    .option('--all', 'Ask the full set of config questions')
    .option('--continue', 'Continue the configuration process with an answer')
    .addOption(plainBoolOption('--no-obscure', 'Force any passwords not to be obscured'))
    .option('--non-interactive', "Don't interact with user and return questions")
    .option('--obscure', 'Force any passwords to be obscured')
    .option('--result <string>', 'Result - use with --continue')
    .option('--state <string>', 'State - use with --continue');
}

/** Creates `config create NAME TYPE [key value]... [key=value]...`. */
export function createConfigCreateCommand(ctx: CliContext): Command {
  return addUpdateFlags(nested(ctx, new Command('create')))
    .description('Create a new remote with name, type and options.')
    .usage('name type [key value]* [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 2, 256);
      const opts = this.opts<UpdateRemoteOptions>();
      const [name, type] = [args[0]!, args[1]!];
      try {
        const values = argsToMap(args.slice(2));
        checkConfigName(name);
        if (!opts.continue) {
          const cfg = await ctx.config();
          cfg.deleteSection(name);
          cfg.set(name, 'type', type);
        }
        await updateRemote(ctx, name, values, opts, { always: true, created: !opts.continue });
      } catch (err) {
        runEFailure(ctx, this, err);
      }
      await printResult(ctx, name, opts);
    });
}

/** Creates `config update NAME [key value]... [key=value]...`. */
export function createConfigUpdateCommand(ctx: CliContext): Command {
  return addUpdateFlags(nested(ctx, new Command('update')))
    .description('Update options in an existing remote.')
    .usage('name [key value]+ [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 256);
      const opts = this.opts<UpdateRemoteOptions>();
      try {
        await updateRemote(ctx, args[0]!, argsToMap(args.slice(1)), opts);
      } catch (err) {
        runEFailure(ctx, this, err);
      }
      await printResult(ctx, args[0]!, opts);
    });
}

/** Creates `config password NAME [key value]...`: every value is plain text and gets obscured. */
export function createConfigPasswordCommand(ctx: CliContext): Command {
  return nested(ctx, new Command('password'))
    .description('Update password in an existing remote.')
    .usage('name [key value]+ [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 256);
      try {
        const values = argsToMap(args.slice(1));
        checkConfigName(args[0]!);
        for (const [k, v] of values) values.set(k, obscure(v));
        await updateRemote(ctx, args[0]!, values, { noObscure: true });
      } catch (err) {
        runEFailure(ctx, this, err);
      }
      ctx.io.stdout.write(formatRemote(ctx, await ctx.config(), args[0]!));
    });
}
