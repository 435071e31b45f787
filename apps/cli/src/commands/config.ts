// `jsync config` and its small subcommands (file, paths, touch, delete); show/dump/create live in config-*.ts.

import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { CliFatalError, type CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { createConfigReconnectCommand } from './config-configure.js';
import { createConfigCreateCommand, createConfigPasswordCommand, createConfigUpdateCommand } from './config-create.js';
import { Prompter } from './config-prompt.js';
import { nested, runEFailure } from './config-shared.js';
import { createConfigDumpCommand, createConfigRedactedCommand, createConfigShowCommand } from './config-show.js';
import { ConfigWizard } from './config-wizard.js';
import { jsyncCacheDir } from '../paths.js';

export { jsyncCacheDir, tempDir } from '../paths.js';

/** The config path jsync uses (undefined = in-memory), resolved exactly as `ctx.config()` does, without loading it. */
export function configPathOf(ctx: CliContext): string | undefined {
  return ctx.configPath().path;
}

/** Creates `config` with every subcommand; bare `config` (or `config edit`) runs the interactive session. */
export function createConfigCommand(ctx: CliContext): Command {
  const wizard = async function (this: Command, args: string[]) {
    if (args.length > 0 && this.name() === 'config') {
      ctx.io.stderr.write(`Error: unknown command ${JSON.stringify(args[0])} for "jsync config"\nRun 'jsync config --help' for usage.\n`);
      throw new CliFatalError(`Fatal error: unknown command ${JSON.stringify(args[0])} for "jsync config"`);
    }
    checkArgs(this, args, 0, 0);
    try {
      await new ConfigWizard(ctx, new Prompter(ctx.io), await ctx.config()).run();
    } catch (err) {
      // rclone's RunE error: `Error: <msg>` + usage, then `Fatal error: <msg>` (a failed backend login, say).
      if (err instanceof CliFatalError) throw err;
      runEFailure(ctx, this, err);
    }
  };
  const config = new Command('config')
    .description('Enter an interactive configuration session.')
    .usage('[flags]')
    .argument('[args...]')
    .action(wizard);
  const sub = (c: Command) => config.addCommand(nested(ctx, c));
  sub(createConfigCreateCommand(ctx));
  sub(createConfigDeleteCommand(ctx));
  sub(createConfigDumpCommand(ctx));
  sub(new Command('edit').description('Enter an interactive configuration session.').argument('[args...]').action(wizard));
  sub(createConfigFileCommand(ctx));
  sub(createConfigPasswordCommand(ctx));
  sub(createConfigPathsCommand(ctx));
  sub(createConfigReconnectCommand(ctx));
  sub(createConfigRedactedCommand(ctx));
  sub(createConfigShowCommand(ctx));
  sub(createConfigTouchCommand(ctx));
  sub(createConfigUpdateCommand(ctx));
  return config;
}

function createConfigFileCommand(ctx: CliContext): Command {
  return new Command('file')
    .description('Show path of configuration file in use.')
    .argument('[args...]')
    .action(function (this: Command, args: string[]) {
      checkArgs(this, args, 0, 0);
      const path = configPathOf(ctx);
      if (path === undefined) ctx.io.stdout.write('Configuration is in memory only\n');
      else if (!existsSync(path)) ctx.io.stdout.write(`Configuration file doesn't exist, but jsync will use this path:\n${path}\n`);
      else ctx.io.stdout.write(`Configuration file is stored at:\n${path}\n`);
    });
}

function createConfigPathsCommand(ctx: CliContext): Command {
  return new Command('paths')
    .description('Show paths used for configuration, cache, temp etc.')
    .argument('[args...]')
    .action(function (this: Command, args: string[]) {
      checkArgs(this, args, 0, 0);
      ctx.io.stdout.write(
        `Config file: ${configPathOf(ctx) ?? ''}\nCache dir:   ${jsyncCacheDir(ctx.io.env, ctx.io.homeDir)}\nTemp dir:    ${ctx.tempDir()}\n`,
      );
    });
}

function createConfigTouchCommand(ctx: CliContext): Command {
  return new Command('touch')
    .description('Ensure configuration file exists.')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 0, 0);
      await (await ctx.config()).save();
    });
}

function createConfigDeleteCommand(ctx: CliContext): Command {
  return new Command('delete')
    .description('Delete an existing remote.')
    .usage('name [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      const cfg = await ctx.config();
      cfg.deleteSection(args[0]!);
      await cfg.save();
    });
}
