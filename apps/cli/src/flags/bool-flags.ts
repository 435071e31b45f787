// Collects boolean flags (global and every nested command) so pflag's `--flag=false` / `-f=false` can be normalised.

import type { Command } from 'commander';

/** Names of every boolean flag of `program` and its commands, recursively: long names and `-x` short forms. */
export function boolFlagNames(program: Command): Set<string> {
  const out = new Set<string>();
  const visit = (cmd: Command) => {
    for (const o of cmd.options) {
      if (o.required || o.optional) continue;
      if (o.long) out.add(o.long.replace(/^--/, ''));
      if (o.short) out.add(o.short);
    }
    for (const sub of cmd.commands) visit(sub);
  };
  visit(program);
  return out;
}
