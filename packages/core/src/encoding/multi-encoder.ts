// rclone's MultiEncoder: reversible filename encoding driven by a flag mask (lib/encoder Encode/Decode).

import { JsyncError } from '../fs/errors.js';
import { goQuote } from '../util/go-text.js';
import { decodeUtf8Escaped, isEscapedByte } from '../util/utf8.js';
import { CHARACTER_FLAGS, EncodeFlag, EncodingPreset, LEFT_FLAGS, QUOTE_RUNE, RIGHT_FLAGS, type FlagCharacters } from './flags.js';
import { formatEncoding } from './mask.js';

const Q = 0x201b;
const SYMBOL_NUL = 0x2400;
const FULL_DOT = '\uff0e';
const HEX = '0123456789ABCDEF';

/** One enabled edge flag: raw code unit → replacement, and replacement code unit → raw character. */
interface EdgeRule {
  readonly toReplacement: ReadonlyMap<number, string>;
  readonly toRaw: ReadonlyMap<number, string>;
}

/**
 * A filename encoder for one mask. Names are JS strings where bytes of invalid UTF-8 are lone surrogates
 * U+DC80..U+DCFF (see util/utf8.ts); with `InvalidUtf8` each such byte encodes to `‛` + two upper-case hex digits.
 */
export class MultiEncoder {
  /** The flag mask. */
  readonly mask: number;
  private readonly identity: boolean;
  private readonly standard: boolean;
  private readonly dot: boolean;
  private readonly invalidUtf8: boolean;
  private readonly left: readonly EdgeRule[];
  private readonly right: readonly EdgeRule[];
  /** Middle characters that change on encode: raw → replacement, replacement → quoted replacement. */
  private readonly encodeMap: ReadonlyMap<number, string>;
  /** Replacement characters that decode to a raw character. */
  private readonly decodeMap: ReadonlyMap<number, string>;
  /** Superset test for "some character may need encoding" (false positives only cost the slow path). */
  private readonly encodeScan: RegExp;
  private readonly decodeScan: RegExp;

  /** Creates the encoder for `mask` (a number from {@link EncodeFlag} / {@link parseEncoding}). */
  constructor(mask: number) {
    this.mask = mask;
    this.identity = mask === EncodeFlag.Raw;
    this.standard = mask === EncodingPreset.STANDARD;
    this.dot = this.has(EncodeFlag.Dot);
    this.invalidUtf8 = this.has(EncodeFlag.InvalidUtf8);
    this.left = this.edgeRules(LEFT_FLAGS);
    this.right = this.edgeRules(RIGHT_FLAGS);
    const encodeMap = new Map<number, string>();
    const decodeMap = new Map<number, string>();
    for (const { flag, pairs } of CHARACTER_FLAGS) {
      if (!this.has(flag)) continue;
      for (const [raw, rep] of pairs) {
        const r = raw.charCodeAt(0);
        const p = rep.charCodeAt(0);
        if (!encodeMap.has(r)) encodeMap.set(r, rep);
        if (!encodeMap.has(p)) encodeMap.set(p, QUOTE_RUNE + rep);
        if (!decodeMap.has(p)) decodeMap.set(p, raw);
      }
    }
    this.encodeMap = encodeMap;
    this.decodeMap = decodeMap;
    this.encodeScan = charClass([0, SYMBOL_NUL, Q, ...encodeMap.keys()], '\\udc80-\\udcff');
    this.decodeScan = charClass([SYMBOL_NUL, Q, ...decodeMap.keys()], '');
  }

  /** True when `flag` is set in the mask (rclone `Has`). */
  has(flag: number): boolean {
    return (this.mask & flag) !== 0;
  }

  /** The mask as rclone prints it (e.g. `Slash,Dot`). */
  toString(): string {
    return formatEncoding(this.mask);
  }

