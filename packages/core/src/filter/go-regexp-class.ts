// Character sets for the Go RE2 translator: ranges, Perl/POSIX/Unicode groups, case folding, JS emission.

/** An inclusive code point range. */
export type Range = readonly [number, number];

/** A character class under construction: explicit ranges plus JS `\p{…}` escapes. */
export interface CharSet {
  ranges: Range[];
  props: string[];
  /** True when folding could change it (explicit cased characters, [:upper:]/[:lower:], \p{Lu} …). */
  cased: boolean;
}

const MAX_RUNE = 0x10ffff;

/** A new empty set. */
export const emptySet = (): CharSet => ({ ranges: [], props: [], cased: false });

/** Complement of `ranges` over 0..MAX_RUNE. */
export function complement(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_RUNE) out.push([next, MAX_RUNE]);
  return out;
}

const r = (a: string, b = a): Range => [a.codePointAt(0) ?? 0, b.codePointAt(0) ?? 0];

/** Go's Perl classes (`\d \s \w`), ASCII only. */
export const PERL_GROUPS: Readonly<Record<string, Range[]>> = {
  d: [r('0', '9')],
  s: [r('\t', '\n'), r('\f', '\r'), r(' ')],
  w: [r('0', '9'), r('A', 'Z'), r('_'), r('a', 'z')],
};

/** Go's POSIX classes (`[:alpha:]` …), ASCII only. */
export const POSIX_GROUPS: Readonly<Record<string, Range[]>> = {
  alnum: [r('0', '9'), r('A', 'Z'), r('a', 'z')],
  alpha: [r('A', 'Z'), r('a', 'z')],
  ascii: [[0, 0x7f]],
  blank: [r('\t'), r(' ')],
  cntrl: [[0, 0x1f], [0x7f, 0x7f]],
  digit: [r('0', '9')],
  graph: [r('!', '~')],
  lower: [r('a', 'z')],
  print: [r(' ', '~')],
  punct: [r('!', '/'), r(':', '@'), r('[', '`'), r('{', '~')],
  space: [r('\t', '\r'), r(' ')],
  upper: [r('A', 'Z')],
  word: [r('0', '9'), r('A', 'Z'), r('_'), r('a', 'z')],
  xdigit: [r('0', '9'), r('A', 'F'), r('a', 'f')],
};

const GO_CATEGORY = /^(?:[CLMNPSZ]|C[cfos]|L[lmotu]|M[cen]|N[dlo]|P[cdefios]|S[ckmo]|Z[lps])$/;

/**
 * The JS escape for Go's `\p{name}` (categories and scripts), `[[0, MAX]]` for `Any`, or undefined when Go has no
 * such table.
 */
export function unicodeGroup(name: string, negate: boolean): { prop?: string; ranges?: Range[] } | undefined {
  if (name === 'Any') return { ranges: negate ? [] : [[0, MAX_RUNE]] };
  const p = negate ? 'P' : 'p';
  if (GO_CATEGORY.test(name)) return { prop: `\\${p}{${name}}` };
  if (!/^[A-Z][A-Za-z_]*$/.test(name)) return undefined;
  try {
    new RegExp(`\\p{Script=${name}}`, 'u');
    return { prop: `\\${p}{Script=${name}}` };
  } catch {
    return undefined;
  }
}

/** Whether a code point has other case forms. */
export function isCased(cp: number): boolean {
  return caseVariants(cp).length > 1;
}

const SPECIAL_FOLDS = [0x212a, 0x17f, 0x212b, 0x1e9e, 0xdf, 0x3c2, 0x3d1, 0x3f4, 0x3d5, 0x3f0, 0x3f1, 0x3f5, 0x1fbe, 0x345, 0x3b9, 0x399, 0x3c3, 0x3a3];

/** The simple case-fold orbit of a code point (itself included). */
export function caseVariants(cp: number): number[] {
  const ch = String.fromCodePoint(cp);
  const out = new Set<number>([cp]);
  const add = (s: string): void => {
    const c = s.codePointAt(0);
    if (c !== undefined && String.fromCodePoint(c) === s) out.add(c);
  };
  add(ch.toLowerCase());
  add(ch.toUpperCase());
  add(ch.toLowerCase().toUpperCase());
  add(ch.toUpperCase().toLowerCase());
  if (out.size > 1 || cp > 0x7f) {
    const re = new RegExp(`^\\u{${cp.toString(16)}}$`, 'iu');
    for (const s of SPECIAL_FOLDS) if (re.test(String.fromCodePoint(s))) out.add(s);
  }
  return [...out];
}

const FOLD_ENUM_LIMIT = 0x3000;

/** Adds the case variants of every explicit character of `set` (ranges larger than a limit are left as they are). */
export function foldSet(set: CharSet): CharSet {
  const extra: Range[] = [];
  for (const [lo, hi] of set.ranges) {
    if (hi - lo > FOLD_ENUM_LIMIT) continue;
    for (let cp = lo; cp <= hi; cp++) for (const v of caseVariants(cp)) if (v < lo || v > hi) extra.push([v, v]);
  }
  const props = set.props.flatMap((p) => (/^\\p\{L[lut]\}$/.test(p) ? ['\\p{Lu}', '\\p{Ll}', '\\p{Lt}'] : [p]));
  return { ranges: [...set.ranges, ...extra], props, cased: set.cased };
}

/** True when any explicit range holds a cased character (bounded enumeration). */
export function rangesCased(ranges: readonly Range[]): boolean {
  for (const [lo, hi] of ranges) {
    if (hi - lo > FOLD_ENUM_LIMIT) return true;
    for (let cp = lo; cp <= hi; cp++) if (isCased(cp)) return true;
  }
  return false;
}

/** A code point as a JS (u-mode) pattern atom, safe inside and outside classes. */
export function escapeCodePoint(cp: number): string {
  if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f) {
    return String.fromCodePoint(cp);
  }
  if ('^$\\.*+?()[]{}|/'.includes(String.fromCodePoint(cp))) return '\\' + String.fromCodePoint(cp);
  return `\\u{${cp.toString(16)}}`;
}

/** Emits `set` as a JS class (`negate` = Go's `[^…]`). */
export function emitSet(set: CharSet, negate: boolean): string {
  const parts = set.ranges.map(([lo, hi]) => (lo === hi ? escapeCodePoint(lo) : `${escapeCodePoint(lo)}-${escapeCodePoint(hi)}`));
  return `[${negate ? '^' : ''}${parts.join('')}${set.props.join('')}]`;
}
