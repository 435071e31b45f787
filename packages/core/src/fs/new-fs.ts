// Creates an Fs from a user path (rclone fs.NewFs + fs/configmap.go): backend lookup, option precedence, name suffix.

import { createHash } from 'node:crypto';
import type { ConfigFile } from '../config/config-file.js';
import { parseRemotePath, type ParsedRemote } from '../config/remote-path.js';
import { lookupEnvEntry, type Env } from '../util/env.js';
import type { Logger } from '../util/logger.js';
import { goQuote } from '../util/units.js';
import { invalidArgument, jsyncError } from './errors.js';
import { parseOptions } from './option-values.js';
import { configEnvSuffix, optionEnvSuffix, optionFlagName, optionPrefixedFlagName, type OptionSpec } from './options.js';
import type { AnyBackendDefinition, GlobalOptions, PersistentState, Registry } from './registry.js';
import type { NewFsResult } from './types.js';

/** Inputs of {@link createFs}. */
export interface CreateFsArgs {
  registry: Registry;
  config: ConfigFile;
  /** The path as the user wrote it: `/data`, `remote:dir`, `:memory:bucket`, `remote,opt=v:dir`. */
  path: string;
  /**
   * Backend option flags the user explicitly set, keyed by flag name without dashes (`jottacloud-hard-delete`,
   * `copy-links`, `local-copy-links`). A flag applies to every remote of that backend type.
   */
  flags?: Readonly<Record<string, string>>;
  /** Environment for `JSYNC_…`/`RCLONE_…` lookups. @default process.env */
  env?: Env;
  logger: Logger;
  global: GlobalOptions;
  signal?: AbortSignal;
}

/** What {@link createFs} returns: the backend's result plus how the path was understood. */
export type CreatedFs = NewFsResult & {
  parsed: ParsedRemote;
  backend: AnyBackendDefinition;
  /** Config name without the override suffix: `myremote`, `:memory` or `local` (the Fs name may add `{xxxxx}`). */
  configName: string;
};

/** Where an option value came from, highest priority first. */
type OptionSource = 'connection' | 'flag' | 'remote-env' | 'backend-env' | 'config' | 'default';

interface Resolver {
  configName: string;
  params: Readonly<Record<string, string>>;
  config: ConfigFile;
  env: Env;
  logger: Logger;
}

const isSecret = (spec: OptionSpec | undefined): boolean => spec?.sensitive === true || spec?.type === 'password';
const shown = (spec: OptionSpec | undefined, value: string): string => (isSecret(spec) ? '"***"' : goQuote(value));

/** Remote-specific env var `JSYNC_CONFIG_<NAME>_<KEY>` / `RCLONE_CONFIG_<NAME>_<KEY>`. */
function remoteEnv(r: Resolver, key: string, spec?: OptionSpec): string | undefined {
  const hit = lookupEnvEntry(r.env, configEnvSuffix(r.configName, key));
  if (hit) r.logger.log('DEBUG', undefined, `Setting ${key}=${shown(spec, hit.value)} for ${goQuote(r.configName)} from environment variable ${hit.name}`);
  return hit?.value;
}

/** Config file value; an empty value counts as unset (rclone getConfigFile). */
function configValue(r: Resolver, key: string): string | undefined {
  const v = r.config.get(r.configName, key);
  return v === undefined || v === '' ? undefined : v;
}

/**
 * One option's value with rclone v1.60's precedence (fs/configmap.go): connection string > explicitly set flag >
 * remote env > backend env (`<BACKEND>_<OPT>`, or bare `<OPT>` for noPrefix options) > config file > default.
 * (The jsync issue text listed "flag > env > connection string"; we follow rclone, as the issue also asks.)
 */
function resolveOption(r: Resolver, def: AnyBackendDefinition, spec: OptionSpec, flags: Readonly<Record<string, string>>): { source: OptionSource; value: string } | undefined {
  if (Object.hasOwn(r.params, spec.name)) return { source: 'connection', value: r.params[spec.name] ?? '' };
  for (const flag of [optionFlagName(def.name, spec), optionPrefixedFlagName(def.name, spec)]) {
    if (Object.hasOwn(flags, flag)) return { source: 'flag', value: flags[flag] ?? '' };
  }
  const fromRemoteEnv = remoteEnv(r, spec.name, spec);
  if (fromRemoteEnv !== undefined) return { source: 'remote-env', value: fromRemoteEnv };
  const backendHit = lookupEnvEntry(r.env, optionEnvSuffix(def.name, spec));
  if (backendHit) {
    r.logger.log('DEBUG', undefined, `Setting ${def.name}_${spec.name}=${shown(spec, backendHit.value)} from environment variable ${backendHit.name}`);
    return { source: 'backend-env', value: backendHit.value };
  }
  if (spec.noPrefix) {
    const bare = lookupEnvEntry(r.env, spec.name.toUpperCase().replaceAll('-', '_'));
    if (bare) {
      r.logger.log('DEBUG', undefined, `Setting ${spec.name}=${shown(spec, bare.value)} for ${def.name} from environment variable ${bare.name}`);
      return { source: 'backend-env', value: bare.value };
    }
  }
  const fromConfig = configValue(r, spec.name);
  if (fromConfig !== undefined) return { source: 'config', value: fromConfig };
  return spec.default === undefined ? undefined : { source: 'default', value: spec.default };
}

