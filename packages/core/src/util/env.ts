// Environment lookups that honour jsync's own prefix first and rclone's second.

import { ENV_PREFIXES } from '../fs/options.js';

/** The environment as a plain record (e.g. `process.env`). */
export type Env = Readonly<Record<string, string | undefined>>;

/** One environment variable that was found: its full name and value (possibly `""`). */
export interface EnvHit {
  name: string;
  value: string;
}

/** Finds `JSYNC_<suffix>`, else `RCLONE_<suffix>`; a variable set to `""` counts as set. */
export function lookupEnvEntry(env: Env, suffix: string): EnvHit | undefined {
  for (const prefix of ENV_PREFIXES) {
    const name = prefix + suffix;
    const value = env[name];
    if (value !== undefined) return { name, value };
  }
  return undefined;
}

/** The value of `JSYNC_<suffix>`, else `RCLONE_<suffix>`, else undefined. */
export function lookupEnv(env: Env, suffix: string): string | undefined {
  return lookupEnvEntry(env, suffix)?.value;
}
