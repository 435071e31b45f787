// Size, count and duration parsing/formatting compatible with rclone's SizeSuffix, CountSuffix and Duration.

import { goQuote, goQuoteRune } from './go-text.js';
import { invalidArgument, type JsyncError } from '../fs/errors.js';

/** Optional settings for {@link parseSizeSuffix}. */
export interface ParseSizeOptions {
  /** Unit of a bare number: `Ki` (rclone's SizeSuffix default) or `B` (bytes). @default 'Ki' */
  defaultSuffix?: 'B' | 'Ki';
}

/** Optional settings for {@link parseDuration}. */
export interface ParseDurationOptions {
  /** "Now" in epoch ms for date forms (`2006-01-02`), which mean "the time since then". @default Date.now() */
  now?: number;
}

/** The value `off` parses to for sizes (rclone SizeSuffix −1). */
export const SIZE_OFF = -1;
/** The value `off` parses to in {@link parseDurationNs} (rclone `DurationOff`, max int64 ns). */
export const DURATION_OFF_NS = (1n << 63n) - 1n;
/** The value `off` parses to in {@link parseDuration} (ms). */
export const DURATION_OFF = Number.POSITIVE_INFINITY;

const BINARY_SUFFIXES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'] as const;
const DECIMAL_SUFFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'] as const;
const SYMBOL_POWER: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4, p: 5, e: 6 };

/** A parse error naming the value; `context.reason` holds rclone's exact reason text. */
function badValue(kind: string, value: string, reason: string): JsyncError {
  const err = invalidArgument(`invalid ${kind} ${goQuote(value)}: ${reason}`);
  Object.assign(err.context, { value, reason });
  return err;
}

/** Go `strconv.ParseFloat` for decimal syntax; hex floats, `inf` and `nan` are rejected. */
function goParseFloat(s: string): number | string {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return `strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax`;
  const v = Number(s);
  if (!Number.isFinite(v)) return `strconv.ParseFloat: parsing ${goQuote(s)}: value out of range`;
  return v;
}

/**
 * Parses an rclone size (`10`, `1.5M`, `2Gi`, `3GiB`, `100B`, `off`) to bytes; `off` → −1.
 * A bare number is KiB unless `defaultSuffix: 'B'`. Throws INVALID_ARGUMENT naming the value.
 */
export function parseSizeSuffix(text: string, opts: ParseSizeOptions = {}): number {
  return parseSuffixed(text, 1024, opts.defaultSuffix === 'B' ? 0 : 1, 'size');
}

/** Parses an rclone CountSuffix (decimal `k M G T P E`, optional trailing `b`; bare number ×1000); `off` → −1. */
export function parseCountSuffix(text: string): number {
  return parseSuffixed(text, 1000, 1, 'count');
}

function parseSuffixed(text: string, base: number, bareUnitPower: number, kind: string): number {
  if (text.length === 0) throw badValue(kind, text, 'empty string');
  if (text.toLowerCase() === 'off') return -1;
  const bytes = Buffer.from(text, 'utf8');
  const at = (i: number): number => bytes[bytes.length - i] ?? 0;
  const chr = (b: number): string => String.fromCharCode(b);
  const power = (b: number): number | undefined => SYMBOL_POWER[chr(b).toLowerCase()];
  const badSuffix = (b: number): JsyncError => badValue(kind, text, `bad suffix ${goQuoteRune(b)}`);
  let suffixLen = 1;
  let p: number | undefined;
  const last = at(1);
  if ((last >= 0x30 && last <= 0x39) || last === 0x2e) {
    suffixLen = 0;
    p = bareUnitPower;
  } else if (last === 0x62 || last === 0x42) {
    if (base === 1024 && bytes.length > 2 && at(2) === 0x69) {
      suffixLen = 3;
      p = power(at(3));
      if (p === undefined) throw badSuffix(at(3));
    } else if (base === 1000 && bytes.length > 1 && power(at(2)) !== undefined) {
      suffixLen = 2;
      p = power(at(2));
    } else {
      p = 0;
    }
  } else if (base === 1024 && (last === 0x69 || last === 0x49)) {
    if (bytes.length > 1) p = power(at(2));
    if (p === undefined) throw badSuffix(bytes.length > 1 ? at(2) : last);
    suffixLen = 2;
  } else {
    p = power(last);
    if (p === undefined) throw badSuffix(last);
  }
  const numText = bytes.subarray(0, bytes.length - suffixLen).toString('utf8');
  const value = goParseFloat(numText);
  if (typeof value === 'string') throw badValue(kind, text, value);
  if (value < 0) throw badValue(kind, text, `size can't be negative ${goQuote(numText)}`);
  return Math.trunc(value * base ** (p ?? 0));
}

/** Exact Go `%.3f` (round half to even on the exact binary value) of a finite non-negative double. */
function fixed3(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp = expBits - 1075;
  if (expBits === 0) exp = -1074;
  else mant |= 1n << 52n;
  let thousandths: bigint;
  if (exp >= 0) {
    thousandths = (mant << BigInt(exp)) * 1000n;
  } else {
    const den = 1n << BigInt(-exp);
    const num = mant * 1000n;
    thousandths = num / den;
    const twice = (num % den) * 2n;
    if (twice > den || (twice === den && thousandths % 2n === 1n)) thousandths += 1n;
  }
  const s = thousandths.toString().padStart(4, '0');
  return `${s.slice(0, -3)}.${s.slice(-3)}`;
}

