// rclone's Filter (fs/filter): include/exclude rules, files-from lists, size and age limits, exclude-if-present.

import { invalidArgument } from '../fs/errors.js';
import type { ObjectInfo } from '../fs/types.js';
import { Timestamp } from '../modtime/timestamp.js';
import { nullLogger, type Logger } from '../util/logger.js';
import { formatDuration } from '../util/units.js';
import { formatGoTime } from './go-time.js';
import { cookLines, goPathDir, ruleLines, RuleSet, ruleString, type FilterRule } from './rules.js';

/** The already-read text of a rule file (`--filter-from` …); `name` is the path given, `-` for stdin. */
export interface RuleFile {
  name: string;
  text: string;
}

/** Everything that configures a {@link Filter}, mirroring rclone's filter flags. */
export interface FilterOptions {
  /** `--include` globs. */
  include?: readonly string[];
  /** `--exclude` globs. */
  exclude?: readonly string[];
  /** `--filter` rules (`+ glob`, `- glob`, `!`). */
  filter?: readonly string[];
  /** `--filter-from` files (lines are `--filter` rules). */
  filterFrom?: readonly RuleFile[];
  /** `--include-from` files (lines are globs). */
  includeFrom?: readonly RuleFile[];
  /** `--exclude-from` files (lines are globs). */
  excludeFrom?: readonly RuleFile[];
  /** `--files-from` lines (as read; trimmed, comments skipped here). Present, even empty, means "only these". */
  filesFrom?: readonly string[];
  /** `--files-from-raw` lines, used verbatim (only leading/trailing `/` removed). */
  filesFromRaw?: readonly string[];
  /** `--exclude-if-present` file names. */
  excludeIfPresent?: readonly string[];
  /** `--min-size` in bytes; −1 or absent = off. */
  minSize?: number;
  /** `--max-size` in bytes; −1 or absent = off. */
  maxSize?: number;
  /** `--min-age` in ms (absent or Infinity = off): files modified after now−minAge are excluded. */
  minAgeMs?: number;
  /** `--max-age` in ms (absent or Infinity = off): files modified before now−maxAge are excluded. */
  maxAgeMs?: number;
  /** `--ignore-case`: every glob matches case-insensitively. */
  ignoreCase?: boolean;
  /** `--max-depth` (carried for the walker; −1 or absent = unlimited). */
  maxDepth?: number;
  /** `--delete-excluded` (carried for the sync engine). */
  deleteExcluded?: boolean;
  /** "Now" for the age limits. @default Timestamp.now() */
  now?: Timestamp;
  /** Receives rclone's ERROR about mixing --include and --exclude and DEBUG notes about age limits. */
  logger?: Logger;
}

const isSetAge = (ms: number | undefined): ms is number => ms !== undefined && ms !== Number.POSITIVE_INFINITY;
const msToNs = (ms: number): bigint => BigInt(Math.round(ms * 1e6));

/** Decides which files and directories take part in a listing or sync (rclone `filter.Filter`). */
export class Filter {
  /** Files modified before this are excluded (`--max-age`). */
  readonly modTimeFrom: Timestamp | undefined;
  /** Files modified after this are excluded (`--min-age`). */
  readonly modTimeTo: Timestamp | undefined;
  /** `--min-size` in bytes, −1 = off. */
  readonly minSize: number;
  /** `--max-size` in bytes, −1 = off. */
  readonly maxSize: number;
  /** `--exclude-if-present` names. */
  readonly excludeIfPresent: readonly string[];
  /** `--max-depth`, −1 = unlimited. */
  readonly maxDepth: number;
  /** `--delete-excluded`. */
  readonly deleteExcluded: boolean;
  private readonly rules: RuleSet;
  private readonly files: Set<string> | undefined;
  private readonly dirs: Set<string> | undefined;

