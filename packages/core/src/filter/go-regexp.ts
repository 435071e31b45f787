// Translates Go RE2 regular expressions (what rclone's globs compile to) into JS RegExps, with Go's error texts.

import { caseVariants, emitSet, escapeCodePoint, foldSet, isCased, type CharSet, type Range } from './go-regexp-class.js';
import { GoRegexpError, GoScanner } from './go-regexp-scan.js';

export { GoRegexpError } from './go-regexp-scan.js';

interface Flags {
  i: boolean;
  m: boolean;
  s: boolean;
  U: boolean;
}

interface Group {
  saved: Flags;
  outStart: number;
}

const MAX_REPEAT = 1000;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** One pass over the Go expression producing JS pattern text. */
class Translator extends GoScanner {
  private readonly out: string[] = [];
  private flags: Flags = { i: false, m: false, s: false, U: false };
  private readonly groups: Group[] = [];
  /** Index in `out` of the operand a quantifier would apply to; -1 after `(`, `|` or at the start. */
  private atom = -1;
  private atomNeedsWrap = false;
  private lastRepeat = -1;
  /** Whether atoms whose matching depends on case were seen with/without the `i` flag. */
  sawFold = false;
  sawExact = false;

  constructor(src: string, private readonly expandFold: boolean) {
    super(src);
  }

