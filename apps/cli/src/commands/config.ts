// `jsync config` and its small subcommands (file, paths, touch, delete); show/dump/create live in config-*.ts.

import { existsSync } from 'node:fs';
import { join, win32 } from 'node:path';
import { Command } from 'commander';
import { CliFatalError, type CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { createConfigCreateCommand, createConfigPasswordCommand, createConfigUpdateCommand } from './config-create.js';
import { Prompter } from './config-prompt.js';
import { nested } from './config-shared.js';
import { createConfigDumpCommand, createConfigRedactedCommand, createConfigShowCommand } from './config-show.js';
import { ConfigWizard } from './config-wizard.js';

/** The config path jsync uses (undefined = in-memory), resolved exactly as `ctx.config()` does, without loading it. */
export function configPathOf(ctx: CliContext): string | undefined {
  return ctx.configPath().path;
}

/** Go's os.UserCacheDir + `/jsync`, falling back to the temp dir like rclone's makeCacheDir. */
export function jsyncCacheDir(env: Readonly<Record<string, string | undefined>>, homeDir: string, platform: NodeJS.Platform = process.platform): string {
  let dir: string | undefined;
  if (platform === 'win32') dir = env['LocalAppData'] ?? env['LOCALAPPDATA'];
  else if (platform === 'darwin') dir = homeDir ? `${homeDir}/Library/Caches` : undefined;
  else dir = env['XDG_CACHE_HOME'] || (homeDir ? `${homeDir}/.cache` : undefined);
  return (platform === 'win32' ? win32.join : join)(dir || tempDir(env, platform), 'jsync');
}

/** Go's os.TempDir: `$TMPDIR` or `/tmp` (Windows: TMP, TEMP, USERPROFILE). */
export function tempDir(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return env['TMP'] || env['TEMP'] || env['USERPROFILE'] || 'C:\\Windows';
  return env['TMPDIR'] || '/tmp';
}

/** Creates `config` with every subcommand; bare `config` (or `config edit`) runs the interactive session. */
export function createConfigCommand(ctx: CliContext): Command {
  const wizard = async function (this: Command, args: string[]) {
    if (args.length > 0 && this.name() === 'config') {
      ctx.io.stderr.write(`Error: unknown command ${JSON.stringify(args[0])} for "jsync config"\nRun 'jsync config --help' for usage.\n`);
      throw new CliFatalError(`Fatal error: unknown command ${JSON.stringify(args[0])} for "jsync config"`);
    }
    checkArgs(this, args, 0, 0);
    await new ConfigWizard(ctx, new Prompter(ctx.io), await ctx.config()).run();
  };
  const config = new Command('config')
    .description('Enter an interactive configuration session.')
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
        `Config file: ${configPathOf(ctx) ?? ''}\nCache dir:   ${jsyncCacheDir(ctx.io.env, ctx.io.homeDir)}\nTemp dir:    ${tempDir(ctx.io.env)}\n`,
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
