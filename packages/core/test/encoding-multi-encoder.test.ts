// Unit tests for MultiEncoder: spec §4.3 examples, invalid UTF-8 handling, Standard conversions and path round trips.
import { describe, expect, it } from 'vitest';
import { EncodeFlag, EncodingPreset, MultiEncoder, STANDARD_ENCODER, parseEncoding } from '../src/encoding/index.js';
import { decodeUtf8Escaped, encodeUtf8Escaped } from '../src/util/utf8.js';

const JOTTA_V160 = new MultiEncoder(EncodingPreset.JOTTACLOUD_V160);
const JOTTA = new MultiEncoder(EncodingPreset.JOTTACLOUD_DEFAULT);
const LINUX = new MultiEncoder(EncodingPreset.LOCAL_LINUX);
const DARWIN = new MultiEncoder(EncodingPreset.LOCAL_DARWIN);
const WINDOWS = new MultiEncoder(EncodingPreset.LOCAL_WINDOWS);
const bytes = (hex: string): string => decodeUtf8Escaped(Buffer.from(hex, 'hex'));

describe('MultiEncoder encode/decode', () => {
  it('reproduces the spec examples for the Jottacloud mask', () => {
    expect(JOTTA_V160.encode('Report: Q1/Q2 "final" <v2>?.docx')).toBe('Report： Q1／Q2 ＂final＂ ＜v2＞？.docx');
    expect(JOTTA_V160.encode('a:b')).toBe('a：b');
    expect(JOTTA_V160.encode('a：b')).toBe('a‛：b');
    expect(JOTTA_V160.encode('.hidden')).toBe('.hidden');
    expect(JOTTA_V160.encode('a␠b')).toBe('a␠b');
    expect(JOTTA_V160.encode('a‛b')).toBe('a‛‛b');
    expect(JOTTA_V160.encode('caf' + bytes('e9') + '.txt')).toBe('caf‛E9.txt');
    expect(JOTTA_V160.encode('x\x7fy')).toBe('x␡y');
    expect(JOTTA_V160.encode('.')).toBe('．');
    expect(JOTTA_V160.encode('100%')).toBe('100%');
    expect(JOTTA.encode('100%')).toBe('100％');
    expect(JOTTA.decode('Pinus％20palustris.jpg')).toBe('Pinus%20palustris.jpg');
    expect(JOTTA.decode('100%')).toBe('100%'); // raw % uploaded by older rclone still decodes
  });

  it('always maps NUL and quotes ␀ and ‛, whatever the mask (except Raw)', () => {
    for (const mask of [EncodeFlag.None, EncodingPreset.LOCAL_LINUX, EncodingPreset.JOTTACLOUD_DEFAULT]) {
      const e = new MultiEncoder(mask);
      expect(e.encode('a\0b')).toBe('a␀b');
      expect(e.encode('‛')).toBe('‛‛');
      expect(e.encode('␀')).toBe('‛␀');
      expect(e.decode('a␀b')).toBe('a\0b');
      expect(e.decode('‛␀')).toBe('␀');
    }
    const raw = new MultiEncoder(EncodeFlag.Raw);
    expect(raw.encode('a\0‛/b')).toBe('a\0‛/b');
    expect(raw.decode('a␀‛b')).toBe('a␀‛b');
  });

  it('handles invalid UTF-8 bytes with and without InvalidUtf8', () => {
    const bad = 'a' + bytes('bffe') + 'b';
    expect(JOTTA.encode(bad)).toBe('a‛BF‛FEb');
    expect(JOTTA.decode('a‛BF‛FEb')).toBe(bad);
    expect(JOTTA.decode('a‛bf‛feb')).toBe(bad); // either hex case decodes
    expect(LINUX.encode(bad)).toBe(bad);
    expect(LINUX.decode(bad)).toBe(bad);
    // A genuine U+FFFD is not an invalid byte.
    expect(JOTTA.encode('a\ufffdb')).toBe('a\ufffdb');
    // Astral characters are surrogate pairs, not escaped bytes (U+10080 is D800 DC80).
    expect(JOTTA.encode('\u{10080}\u{1f600}:')).toBe('\u{10080}\u{1f600}：');
    expect(JOTTA.decode('\u{10080}\u{1f600}：')).toBe('\u{10080}\u{1f600}:');
  });

  it('re-joins unquoted bytes that form valid UTF-8 (decode of non-canonical names)', () => {
    expect(JOTTA.decode('caf‛C3‛A9')).toBe('café');
    expect(JOTTA.decode('caf' + bytes('c3') + '‛A9')).toBe('café');
    expect(JOTTA.decode('‛41')).toBe('A');
    const mixed = JOTTA.decode('‛E2‛82');
    expect(encodeUtf8Escaped(mixed).toString('hex')).toBe('e282');
  });

  it('keeps a quote rune that quotes nothing', () => {
    expect(JOTTA.decode('a‛b')).toBe('a‛b');
    expect(JOTTA.decode('ab‛')).toBe('ab‛');
    expect(JOTTA.decode('a‛‛b')).toBe('a‛b');
    expect(new MultiEncoder(0).decode('‛a‛')).toBe('‛a‛');
  });

  it('applies edge flags only at the edges', () => {
    expect(WINDOWS.encode('name. ')).toBe('name.␠');
    expect(WINDOWS.encode('name.')).toBe('name．');
    expect(WINDOWS.encode('name．')).toBe('name‛．');
    expect(WINDOWS.decode('name‛．')).toBe('name．');
    expect(WINDOWS.encode(' a.b ')).toBe(' a.b␠');
    const left = new MultiEncoder(parseEncoding('LeftSpace,LeftTilde'));
    expect(left.encode(' ~x')).toBe('␠~x');
    expect(left.encode('~ x')).toBe('～ x');
    expect(left.encode('␠x')).toBe('‛␠x');
    expect(left.decode('‛␠x')).toBe('␠x');
  });

  it('supports Exclamation (later rclone)', () => {
    const e = new MultiEncoder(EncodeFlag.Exclamation);
    expect(e.encode('hi!')).toBe('hi！');
    expect(e.encode('hi！')).toBe('hi‛！');
    expect(e.decode('hi！')).toBe('hi!');
  });

  it('prints its mask', () => {
    expect(String(JOTTA_V160)).toBe('Slash,LtGt,DoubleQuote,Colon,Question,Asterisk,Pipe,Del,Ctl,InvalidUtf8,Dot');
    expect(JOTTA.has(EncodeFlag.Percent)).toBe(true);
    expect(JOTTA_V160.has(EncodeFlag.Percent)).toBe(false);
  });
});

