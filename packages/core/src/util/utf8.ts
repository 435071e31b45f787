// Names as JS strings that can carry invalid UTF-8: each byte of an invalid sequence becomes a lone
// surrogate U+DC80..U+DCFF ("surrogateescape"), so raw byte names survive a round trip exactly.

/** First and last code units used for escaped raw bytes. */
export const ESCAPE_BASE = 0xdc00;

/** True when `cp` is an escaped raw byte (a lone surrogate standing for an invalid UTF-8 byte). */
export function isEscapedByte(cp: number): boolean {
  return cp >= 0xdc80 && cp <= 0xdcff;
}

/**
 * Decodes UTF-8 as Go does (invalid sequences yield one error per byte), mapping each invalid byte b
 * to U+DC00+b. Valid input gives the ordinary string.
 */
export function decodeUtf8Escaped(buf: Uint8Array): string {
  let out = '';
  let i = 0;
  const n = buf.length;
  let runStart = 0;
  const flush = (end: number) => {
    if (end > runStart) out += Buffer.from(buf.buffer, buf.byteOffset + runStart, end - runStart).toString('utf8');
  };
  while (i < n) {
    const len = validSequenceLength(buf, i);
    if (len > 0) {
      i += len;
      continue;
    }
    flush(i);
    out += String.fromCharCode(ESCAPE_BASE + buf[i]!);
    i++;
    runStart = i;
  }
  flush(n);
  return out;
}

/** Encodes a name back to bytes: escaped bytes become raw bytes again; other lone surrogates become U+FFFD. */
export function encodeUtf8Escaped(s: string): Buffer {
  if (!hasLoneSurrogate(s)) return Buffer.from(s, 'utf8');
  const parts: Buffer[] = [];
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      parts.push(Buffer.from(s.slice(runStart, i), 'utf8'));
      parts.push(isEscapedByte(c) ? Buffer.from([c - ESCAPE_BASE]) : Buffer.from('\ufffd', 'utf8'));
      runStart = i + 1;
    }
  }
  parts.push(Buffer.from(s.slice(runStart), 'utf8'));
  return Buffer.concat(parts);
}

/** True when `s` contains an unpaired surrogate (so it is not plain valid UTF-8 text). */
export function hasLoneSurrogate(s: string): boolean {
  // ES2024 String.prototype.isWellFormed (Node >= 20): native, several times faster than a look-around regex on
  // the concatenated path strings every file operation checks. (Typed by hand: the lib setting is ES2023.)
  return !(s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** `s` with every escaped byte replaced by U+FFFD (how Go's JSON encoder prints invalid UTF-8). */
export function toValidUtf8(s: string): string {
  return hasLoneSurrogate(s) ? s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd') : s;
}

/** Length of the valid UTF-8 sequence starting at `i`, or 0 if the byte there starts no valid sequence. */
function validSequenceLength(b: Uint8Array, i: number): number {
  const c0 = b[i]!;
  if (c0 < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c0 >= 0xc2 && c0 <= 0xdf) return cont(1) ? 2 : 0;
  if (c0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((c0 >= 0xe1 && c0 <= 0xec) || c0 === 0xee || c0 === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c0 >= 0xf1 && c0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