function scaledParts(n: number, base: number, suffixes: readonly string[]): [string, string] {
  const x = Math.trunc(n);
  if (x < 0) return ['off', ''];
  if (x === 0) return ['0', ''];
  let i = 0;
  while (i < suffixes.length - 1 && x >= base ** (i + 1)) i++;
  const scaled = x / base ** i;
  return [Math.floor(scaled) === scaled ? scaled.toFixed(0) : fixed3(scaled), suffixes[i] ?? ''];
}

/** rclone `SizeSuffix.String`: `0`, `999`, `12.056Ki`, `2Mi`; negative → `off`. */
export function formatSizeSuffix(n: number): string {
  const [v, s] = scaledParts(n, 1024, BINARY_SUFFIXES);
  return v + s;
}

/** rclone `CountSuffix.String`: `999`, `1.500k`, `2M`; negative → `off`. */
export function formatCountSuffix(n: number): string {
  const [v, s] = scaledParts(n, 1000, DECIMAL_SUFFIXES);
  return v + s;
}

function withUnit(n: number, unit: string): string {
  const [v, s] = scaledParts(n, 1024, BINARY_SUFFIXES);
  return v === 'off' ? v : `${v} ${s}${unit}`;
}

/** rclone `SizeSuffix.ByteUnit`: `0 B`, `12.069 KiB`, `4.768 MiB`. */
export function formatByteUnit(n: number): string {
  return withUnit(n, 'B');
}

/** rclone `SizeSuffix.BitUnit`: `8 bit`, `1.5 Kibit`-style with 3 decimals. */
export function formatBitUnit(n: number): string {
  return withUnit(n, 'bit');
}

/** A transfer rate as rclone's stats print it: `2.054 MiB/s`, or with `unit: 'bits'` the rate ×8 as `bit/s`. */
export function formatRate(bytesPerSecond: number, opts: { unit?: 'bytes' | 'bits' } = {}): string {
  return opts.unit === 'bits' ? withUnit(bytesPerSecond * 8, 'bit/s') : withUnit(bytesPerSecond, 'B/s');
}

// ---------------------------------------------------------------- durations

const GO_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const DAY_NS = 86_400_000_000_000;
const AGE_SUFFIXES: ReadonlyArray<readonly [string, number]> = [
  ['d', DAY_NS], ['w', 7 * DAY_NS], ['M', 30 * DAY_NS], ['y', 365 * DAY_NS], ['', 1e9],
];

/** Go `time.ParseDuration`; undefined when the text is not valid Go duration syntax. */
function goParseDuration(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  const re = /^(\d*)(?:\.(\d*))?([^\d.]*)/;
  while (s !== '') {
    const m = re.exec(s);
    if (!m || m[0] === '') return undefined;
    const [all, intPart = '', frac, unitText = ''] = m;
    if (intPart === '' && (frac === undefined || frac === '')) return undefined;
    const unit = GO_UNITS[unitText];
    if (unit === undefined) return undefined;
    let v = BigInt(intPart || '0') * unit;
    if (frac) v += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += v;
    if (total > DURATION_OFF_NS + (neg ? 1n : 0n)) return undefined;
    s = s.slice(all.length);
  }
  return neg ? -total : total;
}

/**
 * Parses an rclone duration to ns: Go syntax (`1h2m3.5s`, `500ms`, `1us`), rclone suffixes (`1.5d`, `2w`, `1M`,
 * `1y`), a bare number of seconds, a date (`2006-01-02[ 15:04:05]`, RFC 3339: time since then) or `off`.
 */
export function parseDurationNs(text: string, opts: ParseDurationOptions = {}): bigint {
  if (text === 'off') return DURATION_OFF_NS;
  const go = goParseDuration(text);
  if (go !== undefined) return go;
  for (const [suffix, mult] of AGE_SUFFIXES) {
    if (!text.endsWith(suffix)) continue;
    const v = goParseFloat(text.slice(0, text.length - suffix.length));
    if (typeof v === 'number') return BigInt(Math.trunc(v * mult));
    break;
  }
  const instant = parseLocalDate(text);
  if (typeof instant === 'string') throw badValue('duration', text, instant);
  return BigInt(Math.round(((opts.now ?? Date.now()) - instant) * 1e6));
}

/** {@link parseDurationNs} in milliseconds (may be fractional); `off` → `Infinity`. */
export function parseDuration(text: string, opts: ParseDurationOptions = {}): number {
  const ns = parseDurationNs(text, opts);
  return ns === DURATION_OFF_NS ? DURATION_OFF : Number(ns) / 1e6;
}

const DATE_FORMS = [
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?()$/,
  /^(\d{4})-(\d{2})-(\d{2})()()()()()$/,
];

