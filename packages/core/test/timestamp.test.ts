import { describe, expect, it } from 'vitest';
import { MODTIME_NOT_SUPPORTED, SECOND_NS, Timestamp, getModifyWindow, modTimesEqual } from '../src/index.js';

describe('Timestamp', () => {
  it('keeps nanoseconds that a Date cannot', () => {
    const t = Timestamp.parse('2001-02-03T04:05:06.499999999Z');
    expect(t.nanos).toBe(499999999);
    expect(t.toRFC3339()).toBe('2001-02-03T04:05:06.499999999Z');
    expect(t.toDate().toISOString()).toBe('2001-02-03T04:05:06.499Z');
  });

  it('parses zone offsets and short fractions', () => {
    expect(Timestamp.parse('2022-03-04T06:06:07.1+01:00').toRFC3339()).toBe('2022-03-04T05:06:07.100000000Z');
    expect(Timestamp.parse('2022-03-04T05:06:07Z').toRFC3339(0)).toBe('2022-03-04T05:06:07Z');
    expect(() => Timestamp.parse('2022-03-04 nonsense')).toThrow(/invalid RFC 3339 time/);
  });

  it('formats with fixed digits and offsets like Go', () => {
    const t = Timestamp.parse('2010-01-02T03:04:05.123456789Z');
    expect(t.format({ digits: 3 })).toBe('2010-01-02T03:04:05.123Z');
    expect(t.format({ digits: 9, offsetMinutes: 60 })).toBe('2010-01-02T04:04:05.123456789+01:00');
    expect(t.format({ digits: 0, offsetMinutes: -150 })).toBe('2010-01-02T00:34:05-02:30');
  });

  it('handles times before the epoch', () => {
    const t = Timestamp.parse('1969-12-31T23:59:59.5Z');
    expect(t.ns).toBe(-500_000_000n);
    expect(t.seconds).toBe(-1n);
    expect(t.nanos).toBe(500_000_000);
    expect(t.toRFC3339()).toBe('1969-12-31T23:59:59.500000000Z');
  });

  it('truncates to a precision and compares', () => {
    const t = Timestamp.parse('2001-02-03T04:05:10.123123123Z');
    expect(t.truncate(SECOND_NS).toRFC3339()).toBe('2001-02-03T04:05:10.000000000Z');
    expect(t.compare(t.add(1n))).toBe(-1);
    expect(t.equals(Timestamp.fromNs(t.ns))).toBe(true);
    expect(Timestamp.fromSeconds(1, 5).ns).toBe(1_000_000_005n);
  });
});

describe('modify window', () => {
  const fs = (precision: bigint) => ({ precision });
  it('takes the maximum precision and the flag', () => {
    expect(getModifyWindow([fs(1n), fs(SECOND_NS)])).toBe(SECOND_NS);
    expect(getModifyWindow([fs(1n)], 2n * SECOND_NS)).toBe(2n * SECOND_NS);
    expect(getModifyWindow([fs(1n), fs(MODTIME_NOT_SUPPORTED)])).toBe(MODTIME_NOT_SUPPORTED);
  });
  it('compares strictly within the window', () => {
    const a = Timestamp.parse('2001-02-03T04:05:06.499999999Z');
    const b = Timestamp.parse('2001-02-03T04:05:06Z');
    expect(modTimesEqual(a, b, SECOND_NS)).toBe(true);
    expect(modTimesEqual(a, b, 1n)).toBe(false);
    expect(modTimesEqual(a, a.add(SECOND_NS), SECOND_NS)).toBe(false);
  });
});
