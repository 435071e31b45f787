// Whirlpool (final ISO/IEC 10118-3 version, 512-bit digest) in TypeScript with 32-bit limb arithmetic.

import { BaseHasher } from './base-hasher.js';

const BLOCK = 64;
const ROUNDS = 10;

/** Whirlpool hasher (OpenSSL in Node 20 lacks it; rclone uses github.com/jzelinskie/whirlpool). */
export class WhirlpoolHasher extends BaseHasher {
  readonly type = 'whirlpool' as const;
  /** Chaining value as 8 rows of (hi, lo) 32-bit halves: hash[2i] = hi, hash[2i+1] = lo. */
  private readonly hash = new Int32Array(16);
  private readonly pending = new Uint8Array(BLOCK);
  private pendingLen = 0;
  private length = 0;
  private readonly scratch = new Int32Array(16 * 4);

  protected write(chunk: Uint8Array): void {
    let p = 0;
    const n = chunk.length;
    this.length += n;
    if (this.pendingLen > 0) {
      const take = Math.min(BLOCK - this.pendingLen, n);
      this.pending.set(chunk.subarray(0, take), this.pendingLen);
      this.pendingLen += take;
      p = take;
      if (this.pendingLen < BLOCK) return;
      compress(this.hash, this.pending, 0, this.scratch);
      this.pendingLen = 0;
    }
    for (; p + BLOCK <= n; p += BLOCK) compress(this.hash, chunk, p, this.scratch);
    if (p < n) {
      this.pending.set(chunk.subarray(p), 0);
      this.pendingLen = n - p;
    }
  }

  protected finish(): Uint8Array {
    // Padding: a 1 bit, zeros up to 32 bytes before a block end, then the 256-bit big-endian bit length.
    const bitLength = BigInt(this.length) * 8n;
    const padLen = this.pendingLen < 32 ? 64 : 128;
    const tail = new Uint8Array(padLen);
    tail.set(this.pending.subarray(0, this.pendingLen));
    tail[this.pendingLen] = 0x80;
    let bits = bitLength;
    for (let k = padLen - 1; bits > 0n; k--) {
      tail[k] = Number(bits & 0xffn);
      bits >>= 8n;
    }
    for (let off = 0; off < padLen; off += BLOCK) compress(this.hash, tail, off, this.scratch);
    const out = new Uint8Array(64);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 16; i++) view.setInt32(i * 4, this.hash[i]!, false);
    return out;
  }
}

// --- internal helpers ---

/** The 8×256 circulant lookup tables C0..C7 as hi/lo halves, and the 10 round constants. */
const { TH, TL, RCH, RCL } = buildTables();

function buildTables(): { TH: Int32Array; TL: Int32Array; RCH: Int32Array; RCL: Int32Array } {
  // The S-box is assembled from the 4-bit mini-boxes E, E^-1 and R (Whirlpool specification §3).
  const E = [0x1, 0xb, 0x9, 0xc, 0xd, 0x6, 0xf, 0x3, 0xe, 0x8, 0x7, 0x4, 0xa, 0x2, 0x5, 0x0];
  const R = [0x7, 0xc, 0xb, 0xd, 0xe, 0x4, 0x9, 0xf, 0x6, 0x3, 0x8, 0xa, 0x2, 0x5, 0x1, 0x0];
  const Einv = new Array<number>(16);
  E.forEach((v, i) => (Einv[v] = i));
  const S = new Uint8Array(256);
  for (let u = 0; u < 256; u++) {
    const a = E[u >>> 4]!;
    const b = Einv[u & 15]!;
    const c = R[a ^ b]!;
    S[u] = (E[a ^ c]! << 4) | Einv[b ^ c]!;
  }
  const mul = (x: number, k: number): number => {
    let r = 0;
    for (; k > 0; k >>>= 1, x = x & 0x80 ? ((x << 1) ^ 0x11d) & 0xff : x << 1) if (k & 1) r ^= x;
    return r;
  };
  const TH = new Int32Array(8 * 256);
  const TL = new Int32Array(8 * 256);
  const row = [1, 1, 4, 1, 8, 5, 2, 9];
  for (let x = 0; x < 256; x++) {
    const bytes = row.map((k) => mul(S[x]!, k));
    for (let t = 0; t < 8; t++) {
      // C_t = C0 rotated right by 8t bits: byte j of C_t is byte (j - t) mod 8 of C0.
      const at = (j: number): number => bytes[(j - t + 8) % 8]!;
      TH[t * 256 + x] = (at(0) << 24) | (at(1) << 16) | (at(2) << 8) | at(3);
      TL[t * 256 + x] = (at(4) << 24) | (at(5) << 16) | (at(6) << 8) | at(7);
    }
  }
  const RCH = new Int32Array(ROUNDS + 1);
  const RCL = new Int32Array(ROUNDS + 1);
  for (let r = 1; r <= ROUNDS; r++) {
    const o = 8 * (r - 1);
    RCH[r] = (S[o]! << 24) | (S[o + 1]! << 16) | (S[o + 2]! << 8) | S[o + 3]!;
    RCL[r] = (S[o + 4]! << 24) | (S[o + 5]! << 16) | (S[o + 6]! << 8) | S[o + 7]!;
  }
  return { TH, TL, RCH, RCL };
}

/** rho: out[i] = XOR over t of C_t[byte t of inp[(i - t) mod 8]] (rows as hi/lo pairs). */
function rho(inp: Int32Array, io: number, out: Int32Array, oo: number): void {
  for (let i = 0; i < 8; i++) {
    let h = 0;
    let l = 0;
    for (let t = 0; t < 8; t++) {
      const src = io + 2 * ((i - t) & 7);
      const word = t < 4 ? inp[src]! : inp[src + 1]!;
      const x = t * 256 + ((word >>> (24 - 8 * (t & 3))) & 0xff);
      h ^= TH[x]!;
      l ^= TL[x]!;
    }
    out[oo + 2 * i] = h;
    out[oo + 2 * i + 1] = l;
  }
}

/** Compresses one 64-byte block at `data[off]` into the chaining value `hash` (Miyaguchi–Preneel). */
function compress(hash: Int32Array, data: Uint8Array, off: number, s: Int32Array): void {
  // s layout: [0,16) key K, [16,32) state, [32,48) message, [48,64) temp.
  for (let i = 0; i < 16; i++) {
    const o = off + 4 * i;
    const m = (data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!;
    s[32 + i] = m;
    s[i] = hash[i]!;
    s[16 + i] = m ^ hash[i]!;
  }
  for (let r = 1; r <= ROUNDS; r++) {
    rho(s, 0, s, 48);
    s[48] = s[48]! ^ RCH[r]!;
    s[49] = s[49]! ^ RCL[r]!;
    s.copyWithin(0, 48, 64);
    rho(s, 16, s, 48);
    for (let i = 0; i < 16; i++) s[16 + i] = s[48 + i]! ^ s[i]!;
  }
  for (let i = 0; i < 16; i++) hash[i] = hash[i]! ^ s[16 + i]! ^ s[32 + i]!;
}
