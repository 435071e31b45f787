// Microsoft QuickXorHash (OneDrive): bytes XORed into a 160-bit ring at 11-bit steps, then the length XORed in.

import { endianness } from 'node:os';
import { BaseHasher } from './base-hasher.js';

/** Width of the hash in bits (20 bytes). */
const WIDTH_BITS = 160;
/** Bit step between consecutive bytes. */
const SHIFT = 11;

/**
 * QuickXorHash hasher. Byte n lands at bit (11·n) mod 160, so the state is kept as 160 per-residue XOR
 * accumulators (n mod 160), folded into the 160-bit ring only when the digest is taken.
 */
export class QuickXorHasher extends BaseHasher {
  readonly type = 'quickxor' as const;
  /** acc[r] = XOR of every byte whose stream position ≡ r (mod 160); viewed as 40 words on little-endian hosts. */
  private readonly acc = new Uint8Array(WIDTH_BITS);
  private readonly acc32 = new Uint32Array(this.acc.buffer);
  /** Total bytes consumed (exact up to 2^53). */
  private length = 0;

  protected write(chunk: Uint8Array): void {
    const acc = this.acc;
    const n = chunk.length;
    let pos = this.length % WIDTH_BITS;
    let i = 0;
    // Byte-wise until the ring position and the source address are both 4-aligned.
    if (LITTLE_ENDIAN && (chunk.byteOffset + (4 - (pos % 4))) % 4 === 0) {
      for (; i < n && pos % 4 !== 0; i++) {
        acc[pos]! ^= chunk[i]!;
        pos = pos + 1 === WIDTH_BITS ? 0 : pos + 1;
      }
      const words = (n - i) >>> 2;
      if (words > 0) {
        const src = new Uint32Array(chunk.buffer, chunk.byteOffset + i, words);
        const a = this.acc32;
        let w = pos >>> 2;
        for (let j = 0; j < words; j++) {
          a[w]! ^= src[j]!;
          w = w === 39 ? 0 : w + 1;
        }
        i += words * 4;
        pos = w * 4;
      }
    }
    for (; i < n; i++) {
      acc[pos]! ^= chunk[i]!;
      pos = pos + 1 === WIDTH_BITS ? 0 : pos + 1;
    }
    this.length += n;
  }

  protected finish(): Uint8Array {
    const ring = new Uint8Array(WIDTH_BITS / 8);
    for (let r = 0; r < WIDTH_BITS; r++) {
      const b = this.acc[r]!;
      if (b === 0) continue;
      const bit = (r * SHIFT) % WIDTH_BITS;
      const byte = bit >>> 3;
      const off = bit & 7;
      const v = b << off; // up to 15 bits spanning two ring bytes
      ring[byte]! ^= v & 0xff;
      ring[(byte + 1) % ring.length]! ^= v >>> 8;
    }
    // XOR the length (64-bit little-endian) into the last 8 bytes.
    let len = this.length;
    for (let k = 12; k < 20; k++) {
      ring[k]! ^= len % 256;
      len = Math.floor(len / 256);
    }
    return ring;
  }
}

// --- internal helpers ---

const LITTLE_ENDIAN = endianness() === 'LE';
