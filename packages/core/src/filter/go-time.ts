// Go's time.Time.String() layout in the local zone, as rclone's `--dump filters` prints cut-off times.

import type { Timestamp } from '../modtime/timestamp.js';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** The local zone's abbreviation at `date` as Go would print it (`UTC`, `CET`, `EST`, else numeric like `+04`). */
function zoneName(date: Date, offsetMinutes: number): string {
  for (const locale of ['en-US', 'en-GB']) {
    const part = new Intl.DateTimeFormat(locale, { timeZoneName: 'short' }).formatToParts(date).find((p) => p.type === 'timeZoneName');
    if (part !== undefined && /^[A-Z]{2,5}$/.test(part.value) && part.value !== 'GMT') return part.value;
  }
  if (offsetMinutes === 0) return 'UTC';
  const abs = Math.abs(offsetMinutes);
  const hm = abs % 60 === 0 ? pad(abs / 60) : `${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
  return `${offsetMinutes < 0 ? '-' : '+'}${hm}`;
}

/**
 * `2006-01-02 15:04:05.999999999 -0700 MST` in the local zone (Go's `Time.String()` without the monotonic
 * `m=±…` suffix, which only a Go process can know).
 */
export function formatGoTime(ts: Timestamp): string {
  const date = ts.toDate();
  const offset = -date.getTimezoneOffset();
  const f = ts.fields(offset);
  const frac = f.nanos === 0 ? '' : '.' + pad(f.nanos, 9).replace(/0+$/, '');
  const abs = Math.abs(offset);
  const num = `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
  return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)} ${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}${frac} ${num} ${zoneName(date, offset)}`;
}
