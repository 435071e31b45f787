// Builds the commander program: global flags, generated backend flags, every command; exitOverride'd for in-process use.

import { Command } from 'commander';
import type { CliContext } from './context.js';
import { addBackendFlags, readBackendFlags } from './flags/backend-flags.js';
import { addGlobalFlags, applyEnvToGlobals, readGlobalFlags } from './flags/global-flags.js';
import { commandFactories } from './commands/index.js';
import { JSYNC_VERSION } from './version.js';

/** Creates the `jsync` program bound to `ctx`; nothing here calls process.exit. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command('jsync')
    .description('jsync: rclone-compatible sync for Jottacloud and friends')
    .version(JSYNC_VERSION, '-V, --version', 'Print the version number')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: () => {}, // main() formats errors the rclone way
    })
    .showSuggestionAfterError(false);
  addGlobalFlags(program);
  const backendFlags = addBackendFlags(program, ctx.registry);
  for (const make of commandFactories) {
    const cmd = make(ctx);
    cmd.exitOverride().configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: () => {} });
    program.addCommand(cmd);
  }
  program.hook('preAction', () => {
    applyEnvToGlobals(program, ctx.io.env);
    ctx.init(readGlobalFlags(program), readBackendFlags(program, backendFlags));
  });
  return program;
}
