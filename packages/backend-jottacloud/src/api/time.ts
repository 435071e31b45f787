// Time formats of the Jottacloud protocol (spec §5.1): the JFS XML layout `2006-01-02-T15:04:05Z0700` and RFC 3339.

import { JsyncError, Timestamp } from '@jsync/core';

const NS_PER_S = 1_000_000_000n;

// Go's time.Parse also accepts a fractional second after the seconds field even when the layout has none.
const JFS_TIME = /^(\d{4})-(\d{2})-(\d{2})-T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:(Z)|([+-])(\d{2})(\d{2}))$/;
const RFC3339_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function badTime(kind: string, s: string): JsyncError {
  return new JsyncError({ code: 'IO', message: `invalid ${kind} time from Jottacloud: ${JSON.stringify(s)}`, context: { value: s } });
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(y: number, m: number): number {
  return m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : MONTH_DAYS[m - 1]!;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

/** Builds the instant from regex groups (y, mo, d, h, mi, s, frac, z, sign, oh, om), or undefined when out of range. */
function fromGroups(m: RegExpExecArray): Timestamp | undefined {
  const y = +m[1]!, mo = +m[2]!, d = +m[3]!, h = +m[4]!, mi = +m[5]!, s = +m[6]!;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMin = 0;
  if (!m[8]) {
    const oh = +m[10]!, om = +m[11]!;
    if (oh > 24 || om > 59) return undefined;
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const secs = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offsetMin * 60;
  const frac = m[7];
  return Timestamp.fromNs(BigInt(secs) * NS_PER_S + (frac ? BigInt(frac.padEnd(9, '0')) : 0n));
}

// Listings repeat the same times often; Timestamps are immutable, so the last result per format is reused.
const last: Record<'jfs' | 'rfc', { text: string; value: Timestamp | undefined }> = {
  jfs: { text: '', value: undefined },
  rfc: { text: '', value: undefined },
};

function parseWith(re: RegExp, kind: 'jfs' | 'rfc', s: string): Timestamp {
  const cached = last[kind];
  if (cached.text === s && cached.value) return cached.value;
  const m = re.exec(s);
  const t = m ? fromGroups(m) : undefined;
  if (!t) throw badTime(kind === 'jfs' ? 'JFS' : 'RFC 3339', s);
  cached.text = s;
  cached.value = t;
  return t;
}

/**
 * Parses a JFS XML time (`2018-07-05-T15:08:02Z`, `2018-07-05-T17:08:02+0200`, fractional seconds allowed).
 * Empty text means "no time" (undefined); anything else malformed throws an IO error naming the value.
 */
export function parseJfsTime(s: string): Timestamp | undefined {
  return s === '' ? undefined : parseWith(JFS_TIME, 'jfs', s);
}

/** Parses an RFC 3339 time (liststream `<modified>`/`<created>`); empty → undefined, malformed → IO error. */
export function parseRfc3339(s: string): Timestamp | undefined {
  return s === '' ? undefined : parseWith(RFC3339_TIME, 'rfc', s);
}

function utcFields(t: Timestamp): string[] {
  const f = t.fields(0);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return [String(f.year).padStart(4, '0'), p2(f.month), p2(f.day), p2(f.hour), p2(f.minute), p2(f.second)];
}

/** Formats a JFS time in UTC with whole seconds (truncated), e.g. `2018-07-05-T15:08:02Z` (JCreated/JModified headers). */
export function formatJfsTime(t: Timestamp): string {
  const [y, mo, d, h, mi, s] = utcFields(t);
  return `${y}-${mo}-${d}-T${h}:${mi}:${s}Z`;
}

/** Formats RFC 3339 in UTC with whole seconds (truncated, as Go's time.RFC3339), e.g. `2020-05-06T07:08:09Z` (allocate). */
export function formatRfc3339(t: Timestamp): string {
  const [y, mo, d, h, mi, s] = utcFields(t);
  return `${y}-${mo}-${d}T${h}:${mi}:${s}Z`;
}
