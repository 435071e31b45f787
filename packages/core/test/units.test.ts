import { describe, expect, it } from 'vitest';
import {
  DURATION_OFF,
  DURATION_OFF_NS,
  formatBitUnit,
  formatByteUnit,
  formatCountSuffix,
  formatDuration,
  formatDurationGo,
  formatGoDurationNs,
  formatRate,
  formatReadableDuration,
  formatSizeSuffix,
  goQuote,
  parseCountSuffix,
  parseDuration,
  parseDurationNs,
  parseSizeSuffix,
} from '../src/config/index.js';
import { isJsyncError } from '../src/fs/errors.js';

const KI = 1024;
const MI = 1024 ** 2;

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(isJsyncError(err, 'INVALID_ARGUMENT')).toBe(true);
    return String((err as { context: { reason: string } }).context.reason);
  }
  throw new Error('expected an error');
}

describe('parseSizeSuffix', () => {
  it.each([
    ['0', 0],
    ['10', 10 * KI],
    ['1.5', 1536],
    ['.5', 512],
    ['100B', 100],
    ['100b', 100],
    ['1k', KI],
    ['1K', KI],
    ['1Ki', KI],
    ['1KiB', KI],
    ['1kib', KI],
    ['2M', 2 * MI],
    ['2.5Mi', 2.5 * MI],
    ['1G', 1024 ** 3],
    ['1T', 1024 ** 4],
    ['1P', 1024 ** 5],
    ['1E', 1024 ** 6],
    ['1e3', 1000 * KI],
    ['1.0001', 1024], // truncated like Go's float→int64 conversion
    ['off', -1],
    ['OFF', -1],
  ])('%s → %d', (text, bytes) => {
    expect(parseSizeSuffix(text)).toBe(bytes);
  });

  it('honours defaultSuffix B for bare numbers only', () => {
    expect(parseSizeSuffix('10', { defaultSuffix: 'B' })).toBe(10);
    expect(parseSizeSuffix('10k', { defaultSuffix: 'B' })).toBe(10 * KI);
  });

  it.each([
    ['abc', "bad suffix 'c'"],
    ['1x', "bad suffix 'x'"],
    ['1iB', "bad suffix '1'"],
    ['1Bi', "bad suffix 'B'"],
    ['i', "bad suffix 'i'"],
    ['', 'empty string'],
    ['-1', `size can't be negative "-1"`],
    ['-1k', `size can't be negative "-1"`],
    ['1.5.5', 'strconv.ParseFloat: parsing "1.5.5": invalid syntax'],
    ['1KIB', 'strconv.ParseFloat: parsing "1KI": invalid syntax'],
    ['1µ', "bad suffix 'µ'"],
  ])('%j fails with rclone reason %j', (text, reason) => {
    expect(reasonOf(() => parseSizeSuffix(text))).toBe(reason);
  });

  it('names the bad value in the message', () => {
    expect(() => parseSizeSuffix('12x')).toThrow(`invalid size "12x": bad suffix 'x'`);
  });
});

describe('parseCountSuffix', () => {
  it('uses decimal multipliers', () => {
    expect(parseCountSuffix('1k')).toBe(1000);
    expect(parseCountSuffix('1kb')).toBe(1000);
    expect(parseCountSuffix('2M')).toBe(2_000_000);
    expect(parseCountSuffix('5B')).toBe(5);
    expect(parseCountSuffix('off')).toBe(-1);
    expect(reasonOf(() => parseCountSuffix('1Ki'))).toBe("bad suffix 'i'");
  });
});

describe('size formatting', () => {
  it.each([
    [0, '0', '0 B'],
    [1, '1', '1 B'],
    [1023, '1023', '1023 B'],
    [1024, '1Ki', '1 KiB'],
    [1088, '1.062Ki', '1.062 KiB'], // exact tie 1.0625 rounds half-to-even like Go (rclone size prints 1.062 KiB)
    [12345, '12.056Ki', '12.056 KiB'],
    [12359, '12.069Ki', '12.069 KiB'],
    [5_000_000, '4.768Mi', '4.768 MiB'],
    [16 * MI, '16Mi', '16 MiB'],
    [250 * MI, '250Mi', '250 MiB'],
    [270553174016, '251.972Gi', '251.972 GiB'],
    [1024 ** 6 * 2, '2Ei', '2 EiB'],
    [-1, 'off', 'off'],
  ])('%d → %s / %s', (n, suffix, byteUnit) => {
    expect(formatSizeSuffix(n)).toBe(suffix);
    expect(formatByteUnit(n)).toBe(byteUnit);
  });

  it('formats rates in bytes and bits', () => {
    expect(formatRate(0)).toBe('0 B/s');
    expect(formatRate(2_153_780)).toBe('2.054 MiB/s');
    expect(formatRate(1024.9)).toBe('1 KiB/s');
    expect(formatRate(128, { unit: 'bits' })).toBe('1 Kibit/s');
    expect(formatBitUnit(8)).toBe('8 bit');
  });

  it.each([
    [0, '0'],
    [999, '999'],
    [1000, '1k'],
    [1500, '1.500k'], // rclone size: "Total objects: 1.500k (1500)"
    [1499, '1.499k'],
    [1234, '1.234k'],
    [2_000_000, '2M'],
    [-5, 'off'],
  ])('count %d → %s', (n, text) => {
    expect(formatCountSuffix(n)).toBe(text);
  });
});

