// --bwlimit parsing (rclone 1.60.1's error texts), timetables, token-bucket and --tpslimit timing on a manual clock.

import { describe, expect, it } from 'vitest';
import {
  BandwidthLimiter, ManualClock, TokenBucket, TpsLimiter, bwLimitAt, formatBwTimetable, goFormatG, parseBwPair,
  parseBwTimetable, systemClock,
} from '../src/accounting/index.js';
import type { Logger } from '../src/util/logger.js';

function memLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, enabled: () => true, log: (level, _s, msg) => lines.push(`${level}: ${msg}`) };
}

const reason = (v: string): string => {
  try {
    parseBwTimetable(v);
  } catch (err) {
    return (err as Error).message;
  }
  return 'ok';
};

describe('--bwlimit parsing', () => {
  it('parses rates, UP:DOWN pairs and off', () => {
    expect(parseBwPair('1M')).toEqual({ tx: 1048576, rx: 1048576 });
    expect(parseBwPair('10')).toEqual({ tx: 10240, rx: 10240 });
    expect(parseBwPair('1M:100k')).toEqual({ tx: 1048576, rx: 102400 });
    expect(parseBwPair('off:1M')).toEqual({ tx: -1, rx: 1048576 });
    expect(parseBwTimetable('512B')).toEqual([{ dayOfWeek: 0, hhmm: 0, bandwidth: { tx: 512, rx: 512 } }]);
    // No space or comma: a pair, even when it looks like a time (rclone reads 08 KiB up, 00 down).
    expect(parseBwTimetable('08:00')[0]?.bandwidth).toEqual({ tx: 8192, rx: 0 });
  });

  it('expands daily timetables to every weekday and keeps weekday slots', () => {
    const t = parseBwTimetable('08:00,512k 12:00,10M 23:00,off');
    expect(t).toHaveLength(21);
    expect(t.slice(0, 2)).toEqual([
      { dayOfWeek: 0, hhmm: 800, bandwidth: { tx: 524288, rx: 524288 } },
      { dayOfWeek: 1, hhmm: 800, bandwidth: { tx: 524288, rx: 524288 } },
    ]);
    const w = parseBwTimetable('Mon-08:00,1M:2M Sunday-20:00,off');
    expect(w).toEqual([
      { dayOfWeek: 1, hhmm: 800, bandwidth: { tx: 1048576, rx: 2097152 } },
      { dayOfWeek: 0, hhmm: 2000, bandwidth: { tx: -1, rx: -1 } },
    ]);
    expect(formatBwTimetable(w)).toBe('Mon-08:00,1Mi:2Mi Sun-20:00,off');
    expect(formatBwTimetable(parseBwTimetable('1.5M'))).toBe('1.500Mi');
  });

  it('rejects bad values with rclone 1.60.1\'s messages', () => {
    // Captured: rclone lsf --bwlimit VALUE → `invalid argument "VALUE" for "--bwlimit" flag: <message>`
    expect(reason('')).toBe('empty string');
    expect(reason('abc')).toBe("bad suffix 'c'");
    expect(reason('1M:xyz')).toBe("bad suffix 'z'");
    expect(reason('25:00,1M')).toBe("invalid hour (must be between 00 and 23): '\\x19'");
    expect(reason('08:00,1M 12:60,2M')).toBe("invalid minute (must be between 00 and 59): '\\f'");
    expect(reason('Foo-08:00,1M')).toBe('invalid weekday: "foo"');
    expect(reason('8:00,1M')).toBe('invalid time specification (hh:mm): "8:00"');
    expect(reason('ab:cd,1M')).toBe('invalid hour in time specification "ab:cd": strconv.Atoi: parsing "ab": invalid syntax');
    expect(reason('Mon-08:00-1,1M')).toBe('invalid time specification: "Mon-08:00-1"');
    expect(reason('08:00,1M,2M')).toBe('invalid time/bandwidth specification: "08:00,1M,2M"');
    expect(reason('Mon-08:00,1Z')).toBe("bad suffix 'Z'");
    expect(reason('10:0a,1M')).toBe('invalid minute in time specification: "10:0a": strconv.Atoi: parsing "0a": invalid syntax');
    expect(reason('-1')).toBe('size can\'t be negative "-1"');
    expect(reason('1M:')).toBe('empty string');
    expect(reason(':1M')).toBe('empty string');
  });

  it('finds the slot in force, wrapping around the week', () => {
    const t = parseBwTimetable('Mon-08:00,1M Fri-18:00,off Sat-09:30,2M');
    const at = (y: number, mo: number, d: number, h: number, mi: number) => bwLimitAt(t, new Date(y, mo - 1, d, h, mi)).bandwidth.tx;
    expect(at(2026, 1, 5, 7, 59)).toBe(2097152); // Monday before 08:00: Saturday's slot wraps around
    expect(at(2026, 1, 5, 8, 0)).toBe(1048576);
    expect(at(2026, 1, 9, 18, 0)).toBe(-1); // Friday 18:00
    expect(at(2026, 1, 10, 9, 30)).toBe(2097152);
    expect(bwLimitAt([], new Date()).bandwidth).toEqual({ tx: -1, rx: -1 });
    const daily = parseBwTimetable('08:00,512k 12:00,10M 23:00,off');
    expect(bwLimitAt(daily, new Date(2026, 0, 7, 13, 0)).bandwidth.tx).toBe(10 * 1048576);
    expect(bwLimitAt(daily, new Date(2026, 0, 7, 2, 0)).bandwidth.tx).toBe(-1);
  });
});

