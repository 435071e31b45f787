import { describe, expect, it } from 'vitest';
import { parseOptions, parseOptionValue } from '../src/config/index.js';
import { isJsyncError } from '../src/fs/errors.js';
import type { OptionSpec } from '../src/fs/options.js';

const spec = (name: string, type: OptionSpec['type'], def?: string): OptionSpec => ({ name, help: name, type, default: def });

function failure(s: OptionSpec, raw: string): string {
  try {
    parseOptionValue(s, raw);
  } catch (err) {
    expect(isJsyncError(err, 'INVALID_ARGUMENT')).toBe(true);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to fail`);
}

describe('parseOptionValue', () => {
  const b = spec('case_insensitive', 'bool');
  it.each([
    ['true', true], ['TRUE', true], ['tRuE', true], ['t', true], ['T', true], ['1', true], [' true ', true],
    ['false', false], ['FaLsE', false], ['f', false], ['0', false], [' 1', true],
  ])('bool %j → %s', (raw, value) => {
    expect(parseOptionValue(b, raw)).toBe(value);
  });

  it.each([
    ['yes', 'syntax error scanning boolean'],
    ['x', 'syntax error scanning boolean'], // rclone reads this as false; jsync refuses it
    ['tr', 'syntax error scanning boolean'],
    ['fals', 'syntax error scanning boolean'],
    ['truex', 'expected newline'],
    ['t2', 'expected newline'],
    ['true 1', 'expected newline'],
    ['  ', 'EOF'],
  ])('bool %j fails: %s', (raw, reason) => {
    expect(failure(b, raw)).toBe(`couldn't parse config item "case_insensitive" = "${raw}" as bool: parsing "${raw}" as bool failed: ${reason}`);
  });

  const n = spec('concurrency', 'int');
  it.each([
    ['10', 10], [' 7 ', 7], ['+5', 5], ['-3', -3], ['010', 8], ['0x1f', 31], ['0b101', 5], ['0o17', 15], ['1_000', 1000], ['0x_1', 1], ['0', 0],
  ])('int %j → %d', (raw, value) => {
    expect(parseOptionValue(n, raw)).toBe(value);
  });

  it.each([
    ['x', 'expected integer'],
    ['-', 'EOF'],
    ['_1', 'strconv.ParseInt: parsing "_1": invalid syntax'],
    ['0x', 'strconv.ParseInt: parsing "0x": invalid syntax'],
    ['0b', 'strconv.ParseInt: parsing "0b": invalid syntax'],
    ['7 8', 'expected newline'],
    ['1e3', 'expected newline'],
    ['99999999999999999999', 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
  ])('int %j fails: %s', (raw, reason) => {
    expect(failure(n, raw)).toBe(`couldn't parse config item "concurrency" = "${raw}" as int: parsing "${raw}" as int failed: ${reason}`);
  });

  it('parses sizes, durations and encodings through their rclone scanners', () => {
    const size = spec('md5_memory_limit', 'size');
    expect(parseOptionValue(size, '10Mi')).toBe(10 * 1024 * 1024);
    expect(parseOptionValue(size, ' 5 ')).toBe(5 * 1024);
    expect(parseOptionValue(size, 'off')).toBe(-1);
    expect(failure(size, '5x')).toBe(`couldn't parse config item "md5_memory_limit" = "5x" as fs.SizeSuffix: parsing "5x" as fs.SizeSuffix failed: bad suffix 'x'`);
    expect(failure(size, '0x10')).toBe(
      `couldn't parse config item "md5_memory_limit" = "0x10" as fs.SizeSuffix: parsing "0x10" as fs.SizeSuffix failed: strconv.ParseFloat: parsing "0x10": invalid syntax`,
    );
    expect(failure(size, '-3')).toContain(`failed: size can't be negative "-3"`);

    const dur = spec('timeout', 'duration');
    expect(parseOptionValue(dur, '1m30s')).toBe(90_000);
    expect(parseOptionValue(dur, ' 2d')).toBe(2 * 86_400_000);
    expect(failure(dur, 'xyz')).toBe(
      `couldn't parse config item "timeout" = "xyz" as fs.Duration: parsing "xyz" as fs.Duration failed: parsing time "xyz" as "2006-01-02": cannot parse "xyz" as "2006"`,
    );

    const enc = spec('encoding', 'encoding');
    expect(parseOptionValue(enc, 'Slash,Dot')).toBe(parseOptionValue(enc, 'Dot,Slash'));
    expect(parseOptionValue(enc, 'None')).toBe(0);
    expect(failure(enc, 'Slash Dot')).toBe(
      `couldn't parse config item "encoding" = "Slash Dot" as encoder.MultiEncoder: parsing "Slash Dot" as encoder.MultiEncoder failed: expected newline`,
    );
    expect(failure(enc, 'Foo')).toMatch(/^couldn't parse config item "encoding" = "Foo" as encoder.MultiEncoder: parsing "Foo" as encoder.MultiEncoder failed: bad encoding "Foo": possible values are: Asterisk, /);
  });

  it('keeps strings and passwords verbatim', () => {
    expect(parseOptionValue(spec('host', 'string'), '  a b ')).toBe('  a b ');
    expect(parseOptionValue(spec('pass', 'password'), 'YWFh')).toBe('YWFh');
    expect(parseOptionValue({ name: 'untyped', help: '' }, 'x')).toBe('x');
  });

  it('reads "" as the Go zero value for non-string options (rclone masks that parse error)', () => {
    expect(parseOptionValue(spec('a', 'bool'), '')).toBe(false);
    expect(parseOptionValue(spec('a', 'size', '10Mi'), '')).toBe(0);
    expect(parseOptionValue(spec('a', 'encoding'), '')).toBe(0);
    expect(parseOptionValue(spec('a', 'string', 'x'), '')).toBe('');
  });

  it('names the option and value in the error context', () => {
    try {
      parseOptionValue(b, 'nope');
      expect.unreachable();
    } catch (err) {
      expect((err as { context: Record<string, string> }).context).toMatchObject({ option: 'case_insensitive', value: 'nope' });
    }
  });
});

describe('parseOptions', () => {
  const specs: OptionSpec[] = [
    spec('hard_delete', 'bool', 'false'),
    spec('md5_memory_limit', 'size', '10Mi'),
    spec('device', 'string'),
    spec('timeout', 'duration', '1m0s'),
    spec('flag', 'bool'),
  ];

  it('applies defaults for options not given and parses the given ones', () => {
    expect(parseOptions(specs, { hard_delete: 'true', device: 'Jotta', unknown: 'ignored' })).toEqual({
      hard_delete: true,
      md5_memory_limit: 10 * 1024 * 1024,
      device: 'Jotta',
      timeout: 60_000,
      flag: false,
    });
  });

  it('fails naming the option and the value', () => {
    expect(() => parseOptions(specs, { md5_memory_limit: 'lots' })).toThrow(`couldn't parse config item "md5_memory_limit" = "lots" as fs.SizeSuffix`);
  });
});
