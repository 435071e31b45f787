import { describe, expect, it } from 'vitest';
import { decodeXmlText, htmlEntityCount, isXmlChar, XmlTextError } from '../../src/api/entities.js';

describe('decodeXmlText', () => {
  it('decodes the XML entities and numeric references (decimal and hex), including astral and CR', () => {
    for (const strict of [true, false]) {
      expect(decodeXmlText('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;', strict)).toBe(`a & b <c> "d" 'e'`);
      expect(decodeXmlText('&#x1F600; &#128512; &#x41;&#65;', strict)).toBe('😀 😀 AA');
      expect(decodeXmlText('x&#13;y&#xD;&#10;', strict)).toBe('x\ry\r\n');
      expect(decodeXmlText('&#x2400;&#x241F;&#x2421;', strict)).toBe('\u2400\u241F\u2421');
      expect(decodeXmlText('&amp;amp;', strict)).toBe('&amp;');
    }
  });

  it('normalises raw line ends to LF (but not referenced CRs)', () => {
    expect(decodeXmlText('a\r\nb\rc\n', true)).toBe('a\nb\nc\n');
    expect(decodeXmlText('a&#13;\r\n', true)).toBe('a\r\n');
  });

  it('returns plain text unchanged, including surrounding spaces and number-like text', () => {
    for (const s of ['  spaced  ', '007', '1e5', '', 'NFD e\u0301', '😀']) expect(decodeXmlText(s, true)).toBe(s);
  });

  it('lenient mode knows the HTML 4 entities and keeps unknown or bare ones literally (Go non-strict)', () => {
    expect(decodeXmlText('&nbsp;&eacute;&euro;&hellip;&Omega;&lang;&rang;&ocirc;', false)).toBe('\u00a0é€…Ω\u2329\u232aô');
    expect(decodeXmlText('AT&T &foo; &#X41; &lt &#xZZ;', false)).toBe('AT&T &foo; &#X41; &lt &#xZZ;');
    expect(decodeXmlText('&#1114112;', false)).toBe('&#1114112;');
    expect(htmlEntityCount()).toBe(248);
  });

  it('strict mode (liststream) rejects HTML entities, unknown entities and bare ampersands', () => {
    for (const bad of ['&nbsp;', 'AT&T', '&foo;', '&lt', '&#X41;', '&#1114112;']) {
      expect(() => decodeXmlText(bad, true)).toThrow(XmlTextError);
    }
    expect(() => decodeXmlText('AT&T', true)).toThrow(/invalid character entity & \(no semicolon\)/);
  });

  it('rejects characters outside XML Char, raw or referenced, in both modes', () => {
    for (const strict of [true, false]) {
      expect(() => decodeXmlText('a\u0001b', strict)).toThrow(/illegal character code U\+0001/);
      expect(() => decodeXmlText('&#0;', strict)).toThrow(/U\+0000/);
      expect(() => decodeXmlText('&#x1F;', strict)).toThrow(/U\+001F/);
      expect(() => decodeXmlText('&#xFFFE;', strict)).toThrow(/U\+FFFE/);
      expect(() => decodeXmlText('\uFFFF', strict)).toThrow(XmlTextError);
    }
    // A surrogate code point becomes U+FFFD, as Go's string(rune(n)) does.
    expect(decodeXmlText('&#xD800;', true)).toBe('\uFFFD');
  });

  it('isXmlChar follows the XML 1.0 Char production', () => {
    expect([0x9, 0xa, 0xd, 0x20, 0xd7ff, 0xe000, 0xfffd, 0x10000, 0x10ffff].every(isXmlChar)).toBe(true);
    expect([0x0, 0x8, 0xb, 0x1f, 0xd800, 0xfffe, 0xffff, 0x110000].some(isXmlChar)).toBe(false);
  });
});
