// Reversible password obscuring, bit-exact with rclone's fs/config/obscure (AES-256-CTR, fixed key).

import { createCipheriv, randomBytes } from 'node:crypto';
import { invalidArgument } from '../fs/errors.js';
import { decodeUtf8Escaped, encodeUtf8Escaped } from '../util/utf8.js';

// rclone's public, fixed obscuring key: this is obfuscation, not encryption.
const KEY = Buffer.from('9c935b48730a554d6bfd7c63c886a92bd390198eb8128afbf4de162b8b95f638', 'hex');
const BLOCK = 16;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Map<number, number>([...ALPHABET].map((c, i) => [c.charCodeAt(0), i]));

/** Optional settings for {@link obscure}. */
export interface ObscureOptions {
  /** The 16-byte IV; random by default (fixed IVs are for tests only). */
  iv?: Uint8Array;
}

function ctr(iv: Uint8Array, data: Uint8Array): Buffer {
  const c = createCipheriv('aes-256-ctr', KEY, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

/** Obscures `plaintext` like `rclone obscure`: base64url (no padding) of IV ‖ AES-CTR(UTF-8 bytes). */
export function obscure(plaintext: string, opts: ObscureOptions = {}): string {
  const iv = opts.iv ?? randomBytes(BLOCK);
  if (iv.length !== BLOCK) throw invalidArgument(`obscure: IV must be ${BLOCK} bytes, got ${iv.length}`);
  const body = ctr(iv, encodeUtf8Escaped(plaintext));
  return Buffer.concat([Buffer.from(iv), body]).toString('base64url');
}

/** Go `base64.RawURLEncoding.DecodeString`: skips CR/LF; returns the decoded bytes or the failing byte offset. */
function decodeRawUrlBase64(text: string): Buffer | number {
  const src = Buffer.from(text, 'utf8');
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  let count = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i] ?? 0;
    if (b === 0x0a || b === 0x0d) continue;
    const v = DECODE.get(b);
    if (v === undefined) return i;
    acc = (acc << 6) | v;
    bits += 6;
    count++;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
      acc &= (1 << bits) - 1;
    }
  }
  if (count % 4 === 1) return src.length - 1;
  return Buffer.from(out);
}

/**
 * Reveals a value obscured by rclone or {@link obscure}; throws INVALID_ARGUMENT with rclone's messages
 * (`base64 decode failed … illegal base64 data at input byte N`, `input too short …`). Invalid UTF-8 bytes in
 * the result become lone surrogates (U+DC00+byte).
 */
export function reveal(obscured: string): string {
  const data = decodeRawUrlBase64(obscured);
  if (typeof data === 'number') {
    throw invalidArgument(
      `base64 decode failed when revealing password - is it obscured?: illegal base64 data at input byte ${data}`,
    );
  }
  if (data.length < BLOCK) throw invalidArgument('input too short when revealing password - is it obscured?');
  return decodeUtf8Escaped(ctr(data.subarray(0, BLOCK), data.subarray(BLOCK)));
}
