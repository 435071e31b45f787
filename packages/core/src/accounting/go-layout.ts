// Go time.Format with a reference layout (`2006/01/02 15:04:05 - `), for --stats-one-line-date-format.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, w = 2, c = '0'): string => String(n).padStart(w, c);

function zone(offsetMin: number, colon: boolean, seconds: boolean, z: boolean, short = false): string {
  if (z && offsetMin === 0) return 'Z';
  const abs = Math.abs(offsetMin);
  const sign = offsetMin < 0 ? '-' : '+';
  if (short) return `${sign}${pad(Math.floor(abs / 60))}`;
  const sep = colon ? ':' : '';
  return `${sign}${pad(Math.floor(abs / 60))}${sep}${pad(abs % 60)}${seconds ? `${sep}00` : ''}`;
}

function zoneAbbrev(d: Date, offsetMin: number): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((p) => p.type === 'timeZoneName');
  if (part !== undefined && /^[A-Z]{3,5}$/.test(part.value) && part.value !== 'GMT') return part.value;
  if (offsetMin === 0) return 'UTC';
  return zone(offsetMin, false, false, false, offsetMin % 60 === 0);
}

type Field = (d: Date, off: number) => string;

const dayOfYear = (d: Date): number => Math.round((Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) - Date.UTC(d.getFullYear(), 0, 1)) / 86_400_000) + 1;
const hour12 = (d: Date): number => (d.getHours() % 12 === 0 ? 12 : d.getHours() % 12);

/** Layout chunks in the order Go's nextStdChunk recognises them (longest first where prefixes overlap). */
const CHUNKS: ReadonlyArray<readonly [string, Field]> = [
  ['January', (d) => MONTHS[d.getMonth()] ?? ''],
  ['Jan', (d) => (MONTHS[d.getMonth()] ?? '').slice(0, 3)],
  ['Monday', (d) => DAYS[d.getDay()] ?? ''],
  ['Mon', (d) => (DAYS[d.getDay()] ?? '').slice(0, 3)],
  ['MST', (d, o) => zoneAbbrev(d, o)],
  ['2006', (d) => pad(d.getFullYear(), 4)],
  ['002', (d) => pad(dayOfYear(d), 3)],
  ['01', (d) => pad(d.getMonth() + 1)],
  ['02', (d) => pad(d.getDate())],
  ['03', (d) => pad(hour12(d))],
  ['04', (d) => pad(d.getMinutes())],
  ['05', (d) => pad(d.getSeconds())],
  ['06', (d) => pad(d.getFullYear() % 100)],
  ['15', (d) => pad(d.getHours())],
  ['_2006', (d) => `_${pad(d.getFullYear(), 4)}`],
  ['__2', (d) => pad(dayOfYear(d), 3, ' ')],
  ['_2', (d) => pad(d.getDate(), 2, ' ')],
  ['1', (d) => String(d.getMonth() + 1)],
  ['2', (d) => String(d.getDate())],
  ['3', (d) => String(hour12(d))],
  ['4', (d) => String(d.getMinutes())],
  ['5', (d) => String(d.getSeconds())],
  ['PM', (d) => (d.getHours() >= 12 ? 'PM' : 'AM')],
  ['pm', (d) => (d.getHours() >= 12 ? 'pm' : 'am')],
  ['-07:00:00', (_d, o) => zone(o, true, true, false)],
  ['-070000', (_d, o) => zone(o, false, true, false)],
  ['-07:00', (_d, o) => zone(o, true, false, false)],
  ['-0700', (_d, o) => zone(o, false, false, false)],
  ['-07', (_d, o) => zone(o, false, false, false, true)],
  ['Z07:00:00', (_d, o) => zone(o, true, true, true)],
  ['Z070000', (_d, o) => zone(o, false, true, true)],
  ['Z07:00', (_d, o) => zone(o, true, false, true)],
  ['Z0700', (_d, o) => zone(o, false, false, true)],
  ['Z07', (_d, o) => zone(o, false, false, true, true)],
];

/** Fractional seconds `.000`/`.999` (also with `,`): fixed digits, or trailing zeros trimmed for 9s. */
function fraction(layout: string, i: number, d: Date): [string, number] | undefined {
  const sep = layout[i];
  if (sep !== '.' && sep !== ',') return undefined;
  const m = /^[.,](0+|9+)(?!\d)/.exec(layout.slice(i));
  if (m === null || m[1] === undefined) return undefined;
  const digits = m[1].length;
  const nanos = pad(d.getMilliseconds(), 3) + '000000';
  let frac = nanos.slice(0, digits).padEnd(digits, '0');
  if (m[1][0] === '9') {
    frac = frac.replace(/0+$/, '');
    return [frac === '' ? '' : sep + frac, m[0].length];
  }
  return [sep + frac, m[0].length];
}

/** Formats `date` (local time) with a Go reference layout such as `2006/01/02 15:04:05 - `. */
export function formatGoLayout(date: Date, layout: string): string {
  const off = -date.getTimezoneOffset();
  let out = '';
  let i = 0;
  outer: while (i < layout.length) {
    const frac = fraction(layout, i, date);
    if (frac !== undefined) {
      out += frac[0];
      i += frac[1];
      continue;
    }
    for (const [chunk, field] of CHUNKS) {
      if (!layout.startsWith(chunk, i)) continue;
      // Go only treats `Mon`/`Jan` as words when not followed by a lower-case letter.
      if ((chunk === 'Mon' || chunk === 'Jan') && /[a-z]/.test(layout[i + 3] ?? '')) continue;
      out += field(date, off);
      i += chunk.length;
      continue outer;
    }
    out += layout[i];
    i++;
  }
  return out;
}
