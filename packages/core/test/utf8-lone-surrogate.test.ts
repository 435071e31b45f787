// hasLoneSurrogate against a reference definition (a look-around regex) on edge cases and random strings.
import { describe, expect, it } from 'vitest';
import { hasLoneSurrogate, toValidUtf8 } from '../src/util/utf8.js';

const reference = (s: string): boolean => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);

describe('hasLoneSurrogate', () => {
  it('agrees with the reference on edge cases', () => {
    const cases = ['', 'plain', 'emoji \ud83d\ude00 ok', '\ud83d', '\ude00', 'a\udc80b', '\ud83d\ud83d\ude00', '\ud83d\ude00\ude00',
      '\udbff\udfff', '\ud800', 'x\ud800', '\udfffx', '\ud800\ud800', '\udc00\ud800', 'é/ß/文字', '/tmp/x\udcff.txt'];
    for (const s of cases) expect(hasLoneSurrogate(s), JSON.stringify(s)).toBe(reference(s));
  });

  it('agrees with the reference on random strings over surrogates and neighbours', () => {
    const alphabet = [0x61, 0x2f, 0xd7ff, 0xd800, 0xdb7f, 0xdbff, 0xdc00, 0xdc80, 0xdcff, 0xdfff, 0xe000, 0xfffd];
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let n = 0; n < 5000; n++) {
      const len = Math.floor(next() * 8);
      const s = String.fromCharCode(...Array.from({ length: len }, () => alphabet[Math.floor(next() * alphabet.length)]!));
      // also as a concatenation (a V8 cons string), which is how paths are built
      const cons = s.slice(0, len >> 1) + s.slice(len >> 1);
      expect(hasLoneSurrogate(s)).toBe(reference(s));
      expect(hasLoneSurrogate(cons)).toBe(reference(s));
      expect(hasLoneSurrogate(toValidUtf8(s))).toBe(false);
    }
  });
});
