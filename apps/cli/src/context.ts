// Per-invocation state shared by commands: io, registry, parsed globals, logger, config, Fs creation, error count.

import {
  BandwidthLimiter, ConfigFile, type CreatedFs, Filter, type FilterOptions, type GlobalOptions, type LogLevel, LOG_LEVELS,
  type Registry, Stats, TpsLimiter, type TransferOptions, createFs, invalidArgument, parseRemotePath, resolveConfigPath,
  resolveTransferOptions,
} from '@jsync/core';
import { setMaxListeners } from 'node:events';
import { isAbsolute, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliIo } from './io.js';
import type { GlobalFlags } from './flags/global-flags.js';
import { buildFilter, filterFlagsReadStdin, readStdinSync } from './flags/filter-flags.js';
import { deleteModeConflict, transferFlagOptions } from './flags/transfer-flags.js';
import { CliLogger } from './output/log.js';
import { tempDir } from './paths.js';
import { ExitCode, isTerminalError } from './exit-codes.js';
import { JSYNC_VERSION } from './version.js';

/** An error whose message is printed as the final line verbatim (rclone's log.Fatalf paths). */
export class CliFatalError extends Error {
  readonly exitCode: number;
  constructor(message: string, opts: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: opts.cause });
    this.name = 'CliFatalError';
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** Stdin as rule files see it: the whole text for the first `-`, nothing for later ones (it was consumed). */
function readOnce(text: string): () => string {
  let consumed = false;
  return () => {
    const t = consumed ? '' : text;
    consumed = true;
    return t;
  };
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
  /** Active filters (rclone's filter.Active), built once from the filter flags. */
  filter: Filter = new Filter();
  /** The options {@link CliContext.filter} was built from (single-file sources extend them). */
  filterOptions: FilterOptions = {};
  /** The command being run (set by main before its action). */
  command: Command | undefined;
  /** Set when an `-i` question was answered `q`: the command stops and jsync exits 0 (rclone os.Exit(0)). */
  quitRequested = false;
  /** A fatal failure outside the engine's accounting (end of stdin at an `-i` question), rethrown by the run. */
  fatal: CliFatalError | undefined;
  /** Cancels engine runs (interactive quit, fatal prompt failures). */
  readonly abort = new AbortController();
  /** `--tpslimit` (one per invocation, like rclone's global limiter). */
  tpsLimiter: TpsLimiter | undefined;
  private statsInstance: Stats | undefined;
  private cmdError: unknown;
  private filterPending = false;
  private configPromise: Promise<ConfigFile> | undefined;

  /** The command line as given (without the program name). */
  readonly argv: readonly string[];

  constructor(opts: { io: CliIo; registry: Registry; argv?: readonly string[] }) {
    this.io = opts.io;
    this.argv = opts.argv ?? [];
    this.registry = opts.registry;
    this.logger = new CliLogger({ stderr: opts.io.stderr });
    // Every open stream of every checker/transfer listens on this one signal: no listener cap (Node warns at 11).
    setMaxListeners(0, this.abort.signal);
  }

  /** Called once flags are parsed: sets up logging, stats and filters. Throws on conflicting flags. */
  init(flags: GlobalFlags, backendFlags: Record<string, string>): void {
    let globals = flags;
    if (globals.dump.length > 0 && globals.verbose < 2 && globals.logLevel !== 'DEBUG') {
      this.logger.log('NOTICE', undefined, 'Automatically setting -vv as --dump is enabled');
      globals = { ...globals, verbose: 2 };
    }
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
    // Credentials are masked in every log line unless `--dump auth` asks to see them.
    this.logger = new CliLogger({ stderr: this.io.stderr, level, logFile: globals.logFile, json: globals.useJsonLog, redact: !globals.dump.includes('auth') });
    const conflict = deleteModeConflict(globals.transfer);
    if (conflict) throw new CliFatalError(conflict);
    const bwLimit = globals.bwlimit.length > 0 ? new BandwidthLimiter({ timetable: globals.bwlimit, logger: this.logger }) : undefined;
    this.statsInstance = new Stats({
      ...(bwLimit ? { bwLimit } : {}), bwLimitFile: globals.bwlimitFile, logger: this.logger, signal: this.abort.signal,
      maxTransfer: globals.transfer.cutoffMode === 'HARD' ? globals.transfer.maxTransfer : -1,
    });
    if (globals.tpslimit > 0) this.tpsLimiter = new TpsLimiter({ tps: globals.tpslimit, burst: globals.tpslimitBurst, logger: this.logger });
    // Filters load now unless a rule file is stdin and stdin cannot be read synchronously (in-process io).
    const stdin = filterFlagsReadStdin(globals.filter) ? readStdinSync(this.io) : '';
    if (stdin === undefined) this.filterPending = true;
    else this.setFilter(readOnce(stdin));
    if (!/^(bits|bytes)$/.test(globals.statsUnit)) {
      this.logger.log('ERROR', undefined, 'Invalid unit passed to --stats-unit. Defaulting to bytes.');
      this.globals = { ...this.globals, statsUnit: 'bytes' };
    }
  }

  /** The filters, once any rule file read from stdin is in (commands that use filters await this first). */
  async loadFilter(): Promise<Filter> {
    if (!this.filterPending) return this.filter;
    this.filterPending = false;
    const chunks: Buffer[] = [];
    for await (const c of this.io.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : Buffer.from(c));
    this.setFilter(readOnce(Buffer.concat(chunks).toString('utf8')));
    return this.filter;
  }

  // rclone filterflags.Reload: a bad rule or unreadable file is fatal; `--dump filters` prints the rules to stdout.
  private setFilter(stdin: () => string): void {
    try {
      const built = buildFilter(this.globals.filter, { cwd: this.io.cwd, stdin }, { maxDepth: this.globals.maxDepth, logger: this.logger });
      this.filter = built.filter;
      this.filterOptions = built.options;
    } catch (err) {
      const msg = (err as Error).message;
      // rclone log.Fatal's the age check itself, without the Reload wrapper's prefix.
      throw new CliFatalError(msg.startsWith('filter: ') ? msg : `Failed to load filters: ${msg}`, { cause: err });
    }
    if (this.globals.dump.includes('filters')) {
      this.io.stdout.write(`--- start filters ---\n${this.filter.dumpRules()}\n--- end filters ---\n`);
    }
  }

  /** Accounting for this invocation (rclone's GlobalStats). */
  get stats(): Stats {
    this.statsInstance ??= new Stats({ logger: this.logger });
    return this.statsInstance;
  }

  /** Errors counted during the command (rclone accounting.GlobalStats().GetErrors()). */
  get errorCount(): number {
    return this.statsInstance?.errors ?? 0;
  }

  /** The error the final `Failed to …` line names: the command's own error, else the last counted one. */
  get lastError(): unknown {
    return this.cmdError ?? this.statsInstance?.lastError;
  }

  set lastError(err: unknown) {
    this.cmdError = err;
  }

  /** The TransferOptions of this invocation's flags, with command-specific overrides (`backupDir` is opened by the run). */
  transferOptions(extra: Partial<TransferOptions> = {}): TransferOptions {
    const g = this.globals;
    return resolveTransferOptions({
      ...transferFlagOptions(g.transfer),
      dryRun: g.dryRun, fastList: g.fastList, maxDepth: g.maxDepth, deleteExcluded: g.filter.deleteExcluded,
      // rclone SetFlags: these are at least 1.
      checkers: Math.max(1, g.checkers), transfers: Math.max(1, g.transfers), lowLevelRetries: Math.max(1, g.lowLevelRetries),
      errorOnNoTransfer: g.errorOnNoTransfer,
      ...extra,
    });
  }

  /**
   * The exit code of a run without errors: 9 when `--error-on-no-transfer` is set and nothing was transferred (for
   * every command rclone runs through cmd.Run, so not `version`, `listremotes` or `config`), 0 after an `-i` quit.
   */
  successExitCode(): number {
    if (this.quitRequested || !this.globals?.errorOnNoTransfer) return 0;
    let top = this.command;
    while (top?.parent?.parent) top = top.parent;
    if (top && ['version', 'listremotes', 'config'].includes(top.name())) return 0;
    return (this.statsInstance?.transfers ?? 0) === 0 ? 9 : 0;
  }

  /** Settings passed to backends (HTTP, TLS, spooling, `--dump`, the invocation's `--tpslimit`). */
  globalOptions(): GlobalOptions {
    const g = this.globals;
    return {
      caCert: g.caCert,
      noCheckCertificate: g.noCheckCertificate,
      disable: g.disable,
      userAgent: g.userAgent ?? `jsync/v${JSYNC_VERSION}`,
      lowLevelRetries: Math.max(1, g.lowLevelRetries),
      ...(this.tpsLimiter ? { tpsLimiter: this.tpsLimiter } : {}),
      tempDir: this.tempDir(),
      dump: g.dump,
      timeoutMs: g.timeoutMs,
      connectTimeoutMs: g.connectTimeoutMs,
    };
  }

  /** `--temp-dir`, else Go's os.TempDir for this invocation's environment. */
  tempDir(): string {
    return this.globals?.tempDir ?? tempDir(this.io.env);
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
      // Credentials or quota problems keep their fatal exit code (7); other failures exit 1 like rclone's log.Fatalf.
      const exitCode = isTerminalError(err) ? ExitCode.FATAL_ERROR : 1;
      throw new CliFatalError(`Failed to create file system for ${JSON.stringify(path)}: ${(err as Error).message}`, { cause: err, exitCode });
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

  /**
   * Counts an error in the stats and makes it the last one, every time it is called (the listing commands count a
   * failure where it happens and again when it ends the command, as rclone does there). The engine and the run
   * helpers use `stats.error`, which counts an error object only once.
   */
  countError(err: unknown): void {
    const stats = this.stats;
    if (!stats.isCounted(err)) return stats.error(err);
    stats.error(new Error(err instanceof Error ? err.message : String(err), { cause: err }));
  }
}
