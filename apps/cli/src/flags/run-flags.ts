// Global flags about how a command runs: retries, dry-run/interactive, stats and progress, rate limits, exit codes.

import { type Command, Option } from 'commander';
import { type BwTimetable, DEFAULT_ONE_LINE_DATE_FORMAT, type LogLevel } from '@jsync/core';
import { addBoolFlag, bwLimitFlag, dumpFlag, floatFlag, goDurationFlag, logLevelFlag, parseIntFlag } from './flag-values.js';

/** The parsed run flags. */
export interface RunFlags {
  /** `--retries`: whole-command attempts. @default 3 */
  retries: number;
  /** `--retries-sleep` in ms. @default 0 */
  retriesSleepMs: number;
  /** `-n/--dry-run`. */
  dryRun: boolean;
  /** `-i/--interactive`. */
  interactive: boolean;
  /** `--stats` interval in ms (0 = no periodic stats). @default 60000 */
  statsIntervalMs: number;
  /** True when `--stats` was given on the command line (rclone ShowStats: stats also for non-transfer commands). */
  statsSet: boolean;
  /** `--stats-log-level`, already lowered to NOTICE for dry-run/interactive as rclone does. @default 'INFO' */
  statsLogLevel: LogLevel;
  statsOneLine: boolean;
  statsOneLineDate: boolean;
  /** Go time layout prefix for `--stats-one-line-date` (`2006/01/02 15:04:05 - ` unless given). */
  statsOneLineDateFormat: string;
  /** `--stats-unit` as given (`bytes`/`bits`; anything else falls back to bytes with an ERROR). */
  statsUnit: string;
  /** `--stats-file-name-length`. @default 45 */
  statsFileNameLength: number;
  /** `-P/--progress`. */
  progress: boolean;
  /** `--bwlimit` timetable (empty = unlimited). */
  bwlimit: BwTimetable;
  /** `--bwlimit-file` timetable (empty = unlimited). */
  bwlimitFile: BwTimetable;
  /** `--tpslimit` transactions per second (0 = off). */
  tpslimit: number;
  /** `--tpslimit-burst`. @default 1 */
  tpslimitBurst: number;
  /** `--error-on-no-transfer`: exit 9 when nothing was transferred. */
  errorOnNoTransfer: boolean;
  /** `--dump` items (`filters` prints the filter rules). */
  dump: string[];
}

/** Adds the run flags to `program`. */
export function addRunFlags(program: Command): void {
  addBoolFlag(program, 'dry-run', 'n', 'Do a trial run with no permanent changes');
  addBoolFlag(program, 'interactive', 'i', 'Enable interactive mode');
  addBoolFlag(program, 'stats-one-line', '', 'Make the stats fit on one line');
  addBoolFlag(program, 'stats-one-line-date', '', 'Enable --stats-one-line and add current date/time prefix');
  addBoolFlag(program, 'progress', 'P', 'Show progress during transfer');
  addBoolFlag(program, 'error-on-no-transfer', '', 'Sets exit code 9 if no files are transferred, useful in scripts');
  program
    .addOption(new Option('--retries <int>', 'Retry operations this many times if they fail').argParser(parseIntFlag('retries')).default(3))
    .addOption(new Option('--retries-sleep <duration>', 'Interval between retrying operations if they fail, e.g. 500ms, 60s, 5m (0 to disable)').argParser(goDurationFlag('retries-sleep')).default(0, '0s'))
    .addOption(new Option('--stats <duration>', 'Interval between printing stats, e.g. 500ms, 60s, 5m (0 to disable)').argParser(goDurationFlag('stats')).default(60000, '1m0s'))
    .addOption(new Option('--stats-log-level <level>', 'Log level to show --stats output DEBUG|INFO|NOTICE|ERROR').argParser(logLevelFlag('stats-log-level')).default('INFO'))
    .addOption(new Option('--stats-one-line-date-format <format>', 'Enable --stats-one-line-date and use custom formatted date: Enclose date string in double quotes ("), see https://golang.org/pkg/time/#Time.Format').default(''))
    .addOption(new Option('--stats-unit <unit>', "Show data rate in stats as either 'bits' or 'bytes' per second").default('bytes'))
    .addOption(new Option('--stats-file-name-length <int>', 'Max file name length in stats (0 for no limit)').argParser(parseIntFlag('stats-file-name-length')).default(45))
    .addOption(new Option('--bwlimit <rate>', 'Bandwidth limit in KiB/s, or use suffix B|K|M|G|T|P or a full timetable').argParser(bwLimitFlag('bwlimit')).default([], 'off'))
    .addOption(new Option('--bwlimit-file <rate>', 'Bandwidth limit per file in KiB/s, or use suffix B|K|M|G|T|P or a full timetable').argParser(bwLimitFlag('bwlimit-file')).default([], 'off'))
    .addOption(new Option('--tpslimit <float>', 'Limit HTTP transactions per second to this').argParser(floatFlag('tpslimit')).default(0))
    .addOption(new Option('--tpslimit-burst <int>', 'Max burst of transactions for --tpslimit').argParser(parseIntFlag('tpslimit-burst')).default(1))
    .addOption(new Option('--dump <items>', 'List of items to dump from: headers,bodies,requests,responses,auth,filters,goroutines,openfiles').argParser(dumpFlag).default([]));
}

/** Reads the run flags from the parsed options (`statsSet` from where `--stats` came from). */
export function readRunFlags(o: Record<string, unknown>, statsSource: string | undefined): RunFlags {
  const dryRun = o['dryRun'] === true;
  const interactive = o['interactive'] === true;
  let statsLogLevel = (o['statsLogLevel'] as LogLevel | undefined) ?? 'INFO';
  // rclone SetFlags: dry-run and interactive runs show their stats at NOTICE at least.
  if ((dryRun || interactive) && (statsLogLevel === 'INFO' || statsLogLevel === 'DEBUG')) statsLogLevel = 'NOTICE';
  const dateFormat = (o['statsOneLineDateFormat'] as string | undefined) ?? '';
  const oneLineDate = dateFormat !== '' || o['statsOneLineDate'] === true;
  return {
    retries: (o['retries'] as number | undefined) ?? 3,
    retriesSleepMs: (o['retriesSleep'] as number | undefined) ?? 0,
    dryRun, interactive,
    statsIntervalMs: (o['stats'] as number | undefined) ?? 60000,
    statsSet: statsSource === 'cli',
    statsLogLevel,
    statsOneLine: oneLineDate || o['statsOneLine'] === true,
    statsOneLineDate: oneLineDate,
    statsOneLineDateFormat: dateFormat !== '' ? dateFormat : oneLineDate ? DEFAULT_ONE_LINE_DATE_FORMAT : '',
    statsUnit: (o['statsUnit'] as string | undefined) ?? 'bytes',
    statsFileNameLength: (o['statsFileNameLength'] as number | undefined) ?? 45,
    progress: o['progress'] === true,
    bwlimit: (o['bwlimit'] as BwTimetable | undefined) ?? [],
    bwlimitFile: (o['bwlimitFile'] as BwTimetable | undefined) ?? [],
    tpslimit: (o['tpslimit'] as number | undefined) ?? 0,
    tpslimitBurst: (o['tpslimitBurst'] as number | undefined) ?? 1,
    errorOnNoTransfer: o['errorOnNoTransfer'] === true,
    dump: (o['dump'] as string[] | undefined) ?? [],
  };
}