  /** Encodes a raw name (one path segment) for storage on the backend. */
  encode(input: string): string {
    if (this.identity || input === '') return input;
    if (this.dot) {
      switch (input) {
        case '.':
          return FULL_DOT;
        case '..':
          return FULL_DOT + FULL_DOT;
        case FULL_DOT:
          return QUOTE_RUNE + FULL_DOT;
        case FULL_DOT + FULL_DOT:
          return QUOTE_RUNE + FULL_DOT + QUOTE_RUNE + FULL_DOT;
      }
    }
    let start = 0;
    let end = input.length;
    let prefix = '';
    let suffix = '';
    if (this.left.length > 0) {
      const c = input.charCodeAt(0);
      for (const rule of this.left) {
        const rep = rule.toReplacement.get(c) ?? (rule.toRaw.has(c) ? QUOTE_RUNE + input[0] : undefined);
        if (rep !== undefined) {
          prefix = rep;
          start = 1;
          break;
        }
      }
    }
    if (this.right.length > 0 && end > start) {
      const c = input.charCodeAt(end - 1);
      for (const rule of this.right) {
        const rep = rule.toReplacement.get(c) ?? (rule.toRaw.has(c) ? QUOTE_RUNE + input[end - 1] : undefined);
        if (rep !== undefined) {
          suffix = rep;
          end--;
          break;
        }
      }
    }
    if (prefix === '' && suffix === '' && !this.encodeScan.test(input)) return input;
    let out = prefix;
    let run = start;
    for (let i = start; i < end; i++) {
      const c = input.charCodeAt(i);
      let rep: string | undefined;
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = input.charCodeAt(i + 1);
        if (i + 1 < end && d >= 0xdc00 && d <= 0xdfff) i++;
        continue;
      } else if (c === 0) rep = '\u2400';
      else if (c === SYMBOL_NUL || c === Q) rep = QUOTE_RUNE + input[i];
      else if (isEscapedByte(c)) {
        if (!this.invalidUtf8) continue;
        const b = c - 0xdc00;
        rep = QUOTE_RUNE + HEX[b >> 4]! + HEX[b & 15]!;
      } else rep = this.encodeMap.get(c);
      if (rep !== undefined) {
        if (i > run) out += input.slice(run, i);
        out += rep;
        run = i + 1;
      }
    }
    return out + input.slice(run, end) + suffix;
  }

  /** Decodes a name as stored on the backend back to the raw name (inverse of {@link encode}). */
  decode(input: string): string {
    if (this.identity) return input;
    if (this.dot) {
      switch (input) {
        case FULL_DOT:
          return '.';
        case FULL_DOT + FULL_DOT:
          return '..';
        case QUOTE_RUNE + FULL_DOT:
          return FULL_DOT;
        case QUOTE_RUNE + FULL_DOT + QUOTE_RUNE + FULL_DOT:
          return FULL_DOT + FULL_DOT;
      }
    }
    let start = 0;
    let end = input.length;
    let prefix = '';
    let suffix = '';
    if (this.left.length > 0 && end > 0) {
      const c = input.charCodeAt(0);
      for (const rule of this.left) {
        const raw = rule.toRaw.get(c);
        if (raw !== undefined) {
          prefix = raw;
          start = 1;
          break;
        }
      }
      if (start === 0 && c === Q && end > 1) {
        const d = input.charCodeAt(1);
        if (this.left.some((rule) => rule.toRaw.has(d))) {
          prefix = input[1]!;
          start = 2;
        }
      }
    }
    if (this.right.length > 0 && end > start) {
      const c = input.charCodeAt(end - 1);
      for (const rule of this.right) {
        const raw = rule.toRaw.get(c);
        if (raw === undefined) continue;
        end--;
        if (end > start && input.charCodeAt(end - 1) === Q) {
          suffix = input[end]!;
          end--;
        } else suffix = raw;
        break;
      }
    }
    if (prefix === '' && suffix === '' && !this.decodeScan.test(input)) return input;
    let out = prefix;
    let run = start;
    let quoted = false;
    let highByte = false;
    for (let i = start; i < end; i++) {
      const c = input.charCodeAt(i);
      if (quoted) {
        quoted = false;
        // The quote rune itself was dropped from the output run; `c` starts the next run.
        if (c === Q || c === SYMBOL_NUL || this.decodeMap.has(c)) continue; // quoted replacement: literal
        if (this.invalidUtf8 && i + 1 < end && isHexDigit(c) && isHexDigit(input.charCodeAt(i + 1))) {
          const b = parseInt(input.slice(i, i + 2), 16);
          out += String.fromCharCode(b < 0x80 ? b : 0xdc00 + b);
          highByte ||= b >= 0x80;
          i++;
          run = i + 1;
          continue;
        }
        out += QUOTE_RUNE; // not a quotable character: the quote rune is kept, then `c` as is
        continue;
      }
      let rep: string | undefined;
      if (c === Q) {
        quoted = true;
        rep = '';
      } else if (c === SYMBOL_NUL) rep = '\0';
      else rep = this.decodeMap.get(c);
      if (rep !== undefined) {
        if (i > run) out += input.slice(run, i);
        out += rep;
        run = i + 1;
      }
    }
    if (quoted) out += QUOTE_RUNE; // a quote rune at the very end is literal
    out += input.slice(run, end) + suffix;
    return highByte ? mergeEscapedBytes(out) : out;
  }

  /**
   * Converts a name in rclone's Standard encoding to this encoding (`Encode(Standard.Decode(name))`). Path safety
   * (beyond rclone): a result that is `.` or `..`, or that gained a `/` (possible only for masks without `Dot`/`Slash`,
   * or for a name that is not valid Standard), would step out of its directory on a path-based backend, so it throws
   * an IO error (not retried) naming the name instead. The Standard mask returns `name` itself (only `.`/`..` throw).
   */
  fromStandardName(name: string): string {
    if (this.standard) return this.checkedSegment(name, name);
    const out = this.encode(STANDARD_ENCODER.decode(name));
    if (out.includes('/') && !name.includes('/')) throw this.unsafeName(name, out);
    return this.checkedSegment(name, out);
  }

  /** Converts a name in this encoding to rclone's Standard encoding (`Standard.Encode(Decode(name))`). */
  toStandardName(name: string): string {
    return this.standard ? name : STANDARD_ENCODER.encode(this.decode(name));
  }

  /** {@link fromStandardName} on each `/`-separated segment of a Standard-encoded path (same path-safety check). */
  fromStandardPath(path: string): string {
    if (this.standard) {
      if (UNSAFE_STANDARD_PATH.test(path)) for (const seg of path.split('/')) this.checkedSegment(seg, seg);
      return path;
    }
    return mapSegments(path, (s) => this.fromStandardName(s));
  }

  /** `out` (the conversion of Standard name `name`) unless it is `.` or `..`. */
  private checkedSegment(name: string, out: string): string {
    if (out === '.' || out === '..') throw this.unsafeName(name, out);
    return out;
  }

  private unsafeName(name: string, out: string): JsyncError {
    return new JsyncError({
      code: 'IO',
      message: `can't use name ${goQuote(name)} with encoding ${this.toString()}: it would be ${goQuote(out)}, which is not a single path segment`,
      errorClass: 'noRetry',
      context: { name },
    });
  }

  /** {@link toStandardName} on each `/`-separated segment of a path in this encoding. */
  toStandardPath(path: string): string {
    return this.standard ? path : mapSegments(path, (s) => this.toStandardName(s));
  }

  private edgeRules(flags: readonly FlagCharacters[]): EdgeRule[] {
    return flags
      .filter(({ flag }) => this.has(flag))
      .map(({ pairs }) => ({
        toReplacement: new Map(pairs.map(([raw, rep]) => [raw.charCodeAt(0), rep] as const)),
        toRaw: new Map(pairs.map(([raw, rep]) => [rep.charCodeAt(0), raw] as const)),
      }));
  }
}