describe('Standard conversions', () => {
  it('is the identity for a backend whose mask is exactly Standard', () => {
    const std = new MultiEncoder(EncodingPreset.STANDARD);
    for (const s of ['a／b', '‛x', '．', 'dir/sub/␀'] as const) {
      expect(std.fromStandardPath(s)).toBe(s);
      expect(std.toStandardPath(s)).toBe(s);
      expect(std.fromStandardName(s)).toBe(s);
    }
  });

  it('converts names between Standard and the backend encoding', () => {
    // Standard name "a／b" is the raw name "a/b"; Jottacloud stores it as "a／b" too.
    expect(JOTTA.fromStandardName('a／b')).toBe('a／b');
    expect(JOTTA.fromStandardName('a:b')).toBe('a：b');
    expect(JOTTA.toStandardName('a：b')).toBe('a:b');
    expect(JOTTA.fromStandardName('x␡')).toBe('x␡'); // both encode DEL the same way
    expect(LINUX.fromStandardName('x␡')).toBe('x\x7f');
    expect(LINUX.toStandardName('x\x7f\x01')).toBe('x␡␁');
    expect(LINUX.toStandardName('‛')).toBe('‛‛'); // non-canonical on-disk name, as rclone lists it
    expect(LINUX.fromStandardName('‛‛')).toBe('‛‛'); // …which re-encodes differently
  });

  it('round-trips paths segment by segment for the Jottacloud and local masks', () => {
    const rawNames = [
      'plain.txt', 'a:b?c*d', 'Report "final" <v2>|x', '100%', 'x\x7fy', 'tab\there', '.', '..', '．', ' lead', 'trail.',
      'trail ', '~tilde', 'a‛b', '␀', 'nul\0', 'slash/in/name', 'caf' + bytes('e9'), 'ｆｕｌｌ：', 'emoji \u{1f600}',
    ];
    const encoders = [JOTTA_V160, JOTTA, LINUX, DARWIN, WINDOWS];
    for (const enc of encoders) {
      for (let i = 0; i + 2 < rawNames.length; i++) {
        const raw = rawNames.slice(i, i + 3);
        const standardPath = raw.map((n) => STANDARD_ENCODER.encode(n)).join('/');
        const backendPath = enc.fromStandardPath(standardPath);
        expect(backendPath.split('/')).toEqual(raw.map((n) => enc.encode(n)));
        expect(enc.toStandardPath(backendPath)).toBe(standardPath);
      }
    }
  });

  it('leaves unchanged paths and handles empty segments', () => {
    expect(JOTTA.fromStandardPath('a/b/c.txt')).toBe('a/b/c.txt');
    expect(JOTTA.fromStandardPath('')).toBe('');
    expect(JOTTA.fromStandardPath('a//b:')).toBe('a//b：');
    expect(JOTTA.toStandardPath('/a：/')).toBe('/a:/');
  });

  it('encodes a large listing quickly', () => {
    const names = Array.from({ length: 100_000 }, (_, i) => `file-${i} (copy).txt`);
    const t0 = performance.now();
    for (const n of names) if (JOTTA.toStandardName(n) !== n) throw new Error(n);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