const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The epoch ms of a date in rclone's accepted layouts (local time unless an offset is given), or Go's error text. */
function parseLocalDate(text: string): number | string {
  for (const re of DATE_FORMS) {
    const m = re.exec(text);
    if (!m) continue;
    const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((x) => Number(x || 0));
    if (mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo) || h > 23 || mi > 59 || s > 59) continue;
    const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
    const zone = m[8];
    if (!zone) return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
    const off = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    return Date.UTC(y, mo - 1, d, h, mi, s, ms) - off * 60_000;
  }
  return dateLayoutError(text);
}

/** Go's `time.Parse("2006-01-02", text)` error message (the last layout rclone tries). */
function dateLayoutError(text: string): string {
  const cannot = (rest: string, elem: string): string =>
    `parsing time ${goQuote(text)} as "2006-01-02": cannot parse ${goQuote(rest)} as ${goQuote(elem)}`;
  const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
  let v = text;
  if (v.length < 4 || !isDigit(v[0])) return cannot(v, '2006');
  const year = v.slice(0, 4);
  v = v.slice(4);
  if (!/^\d{4}$/.test(year)) return cannot(v, '2006');
  if (!v.startsWith('-')) return cannot(v, '-');
  v = v.slice(1);
  if (!isDigit(v[0]) || !isDigit(v[1])) return cannot(v, '01');
  const month = Number(v.slice(0, 2));
  if (month < 1 || month > 12) return `parsing time ${goQuote(text)}: month out of range`;
  v = v.slice(2);
  if (!v.startsWith('-')) return cannot(v, '-');
  v = v.slice(1);
  if (!isDigit(v[0]) || !isDigit(v[1])) return cannot(v, '02');
  const day = Number(v.slice(0, 2));
  v = v.slice(2);
  if (v !== '') return `parsing time ${goQuote(text)}: extra text: ${goQuote(v)}`;
  if (day < 1 || day > daysIn(Number(year), month)) return `parsing time ${goQuote(text)}: day out of range`;
  return `parsing time ${goQuote(text)}: cannot parse`;
}

const toNs = (ms: number): bigint => BigInt(Math.round(ms * 1e6));

/** Go `time.Duration.String` of a duration in ns: `0s`, `1.5µs`, `500ms`, `1m0s`, `2h45m0.5s`. */
export function formatGoDurationNs(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  const sign = neg ? '-' : '';
  const frac = (v: bigint, digits: number): [string, bigint] => {
    const scale = 10n ** BigInt(digits);
    const f = (v % scale).toString().padStart(digits, '0').replace(/0+$/, '');
    return [f === '' ? '' : `.${f}`, v / scale];
  };
  if (u < 1_000_000_000n) {
    if (u < 1000n) return `${sign}${u}ns`;
    const [f, whole] = u < 1_000_000n ? frac(u, 3) : frac(u, 6);
    return `${sign}${whole}${f}${u < 1_000_000n ? 'µs' : 'ms'}`;
  }
  const [f, secs] = frac(u, 9);
  u = secs;
  let out = `${u % 60n}${f}s`;
  u /= 60n;
  if (u > 0n) {
    out = `${u % 60n}m${out}`;
    u /= 60n;
    if (u > 0n) out = `${u}h${out}`;
  }
  return sign + out;
}

/** Go `time.Duration.String` of a duration in ms (`Infinity` → `off`). */
export function formatDurationGo(ms: number): string {
  return ms === DURATION_OFF ? 'off' : formatGoDurationNs(toNs(ms));
}

/** rclone `fs.Duration.String` (flag defaults): `off`, `1.5d`, `2w`, `1M`, `1y`, else Go form (`1m0s`). */
export function formatDuration(ms: number): string {
  if (ms === DURATION_OFF) return 'off';
  const ns = Number(toNs(ms));
  for (let i = AGE_SUFFIXES.length - 2; i >= 0; i--) {
    const [suffix, mult] = AGE_SUFFIXES[i] ?? ['', 1];
    if (Math.abs(ns) >= mult) return `${ns / mult}${suffix}`;
  }
  return formatDurationGo(ms);
}

/** rclone `Duration.ReadableString` (stats ETA/elapsed): non-zero units of `y w d h m s ms`, e.g. `1h2m3s`, `0s`. */
export function formatReadableDuration(ms: number): string {
  if (ms === DURATION_OFF) return 'off';
  const total = BigInt(Math.trunc(Math.abs(ms)));
  if (total === 0n && toNs(ms) === 0n) return '0s';
  const DAY = 86_400_000n;
  const days = total / DAY;
  const leftYearDays = days % 365n;
  const parts: Array<[bigint, string]> = [
    [days / 365n, 'y'],
    [leftYearDays / 7n, 'w'],
    [leftYearDays % 7n, 'd'],
    [(total / 3_600_000n) % 24n, 'h'],
    [(total / 60_000n) % 60n, 'm'],
    [(total / 1000n) % 60n, 's'],
    [total % 1000n, 'ms'],
  ];
  return (ms < 0 ? '-' : '') + parts.filter(([v]) => v !== 0n).map(([v, u]) => `${v}${u}`).join('');
}

export { goQuote, goQuoteRune } from './go-text.js';