describe('token buckets', () => {
  it('behaves like Go rate.Limiter: burst, then paced reservations', async () => {
    const clock = new ManualClock();
    const b = new TokenBucket({ rate: 10, burst: 2, clock });
    expect(b.reserve(1)).toBe(0);
    expect(b.reserve(1)).toBe(0);
    expect(b.reserve(1)).toBeCloseTo(100, 9);
    expect(b.reserve(1)).toBeCloseTo(200, 9);
    await clock.advance(1000);
    expect(b.reserve(2)).toBe(0); // refilled to burst, not beyond
    expect(b.reserve(1)).toBeCloseTo(100, 9);
  });

  it('takes requests larger than the burst burst by burst', async () => {
    const clock = new ManualClock();
    const b = new TokenBucket({ rate: 100, burst: 10, clock, empty: true });
    let done = false;
    const p = b.waitN(25, undefined).then(() => { done = true; });
    await clock.advance(240);
    expect(done).toBe(false);
    await clock.advance(10);
    await p;
    expect(done).toBe(true);
  });

  it('limits transactions per second with a burst', async () => {
    const clock = new ManualClock();
    const logger = memLogger();
    const tps = new TpsLimiter({ tps: 2, burst: 3, clock, logger });
    expect(logger.lines).toEqual(['INFO: Starting transaction limiter: max 2 transactions/s with burst 3']);
    const times: number[] = [];
    const all = Promise.all(Array.from({ length: 5 }, () => tps.take().then(() => times.push(clock.now()))));
    await new Promise((r) => setImmediate(r));
    await clock.advance(2000);
    await all;
    expect(times).toEqual([0, 0, 0, 500, 1000]);
    const off = new TpsLimiter({ tps: 0 });
    expect(off.enabled).toBe(false);
    await off.take();
  });

  it('aborts a wait and returns the tokens', async () => {
    const clock = new ManualClock();
    const tps = new TpsLimiter({ tps: 1, clock });
    await tps.take();
    const ac = new AbortController();
    const p = tps.take(ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(clock.pending).toBe(0);
    await expect(tps.take(AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('sleeps for real on the system clock', async () => {
    const b = new TokenBucket({ rate: 1000, burst: 1, clock: systemClock, empty: true });
    const t0 = performance.now();
    await b.waitN(5);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(4);
  });

  it('formats %g like Go', () => {
    expect(goFormatG(10)).toBe('10');
    expect(goFormatG(0.5)).toBe('0.5');
    expect(goFormatG(100000)).toBe('100000');
    expect(goFormatG(1e6)).toBe('1e+06');
    expect(goFormatG(1234567)).toBe('1.234567e+06');
    expect(goFormatG(0.00001)).toBe('1e-05');
  });
});

describe('BandwidthLimiter', () => {
  it('uses the accounting slot only when both directions are limited', async () => {
    const clock = new ManualClock();
    const up = new BandwidthLimiter({ timetable: parseBwTimetable('1K:off'), clock });
    await up.waitN('accounting', 1 << 20); // unlimited: returns at once
    let txDone = false;
    const p = up.waitN('tx', 2048).then(() => { txDone = true; });
    await clock.advance(1999);
    expect(txDone).toBe(false);
    await clock.advance(1);
    await p;
    const both = new BandwidthLimiter({ timetable: parseBwTimetable('1K:2K'), clock });
    let accDone = false;
    const q = both.waitN('accounting', 2048).then(() => { accDone = true; }); // max(1K, 2K) = 2K/s
    await clock.advance(1000);
    await q;
    expect(accDone).toBe(true);
  });

  it('follows the timetable minute by minute and logs the change', async () => {
    // 2026-01-05 is a Monday; the clock starts at 07:59 local time.
    const clock = new ManualClock({ epochMs: new Date(2026, 0, 5, 7, 59, 0).getTime() });
    const logger = memLogger();
    const bw = new BandwidthLimiter({ timetable: parseBwTimetable('08:00,1K 09:00,off'), clock, logger });
    expect(bw.limit).toEqual({ tx: -1, rx: -1 });
    expect(logger.lines).toEqual([]);
    await clock.advance(60_000);
    expect(bw.limit).toEqual({ tx: 1024, rx: 1024 });
    let done = false;
    const p = bw.waitN('accounting', 1024).then(() => { done = true; });
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    await p;
    await clock.advance(3_600_000);
    expect(bw.limit.tx).toBe(-1);
    expect(logger.lines).toEqual([
      'NOTICE: Scheduled bandwidth change. Limit set to 1Ki Byte/s',
      'NOTICE: Scheduled bandwidth change. Bandwidth limits disabled',
    ]);
    bw.set({ tx: 2048, rx: 2048 });
    bw.set({ tx: -1, rx: -1 });
    expect(logger.lines.slice(2)).toEqual(['NOTICE: Bandwidth limit set to 2Ki', 'NOTICE: Bandwidth limit reset to unlimited']);
  });
});
