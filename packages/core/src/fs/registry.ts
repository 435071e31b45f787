// Backend definitions and the registry instance (no module globals: build one Registry per program).

import type { Logger } from '../util/logger.js';
import type { OptionExample, OptionSpec } from './options.js';
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
  /** `--tpslimit`: every HTTP transaction takes one slot first (absent = unlimited). */
  tpsLimiter?: { take(signal?: AbortSignal): Promise<void> };
  /** `--temp-dir` for spool files @default os.tmpdir() */
  tempDir?: string;
  /** `--dump` flags (`headers`, `bodies`, `auth`, …) for HTTP backends; secrets are redacted unless `auth` is given. */
  dump?: readonly string[];
  /** `--timeout` idle timeout of HTTP connections in ms. @default 300000 */
  timeoutMs?: number;
  /** `--contimeout` connect timeout in ms. @default 60000 */
  connectTimeoutMs?: number;
}

/**
 * A remote's persisted config section shared between processes (rclone's config file). Backends keep state such as
 * OAuth tokens here; every change happens under a cross-process lock on the config file.
 */
export interface PersistentState {
  /**
   * Takes the config file's lock, re-reads the section from disk and calls `fn` with it; the values `fn` returns are
   * written (atomically, file mode kept or 0600) before the lock is released. `undefined` = no change.
   */
  update(fn: (current: Readonly<Record<string, string>>) => Promise<Record<string, string> | undefined>): Promise<void>;
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
  /** Locked read-modify-write of the remote's config section (token rotation across processes); absent for on-the-fly remotes. */
  persistentState?: PersistentState;
  /** Where the backend logs. */
  logger: Logger;
  /** Global settings. */
  global: GlobalOptions;
  signal?: AbortSignal;
}

/** One question of a backend's configuration dialogue (rclone `fs.ConfigOut` option). */
export interface ConfigQuestion {
  /** Answer key (`config_type`, `device`, …), shown as rclone shows option names. */
  name: string;
  /** Help text; the first line is the question. */
  help: string;
  default?: string;
  /** Menu entries; with `exclusive` only these are accepted. */
  examples?: readonly OptionExample[];
  exclusive?: boolean;
  /** Input is a secret (not echoed). */
  sensitive?: boolean;
}

/** How a backend asks the user during `jsync config` (implemented by the CLI over the terminal). */
export interface ConfigPrompter {
  /** Asks one question; returns the answer (the default when the user just presses Enter). */
  ask(q: ConfigQuestion): Promise<string>;
  /** Yes/no question. */
  confirm(q: { name: string; help: string; default: boolean }): Promise<boolean>;
  /** Shows a message (e.g. a URL to open in a browser). */
  info(text: string): void;
}

/** Arguments of a backend's `configure` (rclone's backend `Config` function). */
export interface BackendConfigArgs {
  /** Remote name (config section). */
  name: string;
  /** The section as stored now, plus `config_*` answers given on the command line (never stored). */
  values: Readonly<Record<string, string>>;
  /** Present in interactive mode; without it the backend uses `values` or fails naming the missing `config_*` key. */
  prompter?: ConfigPrompter;
  /** Set by `config reconnect`: obtain new credentials for an existing remote, keep its other settings. */
  reconnect?: boolean;
  logger: Logger;
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
  /** Runs the post-edit configuration (auth, device choice); returns keys to store (`""` stores an empty value). */
  configure?(args: BackendConfigArgs): Promise<Record<string, string>>;
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
