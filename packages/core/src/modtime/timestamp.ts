// A nanosecond-precision instant: a JS Date (milliseconds) cannot carry rclone's .499999999Z times.

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/;

/** An instant as nanoseconds since the Unix epoch (UTC). Immutable. */
export class Timestamp {
  /** Nanoseconds since 1970-01-01T00:00:00Z. */
  readonly ns: bigint;

  private constructor(ns: bigint) {
    this.ns = ns;
  }

  /** From nanoseconds since the epoch. */
  static fromNs(ns: bigint): Timestamp {
    return new Timestamp(ns);
  }

  /** From a Date (millisecond precision). */
  static fromDate(d: Date): Timestamp {
    const ms = d.getTime();
    if (Number.isNaN(ms)) throw new RangeError('invalid date');
    return new Timestamp(BigInt(ms) * NS_PER_MS);
  }

  /** From milliseconds since the epoch, fractional part kept to the nanosecond. */
  static fromMs(ms: number): Timestamp {
    const whole = Math.floor(ms);
    return new Timestamp(BigInt(whole) * NS_PER_MS + BigInt(Math.round((ms - whole) * 1e6)));
  }

  /** From seconds since the epoch plus an optional nanosecond part. */
  static fromSeconds(seconds: number | bigint, nanos = 0): Timestamp {
    return new Timestamp(BigInt(seconds) * NS_PER_S + BigInt(nanos));
  }

  /** The current time (microsecond-ish precision from the high resolution clock). */
  static now(): Timestamp {
    const ms = performance.timeOrigin + performance.now();
    return Timestamp.fromMs(ms);
  }

  /** Parses RFC 3339 with up to 9 fractional digits (`2001-02-03T04:05:06.499999999Z`, `…+01:00`). */
  static parse(text: string): Timestamp {
    const m = RFC3339.exec(text);
    if (!m) throw new RangeError(`invalid RFC 3339 time ${JSON.stringify(text)}`);
    const [, y, mo, d, h, mi, s, frac, zone] = m as unknown as string[];
    const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    if (Number.isNaN(base)) throw new RangeError(`invalid RFC 3339 time ${JSON.stringify(text)}`);
    let ns = BigInt(base) * NS_PER_MS + (frac ? BigInt(frac.padEnd(9, '0')) : 0n);
    if (zone && zone !== 'Z' && zone !== 'z') {
      const sign = zone[0] === '-' ? -1n : 1n;
      const offMin = BigInt(Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
      ns -= sign * offMin * 60n * NS_PER_S;
    }
    return new Timestamp(ns);
  }

  /** Whole seconds since the epoch (floor). */
  get seconds(): bigint {
    return floorDiv(this.ns, NS_PER_S);
  }

  /** Nanoseconds within the second, 0..999999999. */
  get nanos(): number {
    return Number(this.ns - this.seconds * NS_PER_S);
  }

  /** Milliseconds since the epoch as a float (may lose sub-microsecond precision). */
  toMs(): number {
    return Number(this.ns) / 1e6;
  }

  /** A Date (truncated to milliseconds). */
  toDate(): Date {
    return new Date(Number(floorDiv(this.ns, NS_PER_MS)));
  }

  /** Seconds as a float, for `fs.utimes`-like APIs (loses precision; prefer `seconds`/`nanos`). */
  toUnixSeconds(): number {
    return Number(this.ns) / 1e9;
  }

  /** `this - other` in nanoseconds. */
  sub(other: Timestamp): bigint {
    return this.ns - other.ns;
  }

  /** Adds `ns` nanoseconds. */
  add(ns: bigint): Timestamp {
    return new Timestamp(this.ns + ns);
  }

  /** Rounds down to a multiple of `precisionNs` (e.g. 1 s for Jottacloud). */
  truncate(precisionNs: bigint): Timestamp {
    if (precisionNs <= 1n) return this;
    return new Timestamp(floorDiv(this.ns, precisionNs) * precisionNs);
  }

  /** -1, 0 or 1. */
  compare(other: Timestamp): number {
    return this.ns < other.ns ? -1 : this.ns > other.ns ? 1 : 0;
  }

  /** Exact equality to the nanosecond. */
  equals(other: Timestamp): boolean {
    return this.ns === other.ns;
  }

  /** Broken-down fields in UTC shifted by `offsetMinutes` (for local-time formatting). */
  fields(offsetMinutes = 0): { year: number; month: number; day: number; hour: number; minute: number; second: number; nanos: number } {
    const secs = this.seconds + BigInt(offsetMinutes * 60);
    const d = new Date(Number(secs) * 1000);
    return {
      year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
      hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), nanos: this.nanos,
    };
  }

  /** RFC 3339 in UTC with exactly `digits` fractional digits (0 → none): `2001-02-03T04:05:06.499999999Z`. */
  toRFC3339(digits = 9): string {
    return this.format({ digits });
  }

  /**
   * RFC 3339 with `digits` fractional digits (truncated, as Go) in a fixed offset zone.
   * `offsetMinutes` 0 prints `Z`, otherwise `+hh:mm`.
   */
  format(opts: { digits?: number; offsetMinutes?: number } = {}): string {
    const digits = opts.digits ?? 9;
    const off = opts.offsetMinutes ?? 0;
    const f = this.fields(off);
    const date = `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}`;
    const frac = digits > 0 ? '.' + pad(f.nanos, 9).slice(0, digits) : '';
    return date + frac + formatOffset(off);
  }

  /** Same as `toRFC3339(9)`. */
  toString(): string {
    return this.toRFC3339(9);
  }

  /** JSON form: RFC 3339 with nanoseconds. */
  toJSON(): string {
    return this.toRFC3339(9);
  }
}

/** `Z` for 0, else `+hh:mm` / `-hh:mm`. */
export function formatOffset(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'Z';
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q;
}