  run(): string {
    while (this.pos < this.c.length) {
      const start = this.pos;
      let repeat = -1;
      const ch = this.c[this.pos] as string;
      switch (ch) {
        case '(':
          if (this.c[this.pos + 1] === '?') this.perlFlags();
          else this.open(this.flags);
          break;
        case '|':
          this.pos++;
          this.out.push('|');
          this.atom = -1;
          break;
        case ')':
          this.close();
          break;
        case '^':
          this.pos++;
          this.push(this.flags.m ? '(?<![^\\n])' : '^', true);
          break;
        case '$':
          this.pos++;
          this.push(this.flags.m ? '(?![^\\n])' : '$', true);
          break;
        case '.':
          this.pos++;
          this.push(this.flags.s ? '[^]' : '[^\\n]', false);
          break;
        case '[': {
          const cls = this.charClass();
          this.pushSet(cls.set, cls.negate);
          break;
        }
        case '*':
        case '+':
        case '?':
          this.pos++;
          this.quantify(ch, start);
          repeat = start;
          break;
        case '{': {
          const rep = this.parseRepeat();
          if (rep === undefined) {
            this.pos++;
            this.literal(0x7b);
            break;
          }
          const [min, max] = rep;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
            throw new GoRegexpError('invalid repeat count', this.text(start));
          }
          this.quantify(max === min ? `{${min}}` : max < 0 ? `{${min},}` : `{${min},${max}}`, start);
          repeat = start;
          break;
        }
        case '\\':
          this.backslash();
          break;
        default:
          this.pos++;
          this.literal(ch.codePointAt(0) ?? 0);
      }
      this.lastRepeat = repeat;
    }
    if (this.groups.length > 0) throw new GoRegexpError('missing closing )', this.src);
    return this.out.join('');
  }

  private push(piece: string, assertion: boolean): void {
    this.atom = this.out.length;
    this.atomNeedsWrap = assertion;
    this.out.push(piece);
  }

  private literal(cp: number): void {
    if (isCased(cp)) {
      if (this.flags.i) this.sawFold = true;
      else this.sawExact = true;
      if (this.flags.i && this.expandFold) {
        this.push(emitSet({ ranges: caseVariants(cp).map((v): Range => [v, v]), props: [], cased: true }, false), false);
        return;
      }
    }
    this.push(escapeCodePoint(cp), false);
  }

  private open(saved: Flags, capture = true): void {
    this.pos++;
    this.groups.push({ saved, outStart: this.out.length });
    this.out.push(capture ? '(' : '(?:');
    this.atom = -1;
  }

  private close(): void {
    const g = this.groups.pop();
    if (g === undefined) throw new GoRegexpError('unexpected )', this.src);
    this.pos++;
    this.out.push(')');
    this.flags = g.saved;
    this.atom = g.outStart;
    this.atomNeedsWrap = false;
  }

  /** `*`, `+`, `?` or `{n,m}` just consumed from `start`: checks Go's rules and emits the JS quantifier. */
  private quantify(op: string, start: number): void {
    let lazy = this.flags.U;
    if (this.c[this.pos] === '?') {
      this.pos++;
      lazy = !lazy;
    }
    if (this.lastRepeat >= 0) throw new GoRegexpError('invalid nested repetition operator', this.text(this.lastRepeat));
    if (this.atom < 0) throw new GoRegexpError('missing argument to repetition operator', this.text(start));
    if (this.atomNeedsWrap) {
      this.out.splice(this.atom, 0, '(?:');
      this.out.push(')');
    }
    this.out.push(op + (lazy ? '?' : ''));
    this.atomNeedsWrap = true; // a further quantifier (after a flag group) needs a group in JS
  }

  /** Go's parseRepeat: `{n}`, `{n,}`, `{n,m}`; undefined when `{` is a literal. */
  private parseRepeat(): [number, number] | undefined {
    let p = this.pos + 1;
    const num = (): number | undefined => {
      const s = p;
      while (isDigit(this.c[p])) p++;
      if (p === s) return undefined;
      const digits = this.text(s, p);
      if (digits.length >= 2 && digits[0] === '0') return undefined;
      return digits.length > 8 ? -1 : Number(digits);
    };
    const min = num();
    if (min === undefined) return undefined;
    let max = min;
    if (this.c[p] === ',') {
      p++;
      max = this.c[p] === '}' ? -1 : (num() ?? NaN);
      if (Number.isNaN(max)) return undefined;
    }
    if (this.c[p] !== '}') return undefined;
    this.pos = p + 1;
    return [min, max];
  }

  /** `(?…`: named capture, flag setting `(?i)` or flagged group `(?i:…)`. */
  private perlFlags(): void {
    const start = this.pos;
    if (this.c.length - start > 4 && this.c[start + 2] === 'P' && this.c[start + 3] === '<') {
      const end = this.c.indexOf('>', start);
      if (end < 0) throw new GoRegexpError('invalid named capture', this.text(start, this.c.length));
      const name = this.text(start + 4, end);
      if (!/^[A-Za-z0-9_]+$/.test(name)) throw new GoRegexpError('invalid named capture', this.text(start, end + 1));
      this.groups.push({ saved: this.flags, outStart: this.out.length });
      this.out.push('(');
      this.atom = -1;
      this.pos = end + 1;
      return;
    }
    this.pos += 2;
    const flags = { ...this.flags };
    let negate = false;
    let sawFlag = false;
    while (this.pos < this.c.length) {
      const ch = this.c[this.pos++];
      if (ch === 'i' || ch === 'm' || ch === 's' || ch === 'U') {
        // Go's `m` clears OneLine, i.e. turns multi-line on.
        flags[ch] = !negate;
        sawFlag = true;
      } else if (ch === '-' && !negate) {
        negate = true;
        sawFlag = false;
      } else if ((ch === ':' || ch === ')') && !(negate && !sawFlag)) {
        if (ch === ':') {
          this.groups.push({ saved: this.flags, outStart: this.out.length });
          this.out.push('(?:');
          this.atom = -1;
        }
        this.flags = flags;
        return;
      } else {
        break;
      }
    }
    throw new GoRegexpError('invalid or unsupported Perl syntax', this.text(start));
  }

  private backslash(): void {
    const start = this.pos;
    const next = this.c[this.pos + 1];
    switch (next) {
      case 'A':
      case 'z':
        this.pos += 2;
        this.push(next === 'A' ? '^' : '$', true);
        return;
      case 'b':
      case 'B':
        this.pos += 2;
        this.push(`\\${next}`, true);
        return;
      case 'C':
        throw new GoRegexpError('invalid escape sequence', '\\C');
      case 'Q': {
        this.pos += 2;
        let end = this.pos;
        while (end < this.c.length && !(this.c[end] === '\\' && this.c[end + 1] === 'E')) end++;
        for (const ch of this.c.slice(this.pos, end)) this.literal(ch.codePointAt(0) ?? 0);
        this.pos = Math.min(end + 2, this.c.length);
        return;
      }
    }
    const set = this.groupEscape();
    if (set !== undefined) {
      this.pushSet(set.set, set.negate);
      return;
    }
    this.pos = start;
    this.literal(this.escape());
  }

  private pushSet(set: CharSet, negate: boolean): void {
    if (set.cased) {
      if (this.flags.i) this.sawFold = true;
      else this.sawExact = true;
    }
    const folded = this.flags.i && this.expandFold ? foldSet(set) : set;
    this.push(emitSet(folded, negate), false);
  }

}

/** The JS equivalent of a Go regular expression: pattern text and flags (`u`, plus `i` when uniformly folded). */
export interface TranslatedRegexp {
  source: string;
  flags: string;
}

/** Translates Go RE2 syntax to a JS pattern; throws {@link GoRegexpError} with Go's message for invalid input. */
export function translateGoRegexp(src: string): TranslatedRegexp {
  const t = new Translator(src, false);
  const source = t.run();
  if (!t.sawFold) return { source, flags: 'u' };
  if (!t.sawExact) return { source, flags: 'iu' };
  return { source: new Translator(src, true).run(), flags: 'u' };
}

/** Compiles a Go regular expression to an equivalent JS RegExp (see {@link translateGoRegexp}). */
export function compileGoRegexp(src: string): RegExp {
  const t = translateGoRegexp(src);
  return new RegExp(t.source, t.flags);
}
