// Global flags shared by every command (rclone's fs/config/configflags), with JSYNC_/RCLONE_ env fallbacks.

import { type Command, Option } from 'commander';
import { invalidArgument } from '@jsync/core';
import { addBoolFlag, collectOne, goDurationFlag, parseIntFlag } from './flag-values.js';
import { type FilterFlags, addFilterFlags, readFilterFlags } from './filter-flags.js';
import { type RunFlags, addRunFlags, readRunFlags } from './run-flags.js';
import { type TransferFlags, addTransferFlags, readTransferFlags } from './transfer-flags.js';

export { parseIntFlag } from './flag-values.js';

/** Parsed global flags (the run flags — retries, dry-run, stats … — are members too). */
export interface GlobalFlags extends RunFlags {
  verbose: number;
  quiet: boolean;
  logLevel?: string;
  logFile?: string;
  useJsonLog: boolean;
  config?: string;
  maxDepth: number;
  caCert: string[];
  noCheckCertificate: boolean;
  humanReadable: boolean;
  fastList: boolean;
  checkers: number;
  transfers: number;
  disable: string[];
  userAgent?: string;
  lowLevelRetries: number;
  /** `--temp-dir` (undefined = the system temp dir). */
  tempDir?: string;
  /** `--timeout` IO idle timeout in ms. @default 300000 */
  timeoutMs: number;
  /** `--contimeout` connect timeout in ms. @default 60000 */
  connectTimeoutMs: number;
  /** Transfer-decision and sync/delete flags. */
  transfer: TransferFlags;
  /** Filter flags. */
  filter: FilterFlags;
}

const increase = (_v: string, prev: number): number => prev + 1;
const collect = (v: string, prev: string[]): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

/** Adds the global flags to `program` (including the run, transfer and filter groups). */
export function addGlobalFlags(program: Command): void {
  program.addOption(new Option('-v, --verbose', 'Print lots more stuff (repeat for more)').argParser(increase).default(0));
  addBoolFlag(program, 'quiet', 'q', 'Print as little stuff as possible');
  addBoolFlag(program, 'use-json-log', '', 'Use json log format');
  addBoolFlag(program, 'human-readable', '', 'Print numbers in a human-readable format, sizes with suffix Ki|Mi|Gi|Ti|Pi');
  addBoolFlag(program, 'fast-list', '', 'Use recursive list if available; uses more memory but fewer transactions');
  addBoolFlag(program, 'no-check-certificate', '', 'Do not verify the server SSL certificate (insecure)');
  program
    .addOption(new Option('--log-level <level>', 'Log level DEBUG|INFO|NOTICE|ERROR'))
    .addOption(new Option('--log-file <file>', 'Log everything to this file'))
    .addOption(new Option('--config <path>', 'Config file'))
    .addOption(new Option('--max-depth <int>', 'If set limits the recursion depth to this').argParser(parseIntFlag('max-depth')).default(-1))
    .addOption(new Option('--ca-cert <path>', 'CA certificate used to verify servers (repeatable)').argParser(collectOne).default([]))
    .addOption(new Option('--checkers <int>', 'Number of checkers to run in parallel').argParser(parseIntFlag('checkers')).default(8))
    .addOption(new Option('--transfers <int>', 'Number of file transfers to run in parallel').argParser(parseIntFlag('transfers')).default(4))
    .addOption(new Option('--low-level-retries <int>', 'Number of low level retries to do').argParser(parseIntFlag('low-level-retries')).default(10))
    .addOption(new Option('--disable <features>', 'Disable a comma separated list of features (use --disable help to see a list)').argParser(collect).default([]))
    .addOption(new Option('--user-agent <string>', 'Set the user-agent to a specified string (default "jsync/v<version>")'))
    .addOption(new Option('--temp-dir <string>', 'Directory jsync will use for temporary files (default the system temp dir)'))
    .addOption(new Option('--timeout <duration>', 'IO idle timeout').argParser(goDurationFlag('timeout')).default(300_000, '5m0s'))
    .addOption(new Option('--contimeout <duration>', 'Connect timeout').argParser(goDurationFlag('contimeout')).default(60_000, '1m0s'));
  addRunFlags(program);
  addTransferFlags(program);
  addFilterFlags(program);
}

/** Names (long, without dashes) of global flags that take no value, for `--flag=false` normalisation. */
export const GLOBAL_BOOL_FLAGS = ['quiet', 'use-json-log', 'check-certificate', 'human-readable', 'fast-list'];

/**
 * Applies `JSYNC_<FLAG>` / `RCLONE_<FLAG>` env values to flags not given on the command line (rclone: every global
 * flag can be set from the environment; the command line wins).
 */
export function applyEnvToGlobals(program: Command, env: Record<string, string | undefined>): void {
  for (const opt of program.options) {
    const long = opt.long?.replace(/^--/, '');
    // Hidden options are `--X=false` targets (or hidden backend flags); the visible flag carries the env name.
    if (!long || opt.hidden) continue;
    const key = opt.attributeName();
    if (program.getOptionValueSource(key) === 'cli') continue;
    const envName = long.toUpperCase().replaceAll('-', '_');
    const value = env[`JSYNC_${envName}`] ?? env[`RCLONE_${envName}`];
    if (value === undefined) continue;
    if (opt.negate) {
      program.setOptionValueWithSource(key, !parseBool(value, long), 'env');
    } else if (opt.isBoolean()) {
      program.setOptionValueWithSource(key, parseBool(value, long), 'env');
    } else if (opt.parseArg) {
      program.setOptionValueWithSource(key, opt.parseArg(value, opt.defaultValue as never), 'env');
    } else {
      program.setOptionValueWithSource(key, value, 'env');
    }
  }
}

/** Go strconv.ParseBool. */
export function parseBool(v: string, what: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw invalidArgument(`invalid boolean value ${JSON.stringify(v)} for ${what}`);
}

/** Reads the parsed global flags from `program`. */
export function readGlobalFlags(program: Command): GlobalFlags {
  const o = program.opts();
  return {
    verbose: o['verbose'] ?? 0,
    quiet: o['quiet'] === true,
    logLevel: o['logLevel'],
    logFile: o['logFile'],
    useJsonLog: o['useJsonLog'] === true,
    config: o['config'],
    maxDepth: o['maxDepth'] ?? -1,
    caCert: o['caCert'] ?? [],
    noCheckCertificate: o['checkCertificate'] === false,
    humanReadable: o['humanReadable'] === true,
    fastList: o['fastList'] === true,
    checkers: o['checkers'] ?? 8,
    transfers: o['transfers'] ?? 4,
    disable: o['disable'] ?? [],
    userAgent: o['userAgent'],
    lowLevelRetries: o['lowLevelRetries'] ?? 10,
    tempDir: o['tempDir'] || undefined,
    timeoutMs: o['timeout'] ?? 300_000,
    connectTimeoutMs: o['contimeout'] ?? 60_000,
    ...readRunFlags(o, program.getOptionValueSource('stats')),
    transfer: readTransferFlags(o),
    filter: readFilterFlags(o),
  };
}
