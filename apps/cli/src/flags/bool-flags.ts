// Collects the names of boolean flags (global and per command) so `--flag=false` can be normalised.

import type { Command } from 'commander';

/** Long names (without dashes) of every boolean flag of `program` and its commands. */
export function boolFlagNames(program: Command): Set<string> {
  const out = new Set<string>();
  for (const cmd of [program, ...program.commands]) {
    for (const o of cmd.options) {
      if (o.long && !o.required && !o.optional) out.add(o.long.replace(/^--/, ''));
    }
  }
  return out;
}