/** A Standard path with a `.` or `..` segment (the Standard-mask fast path checks its segments only then). */
const UNSAFE_STANDARD_PATH = /(?:^|\/)\.{1,2}(?:\/|$)/;

/** rclone's internal Standard (= Display) encoder. */
export const STANDARD_ENCODER: MultiEncoder = new MultiEncoder(EncodingPreset.STANDARD);

function mapSegments(path: string, fn: (segment: string) => string): string {
  if (!path.includes('/')) return fn(path);
  const parts = path.split('/');
  let changed = false;
  for (let i = 0; i < parts.length; i++) {
    const seg = parts[i]!;
    const conv = fn(seg);
    if (conv !== seg) {
      parts[i] = conv;
      changed = true;
    }
  }
  return changed ? parts.join('/') : path;
}

function isHexDigit(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function charClass(codes: number[], extra: string): RegExp {
  const escaped = [...new Set(codes)].map((c) => '\\u' + c.toString(16).padStart(4, '0')).join('');
  return new RegExp(`[${escaped}${extra}]`);
}

/** Unquoted bytes >= 0x80 may form valid UTF-8 with neighbouring raw bytes: re-decode each run of escaped bytes. */
function mergeEscapedBytes(s: string): string {
  return s.replace(/[\u{dc80}-\u{dcff}]{2,}/gu, (run) =>
    decodeUtf8Escaped(Uint8Array.from(run, (ch) => ch.charCodeAt(0) - 0xdc00)),
  );
}
