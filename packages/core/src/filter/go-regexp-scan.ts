// Lexical layer of the Go RE2 translator: escapes, Perl/POSIX/Unicode groups and bracket classes, with Go's errors.

import {
  complement, emptySet, PERL_GROUPS, POSIX_GROUPS, rangesCased, unicodeGroup, type CharSet, type Range,
} from './go-regexp-class.js';

/** A Go `regexp/syntax` parse error; the message is Go's `error parsing regexp: <code>: `<expr>``. */
export class GoRegexpError extends Error {
  /** Go's error code text, e.g. `missing closing )`. */
  readonly code: string;
  /** The offending part of the expression. */
  readonly expr: string;

  constructor(code: string, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
    this.name = 'GoRegexpError';
    this.code = code;
    this.expr = expr;
  }
}

const ESCAPES: Readonly<Record<string, number>> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const hexValue = (c: string | undefined): number => (c !== undefined && /^[0-9a-fA-F]$/.test(c) ? parseInt(c, 16) : -1);

/** Cursor over a Go expression (by code point) with the escape and class parsers shared by the translator. */
export class GoScanner {
  protected readonly c: string[];
  protected pos = 0;

  constructor(protected readonly src: string) {
    this.c = Array.from(src);
  }

  /** The source between two code point positions (default: up to the cursor). */
  protected text(from: number, to = this.pos): string {
    return this.c.slice(from, to).join('');
  }

  /** `\pX`, `\p{Name}`, `\d`, `\W` … at pos: the set (pos advanced), or undefined. */
  protected groupEscape(): { set: CharSet; negate: boolean } | undefined {
    const start = this.pos;
    const kind = this.c[start + 1];
    if (kind === 'p' || kind === 'P') {
      let negate = kind === 'P';
      let name: string;
      let end: number;
      if (this.c[start + 2] === '{') {
        end = this.c.indexOf('}', start + 2);
        if (end < 0) throw new GoRegexpError('invalid character class range', this.text(start, this.c.length));
        name = this.text(start + 3, end);
        end++;
      } else {
        name = this.c[start + 2] ?? '';
        end = Math.min(start + 3, this.c.length);
      }
      if (name.startsWith('^')) {
        negate = !negate;
        name = name.slice(1);
      }
      const g = unicodeGroup(name, false);
      if (g === undefined) throw new GoRegexpError('invalid character class range', this.text(start, end));
      this.pos = end;
      const cased = /^L[lut]$/.test(name);
      return { set: { ranges: g.ranges ?? [], props: g.prop !== undefined ? [g.prop] : [], cased }, negate };
    }
    const perl = kind === undefined ? undefined : PERL_GROUPS[kind.toLowerCase()];
    if (perl === undefined) return undefined;
    this.pos += 2;
    return { set: { ranges: [...perl], props: [], cased: false }, negate: kind !== kind?.toLowerCase() };
  }

  /** Go's parseEscape at pos (a backslash): the literal code point. */
  protected escape(): number {
    const start = this.pos;
    this.pos++;
    const ch = this.c[this.pos++];
    if (ch === undefined) throw new GoRegexpError('trailing backslash at end of expression', '');
    const cp = ch.codePointAt(0) ?? 0;
    const bad = (): GoRegexpError => new GoRegexpError('invalid escape sequence', this.text(start));
    if (cp < 0x80 && !/[0-9A-Za-z]/.test(ch)) return cp;
    if (isOctal(ch) && (ch === '0' || isOctal(this.c[this.pos]))) {
      let v = cp - 0x30;
      for (let k = 1; k < 3 && isOctal(this.c[this.pos]); k++) v = v * 8 + (this.c[this.pos++]?.charCodeAt(0) ?? 0) - 0x30;
      return v;
    }
    if (ch === 'x') return this.hexEscape(bad);
    const simple = ESCAPES[ch];
    if (simple !== undefined) return simple;
    throw bad();
  }

  protected hexEscape(bad: () => GoRegexpError): number {
    if (this.pos >= this.c.length) throw bad();
    const first = this.c[this.pos++];
    if (first === '{') {
      let v = 0;
      let n = 0;
      for (;;) {
        if (this.pos >= this.c.length) throw bad();
        const h = this.c[this.pos++];
        if (h === '}') break;
        const d = hexValue(h);
        if (d < 0) throw bad();
        v = v * 16 + d;
        if (v > 0x10ffff) throw bad();
        n++;
      }
      if (n === 0) throw bad();
      return v;
    }
    const x = hexValue(first);
    const y = hexValue(this.c[this.pos++]);
    if (x < 0 || y < 0) throw bad();
    return x * 16 + y;
  }

  /** Go's parseClass: `[…]` at pos; the set and whether it is negated (`[^…]`). */
  protected charClass(): { set: CharSet; negate: boolean } {
    const start = this.pos;
    this.pos++;
    let negate = false;
    if (this.c[this.pos] === '^') {
      negate = true;
      this.pos++;
    }
    const set = emptySet();
    const explicit: Range[] = [];
    const missing = (): GoRegexpError => new GoRegexpError('missing closing ]', this.text(start, this.c.length));
    let first = true;
    while (this.pos >= this.c.length || this.c[this.pos] !== ']' || first) {
      first = false;
      if (this.c[this.pos] === '[' && this.c[this.pos + 1] === ':' && this.c.length - this.pos > 2) {
        let close = this.pos + 2;
        while (close + 1 < this.c.length && !(this.c[close] === ':' && this.c[close + 1] === ']')) close++;
        if (close + 1 < this.c.length) {
          const end = close + 2;
          const name = this.text(this.pos, end);
          const m = /^\[:(\^?)([a-z]+):\]$/.exec(name);
          const ranges = m ? POSIX_GROUPS[m[2] ?? ''] : undefined;
          if (m === null || ranges === undefined) throw new GoRegexpError('invalid character class range', name);
          set.ranges.push(...(m[1] ? complement(ranges) : ranges));
          if (m[2] === 'upper' || m[2] === 'lower') set.cased = true;
          this.pos = end;
          continue;
        }
      }
      if (this.c[this.pos] === '\\') {
        const g = this.groupEscape();
        if (g !== undefined) {
          if (g.negate && g.set.props.length > 0) set.props.push(...g.set.props.map((p) => p.replace(/^\\p/, '\\P')));
          else set.props.push(...g.set.props);
          set.ranges.push(...(g.negate ? complement(g.set.ranges) : g.set.ranges));
          set.cased ||= g.set.cased;
          continue;
        }
      }
      const rangeStart = this.pos;
      const lo = this.classChar(missing);
      let hi = lo;
      if (this.c[this.pos] === '-' && this.pos + 1 < this.c.length && this.c[this.pos + 1] !== ']') {
        this.pos++;
        hi = this.classChar(missing);
        if (hi < lo) throw new GoRegexpError('invalid character class range', this.text(rangeStart));
      }
      explicit.push([lo, hi]);
    }
    this.pos++;
    set.ranges.push(...explicit);
    set.cased ||= rangesCased(explicit);
    return { set, negate };
  }

  protected classChar(missing: () => GoRegexpError): number {
    if (this.pos >= this.c.length) throw missing();
    if (this.c[this.pos] === '\\') return this.escape();
    return this.c[this.pos++]?.codePointAt(0) ?? 0;
  }
}
