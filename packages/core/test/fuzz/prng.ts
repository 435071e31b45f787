// Seeded randomness for the bounded fuzz tests: a small PRNG (mulberry32) and generators of awkward strings.

import { decodeUtf8Escaped, encodeUtf8Escaped } from '../../src/util/utf8.js';

/** A deterministic random source; the same seed gives the same sequence on every run. */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** One element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/**
 * Characters that mean something to some layer: path and config syntax, every encoder replacement and quote
 * character, control characters, dots and spaces at the edges, NFC/NFD and case pairs, astral characters.
 */
export const AWKWARD: readonly string[] = [
  'a', 'B', 'z', '0', '9', '_', '-', '.', '..', ' ', '\t', '\n', '\r', '\v', '\0', '\x01', '\x1f', '\x7f',
  '/', '\\', ':', ',', '=', "'", '"', '`', '#', ';', '%', '$', '*', '?', '<', '>', '|', '[', ']', '!', '~', '&', '(', ')',
  '／', '＼', '：', '＊', '？', '＂', '＜', '＞', '｜', '％', '＃', '．', '～', '［', '］', '；', '！', '＄', '＇', '｀',
  '␀', '␁', '␊', '␍', '␟', '␠', '␡', '‛', '\u2018', '\u2019', '\u201c', 'é', 'e\u0301', 'É', 'ß', 'İ', 'ǅ', 'Ω', 'K',
  '\u00a0', '\u3000', '\ufeff', '\ufffd', '\u{1f600}', '\u{10ffff}', 'ﬀ', 'Å', 'Å', 'ς', 'σ', 'Σ',
  '%(a)s', '"""', ':memory', 'remote:', 'RCLONE_ENCRYPT_V0:',
];

/** A string of up to `maxParts` awkward pieces, sometimes with raw bytes that are not UTF-8. */
export function awkwardString(r: Prng, maxParts = 8): string {
  const n = r.int(maxParts + 1);
  let s = '';
  for (let i = 0; i < n; i++) {
    if (r.chance(0.08)) s += decodeUtf8Escaped(Uint8Array.from({ length: 1 + r.int(3) }, () => 0x80 + r.int(0x80)));
    else if (r.chance(0.05)) s += String.fromCharCode(0xdc80 + r.int(0x80));
    else s += r.pick(AWKWARD);
  }
  return s;
}

/**
 * The string as jsync's name model holds it: valid UTF-8 as is, each invalid byte as a lone surrogate U+DC80..U+DCFF
 * (what decoding the string's own bytes gives, so escaped bytes that would form valid UTF-8 are merged).
 */
export function canonicalName(s: string): string {
  return decodeUtf8Escaped(encodeUtf8Escaped(s));
}

/** Extra seed from `JSYNC_FUZZ_SEED` (exploring other sequences locally); 0 = the fixed sequences CI runs. */
const EXTRA_SEED = Number(process.env['JSYNC_FUZZ_SEED'] ?? 0) >>> 0;

/**
 * Runs `body` for each i < `count` with one Prng seeded by `seed` (xor `JSYNC_FUZZ_SEED`), stopping early after
 * `budgetMs`; returns how many cases ran. A failure names the case, so it can be replayed with the same seed.
 */
export function fuzz(seed: number, count: number, budgetMs: number, body: (r: Prng, i: number) => void): number {
  const t0 = Date.now();
  const r = new Prng(seed ^ EXTRA_SEED);
  let i = 0;
  for (; i < count && Date.now() - t0 < budgetMs; i++) body(r, i);
  return i;
}
