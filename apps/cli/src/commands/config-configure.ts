// Running a backend's `configure` (rclone's post-config state machine): the terminal ConfigPrompter, applying the
// returned values, and `config reconnect`.

import { Command } from 'commander';
import {
  type AnyBackendDefinition, type ConfigFile, type ConfigPrompter, type ConfigQuestion, jsyncError, parseRemotePath,
} from '@jsync/core';
import { CliFatalError, type CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { argsToMap } from './config-argmap.js';
import { Prompter } from './config-prompt.js';
import { backendOf, fileGet, nested, runEFailure } from './config-shared.js';

/** Keys starting with this are answers for the config process and are never stored (rclone ConfigKeyEphemeralPrefix). */
export const EPHEMERAL_PREFIX = 'config_';

/** The backend's questions on the terminal, laid out like rclone's backendConfig/ChooseOption. */
export class TerminalConfigPrompter implements ConfigPrompter {
  private readonly p: Prompter;

  constructor(prompter: Prompter) {
    this.p = prompter;
  }

  /** `Option <name>.`, the help, then a numbered menu (examples) or free text; Enter gives the default. */
  async ask(q: ConfigQuestion): Promise<string> {
    const { p } = this;
    p.print(`Option ${q.name}.\n`);
    if (q.help) p.print(`${q.help.trim().replaceAll('\n\n', '\n')}\n`);
    const dflt = q.default ?? '';
    const kind = dflt !== '' ? 'string value' : 'value';
    const examples = q.examples ?? [];
    const answer = examples.length > 0
      ? await p.choose(q.name, kind, examples.map((e) => e.value), examples.map((e) => e.help), dflt, dflt === '', q.exclusive !== true)
      : await p.enter(q.name, kind, dflt, dflt === '', { secret: q.sensitive === true });
    p.print('\n');
    return answer === '' ? dflt : answer;
  }

  /** The help, then rclone's `y) Yes / n) No` menu with the default marked. */
  async confirm(q: { name: string; help: string; default: boolean }): Promise<boolean> {
    if (q.help) this.p.print(`${q.help.trim()}\n`);
    const yes = await this.p.confirm(q.default);
    this.p.print('\n');
    return yes;
  }

  /** Prints a message (a URL to open, progress of the login). */
  info(text: string): void {
    this.p.print(text.endsWith('\n') ? text : `${text}\n`);
  }
}

/** Inputs of {@link runConfigure}. */
export interface RunConfigureArgs {
  ctx: CliContext;
  cfg: ConfigFile;
  name: string;
  def: AnyBackendDefinition;
  /** `config_*` answers from the command line (passed to the backend, never stored). */
  answers?: ReadonlyMap<string, string>;
  /** Present for interactive runs (wizard, reconnect, create on a terminal). */
  prompter?: ConfigPrompter;
  reconnect?: boolean;
}

/**
 * Calls `def.configure` with the section as it is now plus the `config_*` answers, and returns the values to store
 * (`config_*` keys dropped). Nothing is written here.
 */
export async function runConfigure(args: RunConfigureArgs): Promise<Record<string, string>> {
  const { ctx, cfg, name, def } = args;
  if (!def.configure) return {};
  const values: Record<string, string> = { ...(cfg.getSection(name) ?? {}) };
  for (const [k, v] of args.answers ?? []) values[k] = v;
  const out = await def.configure({
    name, values, logger: ctx.logger, global: ctx.globalOptions(), signal: ctx.abort.signal,
    ...(args.prompter ? { prompter: args.prompter } : {}),
    ...(args.reconnect ? { reconnect: true } : {}),
  });
  const store: Record<string, string> = {};
  for (const [k, v] of Object.entries(out)) if (!k.startsWith(EPHEMERAL_PREFIX)) store[k] = v;
  return store;
}

/** Sets `values` on section `name` (in memory). */
export function applyValues(cfg: ConfigFile, name: string, values: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(values)) cfg.set(name, k, v);
}

/** The config section named by `remote:` and its backend, as rclone's fs.ConfigFs resolves them. */
function configuredRemote(ctx: CliContext, cfg: ConfigFile, path: string): { name: string; def: AnyBackendDefinition } {
  const parsed = parseRemotePath(path);
  const name = parsed.kind === 'local' ? 'local' : parsed.name;
  const type = parsed.kind === 'local' ? 'local' : parsed.backendType ?? fileGet(ctx, cfg, name, 'type');
  if (type === '') throw jsyncError('NOT_FOUND_IN_CONFIG_FILE', { context: { remote: name } });
  const def = backendOf(ctx, type);
  if (!def) throw new Error(`didn't find backend called ${JSON.stringify(type)}`);
  return { name, def };
}

/**
 * Creates `config reconnect remote: [config_key=value]...`: runs the backend's configure with `reconnect` on the
 * existing section (interactive questions on the terminal; `config_*` answers may be given as arguments, a jsync
 * addition for headless machines) and stores the returned values under the config lock.
 */
export function createConfigReconnectCommand(ctx: CliContext): Command {
  return nested(ctx, new Command('reconnect'))
    .description('Re-authenticates user with remote.')
    .usage('remote: [flags]')
    .argument('[args...]')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 256);
      try {
        const cfg = await ctx.config();
        const { name, def } = configuredRemote(ctx, cfg, args[0]!);
        if (!def.configure) throw new Error("backend doesn't support reconnect or authorize");
        const answers = argsToMap(args.slice(1));
        for (const key of answers.keys()) {
          if (!key.startsWith(EPHEMERAL_PREFIX)) throw new Error(`only ${EPHEMERAL_PREFIX}* answers can be given to reconnect, not ${JSON.stringify(key)}`);
        }
        const prompter = new TerminalConfigPrompter(new Prompter(ctx.io));
        const values = await runConfigure({ ctx, cfg, name, def, answers, prompter, reconnect: true });
        await cfg.update(name, async () => values);
      } catch (err) {
        if (err instanceof CliFatalError) throw err;
        runEFailure(ctx, this, err);
      }
    });
}
