// Filter flags (rclone fs/filter/filterflags): parsing, reading rule files (`-` = stdin) and building core's Filter.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { Filter, type FilterOptions, type Logger, decodeUtf8Escaped, splitLines } from '@jsync/core';
import type { CliIo } from '../io.js';
import { collectOne, fsDurationFlag, sizeFlag } from './flag-values.js';
import { goPathError } from './os-error.js';

/** The parsed filter flags (rule files still as paths). */
export interface FilterFlags {
  include: string[];
  exclude: string[];
  filter: string[];
  filterFrom: string[];
  includeFrom: string[];
  excludeFrom: string[];
  filesFrom: string[];
  filesFromRaw: string[];
  excludeIfPresent: string[];
  /** Bytes, −1 = off. */
  minSize: number;
  maxSize: number;
  /** Milliseconds, Infinity = off. */
  minAgeMs: number;
  maxAgeMs: number;
  ignoreCase: boolean;
  deleteExcluded: boolean;
}

/** Adds the filter flags to `program`. */
export function addFilterFlags(program: Command): void {
  const list = (flags: string, help: string) => new Option(flags, help).argParser(collectOne).default([]);
  program
    .addOption(new Option('--delete-excluded', 'Delete files on dest excluded from sync'))
    .addOption(new Option('--no-delete-excluded').hideHelp())
    .addOption(list('-f, --filter <rule>', 'Add a file-filtering rule'))
    .addOption(list('--filter-from <file>', 'Read filtering patterns from a file (use - to read from stdin)'))
    .addOption(list('--exclude <glob>', 'Exclude files matching pattern'))
    .addOption(list('--exclude-from <file>', 'Read exclude patterns from file (use - to read from stdin)'))
    .addOption(list('--exclude-if-present <name>', 'Exclude directories if filename is present'))
    .addOption(list('--include <glob>', 'Include files matching pattern'))
    .addOption(list('--include-from <file>', 'Read include patterns from file (use - to read from stdin)'))
    .addOption(list('--files-from <file>', 'Read list of source-file names from file (use - to read from stdin)'))
    .addOption(list('--files-from-raw <file>', 'Read list of source-file names from file without any processing of lines (use - to read from stdin)'))
    .addOption(new Option('--min-age <duration>', 'Only transfer files older than this in s or suffix ms|s|m|h|d|w|M|y').argParser(fsDurationFlag('min-age')).default(Infinity, 'off'))
    .addOption(new Option('--max-age <duration>', 'Only transfer files younger than this in s or suffix ms|s|m|h|d|w|M|y').argParser(fsDurationFlag('max-age')).default(Infinity, 'off'))
    .addOption(new Option('--min-size <size>', 'Only transfer files bigger than this in KiB or suffix B|K|M|G|T|P').argParser(sizeFlag('min-size')).default(-1, 'off'))
    .addOption(new Option('--max-size <size>', 'Only transfer files smaller than this in KiB or suffix B|K|M|G|T|P').argParser(sizeFlag('max-size')).default(-1, 'off'))
    .addOption(new Option('--ignore-case', 'Ignore case in filters (case insensitive)'))
    .addOption(new Option('--no-ignore-case').hideHelp());
}

/** Reads the filter flags from the program's parsed options. */
export function readFilterFlags(o: Record<string, unknown>): FilterFlags {
  const arr = (k: string) => (o[k] as string[] | undefined) ?? [];
  return {
    include: arr('include'), exclude: arr('exclude'), filter: arr('filter'), filterFrom: arr('filterFrom'),
    includeFrom: arr('includeFrom'), excludeFrom: arr('excludeFrom'), filesFrom: arr('filesFrom'),
    filesFromRaw: arr('filesFromRaw'), excludeIfPresent: arr('excludeIfPresent'),
    minSize: (o['minSize'] as number | undefined) ?? -1, maxSize: (o['maxSize'] as number | undefined) ?? -1,
    minAgeMs: (o['minAge'] as number | undefined) ?? Infinity, maxAgeMs: (o['maxAge'] as number | undefined) ?? Infinity,
    ignoreCase: o['ignoreCase'] === true, deleteExcluded: o['deleteExcluded'] === true,
  };
}

/** True when one of the rule/list files is `-` (stdin). */
export function filterFlagsReadStdin(flags: FilterFlags): boolean {
  return [flags.filterFrom, flags.includeFrom, flags.excludeFrom, flags.filesFrom, flags.filesFromRaw].some((l) => l.includes('-'));
}

/** How rule files are read: `-` is stdin (already read as text), other names are paths relative to `cwd`. */
export interface RuleFileReader {
  cwd: string;
  /** The whole of stdin, when a file is `-`. */
  stdin?: () => string;
}

/** Reads one rule file; failures carry Go's `open <name>: <reason>` text. */
function readRuleFile(name: string, reader: RuleFileReader): string {
  if (name === '-') return reader.stdin?.() ?? '';
  try {
    return decodeUtf8Escaped(readFileSync(resolve(reader.cwd, name)));
  } catch (err) {
    throw new Error(goPathError(err as NodeJS.ErrnoException, name, 'open'), { cause: err });
  }
}

/** The FilterOptions for these flags, reading every rule file (throws Go's open error text on failure). */
export function filterOptionsFromFlags(flags: FilterFlags, reader: RuleFileReader, extra: { maxDepth?: number; logger?: Logger } = {}): FilterOptions {
  const files = (names: string[]) => names.map((name) => ({ name, text: readRuleFile(name, reader) }));
  const lines = (names: string[]) => names.flatMap((name) => splitLines(readRuleFile(name, reader)));
  return {
    include: flags.include, exclude: flags.exclude, filter: flags.filter,
    filterFrom: files(flags.filterFrom), includeFrom: files(flags.includeFrom), excludeFrom: files(flags.excludeFrom),
    ...(flags.filesFrom.length > 0 ? { filesFrom: lines(flags.filesFrom) } : {}),
    ...(flags.filesFromRaw.length > 0 ? { filesFromRaw: lines(flags.filesFromRaw) } : {}),
    excludeIfPresent: flags.excludeIfPresent, minSize: flags.minSize, maxSize: flags.maxSize,
    ...(flags.minAgeMs !== Infinity ? { minAgeMs: flags.minAgeMs } : {}),
    ...(flags.maxAgeMs !== Infinity ? { maxAgeMs: flags.maxAgeMs } : {}),
    ignoreCase: flags.ignoreCase, deleteExcluded: flags.deleteExcluded,
    ...(extra.maxDepth !== undefined ? { maxDepth: extra.maxDepth } : {}),
    ...(extra.logger ? { logger: extra.logger } : {}),
  };
}

/** Builds core's Filter from the flags (rclone filterflags.Reload); throws with rclone's reason on bad rules. */
export function buildFilter(flags: FilterFlags, reader: RuleFileReader, extra: { maxDepth?: number; logger?: Logger } = {}): { filter: Filter; options: FilterOptions } {
  const options = filterOptionsFromFlags(flags, reader, extra);
  return { filter: new Filter(options), options };
}

/** The whole of the real stdin, read synchronously (rclone reads rule files at start-up); undefined when impossible. */
export function readStdinSync(io: CliIo): string | undefined {
  if ((io.stdin as { fd?: unknown }).fd !== 0) return undefined;
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return undefined; // a non-blocking pipe (EAGAIN): read it asynchronously in loadFilter
  }
}
