// Per-invocation state shared by commands: io, registry, parsed globals, logger, config, Fs creation, error count.

import {
  ConfigFile, type CreatedFs, type GlobalOptions, type LogLevel, LOG_LEVELS, type Registry, createFs, invalidArgument,
  parseRemotePath, resolveConfigPath,
} from '@jsync/core';
import { isAbsolute, resolve } from 'node:path';
import type { CliIo } from './io.js';
import type { GlobalFlags } from './flags/global-flags.js';
import { CliLogger } from './output/log.js';

/** An error whose message is printed as the final line verbatim (rclone's log.Fatalf paths). */
export class CliFatalError extends Error {
  readonly exitCode: number;
  constructor(message: string, opts: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'CliFatalError';
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** An Fs opened for a command, plus the single file it names when the path was a file. */
export interface OpenedFs extends CreatedFs {
  /** Leaf name when the user's path named a file (the Fs is rooted at its parent). */
  file?: string;
}

/** Everything a command needs; created once per invocation. */
export class CliContext {
  readonly io: CliIo;
  readonly registry: Registry;
  globals!: GlobalFlags;
  backendFlags: Record<string, string> = {};
  logger: CliLogger;
  /** Errors counted during the command (rclone accounting.GlobalStats().Errors). */
  errorCount = 0;
  /** Last counted error. */
  lastError: unknown;
  private configPromise: Promise<ConfigFile> | undefined;

  /** The command line as given (without the program name). */
  readonly argv: readonly string[];

  constructor(opts: { io: CliIo; registry: Registry; argv?: readonly string[] }) {
    this.io = opts.io;
    this.argv = opts.argv ?? [];
    this.registry = opts.registry;
    this.logger = new CliLogger({ stderr: opts.io.stderr });
  }

  /** Called once flags are parsed: sets up logging. Throws on conflicting flags. */
  init(globals: GlobalFlags, backendFlags: Record<string, string>): void {
    this.globals = globals;
    this.backendFlags = backendFlags;
    if ((globals.verbose > 0 || globals.logLevel) && globals.quiet) throw invalidArgument("can't set -v and -q");
    if (globals.verbose > 0 && globals.logLevel) throw invalidArgument("can't set -v and --log-level");
    let level: LogLevel = 'NOTICE';
    if (globals.logLevel) {
      const want = globals.logLevel.toUpperCase() as LogLevel;
      if (!LOG_LEVELS.includes(want)) throw invalidArgument(`unknown log level ${JSON.stringify(globals.logLevel)}`);
      level = want;
    } else if (globals.verbose >= 2) level = 'DEBUG';
    else if (globals.verbose === 1) level = 'INFO';
    else if (globals.quiet) level = 'ERROR';
    this.logger = new CliLogger({ stderr: this.io.stderr, level, logFile: globals.logFile, json: globals.useJsonLog });
  }

  /** Settings passed to backends. */
  globalOptions(): GlobalOptions {
    return {
      caCert: this.globals.caCert,
      noCheckCertificate: this.globals.noCheckCertificate,
      disable: this.globals.disable,
      userAgent: this.globals.userAgent,
      lowLevelRetries: this.globals.lowLevelRetries,
    };
  }

  /** The config file (loaded once): --config > JSYNC_CONFIG > RCLONE_CONFIG > defaults. */
  config(): Promise<ConfigFile> {
    this.configPromise ??= (async () => {
      const where = this.configPath();
      const cfg = await ConfigFile.load({ path: where.path });
      if (where.path !== undefined && !where.exists) {
        this.logger.log('NOTICE', undefined, `Config file ${JSON.stringify(where.path)} not found - using defaults`);
      }
      return cfg;
    })();
    return this.configPromise;
  }

  /** Where the config lives: --config > JSYNC_CONFIG > RCLONE_CONFIG > XDG/home defaults (relative to io.cwd). */
  configPath(): ReturnType<typeof resolveConfigPath> {
    return resolveConfigPath({
      flag: this.globals?.config, env: this.io.env, homeDir: this.io.homeDir, cwd: this.io.cwd,
      xdgConfigHome: this.io.env['XDG_CONFIG_HOME'] || undefined,
    });
  }

  /** Creates the Fs for `path`; failures end the command with rclone's `Failed to create file system for` line. */
  async newFs(path: string): Promise<OpenedFs> {
    const config = await this.config();
    let created: CreatedFs;
    try {
      created = await createFs({
        registry: this.registry, config, path: this.absoluteLocal(path), flags: this.backendFlags, env: this.io.env,
        logger: this.logger, global: this.globalOptions(),
      });
    } catch (err) {
      throw new CliFatalError(`Failed to create file system for ${JSON.stringify(path)}: ${(err as Error).message}`, { cause: err });
    }
    if (!created.isFile) return created;
    const slash = created.parsed.path.replace(/\/+$/, '').lastIndexOf('/');
    const file = created.parsed.path.replace(/\/+$/, '').slice(slash + 1);
    return { ...created, file };
  }

  // Local paths are relative to io.cwd (not the process's cwd), so in-process runs behave like spawned ones.
  private absoluteLocal(path: string): string {
    try {
      const parsed = parseRemotePath(path);
      if (parsed.kind === 'local' && !isAbsolute(parsed.path)) return resolve(this.io.cwd, parsed.path);
    } catch {
      // createFs reports the parse error with rclone's message
    }
    return path;
  }

  /** Counts an error once (rclone Stats.Error) and remembers it as the last one. */
  countError(err: unknown): void {
    this.errorCount++;
    this.lastError = err;
  }
}
