// The interactive `config` session (rclone EditConfig/NewRemote/EditRemote and the "*all" question machine).

import {
  type AnyBackendDefinition, type ConfigFile, type OptionSpec, checkConfigName, formatDurationGo, formatEncoding,
  formatSizeSuffix, lookupEnv, optionEnvSuffix, parseOptionValue, configEnvSuffix,
} from '@jsync/core';
import type { CliContext } from '../context.js';
import { TerminalConfigPrompter, applyValues, runConfigure } from './config-configure.js';
import type { Prompter } from './config-prompt.js';
import { fileGet, goCompare } from './config-shared.js';
import { remoteOptionLines } from './config-show.js';

/** A question: the option plus the default shown (the current value when editing). */
interface Question {
  spec: OptionSpec;
  dflt: string;
}

const GO_TYPE_NAME: Record<string, string> = { size: 'fs.SizeSuffix', duration: 'fs.Duration', encoding: 'encoder.MultiEncoder' };

/** The option's default in rclone's printed form (`false` for bools without one). */
function defaultOf(spec: OptionSpec): string {
  if (spec.default !== undefined) return spec.default;
  return spec.type === 'bool' ? 'false' : spec.type === 'int' ? '0' : '';
}

/** rclone's description of what to type, from the Go type of the option's default. */
function kindOf(spec: OptionSpec): string {
  const type = spec.type ?? 'string';
  if (type === 'bool') return 'boolean value (true or false)';
  if (type === 'size') return 'size with suffix K,M,G,T';
  if (type === 'duration') return 'duration s,m,h,d,w,M,y';
  if (type === 'int') return 'signed integer';
  if (type === 'encoding') return `${GO_TYPE_NAME[type]} value`;
  return defaultOf(spec) === '' ? 'value' : 'string value';
}

/** Parses and canonicalises an answer like configstruct.StringToInterface + fmt.Sprint; throws Go's text. */
function canonical(spec: OptionSpec, text: string): string {
  let v;
  try {
    v = parseOptionValue(spec, text);
  } catch (err) {
    const reason = (err as { context?: { reason?: string } }).context?.reason ?? (err as Error).message;
    const goType = GO_TYPE_NAME[spec.type ?? 'string'] ?? spec.type ?? 'string';
    throw new Error(`parsing ${JSON.stringify(text)} as ${goType} failed: ${reason}`);
  }
  if (spec.type === 'size') return formatSizeSuffix(v as number);
  if (spec.type === 'duration') return formatDurationGo(v as number);
  if (spec.type === 'encoding') return formatEncoding(v as number);
  return String(v);
}

/** The interactive session: remotes are created, edited, renamed, copied and deleted until `q`. */
export class ConfigWizard {
  private readonly ctx: CliContext;
  private readonly p: Prompter;
  private readonly cfg: ConfigFile;

  constructor(ctx: CliContext, prompter: Prompter, cfg: ConfigFile) {
    this.ctx = ctx;
    this.p = prompter;
    this.cfg = cfg;
  }

  /** rclone EditConfig: the main menu loop. */
  async run(): Promise<void> {
    const { p, cfg } = this;
    for (;;) {
      let what = ['eEdit existing remote', 'nNew remote', 'dDelete remote', 'rRename remote', 'cCopy remote', 'sSet configuration password', 'qQuit config'];
      if (cfg.sectionNames().length > 0) {
        p.print('Current remotes:\n\n');
        this.showRemotes();
        p.print('\n');
      } else {
        p.print('No remotes found, make a new one?\n');
        what = [what[1]!, what[5]!, what[6]!];
      }
      const choice = await p.commandDefault(what);
      if (choice === 'q') return;
      p.print('\n');
      if (choice === 'n') {
        const name = await this.newRemoteName();
        p.print('\n');
        await this.newRemote(name);
      } else if (choice === 's') {
        p.print('Your configuration is not encrypted.\nSetting a configuration password (config file encryption) is not supported by jsync yet.\n');
      } else {
        const name = await this.chooseRemote();
        p.print('\n');
        if (choice === 'e') await this.editExisting(name);
        else if (choice === 'd') {
          cfg.deleteSection(name);
          await cfg.save();
        } else {
          p.print(choice === 'r' ? `Enter new name for ${JSON.stringify(name)} remote.\n` : `Enter name for copy of ${JSON.stringify(name)} remote.\n`);
          const newName = await this.newRemoteName();
          for (const key of cfg.keys(name)) cfg.set(newName, key, cfg.get(name, key) ?? '');
          if (choice === 'r') cfg.deleteSection(name);
          await cfg.save();
        }
      }
      p.print('\n');
    }
  }

  private showRemotes(): void {
    const names = this.cfg.sectionNames().sort(goCompare);
    this.p.print(`${'Name'.padEnd(20)} Type\n${'===='.padEnd(20)} ====\n`);
    for (const n of names) this.p.print(`${n.padEnd(20)} ${fileGet(this.ctx, this.cfg, n, 'type')}\n`);
  }

  private async chooseRemote(): Promise<string> {
    this.p.print('Select remote.\n');
    return this.p.choose('remote', 'value', this.cfg.sectionNames().sort(goCompare), undefined, '', true, false);
  }

  private async newRemoteName(): Promise<string> {
    for (;;) {
      this.p.print('Enter name for new remote.\nname> ');
      const name = await this.p.readLine();
      if (this.cfg.hasSection(name)) {
        this.p.print(`Remote ${JSON.stringify(name)} already exists.\n`);
        continue;
      }
      let err: Error | undefined;
      try {
        checkConfigName(name);
      } catch (e) {
        err = e as Error;
      }
      if (name === '') this.p.print("Can't use empty name.\n");
      else if (process.platform === 'win32' && /^[A-Za-z]$/.test(name)) {
        this.p.print(`Can't use ${JSON.stringify(name)} as it can be confused with a drive letter.\n`);
      } else if (err) this.p.print(`Can't use ${JSON.stringify(name)} as ${err.message}.\n`);
      else return name;
    }
  }

