// Go text helpers used for rclone-identical messages and parsing: strconv.Quote, %q of a rune, strings.TrimSpace,
// strconv.ParseInt(s, 0, 64).

import { isEscapedByte } from './utf8.js';

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const SIMPLE_ESCAPES: Readonly<Record<number, string>> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/** Go's `%q` / strconv.Quote of `s` (escaped raw bytes, i.e. lone surrogates U+DC80..U+DCFF, print as `\xNN`). */
export function goQuote(s: string): string {
  return quoteWith(s, '"');
}

/** Go `%q` of a single rune: `'c'`. */
export function goQuoteRune(codePoint: number): string {
  return quoteWith(String.fromCodePoint(codePoint), "'");
}

function quoteWith(s: string, quote: '"' | "'"): string {
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || cp === 0x5c) out += '\\' + ch;
    else if (cp === 0x20 || (cp > 0x7f && !(cp >= 0xd800 && cp <= 0xdfff) && PRINTABLE.test(ch)) || (cp > 0x20 && cp < 0x7f)) out += ch;
    else if (SIMPLE_ESCAPES[cp] !== undefined) out += SIMPLE_ESCAPES[cp];
    else if (isEscapedByte(cp)) out += '\\x' + hex(cp - 0xdc00, 2);
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (cp < 0x10000) out += '\\u' + hex(cp, 4);
    else out += '\\U' + hex(cp, 8);
  }
  return out + quote;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');


/** Go's strings.TrimSpace: trims Unicode White_Space (not U+FEFF, unlike String.prototype.trim). */
export function goTrimSpace(s: string): string {
  return s.replace(/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/, '').replace(
    /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/,
    '',
  );
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/**
 * Go's strconv.ParseInt(s, 0, 64): optional sign, base prefix `0x`/`0o`/`0b` or a leading `0` for octal, `_`
 * digit separators; undefined on a syntax or range error.
 */
export function goParseInt64(s: string): bigint | undefined {
  let neg = false;
  let body = s;
  if (body.startsWith('+') || body.startsWith('-')) {
    neg = body[0] === '-';
    body = body.slice(1);
  }
  if (body === '') return undefined;
  let base = 10n;
  let digits = body;
  if (body[0] === '0') {
    const p = body.length >= 3 ? body[1]!.toLowerCase() : '';
    if (p === 'b' || p === 'o' || p === 'x') {
      base = p === 'b' ? 2n : p === 'o' ? 8n : 16n;
      digits = body.slice(2);
    } else {
      base = 8n;
      digits = body.slice(1);
    }
  }
  let n = 0n;
  let underscores = false;
  for (const c of digits) {
    if (c === '_') {
      underscores = true;
      continue;
    }
    const d = digitValue(c);
    if (d === undefined || BigInt(d) >= base) return undefined;
    n = n * base + BigInt(d);
  }
  if (underscores && !underscoreOk(body)) return undefined;
  const v = neg ? -n : n;
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

function digitValue(c: string): number | undefined {
  const code = c.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return c.length === 1 && lower >= 0x61 && lower <= 0x7a ? lower - 0x61 + 10 : undefined;
}

/** Go's rule: underscores only between digits, or between a base prefix and a digit. */
function underscoreOk(s: string): boolean {
  let saw = '^';
  let i = 0;
  let hexDigits = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1]!.toLowerCase())) {
    i = 2;
    saw = '0';
    hexDigits = s[1]!.toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    const lower = c.toLowerCase();
    if ((c >= '0' && c <= '9') || (hexDigits && lower >= 'a' && lower <= 'f')) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}
