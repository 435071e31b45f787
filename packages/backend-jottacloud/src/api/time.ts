// Time formats of the Jottacloud protocol (spec §5.1): the JFS XML layout `2006-01-02-T15:04:05Z0700` and RFC 3339.

import { JsyncError, Timestamp } from '@jsync/core';

const NS_PER_S = 1_000_000_000n;

// Go's time.Parse also accepts a fractional second after the seconds field even when the layout has none.
const JFS_TIME = /^(\d{4})-(\d{2})-(\d{2})-T(\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:(Z)|([+-])(\d{2})(\d{2}))$/;
const RFC3339_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function badTime(kind: string, s: string): JsyncError {
  return new JsyncError({ code: 'IO', message: `invalid ${kind} time from Jottacloud: ${JSON.stringify(s)}`, context: { value: s } });
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Builds the instant from regex groups (y, mo, d, h, mi, s, frac, z, sign, oh, om), or undefined when out of range. */
function fromGroups(g: (string | undefined)[]): Timestamp | undefined {
  const [y, mo, d, h, mi, s] = g.slice(0, 6).map(Number) as [number, number, number, number, number, number];
  const [frac, zulu, sign, oh, om] = g.slice(6) as (string | undefined)[];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return undefined;
  let offsetMin = 0;
  if (!zulu) {
    const hh = Number(oh), mm = Number(om);
    if (hh > 24 || mm > 59) return undefined;
    offsetMin = (sign === '-' ? -1 : 1) * (hh * 60 + mm);
  }
  // Date.UTC maps years 0..99 to 1900+; setUTCFullYear keeps them literal.
  const base = new Date(0);
  base.setUTCFullYear(y, mo - 1, d);
  base.setUTCHours(h, mi, s, 0);
  const secs = BigInt(Math.floor(base.getTime() / 1000)) - BigInt(offsetMin * 60);
  return Timestamp.fromNs(secs * NS_PER_S + (frac ? BigInt(frac.padEnd(9, '0')) : 0n));
}

/**
 * Parses a JFS XML time (`2018-07-05-T15:08:02Z`, `2018-07-05-T17:08:02+0200`, fractional seconds allowed).
 * Empty text means "no time" (undefined); anything else malformed throws an IO error naming the value.
 */
export function parseJfsTime(s: string): Timestamp | undefined {
  if (s === '') return undefined;
  const m = JFS_TIME.exec(s);
  const t = m ? fromGroups(m.slice(1)) : undefined;
  if (!t) throw badTime('JFS', s);
  return t;
}

/** Parses an RFC 3339 time (liststream `<modified>`/`<created>`); empty → undefined, malformed → IO error. */
export function parseRfc3339(s: string): Timestamp | undefined {
  if (s === '') return undefined;
  const m = RFC3339_TIME.exec(s);
  const t = m ? fromGroups(m.slice(1)) : undefined;
  if (!t) throw badTime('RFC 3339', s);
  return t;
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