  private async newRemote(name: string): Promise<void> {
    const backends = this.ctx.registry.list().sort((a, b) => goCompare(a.description, b.description));
    const storage: OptionSpec = {
      name: 'Storage', help: 'Type of storage to configure.', required: true,
      examples: backends.map((b) => ({ value: b.name, help: b.description })),
    };
    let def: AnyBackendDefinition | undefined;
    let type = '';
    while (!def) {
      type = await this.ask({ spec: storage, dflt: '' });
      def = this.ctx.registry.get(type);
      if (!def) this.p.print(`Bad remote ${JSON.stringify(type)}: didn't find backend called ${JSON.stringify(type)}\n`);
    }
    this.p.print('\n');
    this.cfg.deleteSection(name);
    this.cfg.set(name, 'type', type);
    await this.questions(name, def);
    try {
      await this.configure(name, def);
    } catch (err) {
      // A failed login leaves no half-made remote behind (nothing of it was saved yet).
      this.cfg.deleteSection(name);
      throw err;
    }
    if (await this.okRemote(name)) {
      await this.cfg.save();
      return;
    }
    this.p.print('\n');
    await this.editRemote(name, def);
  }

  private async editExisting(name: string): Promise<void> {
    const type = fileGet(this.ctx, this.cfg, name, 'type');
    const def = this.ctx.registry.get(type);
    if (!def) {
      this.p.print(type === '' ? `Couldn't find type of fs for ${JSON.stringify(name)}\n` : `Can't edit ${JSON.stringify(name)}: jsync has no backend called ${JSON.stringify(type)}\n`);
      return;
    }
    await this.editRemote(name, def);
  }

  private async editRemote(name: string, def: AnyBackendDefinition): Promise<void> {
    this.p.print(`Editing existing ${JSON.stringify(name)} remote with options:\n`);
    this.p.print(remoteOptionLines(this.ctx, this.cfg, name, { prefix: '- ', sep: ': ' }));
    this.p.print('\n');
    do {
      await this.questions(name, def);
      await this.configure(name, def);
    } while (!(await this.okRemote(name)));
    await this.cfg.save();
  }

  /** rclone's post-config step: the backend's own questions (login, device choice); stores what it returns. */
  private async configure(name: string, def: AnyBackendDefinition): Promise<void> {
    if (!def.configure) return;
    const values = await runConfigure({ ctx: this.ctx, cfg: this.cfg, name, def, prompter: new TerminalConfigPrompter(this.p) });
    applyValues(this.cfg, name, values);
  }

  /** rclone OkRemote: show the options and ask to keep, edit or delete. */
  private async okRemote(name: string): Promise<boolean> {
    this.p.print('Configuration complete.\nOptions:\n');
    this.p.print(remoteOptionLines(this.ctx, this.cfg, name, { prefix: '- ', sep: ': ' }));
    this.p.print(`Keep this ${JSON.stringify(name)} remote?\n`);
    const c = await this.p.commandDefault(['yYes this is OK', 'eEdit this remote', 'dDelete this remote'], 0);
    if (c === 'd') this.cfg.deleteSection(name);
    return c !== 'e';
  }

  /** The effective current value: config file (empty = unset), remote env, backend env, default. */
  private current(name: string, def: AnyBackendDefinition, spec: OptionSpec): string {
    const v = this.cfg.get(name, spec.name);
    if (v !== undefined && v !== '') return v;
    return lookupEnv(this.ctx.io.env, configEnvSuffix(name, spec.name)) ?? lookupEnv(this.ctx.io.env, optionEnvSuffix(def.name, spec)) ?? defaultOf(spec);
  }

  /** rclone's "*all" states: normal options, then "Edit advanced config?" (repeated) for the advanced ones (not saved yet). */
  private async questions(name: string, def: AnyBackendDefinition): Promise<void> {
    const hasAdvanced = def.options.some((o) => o.advanced);
    let advanced = false;
    for (;;) {
      for (const spec of def.options) {
        if (spec.hide || (spec.advanced === true) !== advanced) continue;
        const cur = this.current(name, def, spec);
        const result = await this.ask({ spec, dflt: cur });
        if (result !== cur) this.cfg.set(name, spec.name, result);
        this.p.print('\n');
      }
      if (!hasAdvanced) break;
      this.p.print('Edit advanced config?\n');
      advanced = await this.p.confirm(false);
      this.p.print('\n');
      if (!advanced) break;
    }
  }

  /** rclone ChooseOption: prints the option and reads a valid answer (the default when left empty). */
  private async ask(q: Question): Promise<string> {
    const { spec, dflt } = q;
    this.p.print(`Option ${spec.name}.\n`);
    if (spec.help) this.p.print(`${spec.help.trim().replaceAll('\n\n', '\n')}\n`);
    if (spec.type === 'password') return this.p.choosePassword(dflt, spec.required === true);
    const kind = kindOf(spec);
    for (;;) {
      const examples = spec.examples ?? [];
      const answer = examples.length > 0
        ? await this.p.choose(spec.name, kind, examples.map((e) => e.value), examples.map((e) => e.help), dflt, spec.required === true, !spec.exclusive)
        : await this.p.enter(spec.name, kind, dflt, spec.required === true);
      if (answer === '') return dflt;
      try {
        return canonical(spec, answer);
      } catch (err) {
        this.p.print(`Failed to parse ${JSON.stringify(answer)}: ${(err as Error).message}\n`);
      }
    }
  }
}