/** rclone's `{xxxxx}` name suffix for overridden options: MD5 of `k='v',…` (sorted, `'` doubled), base64url, 5 chars. */
export function overrideSuffix(overridden: Readonly<Record<string, string>>): string {
  const keys = Object.keys(overridden).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  if (keys.length === 0) return '';
  const text = keys.map((k) => `${k}='${(overridden[k] ?? '').replaceAll("'", "''")}'`).join(',');
  return `{${createHash('md5').update(text, 'utf8').digest('base64url').slice(0, 5)}}`;
}

/** The backend type of a path: `local`, the on-the-fly type, or a configured remote's `type`. */
function backendTypeOf(parsed: ParsedRemote, r: Resolver): string {
  if (parsed.kind === 'local') return 'local';
  if (parsed.backendType !== undefined) return parsed.backendType;
  const type = parsed.params['type'] ?? remoteEnv(r, 'type') ?? configValue(r, 'type');
  if (type === undefined) throw jsyncError('NOT_FOUND_IN_CONFIG_FILE', { context: { remote: parsed.name } });
  return type;
}

/**
 * Creates the Fs for a user path like rclone's `fs.NewFs`: parses the path, finds the backend, resolves every
 * option (see resolveOption), adds the `{xxxxx}` suffix to the name when options were overridden, and calls the
 * backend. Configured remotes get `saveOptions`, which writes to their config section and saves atomically, and
 * (when the section is in the config file) `persistentState`, a locked read-modify-write of that section.
 */
export async function createFs(args: CreateFsArgs): Promise<CreatedFs> {
  const { registry, config, path, logger } = args;
  const env = args.env ?? process.env;
  const flags = args.flags ?? {};
  logger.log('DEBUG', undefined, `Creating backend with remote ${goQuote(path)}`);
  if (config.hasSection(path)) {
    logger.log('NOTICE', undefined, `${goQuote(path)} refers to a local folder, use ${goQuote(`${path}:`)} to refer to your remote or ${goQuote(`./${path}`)} to hide this warning`);
  }
  const parsed = parseRemotePath(path);
  const configName = parsed.kind === 'local' ? 'local' : parsed.name;
  const params = parsed.kind === 'local' ? {} : parsed.params;
  const r: Resolver = { configName, params, config, env, logger };
  const type = backendTypeOf(parsed, r);
  const backend = registry.get(type);
  if (!backend) throw invalidArgument(`didn't find backend called ${goQuote(type)}`);

  const rawOptions: Record<string, string> = {};
  const overridden: Record<string, string> = {};
  for (const spec of backend.options) {
    const hit = resolveOption(r, backend, spec, flags);
    if (!hit) continue;
    rawOptions[spec.name] = hit.value;
    if (hit.source !== 'config' && hit.source !== 'default') overridden[spec.name] = hit.value;
  }
  // Undeclared keys (backend state such as tokens, unknown connection-string keys) are passed through raw.
  for (const key of config.keys(configName)) {
    const v = configValue(r, key);
    if (!(key in rawOptions) && v !== undefined) rawOptions[key] = v;
  }
  for (const [key, value] of Object.entries(params)) if (!backend.options.some((o) => o.name === key)) rawOptions[key] = value;

  const options = parseOptions(backend.options, rawOptions);
  let name = configName;
  const suffix = overrideSuffix(overridden);
  if (suffix !== '') {
    logger.log('DEBUG', configName, `detected overridden config - adding ${goQuote(suffix)} suffix to name`);
    name += suffix;
  }
  const persistent = parsed.kind === 'remote' && !configName.startsWith(':');
  const saveOptions = persistent
    ? async (values: Record<string, string>): Promise<void> => {
        for (const [key, value] of Object.entries(values)) {
          logger.log('DEBUG', undefined, `Saving config ${goQuote(key)} in section ${goQuote(configName)} of the config file`);
          config.set(configName, key, value);
        }
        try {
          await config.save();
        } catch (err) {
          logger.log('ERROR', undefined, `Failed saving config in section ${goQuote(configName)} of the config file: ${(err as Error).message}`);
          throw err;
        }
      }
    : undefined;
  // Locked read-modify-write for state shared between processes (tokens); only for sections in the file.
  const persistentState: PersistentState | undefined = persistent && config.hasSection(configName)
    ? { update: (fn) => config.update(configName, fn) }
    : undefined;
  const result = await backend.newFs({
    name,
    root: parsed.path,
    options,
    rawOptions,
    ...(saveOptions ? { saveOptions } : {}),
    ...(persistentState ? { persistentState } : {}),
    logger,
    global: args.global,
    ...(args.signal ? { signal: args.signal } : {}),
  });
  return { ...result, parsed, backend, configName };
}
