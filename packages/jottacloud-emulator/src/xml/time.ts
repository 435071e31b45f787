// Time formats of the Jottacloud protocol: JFS XML time (2006-01-02-T15:04:05Z0700), RFC 3339 and epoch ms.
// All emulator times are whole seconds since the Unix epoch (the server's precision is one second).

const DAY = 86400;

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const p2 = (n: number): string => String(n).padStart(2, '0');

function parts(sec: number): { date: string; time: string } | undefined {
  if (!Number.isFinite(sec)) return undefined;
  const s = Math.floor(sec);
  const days = Math.floor(s / DAY);
  const [y, m, d] = civilFromDays(days);
  if (y < 0 || y > 9999) return undefined;
  const rem = s - days * DAY;
  return {
    date: `${String(y).padStart(4, '0')}-${p2(m)}-${p2(d)}`,
    time: `${p2(Math.floor(rem / 3600))}:${p2(Math.floor((rem % 3600) / 60))}:${p2(rem % 60)}`,
  };
}

/** Formats seconds as a JFS XML time in UTC (`2018-07-05-T15:08:02Z`); null or out-of-range years give ''. */
export function formatJfsTime(sec: number | null | undefined): string {
  const p = sec === null || sec === undefined ? undefined : parts(sec);
  return p ? `${p.date}-T${p.time}Z` : '';
}

/** Formats seconds as RFC 3339 with three fractional digits, as liststream does (`…T07:08:09.000Z`). */
export function formatRfc3339Millis(sec: number | null | undefined): string {
  const p = sec === null || sec === undefined ? undefined : parts(sec);
  return p ? `${p.date}T${p.time}.000Z` : '';
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const next = m === 12 ? daysFromCivil(y + 1, 1, 1) : daysFromCivil(y, m + 1, 1);
  return d <= next - daysFromCivil(y, m, 1);
}

function toSeconds(g: string[], offsetSec: number): number | undefined {
  const [y, mo, d, h, mi, s] = g.map(Number) as [number, number, number, number, number, number];
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  return daysFromCivil(y, mo, d) * DAY + h * 3600 + mi * 60 + s - offsetSec;
}

function offset(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return undefined;
  const h = Number(m[2]), mi = Number(m[3]);
  if (h > 23 || mi > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (h * 3600 + mi * 60);
}

const JFS_RE = /^(\d{4})-(\d{2})-(\d{2})-T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{4})$/;
const RFC_RE = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parses a JFS time (`Z` or `±hhmm` zone; fractions allowed and truncated) into seconds, or undefined. */
export function parseJfsTime(text: string): number | undefined {
  const m = JFS_RE.exec(text.trim());
  if (!m) return undefined;
  const off = offset(m[7]!);
  return off === undefined ? undefined : toSeconds(m.slice(1, 7), off);
}

/** Parses an RFC 3339 time (fractions truncated) into seconds, or undefined. */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC_RE.exec(text.trim());
  if (!m) return undefined;
  const off = offset(m[7]!);
  return off === undefined ? undefined : toSeconds(m.slice(1, 7), off);
}

/** Parses an allocate-request time: RFC 3339, a JFS time, or integer milliseconds since the epoch. */
export function parseFlexibleTime(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? Math.floor(value / 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  if (/^-?\d+$/.test(value)) return parseFlexibleTime(Number(value));
  return parseRfc3339(value) ?? parseJfsTime(value);
}
