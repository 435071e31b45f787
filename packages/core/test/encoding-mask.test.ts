// Unit tests for mask strings: parseEncoding / formatEncoding against rclone's Set/String rules and error text.
import { describe, expect, it } from 'vitest';
import {
  EncodeFlag,
  EncodeHashPercent,
  EncodeWin,
  EncodingPreset,
  formatEncoding,
  parseEncoding,
} from '../src/encoding/index.js';
import { isJsyncError } from '../src/fs/errors.js';

// Captured from `rclone lsf --local-encoding Foo /tmp` (rclone v1.60.1).
const POSSIBLE =
  'Asterisk, BackQuote, BackSlash, Colon, CrLf, Ctl, Del, Dollar, Dot, DoubleQuote, Hash, InvalidUtf8, LeftCrLfHtVt, ' +
  'LeftPeriod, LeftSpace, LeftTilde, LtGt, None, Percent, Pipe, Question, RightCrLfHtVt, RightPeriod, RightSpace, ' +
  'Semicolon, SingleQuote, Slash, SquareBracket';

function parseError(text: string): string {
  try {
    parseEncoding(text);
  } catch (err) {
    expect(isJsyncError(err, 'INVALID_ARGUMENT')).toBe(true);
    return (err as Error).message;
  }
  throw new Error(`parseEncoding(${JSON.stringify(text)}) did not throw`);
}

describe('flag values and presets', () => {
  it('has rclone bit values', () => {
    expect(EncodeFlag.Slash).toBe(2);
    expect(EncodeFlag.Percent).toBe(4096);
    expect(EncodeFlag.Ctl).toBe(65536);
    expect(EncodeFlag.InvalidUtf8).toBe(16777216);
    expect(EncodeFlag.Dot).toBe(33554432);
    expect(EncodeFlag.Semicolon).toBe(134217728);
    expect(EncodeFlag.Exclamation).toBe(268435456);
    expect(EncodeWin).toBe(EncodeFlag.Colon | EncodeFlag.Question | EncodeFlag.DoubleQuote | EncodeFlag.Asterisk | EncodeFlag.LtGt | EncodeFlag.Pipe);
    expect(EncodeHashPercent).toBe(6144);
  });

  it('has the documented preset values', () => {
    expect(EncodingPreset.STANDARD).toBe(33652738);
    expect(EncodingPreset.DISPLAY).toBe(EncodingPreset.STANDARD);
    expect(EncodingPreset.BASE).toBe(33554434);
    expect(EncodingPreset.LOCAL_LINUX).toBe(33554434);
    expect(EncodingPreset.JOTTACLOUD_V160).toBe(50431886);
    expect(EncodingPreset.JOTTACLOUD_DEFAULT).toBe(50435982);
    expect(formatEncoding(EncodingPreset.LOCAL_DARWIN)).toBe('Slash,InvalidUtf8,Dot');
    expect(formatEncoding(EncodingPreset.LOCAL_WINDOWS)).toBe(
      'Slash,LtGt,DoubleQuote,Colon,Question,Asterisk,Pipe,BackSlash,Ctl,RightSpace,RightPeriod,InvalidUtf8,Dot',
    );
  });
});

describe('parseEncoding', () => {
  it('parses names, ORs parts and trims spaces', () => {
    expect(parseEncoding('Slash,Dot')).toBe(EncodingPreset.LOCAL_LINUX);
    expect(parseEncoding(' Slash ,\tDot ')).toBe(EncodingPreset.LOCAL_LINUX);
    expect(parseEncoding('Slash,Del,Ctl,Dot')).toBe(33652738);
    expect(parseEncoding('Slash,LtGt,DoubleQuote,Colon,Question,Asterisk,Pipe,Del,Ctl,InvalidUtf8,Dot')).toBe(50431886);
    expect(parseEncoding('None')).toBe(0);
    expect(parseEncoding('None,Slash')).toBe(2);
    expect(parseEncoding('Slash,Slash')).toBe(2);
    expect(parseEncoding('Exclamation,Raw')).toBe(EncodeFlag.Exclamation | EncodeFlag.Raw);
  });

  it('parses integers with Go base prefixes', () => {
    expect(parseEncoding('50431886')).toBe(50431886);
    expect(parseEncoding('0x10')).toBe(16);
    expect(parseEncoding('0X1f')).toBe(31);
    expect(parseEncoding('010')).toBe(8);
    expect(parseEncoding('0o17')).toBe(15);
    expect(parseEncoding('0b11')).toBe(3);
    expect(parseEncoding('1_0')).toBe(10);
    expect(parseEncoding('+5')).toBe(5);
    expect(parseEncoding('0')).toBe(0);
    expect(parseEncoding('Slash,0x1000')).toBe(2 | 4096);
    // Negative numbers wrap as 64-bit; jsync keeps the low 53 bits.
    expect(parseEncoding('-1')).toBe(2 ** 53 - 1);
  });

  it('rejects bad parts with rclone v1.60.1 error text', () => {
    expect(parseError('Foo')).toBe(`bad encoding "Foo": possible values are: ${POSSIBLE}`);
    expect(parseError('')).toBe(`bad encoding "": possible values are: ${POSSIBLE}`);
    expect(parseError('slash')).toMatch(/^bad encoding "slash": possible values are: Asterisk, /);
    expect(parseError('Slash,,Dot')).toMatch(/^bad encoding "": /);
    expect(parseError('Slash,')).toMatch(/^bad encoding "": /);
    for (const bad of ['0x', '1e3', '08', '99999999999999999999', '1__0', '_1', '0x_', '+-1', 'ｓlash']) {
      expect(parseError(bad)).toMatch(new RegExp(`^bad encoding "${bad.replace(/[+]/g, '\\+')}": possible values are: Asterisk, `));
    }
    expect(parseError('a"b\\c')).toMatch(/^bad encoding "a\\"b\\\\c": /);
    expect(parseError('x\u0001y')).toMatch(/^bad encoding "x\\x01y": /);
  });
});

describe('formatEncoding', () => {
  it('prints alias names exactly, else bit-ordered names', () => {
    expect(formatEncoding(0)).toBe('None');
    expect(formatEncoding(EncodeFlag.Slash)).toBe('Slash');
    expect(formatEncoding(EncodingPreset.STANDARD)).toBe('Slash,Del,Ctl,Dot');
    expect(formatEncoding(EncodingPreset.JOTTACLOUD_V160)).toBe(
      'Slash,LtGt,DoubleQuote,Colon,Question,Asterisk,Pipe,Del,Ctl,InvalidUtf8,Dot',
    );
    expect(formatEncoding(EncodingPreset.JOTTACLOUD_DEFAULT)).toBe(
      'Slash,LtGt,DoubleQuote,Colon,Question,Asterisk,Pipe,Percent,Del,Ctl,InvalidUtf8,Dot',
    );
    expect(formatEncoding(2 ** 29 | EncodeFlag.Slash)).toBe('Slash,0x20000000');
    expect(formatEncoding(2 ** 40)).toBe('0x10000000000');
  });

  it('round-trips through parseEncoding', () => {
    for (const mask of [...Object.values(EncodingPreset), ...Object.values(EncodeFlag), 2 ** 31 + 2, 2 ** 52]) {
      expect(parseEncoding(formatEncoding(mask))).toBe(mask);
    }
  });

  it('rejects values that are not masks', () => {
    for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => formatEncoding(bad)).toThrow(/invalid encoding mask/);
  });
});