describe('parseDuration', () => {
  it.each([
    ['0', 0],
    ['500ms', 500],
    ['1s', 1000],
    ['1m', 60_000],
    ['1h2m3.5s', 3_723_500],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['5.s', 5000],
    ['+1h', 3_600_000],
    ['-1h', -3_600_000],
    ['1us', 0.001],
    ['1µs', 0.001],
    ['1μs', 0.001],
    ['1000ns', 0.001],
    ['10', 10_000],
    ['1.5', 1500],
    ['1e3', 1_000_000],
    ['1d', 86_400_000],
    ['1.5d', 129_600_000],
    ['-1d', -86_400_000],
    ['2w', 14 * 86_400_000],
    ['1M', 30 * 86_400_000],
    ['1y', 365 * 86_400_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBeCloseTo(ms, 9);
  });

  it('keeps nanosecond precision in parseDurationNs', () => {
    expect(parseDurationNs('1ns')).toBe(1n);
    expect(parseDurationNs('1.000000001s')).toBe(1_000_000_001n);
    expect(parseDurationNs('off')).toBe(DURATION_OFF_NS);
    expect(parseDuration('off')).toBe(DURATION_OFF);
  });

  it('accepts dates as the time since then', () => {
    const now = Date.UTC(2020, 0, 2, 0, 0, 0);
    expect(parseDuration('2020-01-01T00:00:00Z', { now })).toBe(86_400_000);
    expect(parseDuration('2020-01-01T01:00:00+01:00', { now })).toBe(86_400_000);
    const local = new Date(2020, 0, 1).getTime();
    expect(parseDuration('2020-01-01', { now: local + 5000 })).toBe(5000);
    expect(parseDuration('2020-01-01 00:00:10', { now: local + 15_000 })).toBe(5000);
  });

  it.each([
    ['xyz', 'parsing time "xyz" as "2006-01-02": cannot parse "xyz" as "2006"'],
    ['', 'parsing time "" as "2006-01-02": cannot parse "" as "2006"'],
    ['1h-2m', 'parsing time "1h-2m" as "2006-01-02": cannot parse "m" as "2006"'],
    ['1d2h', 'parsing time "1d2h" as "2006-01-02": cannot parse "" as "2006"'],
    ['2020x', 'parsing time "2020x" as "2006-01-02": cannot parse "x" as "-"'],
    ['2020-13-01', 'parsing time "2020-13-01": month out of range'],
    ['2020-01-01x', 'parsing time "2020-01-01x": extra text: "x"'],
    ['2020-1-01', 'parsing time "2020-1-01" as "2006-01-02": cannot parse "1-01" as "01"'],
    ['2020-02-30', 'parsing time "2020-02-30": day out of range'],
    ['20x0-01-01', 'parsing time "20x0-01-01" as "2006-01-02": cannot parse "-01-01" as "2006"'],
    ['2020-01-01 10:00', 'parsing time "2020-01-01 10:00": extra text: " 10:00"'],
  ])('%j fails like rclone: %s', (text, reason) => {
    expect(reasonOf(() => parseDuration(text))).toBe(reason);
  });
});

describe('duration formatting', () => {
  it.each([
    [0n, '0s'],
    [1n, '1ns'],
    [1500n, '1.5µs'],
    [1_000_000n, '1ms'],
    [500_000_000n, '500ms'],
    [1_000_000_000n, '1s'],
    [1_500_000_000n, '1.5s'],
    [60_000_000_000n, '1m0s'],
    [300_000_000_000n, '5m0s'],
    [3_600_000_000_000n, '1h0m0s'],
    [9_900_500_000_000n, '2h45m0.5s'],
    [-1_500_000_000n, '-1.5s'],
    [DURATION_OFF_NS, '2562047h47m16.854775807s'],
  ])('Go String(%d ns) = %s', (ns, text) => {
    expect(formatGoDurationNs(ns)).toBe(text);
  });

  it('formats ms values in Go style', () => {
    expect(formatDurationGo(60_000)).toBe('1m0s');
    expect(formatDurationGo(500)).toBe('500ms');
    expect(formatDurationGo(0)).toBe('0s');
    expect(formatDurationGo(0.001)).toBe('1µs');
    expect(formatDurationGo(DURATION_OFF)).toBe('off');
  });

  it('formats rclone fs.Duration values', () => {
    expect(formatDuration(DURATION_OFF)).toBe('off');
    expect(formatDuration(60_000)).toBe('1m0s');
    expect(formatDuration(86_400_000)).toBe('1d');
    expect(formatDuration(1.5 * 86_400_000)).toBe('1.5d');
    expect(formatDuration(7 * 86_400_000)).toBe('1w');
    expect(formatDuration(30 * 86_400_000)).toBe('1M');
    expect(formatDuration(365 * 86_400_000)).toBe('1y');
  });

  it('formats readable durations', () => {
    expect(formatReadableDuration(0)).toBe('0s');
    expect(formatReadableDuration(3_723_000)).toBe('1h2m3s');
    expect(formatReadableDuration(1500)).toBe('1s500ms');
    expect(formatReadableDuration(8 * 86_400_000)).toBe('1w1d');
    expect(formatReadableDuration(366 * 86_400_000)).toBe('1y1d');
    expect(formatReadableDuration(-61_000)).toBe('-1m1s');
  });
});

describe('goQuote', () => {
  it('quotes like Go strconv.Quote', () => {
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(goQuote('\n\t\x01\x7f')).toBe('"\\n\\t\\x01\\x7f"');
    expect(goQuote('æ ✓')).toBe('"æ ✓"');
    expect(goQuote('\u00a0')).toBe('"\\u00a0"');
    expect(goQuote('\udcff')).toBe('"\\xff"');
  });
});