  /** Builds the filter; throws INVALID_ARGUMENT with rclone's message for bad globs, rules or combinations. */
  constructor(opts: FilterOptions = {}) {
    const logger = opts.logger ?? nullLogger;
    const now = opts.now ?? Timestamp.now();
    this.minSize = opts.minSize ?? -1;
    this.maxSize = opts.maxSize ?? -1;
    this.excludeIfPresent = [...(opts.excludeIfPresent ?? [])];
    this.maxDepth = opts.maxDepth ?? -1;
    this.deleteExcluded = opts.deleteExcluded ?? false;
    if (isSetAge(opts.minAgeMs)) {
      this.modTimeTo = now.add(-msToNs(opts.minAgeMs));
      logger.log('DEBUG', undefined, `--min-age ${formatDuration(opts.minAgeMs)} to ${formatGoTime(this.modTimeTo)}`);
    }
    if (isSetAge(opts.maxAgeMs)) {
      this.modTimeFrom = now.add(-msToNs(opts.maxAgeMs));
      if (this.modTimeTo !== undefined && this.modTimeTo.compare(this.modTimeFrom) < 0) {
        throw invalidArgument("filter: --min-age can't be larger than --max-age");
      }
      logger.log('DEBUG', undefined, `--max-age ${formatDuration(opts.maxAgeMs)} to ${formatGoTime(this.modTimeFrom)}`);
    }

    const rules = new RuleSet(opts.ignoreCase ?? false);
    this.rules = rules;
    const hasIncludes = opts.include !== undefined && opts.include.length > 0 || (opts.includeFrom?.length ?? 0) > 0;
    const hasExcludes = opts.exclude !== undefined && opts.exclude.length > 0 || (opts.excludeFrom?.length ?? 0) > 0;
    for (const glob of opts.include ?? []) rules.add(true, glob);
    for (const file of opts.includeFrom ?? []) for (const line of ruleLines(file.text)) rules.add(true, line);
    for (const glob of opts.exclude ?? []) rules.add(false, glob);
    for (const file of opts.excludeFrom ?? []) for (const line of ruleLines(file.text)) rules.add(false, line);
    if (hasIncludes && hasExcludes) {
      logger.log('ERROR', undefined,
        'Using --filter is recommended instead of both --include and --exclude as the order they are parsed in is indeterminate');
    }
    for (const rule of opts.filter ?? []) rules.addRule(rule);
    for (const file of opts.filterFrom ?? []) for (const line of ruleLines(file.text)) rules.addRule(line);

    const inactiveSoFar = this.inActive();
    if (opts.filesFrom !== undefined || opts.filesFromRaw !== undefined) {
      const other = opts.filesFrom !== undefined ? '--files-from-raw' : '--files-from';
      const flag = opts.filesFrom !== undefined ? '--files-from' : '--files-from-raw';
      if (!inactiveSoFar) {
        throw invalidArgument(`the usage of ${flag} overrides all other filters, it should be used alone or with ${other}`);
      }
      this.files = new Set();
      this.dirs = new Set();
      const lines = [...cookLines(opts.filesFrom ?? []), ...(opts.filesFromRaw ?? [])];
      for (const line of lines) this.addFile(line);
    }
    if (hasIncludes) rules.add(false, '/**');
  }

  private addFile(line: string): void {
    let file = line.replace(/^\/+|\/+$/g, '');
    this.files?.add(file);
    // every parent directory must be entered
    for (;;) {
      file = goPathDir(file);
      if (file === '.' || this.dirs?.has(file)) break;
      this.dirs?.add(file);
    }
  }

  /** True when no filtering at all is configured (rclone `InActive`): listings may skip the checks. */
  inActive(): boolean {
    return this.files === undefined && this.modTimeFrom === undefined && this.modTimeTo === undefined &&
      this.minSize < 0 && this.maxSize < 0 && this.rules.files.rules.length === 0 &&
      this.rules.dirs.rules.length === 0 && this.excludeIfPresent.length === 0;
  }

  /** True when any filtering is configured. */
  isActive(): boolean {
    return !this.inActive();
  }

  /** The `--files-from` paths (relative to the root, no leading/trailing `/`), or undefined when not given. */
  filesFrom(): Set<string> | undefined {
    return this.files === undefined ? undefined : new Set(this.files);
  }

