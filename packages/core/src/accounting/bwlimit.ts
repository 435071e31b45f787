// --bwlimit / --bwlimit-file values: a rate, an UP:DOWN pair or a weekly timetable (rclone fs.BwTimetable).

import { invalidArgument, isJsyncError, type JsyncError } from '../fs/errors.js';
import { goQuote, goQuoteRune } from '../util/go-text.js';
import { formatSizeSuffix, parseSizeSuffix } from '../util/units.js';
import { decodeUtf8Escaped } from '../util/utf8.js';

/** Upload (tx) and download (rx) bandwidth in bytes/s; ≤ 0 means unlimited (`off` is −1). */
export interface BwPair {
  readonly tx: number;
  readonly rx: number;
}

/** A bandwidth that applies from `dayOfWeek` (0 = Sunday) at `hhmm` (hour×100 + minute) on. */
export interface BwTimeSlot {
  readonly dayOfWeek: number;
  readonly hhmm: number;
  readonly bandwidth: BwPair;
}

/** A parsed `--bwlimit` value: one slot for a plain rate, else the weekly timetable. */
export type BwTimetable = readonly BwTimeSlot[];

/** The "no limit" pair. */
export const BW_OFF: BwPair = { tx: -1, rx: -1 };

/** True when either direction is limited (rclone BwPair.IsSet). */
export const isBwSet = (p: BwPair): boolean => p.tx > 0 || p.rx > 0;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The error pflag reports after `invalid argument "…" for "--bwlimit" flag: ` (the message is rclone's reason). */
function bad(reason: string): JsyncError {
  const err = invalidArgument(reason);
  Object.assign(err.context, { reason });
  return err;
}

function parseRate(s: string): number {
  try {
    return parseSizeSuffix(s);
  } catch (err) {
    if (isJsyncError(err)) throw bad(String(err.context['reason'] ?? err.message));
    throw err;
  }
}

/** Parses `RATE` or `UP:DOWN` (sizes in KiB/s unless suffixed, `off` = unlimited). Throws rclone's reason text. */
export function parseBwPair(s: string): BwPair {
  const colon = s.indexOf(':');
  if (colon < 0) {
    const v = parseRate(s);
    return { tx: v, rx: v };
  }
  return { tx: parseRate(s.slice(0, colon)), rx: parseRate(s.slice(colon + 1)) };
}

/** rclone `BwPair.String`: `1Mi`, or `1Mi:off` when the directions differ. */
export function formatBwPair(p: BwPair): string {
  const tx = formatSizeSuffix(p.tx);
  return p.rx === p.tx ? tx : `${tx}:${formatSizeSuffix(p.rx)}`;
}

/** Go strconv.Atoi on a short digit string, or its error text. */
function atoi(s: string): number | string {
  if (/^[+-]?\d+$/.test(s)) return Number(s);
  return `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`;
}

/** Go `%q` of an int (a rune literal; negative values print Go's bad-verb form). */
const quoteInt = (n: number): string => (n < 0 ? `%!q(int=${n})` : goQuoteRune(n));

/** Validates `hh:mm` as rclone does; returns hour×100 + minute. */
function parseHour(text: string): number {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length !== 5) throw bad(`invalid time specification (hh:mm): ${goQuote(text)}`);
  const hh = atoi(decodeUtf8Escaped(bytes.subarray(0, 2)));
  if (typeof hh === 'string') throw bad(`invalid hour in time specification ${goQuote(text)}: ${hh}`);
  if (hh < 0 || hh > 23) throw bad(`invalid hour (must be between 00 and 23): ${quoteInt(hh)}`);
  const mm = atoi(decodeUtf8Escaped(bytes.subarray(3)));
  if (typeof mm === 'string') throw bad(`invalid minute in time specification: ${goQuote(text)}: ${mm}`);
  // rclone prints the hour here, not the minute.
  if (mm < 0 || mm > 59) throw bad(`invalid minute (must be between 00 and 59): ${quoteInt(hh)}`);
  return hh * 100 + mm;
}

function parseWeekday(day: string): number {
  const d = day.toLowerCase();
  const i = WEEKDAYS.findIndex((w) => d === w.toLowerCase() || d === w.slice(0, 3).toLowerCase());
  if (i < 0) throw bad(`invalid weekday: ${goQuote(d)}`);
  return i;
}

/**
 * Parses a `--bwlimit` value: `10M`, `1M:100k`, `off`, or a timetable such as `"08:00,512k 12:00,10M 23:00,off"`
 * (every day) or `"Mon-08:00,1M Sun-20:00,off"`. Throws INVALID_ARGUMENT whose message is rclone's reason.
 */
export function parseBwTimetable(s: string): BwTimetable {
  if (s.length === 0) throw bad('empty string');
  if (!s.includes(' ') && !s.includes(',')) return [{ dayOfWeek: 0, hhmm: 0, bandwidth: parseBwPair(s) }];
  const out: BwTimeSlot[] = [];
  for (const tok of s.split(' ')) {
    const tv = tok.split(',');
    if (tv.length !== 2) throw bad(`invalid time/bandwidth specification: ${goQuote(tok)}`);
    const [when = '', rate = ''] = tv;
    if (!when.includes('-')) {
      const hhmm = parseHour(when);
      for (let day = 0; day < 7; day++) out.push({ dayOfWeek: day, hhmm, bandwidth: parseBwPair(rate) });
      continue;
    }
    const spec = when.split('-');
    if (spec.length !== 2) throw bad(`invalid time specification: ${goQuote(when)}`);
    const dayOfWeek = parseWeekday(spec[0] ?? '');
    const hhmm = parseHour(spec[1] ?? '');
    out.push({ dayOfWeek, hhmm, bandwidth: parseBwPair(rate) });
  }
  return out;
}

/** rclone `BwTimetable.String`: `1Mi` for a plain rate, else `Mon-08:00,1Mi Tue-…`. */
export function formatBwTimetable(t: BwTimetable): string {
  const only = t[0];
  if (t.length === 1 && only !== undefined && only.dayOfWeek === 0 && only.hhmm === 0) return formatBwPair(only.bandwidth);
  const p = (n: number): string => String(n).padStart(2, '0');
  return t
    .map((ts) => `${(WEEKDAYS[ts.dayOfWeek] ?? '').slice(0, 3)}-${p(Math.floor(ts.hhmm / 100))}:${p(ts.hhmm % 100)},${formatBwPair(ts.bandwidth)}`)
    .join(' ');
}

const minutesOf = (dayHHMM: number): number =>
  Math.floor(dayHHMM / 10000) * 1440 + (Math.floor(dayHHMM / 100) % 100) * 60 + (dayHHMM % 100);

/**
 * The slot in force at `date` (local time): the latest slot not after it this week, else the last slot
 * (which wraps around from the previous week). An empty timetable is unlimited.
 */
export function bwLimitAt(t: BwTimetable, date: Date): BwTimeSlot {
  const last = t[t.length - 1];
  if (last === undefined) return { dayOfWeek: 0, hhmm: 0, bandwidth: BW_OFF };
  const now = date.getDay() * 10000 + date.getHours() * 100 + date.getMinutes();
  let ret = last;
  let minDiff = Number.POSITIVE_INFINITY;
  for (const ts of t) {
    const at = ts.dayOfWeek * 10000 + ts.hhmm;
    if (now < at) continue;
    const diff = minutesOf(now) - minutesOf(at);
    if (diff <= minDiff) {
      minDiff = diff;
      ret = ts;
    }
  }
  return ret;
}
