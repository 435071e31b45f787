// Ordered include/exclude rule lists and rule-file line handling (rclone fs/filter rules and forEachLine).

import { invalidArgument } from '../fs/errors.js';
import { goQuote } from '../util/units.js';
import { globToDirGlobs, globToRegexp, type CompiledGlob } from './glob.js';

/** One compiled rule: include or exclude, and what it matches. */
export interface FilterRule {
  readonly include: boolean;
  readonly glob: CompiledGlob;
}

/** rclone's text for a rule: `+ <regexp>` / `- <regexp>`. */
export const ruleString = (rule: FilterRule): string => `${rule.include ? '+' : '-'} ${rule.glob.source}`;

/** An ordered rule list where the first match decides; adding an identical rule twice keeps the first. */
export class RuleList {
  private list: FilterRule[] = [];
  private seen = new Set<string>();

  /** Appends a rule unless the same rule is already present. */
  add(include: boolean, glob: CompiledGlob): void {
    const rule = { include, glob };
    const key = ruleString(rule);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(rule);
  }

  /** Removes every rule (`--filter "!"`). */
  clear(): void {
    this.list = [];
    this.seen = new Set();
  }

  /** The rules in order. */
  get rules(): readonly FilterRule[] {
    return this.list;
  }

  /** The decision of the first matching rule, or undefined when none matches. */
  match(path: string): boolean | undefined {
    for (const rule of this.list) if (rule.glob.regexp.test(path)) return rule.include;
    return undefined;
  }
}

/** The file and directory rule lists built from globs (rclone `Filter.Add`). */
export class RuleSet {
  readonly files = new RuleList();
  readonly dirs = new RuleList();

  constructor(private readonly ignoreCase: boolean) {}

  /** Adds a glob as an include or exclude rule, deriving the directory rules rclone derives. */
  add(include: boolean, glob: string): void {
    let isDirRule = glob.endsWith('/');
    let isFileRule = !isDirRule;
    let g = glob;
    // excluding "dir/" is the same as excluding "dir/**"
    if (isDirRule && !include) g += '**';
    if (g.includes('**')) {
      isDirRule = true;
      isFileRule = true;
    }
    const compiled = globToRegexp(g, this.ignoreCase);
    if (isFileRule) {
      this.files.add(include, compiled);
      // include rules say which directories must be entered; `*` alone excludes every directory too
      if (include || g === '*') {
        for (const dirGlob of globToDirGlobs(g)) {
          if (dirGlob !== '/') this.dirs.add(include, globToRegexp(dirGlob, this.ignoreCase));
        }
      }
    }
    if (isDirRule) this.dirs.add(include, compiled);
  }

  /** Adds a `--filter` rule: `+ glob`, `- glob` or `!` (clear); anything else is rclone's `malformed rule`. */
  addRule(rule: string): void {
    if (rule === '!') {
      this.files.clear();
      this.dirs.clear();
    } else if (rule.startsWith('- ')) {
      this.add(false, rule.slice(2));
    } else if (rule.startsWith('+ ')) {
      this.add(true, rule.slice(2));
    } else {
      throw invalidArgument(`malformed rule ${goQuote(rule)}`);
    }
  }
}

const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM_SPACE = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');

/** Go `strings.TrimSpace` (Unicode White_Space, unlike JS trim which also strips U+FEFF and keeps U+0085). */
export const goTrimSpace = (s: string): string => s.replace(TRIM_SPACE, '');

/** Splits file text into lines as Go's bufio.ScanLines does: `\n` ends a line, one trailing `\r` is dropped. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Trims lines (Go TrimSpace) and drops blank ones and `#`/`;` comments, as rclone does for rule and list files. */
export function cookLines(lines: readonly string[]): string[] {
  return lines.map(goTrimSpace).filter((l) => l !== '' && l[0] !== '#' && l[0] !== ';');
}

/** The meaningful lines of a rule or list file ({@link cookLines}); with `raw` every line is kept verbatim. */
export function ruleLines(text: string, raw = false): string[] {
  return raw ? splitLines(text) : cookLines(splitLines(text));
}

/** Go `path.Clean`: collapses `//`, `.` and `..` elements; `""` becomes `.`. */
export function goPathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else {
      out.push(part);
    }
  }
  const joined = out.join('/');
  return rooted ? '/' + joined : joined === '' ? '.' : joined;
}

/** Go `path.Dir`: everything before the last `/`, cleaned (`.` when there is no `/`). */
export const goPathDir = (p: string): string => goPathClean(p.slice(0, p.lastIndexOf('/') + 1));