  /** True when `--files-from`/`--files-from-raw` was given (with `--no-traverse` use NewObject per path). */
  haveFilesFrom(): boolean {
    return this.files !== undefined;
  }

  /**
   * Whether a file passes (rclone `Include`): files-from list if given, else age, size and file rules.
   * `size`/`modTime` left undefined skip those checks (rclone `IncludeRemote` when both are absent).
   */
  includeRemote(remote: string, size?: number, modTime?: Timestamp): boolean {
    if (this.files !== undefined) return this.files.has(remote);
    if (modTime !== undefined) {
      if (this.modTimeFrom !== undefined && modTime.compare(this.modTimeFrom) < 0) return false;
      if (this.modTimeTo !== undefined && modTime.compare(this.modTimeTo) > 0) return false;
    }
    if (size !== undefined) {
      if (this.minSize >= 0 && size < this.minSize) return false;
      if (this.maxSize >= 0 && size > this.maxSize) return false;
    }
    return this.rules.files.match(remote) ?? true;
  }

  /** Whether an object passes; its modtime is only read when an age limit is set (rclone `IncludeObject`). */
  includeObject(obj: ObjectInfo): boolean {
    const ageLimited = this.modTimeFrom !== undefined || this.modTimeTo !== undefined;
    return this.includeRemote(obj.remote, obj.size, ageLimited ? obj.modTime() : Timestamp.fromNs(0n));
  }

  /**
   * Whether the walker should list (and report) directory `dir` by the rules alone (rclone `IncludeDirectory`
   * minus the exclude-if-present probe: see {@link Filter.dirContainsExcludeFile}).
   */
  includeDirectory(dir: string): boolean {
    const remote = dir.replace(/^\/+|\/+$/g, '');
    if (this.dirs !== undefined) return this.dirs.has(remote);
    return this.rules.dirs.match(remote + '/') ?? true;
  }

  /** True when one of the `--exclude-if-present` names is an object in `entries` (one directory's listing). */
  listContainsExcludeFile(entries: Iterable<{ readonly remote: string; readonly isDir: boolean }>): boolean {
    if (this.excludeIfPresent.length === 0) return false;
    for (const entry of entries) {
      if (entry.isDir) continue;
      const base = entry.remote.slice(entry.remote.lastIndexOf('/') + 1);
      if (this.excludeIfPresent.includes(base)) return true;
    }
    return false;
  }

  /** Probes `dir/NAME` for each `--exclude-if-present` name with `fileExists` (rclone `DirContainsExcludeFile`). */
  async dirContainsExcludeFile(dir: string, fileExists: (remote: string) => Promise<boolean>): Promise<boolean> {
    const base = dir.replace(/^\/+|\/+$/g, '');
    for (const name of this.excludeIfPresent) {
      if (await fileExists(base === '' ? name : `${base}/${name}`)) return true;
    }
    return false;
  }

  /** True when directory rules may exclude directories, so a recursive ListR cannot replace walking. */
  usesDirectoryFilters(): boolean {
    const first = this.rules.dirs.rules[0];
    if (first === undefined) return false;
    return !(first.include && first.glob.source === '^.*$');
  }

  /** The file rules in order. */
  fileRules(): readonly FilterRule[] {
    return this.rules.files.rules;
  }

  /** The directory rules in order. */
  dirRules(): readonly FilterRule[] {
    return this.rules.dirs.rules;
  }

  /** rclone's `--dump filters` text (between the `--- start/end filters ---` lines), times in the local zone. */
  dumpRules(): string {
    const lines: string[] = [];
    if (this.modTimeFrom !== undefined) {
      lines.push(`Last-modified date must be equal or greater than: ${formatGoTime(this.modTimeFrom)}`);
    }
    if (this.modTimeTo !== undefined) {
      lines.push(`Last-modified date must be equal or less than: ${formatGoTime(this.modTimeTo)}`);
    }
    lines.push('--- File filter rules ---', ...this.rules.files.rules.map(ruleString));
    lines.push('--- Directory filter rules ---', ...this.rules.dirs.rules.map(ruleString));
    return lines.join('\n');
  }
}
