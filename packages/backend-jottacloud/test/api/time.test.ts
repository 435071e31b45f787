import { isJsyncError, Timestamp } from '@jsync/core';
import { formatJfsTime as emuFormat, parseJfsTime as emuParse } from '@jsync/jottacloud-emulator';
import { describe, expect, it } from 'vitest';
import { formatJfsTime, formatRfc3339, parseJfsTime, parseRfc3339 } from '../../src/api/time.js';

const S = 1_000_000_000n;
const at = (iso: string): Timestamp => Timestamp.parse(iso);

function ioError(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    expect(isJsyncError(err, 'IO')).toBe(true);
    return err as Error;
  }
  throw new Error('expected an IO error');
}

describe('JFS time (2006-01-02-T15:04:05Z0700)', () => {
  it('parses UTC, positive and negative offsets without a colon', () => {
    expect(parseJfsTime('2018-07-05-T15:08:02Z')!.equals(at('2018-07-05T15:08:02Z'))).toBe(true);
    expect(parseJfsTime('2018-07-05-T17:08:02+0200')!.equals(at('2018-07-05T15:08:02Z'))).toBe(true);
    expect(parseJfsTime('2018-07-05-T09:38:02-0530')!.equals(at('2018-07-05T15:08:02Z'))).toBe(true);
    expect(parseJfsTime('2018-07-05-T15:08:02+0000')!.equals(at('2018-07-05T15:08:02Z'))).toBe(true);
  });

  it('keeps fractional seconds (Go accepts them after the seconds field)', () => {
    const t = parseJfsTime('2018-07-05-T17:08:02.123456789+0200')!;
    expect(t.ns).toBe(at('2018-07-05T15:08:02Z').ns + 123_456_789n);
    expect(parseJfsTime('2018-07-05-T15:08:02.5Z')!.nanos).toBe(500_000_000);
  });

  it('crosses day, month and year boundaries with offsets', () => {
    expect(parseJfsTime('2021-01-01-T01:30:00+0200')!.toRFC3339(0)).toBe('2020-12-31T23:30:00Z');
    expect(parseJfsTime('2020-02-29-T23:00:00-0130')!.toRFC3339(0)).toBe('2020-03-01T00:30:00Z');
    expect(parseJfsTime('1969-12-31-T23:59:59Z')!.ns).toBe(-S);
  });

  it('reads an empty element as "no time"', () => {
    expect(parseJfsTime('')).toBeUndefined();
  });

  it('rejects RFC 3339 and other shapes with an IO error naming the value', () => {
    for (const bad of ['2018-07-05T15:08:02Z', '2018-07-05-T15:08:02', '2018-07-05-T15:08:02+02:00', '2014-10-26T12:33:09Z+00:00',
      '2019-02-29-T00:00:00Z', '2018-13-01-T00:00:00Z', '2018-07-05-T24:00:00Z', '2018-07-05-T15:60:00Z', '2018-07-05-T15:08:60Z',
      ' 2018-07-05-T15:08:02Z', 'garbage']) {
      const err = ioError(() => parseJfsTime(bad));
      expect(err.message).toContain(JSON.stringify(bad));
    }
  });

  it('formats in UTC with whole seconds (truncating)', () => {
    expect(formatJfsTime(at('2018-07-05T15:08:02.999999999Z'))).toBe('2018-07-05-T15:08:02Z');
    expect(formatJfsTime(at('2018-07-05T17:08:02+02:00'))).toBe('2018-07-05-T15:08:02Z');
    expect(formatJfsTime(Timestamp.fromNs(-1n))).toBe('1969-12-31-T23:59:59Z');
    // Years below 100 stay literal (Date.UTC would map them to 19xx).
    expect(formatJfsTime(parseJfsTime('0099-01-02-T03:04:05Z')!)).toBe('0099-01-02-T03:04:05Z');
    expect(parseJfsTime('0099-01-02-T03:04:05Z')!.seconds).toBe(-59_042_897_755n);
  });

  it('round-trips: format(parse(x)) is x in UTC and parse(format(t)) is t truncated to the second', () => {
    let seed = 12345;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const t = Timestamp.fromNs(BigInt(Math.floor(rand() * 4e9 - 1e9)) * S + BigInt(Math.floor(rand() * 1e9)));
      const text = formatJfsTime(t);
      expect(parseJfsTime(text)!.equals(t.truncate(S))).toBe(true);
      expect(formatJfsTime(parseJfsTime(text)!)).toBe(text);
      // The same instant written with a +0200 / -0930 offset reads back equal.
      const plus2 = t.truncate(S).add(2n * 3600n * S).toRFC3339(0).replace('T', '-T').replace('Z', '+0200');
      expect(parseJfsTime(plus2)!.equals(t.truncate(S))).toBe(true);
      const minus = t.truncate(S).add(-(9n * 3600n + 1800n) * S).toRFC3339(0).replace('T', '-T').replace('Z', '-0930');
      expect(parseJfsTime(minus)!.equals(t.truncate(S))).toBe(true);
    }
  });

  it('agrees with the emulator in both directions', () => {
    for (const sec of [0, 1, 1_530_803_282, 4_102_444_799, -86_400 * 365]) {
      expect(parseJfsTime(emuFormat(sec))!.ns).toBe(BigInt(sec) * S);
      expect(emuParse(formatJfsTime(Timestamp.fromSeconds(sec)))).toBe(sec);
    }
    expect(emuParse(formatJfsTime(parseJfsTime('2018-07-05-T17:08:02+0200')!))).toBe(emuParse('2018-07-05-T15:08:02Z'));
  });
});

describe('RFC 3339 (allocate, liststream)', () => {
  it('formats UTC seconds with Z (Go time.RFC3339 drops fractions)', () => {
    expect(formatRfc3339(at('2020-05-06T07:08:09.999Z'))).toBe('2020-05-06T07:08:09Z');
    expect(formatRfc3339(at('2020-05-06T09:08:09+02:00'))).toBe('2020-05-06T07:08:09Z');
  });

  it('parses liststream times with milliseconds and offsets', () => {
    expect(parseRfc3339('2020-05-06T07:08:09.000Z')!.equals(at('2020-05-06T07:08:09Z'))).toBe(true);
    expect(parseRfc3339('2020-05-06T09:08:09.250+02:00')!.ns).toBe(at('2020-05-06T07:08:09Z').ns + 250_000_000n);
    expect(parseRfc3339('')).toBeUndefined();
    expect(ioError(() => parseRfc3339('2020-05-06-T07:08:09Z')).message).toContain('2020-05-06-T07:08:09Z');
    ioError(() => parseRfc3339('2020-02-30T00:00:00Z'));
  });

  it('round-trips through formatRfc3339', () => {
    for (const iso of ['1970-01-01T00:00:00Z', '2038-01-19T03:14:08Z', '1999-12-31T23:59:59Z']) {
      expect(formatRfc3339(parseRfc3339(iso)!)).toBe(iso);
    }
  });
});
