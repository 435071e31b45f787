// Number and time formatting shared by the listing commands (rclone operations.SizeString & co, Go time layouts).

import { type Timestamp, formatCountSuffix, formatSizeSuffix } from '@jsync/core';

/** rclone `SizeString`: the raw number, or with `human` a binary suffix (`12.056Ki`, `-1` for −1). */
export function sizeString(size: number, human: boolean): string {
  if (!human) return String(size);
  return size < 0 ? '-' + formatSizeSuffix(-size) : formatSizeSuffix(size);
}

/** rclone `SizeStringField`: {@link sizeString} right-aligned in `width` columns (9 when `human`). */
export function sizeStringField(size: number, human: boolean, width: number): string {
  return sizeString(size, human).padStart(human ? 9 : width);
}

/** rclone `CountString`: the raw number, or with `human` a decimal suffix (`1.500k`). */
export function countString(count: number, human: boolean): string {
  if (!human) return String(count);
  return count < 0 ? '-' + formatCountSuffix(-count) : formatCountSuffix(count);
}

/** rclone `CountStringField`: {@link countString} right-aligned in `width` columns (8 when `human`). */
export function countStringField(count: number, human: boolean, width: number): string {
  return countString(count, human).padStart(human ? 8 : width);
}

/** Offset of the process's local time zone from UTC at instant `t`, in minutes (east positive). */
export function localOffsetMinutes(t: Timestamp): number {
  const ms = Number(t.seconds) * 1000;
  const off = new Date(ms).getTimezoneOffset();
  return Number.isNaN(off) ? 0 : -off;
}

/** How to print a time: Go layouts `2006-01-02 15:04:05[.000…]` or RFC 3339 `2006-01-02T15:04:05[.000…]Z07:00`. */
export interface TimeLayout {
  /** Fractional second digits (truncated, always printed when > 0). @default 0 */
  digits?: number;
  /** RFC 3339 form: `T` separator and a zone suffix (`Z` / `+01:00`). @default false */
  rfc3339?: boolean;
}

/** Formats `t` in the process's local time zone (rclone prints `ModTime(ctx).Local()`). */
export function formatLocalTime(t: Timestamp, layout: TimeLayout = {}): string {
  const off = localOffsetMinutes(t);
  const f = t.fields(off);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const digits = layout.digits ?? 0;
  const frac = digits > 0 ? '.' + p(f.nanos, 9).slice(0, digits) : '';
  const date = `${p(f.year, 4)}-${p(f.month)}-${p(f.day)}`;
  const time = `${p(f.hour)}:${p(f.minute)}:${p(f.second)}${frac}`;
  if (!layout.rfc3339) return `${date} ${time}`;
  return `${date}T${time}${zoneSuffix(off)}`;
}

function zoneSuffix(off: number): string {
  if (off === 0) return 'Z';
  const abs = Math.abs(off);
  return `${off < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Seconds of Go's zero time (0001-01-01T00:00:00Z) since the Unix epoch; such times print as `""` in lsjson. */
export const GO_ZERO_TIME_SECONDS = -62135596800n;

/** True for Go's zero `time.Time`. */
export function isGoZeroTime(t: Timestamp): boolean {
  return t.ns === GO_ZERO_TIME_SECONDS * 1_000_000_000n;
}

/** Go `strconv.ParseInt(s, 0, 64)` (pflag's int64): sign, `0x`/`0o`/`0b`/leading-0 prefixes, digit underscores. */
export function parseGoInt64(text: string): { value: number } | { error: 'invalid syntax' | 'value out of range' } {
  const m = /^([+-]?)(0[xX]|0[oO]|0[bB]|0(?=[0-7_])|)([0-9a-fA-F_]+)$/.exec(text);
  if (!m) return { error: 'invalid syntax' };
  const [, sign, prefix, digits] = m as unknown as [string, string, string, string];
  const p = prefix.toLowerCase();
  const re = p === '0x' ? /^[0-9a-fA-F_]+$/ : p === '0b' ? /^[01_]+$/ : p === '' ? /^[0-9_]+$/ : /^[0-7_]+$/;
  if (!re.test(digits)) return { error: 'invalid syntax' };
  if (p === '' && digits.length > 1 && digits.startsWith('0')) return { error: 'invalid syntax' }; // e.g. 08
  // Go underscoreOK: an underscore must follow a digit or a base prefix and precede a digit.
  const afterPrefix = p === '0x' || p === '0b' || p === '0o' || p === '0';
  if ((digits.startsWith('_') && !afterPrefix) || digits.endsWith('_') || digits.includes('__')) return { error: 'invalid syntax' };
  const clean = digits.replaceAll('_', '');
  if (clean === '') return { error: 'invalid syntax' };
  const radix = p === '0x' ? 16 : p === '0b' ? 2 : p === '0o' || p === '0' ? 8 : 10;
  let n = 0n;
  for (const ch of clean) n = n * BigInt(radix) + BigInt(parseInt(ch, radix));
  if (sign === '-') n = -n;
  if (n > 9223372036854775807n || n < -9223372036854775808n) return { error: 'value out of range' };
  return { value: Number(n) };
}
