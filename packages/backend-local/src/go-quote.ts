// Go's `%q` quoting for log messages (rclone prints names that way, e.g. `Replacing invalid UTF-8 characters in "a\xfe"`).

import { isEscapedByte } from '@jsync/core';

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const SIMPLE: Readonly<Record<number, string>> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r' };

/** strconv.Quote of `s`; escaped raw bytes (lone surrogates U+DC80..U+DCFF) print as `\xNN`. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x22 || cp === 0x5c) out += '\\' + ch;
    else if (cp >= 0x20 && cp < 0x7f) out += ch;
    else if (SIMPLE[cp] !== undefined) out += SIMPLE[cp];
    else if (isEscapedByte(cp)) out += '\\x' + hex(cp - 0xdc00, 2);
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x10000) out += '\\u' + hex(cp, 4);
    else out += '\\U' + hex(cp, 8);
  }
  return out + '"';
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
