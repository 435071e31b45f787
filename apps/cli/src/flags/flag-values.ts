// Value parsers for typed flags (pflag/rclone types): Go durations, rclone sizes and ages, floats, choices, dump flags.

import { type Command, InvalidArgumentError, Option } from 'commander';
import { type BwTimetable, LOG_LEVELS, type LogLevel, goQuote, parseBwTimetable, parseDuration, parseSizeSuffix } from '@jsync/core';

/** pflag's error for a bad value: `invalid argument "v" for "--flag" flag: <reason>`. */
export function badFlagValue(flag: string, value: string, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`invalid argument ${goQuote(value)} for "--${flag}" flag: ${reason}`);
}

const reasonOf = (err: unknown): string => {
  const ctx = (err as { context?: { reason?: unknown } }).context;
  return typeof ctx?.reason === 'string' ? ctx.reason : (err as Error).message;
};

const GO_UNIT_NS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const MAX_INT64 = (1n << 63n) - 1n;

/** Go `time.ParseDuration` to ns, throwing Go's exact error text (`time: invalid duration "x"`, …). */
export function parseGoDurationNs(text: string): bigint {
  const invalid = () => new Error(`time: invalid duration ${goQuote(text)}`);
  let s = text;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    if (!/^[0-9.]/.test(s)) throw invalid();
    const int = /^\d*/.exec(s)![0];
    s = s.slice(int.length);
    let frac = '';
    let hadDot = false;
    if (s.startsWith('.')) {
      hadDot = true;
      frac = /^\d*/.exec(s.slice(1))![0];
      s = s.slice(1 + frac.length);
    }
    if (int === '' && (!hadDot || frac === '')) throw invalid();
    const unitText = /^[^0-9.]*/.exec(s)![0];
    if (unitText === '') throw new Error(`time: missing unit in duration ${goQuote(text)}`);
    s = s.slice(unitText.length);
    const unit = GO_UNIT_NS[unitText];
    if (unit === undefined) throw new Error(`time: unknown unit ${goQuote(unitText)} in duration ${goQuote(text)}`);
    const whole = BigInt(int || '0');
    if (whole > (1n << 63n) / unit) throw invalid();
    let v = whole * unit;
    if (frac !== '') v += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += v;
    if (total > MAX_INT64 + (neg ? 1n : 0n)) throw invalid();
  }
  return neg ? -total : total;
}

/** A commander parser for a Go `time.Duration` flag, giving milliseconds. */
export function goDurationFlag(flag: string) {
  return (v: string): number => {
    try {
      return Number(parseGoDurationNs(v)) / 1e6;
    } catch (err) {
      throw badFlagValue(flag, v, (err as Error).message);
    }
  };
}

/** A commander parser for a Go `time.Duration` flag, giving nanoseconds. */
export function goDurationNsFlag(flag: string) {
  return (v: string): bigint => {
    try {
      return parseGoDurationNs(v);
    } catch (err) {
      throw badFlagValue(flag, v, (err as Error).message);
    }
  };
}

/** A commander parser for an rclone SizeSuffix flag (bare number = KiB, `off` = −1), giving bytes. */
export function sizeFlag(flag: string) {
  return (v: string): number => {
    try {
      return parseSizeSuffix(v);
    } catch (err) {
      throw badFlagValue(flag, v, reasonOf(err));
    }
  };
}

/** A commander parser for an rclone fs.Duration flag (`1d`, bare seconds, dates, `off`), giving milliseconds. */
export function fsDurationFlag(flag: string) {
  return (v: string): number => {
    try {
      return parseDuration(v);
    } catch (err) {
      throw badFlagValue(flag, v, reasonOf(err));
    }
  };
}

/** A commander parser for `--bwlimit`-style flags (a rate, `UP:DOWN`, or a timetable). */
export function bwLimitFlag(flag: string) {
  return (v: string): BwTimetable => {
    try {
      return parseBwTimetable(v);
    } catch (err) {
      throw badFlagValue(flag, v, reasonOf(err));
    }
  };
}

/** A commander parser for a float64 flag (Go `strconv.ParseFloat`). */
export function floatFlag(flag: string) {
  return (v: string): number => {
    const lower = v.toLowerCase();
    const special = /^[+-]?(inf|infinity)$/.test(lower) ? (lower.startsWith('-') ? -Infinity : Infinity) : lower === 'nan' ? NaN : undefined;
    if (special !== undefined) return special;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v)) {
      throw badFlagValue(flag, v, `strconv.ParseFloat: parsing ${goQuote(v)}: invalid syntax`);
    }
    return Number(v);
  };
}

/** A commander parser for an rclone log-level flag (exact upper-case names only, like rclone's LogLevel.Set). */
export function logLevelFlag(flag: string) {
  return (v: string): LogLevel => {
    if (!(LOG_LEVELS as readonly string[]).includes(v)) throw badFlagValue(flag, v, `unknown log level ${goQuote(v)}`);
    return v as LogLevel;
  };
}

/** `--cutoff-mode`: HARD, SOFT or CAUTIOUS, case-insensitive. */
export function cutoffModeFlag(v: string): 'HARD' | 'SOFT' | 'CAUTIOUS' {
  const up = v.toUpperCase();
  if (v === '' || !['HARD', 'SOFT', 'CAUTIOUS'].includes(up)) throw badFlagValue('cutoff-mode', v, `unknown cutoff mode ${goQuote(v)}`);
  return up as 'HARD' | 'SOFT' | 'CAUTIOUS';
}

/** rclone's `--dump` item names. */
export const DUMP_FLAGS = ['headers', 'bodies', 'requests', 'responses', 'auth', 'filters', 'goroutines', 'openfiles'] as const;

/** `--dump a,b`: a comma list of {@link DUMP_FLAGS} (case-insensitive); the last occurrence of the flag wins. */
export function dumpFlag(v: string): string[] {
  const out: string[] = [];
  for (const raw of v.split(',')) {
    const part = raw.trim().toLowerCase();
    if (part === '') continue;
    if (!(DUMP_FLAGS as readonly string[]).includes(part)) throw badFlagValue('dump', v, `unknown dump flag ${goQuote(part)}`);
    if (!out.includes(part)) out.push(part);
  }
  return out;
}

/** Parses an integer flag value or throws pflag's error naming the flag. */
export function parseIntFlag(flag: string) {
  return (v: string): number => {
    if (!/^[-+]?\d+$/.test(v)) throw badFlagValue(flag, v, `strconv.ParseInt: parsing ${goQuote(v)}: invalid syntax`);
    return Number(v);
  };
}

/** pflag StringArray: every occurrence adds one value, commas are not split. */
export const collectOne = (v: string, prev: string[]): string[] => [...prev, v];

/** Adds a boolean flag plus a hidden negation target (`--X=false` is rewritten to `--no-X` by main). */
export function addBoolFlag(cmd: Command, long: string, short: string, help: string): void {
  cmd.addOption(new Option(`${short ? `-${short}, ` : ''}--${long}`, help));
  const negated = long.startsWith('no-') ? `--${long.slice(3)}` : `--no-${long}`;
  if (!cmd.options.some((o) => o.long === negated)) cmd.addOption(new Option(negated).hideHelp());
}
