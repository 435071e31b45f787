// Backend option flags generated from each backend's OptionSpec list (`--<backend>-<opt>`, short opts, noPrefix).

import { type Command, Option } from 'commander';
import { type Registry, optionFlagName, optionPrefixedFlagName } from '@jsync/core';

/** One generated flag and the backend option it sets. */
interface BackendFlag {
  /** Flag name without dashes as given to createFs (`local-copy-links`, `copy-links`). */
  flag: string;
  /** commander attribute name. */
  attribute: string;
  bool: boolean;
}

/** Adds every backend option as a global flag; returns the bookkeeping needed to read them back. */
export function addBackendFlags(program: Command, registry: Registry): BackendFlag[] {
  const out: BackendFlag[] = [];
  const seen = new Set(program.options.map((o) => o.long));
  for (const def of registry.list()) {
    for (const spec of def.options) {
      const bool = spec.type === 'bool';
      const names = new Set([optionFlagName(def.name, spec), optionPrefixedFlagName(def.name, spec)]);
      for (const name of names) {
        if (seen.has(`--${name}`)) continue;
        seen.add(`--${name}`);
        const short = spec.shortOpt && name === optionFlagName(def.name, spec) ? `-${spec.shortOpt}, ` : '';
        const help = spec.help.split('\n')[0] ?? '';
        const opt = new Option(`${short}--${name}${bool ? '' : ' <value>'}`, help);
        if (spec.hide) opt.hideHelp();
        program.addOption(opt);
        if (bool) program.addOption(new Option(`--no-${name}`).hideHelp());
        out.push({ flag: name, attribute: opt.attributeName(), bool });
      }
    }
  }
  return out;
}

/** Reads the backend flags that were given on the command line, keyed by flag name (values as strings). */
export function readBackendFlags(program: Command, flags: readonly BackendFlag[]): Record<string, string> {
  const out: Record<string, string> = {};
  const values = program.opts();
  for (const f of flags) {
    if (program.getOptionValueSource(f.attribute) !== 'cli') continue;
    const v = values[f.attribute];
    out[f.flag] = f.bool ? String(v === true) : String(v);
  }
  return out;
}
