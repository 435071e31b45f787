// Backend definitions and the registry instance (no module globals: build one Registry per program).

import type { Logger } from '../util/logger.js';
import type { OptionSpec } from './options.js';
import type { NewFsResult } from './types.js';

/** Process-wide settings a backend may need (TLS, user agent, feature disabling). */
export interface GlobalOptions {
  /** PEM CA bundle paths for TLS verification (`--ca-cert`). */
  caCert?: readonly string[];
  /** Skip TLS verification (`--no-check-certificate`). */
  noCheckCertificate?: boolean;
  /** Features to disable (`--disable`). */
  disable?: readonly string[];
  /** `--user-agent`. */
  userAgent?: string;
  /** `--low-level-retries` @default 10 */
  lowLevelRetries?: number;
}

/** Arguments of a backend's `newFs`. */
export interface NewFsArgs<TOptions> {
  /** Fs name: config name, `:backend` for on-the-fly remotes or `local`, plus any `{xxxxx}` override suffix. */
  name: string;
  /** Root path inside the backend as given by the user (backend cleans it). */
  root: string;
  /** Parsed, typed option values (defaults applied). */
  options: TOptions;
  /** The same options as raw strings, for backends that persist state (tokens) back. */
  rawOptions: Readonly<Record<string, string>>;
  /** Persists changed option values to the remote's config section (e.g. a refreshed token); absent for on-the-fly remotes. */
  saveOptions?: (values: Record<string, string>) => Promise<void>;
  /** Where the backend logs. */
  logger: Logger;
  /** Global settings. */
  global: GlobalOptions;
  signal?: AbortSignal;
}

/** A backend, as a plain descriptor (rclone `fs.RegInfo`). */
export interface BackendDefinition<TOptions = Record<string, unknown>> {
  /** Backend type name used in config `type =` and `:name:` paths. */
  name: string;
  /** One-line description. */
  description: string;
  /** Declared options; flags, env names, config keys and help derive from these. */
  options: readonly OptionSpec[];
  /** Creates an Fs rooted at `args.root` (see {@link NewFsResult} for file roots). */
  newFs(args: NewFsArgs<TOptions>): Promise<NewFsResult>;
}

/** Any backend definition, whatever its option type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyBackendDefinition = BackendDefinition<any>;

/** The set of available backends; build one per program. */
export class Registry {
  private readonly backends = new Map<string, AnyBackendDefinition>();

  constructor(defs: Iterable<AnyBackendDefinition> = []) {
    for (const d of defs) this.register(d);
  }

  /** Adds a backend; a duplicate name is an error. */
  register(def: AnyBackendDefinition): void {
    if (this.backends.has(def.name)) throw new Error(`backend ${JSON.stringify(def.name)} registered twice`);
    this.backends.set(def.name, def);
  }

  /** The backend called `name`, or undefined. */
  get(name: string): AnyBackendDefinition | undefined {
    return this.backends.get(name);
  }

  /** All backends in registration order. */
  list(): AnyBackendDefinition[] {
    return [...this.backends.values()];
  }
}
