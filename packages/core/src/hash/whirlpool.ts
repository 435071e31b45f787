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
  private readonly scratch = newScratch();

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

/** rho: out[i] = XOR over t of C_t[byte t of in[(i - t) mod 8]], rows split into hi/lo halves. */
function rho(inH: Int32Array, inL: Int32Array, outH: Int32Array, outL: Int32Array): void {
  for (let i = 0; i < 8; i++) {
    const x0 = inH[i]! >>> 24;
    const x1 = 256 | ((inH[(i - 1) & 7]! >>> 16) & 0xff);
    const x2 = 512 | ((inH[(i - 2) & 7]! >>> 8) & 0xff);
    const x3 = 768 | (inH[(i - 3) & 7]! & 0xff);
    const x4 = 1024 | (inL[(i - 4) & 7]! >>> 24);
    const x5 = 1280 | ((inL[(i - 5) & 7]! >>> 16) & 0xff);
    const x6 = 1536 | ((inL[(i - 6) & 7]! >>> 8) & 0xff);
    const x7 = 1792 | (inL[(i - 7) & 7]! & 0xff);
    outH[i] = TH[x0]! ^ TH[x1]! ^ TH[x2]! ^ TH[x3]! ^ TH[x4]! ^ TH[x5]! ^ TH[x6]! ^ TH[x7]!;
    outL[i] = TL[x0]! ^ TL[x1]! ^ TL[x2]! ^ TL[x3]! ^ TL[x4]! ^ TL[x5]! ^ TL[x6]! ^ TL[x7]!;
  }
}

/** Working rows for {@link compress}: key K, state, message M and a temporary, each as hi/lo halves. */
interface Scratch {
  kH: Int32Array;
  kL: Int32Array;
  sH: Int32Array;
  sL: Int32Array;
  mH: Int32Array;
  mL: Int32Array;
  tH: Int32Array;
  tL: Int32Array;
}

function newScratch(): Scratch {
  const a = (): Int32Array => new Int32Array(8);
  return { kH: a(), kL: a(), sH: a(), sL: a(), mH: a(), mL: a(), tH: a(), tL: a() };
}

/** Compresses one 64-byte block at `data[off]` into the chaining value `hash` (Miyaguchi–Preneel). */
function compress(hash: Int32Array, data: Uint8Array, off: number, w: Scratch): void {
  const { kH, kL, sH, sL, mH, mL, tH, tL } = w;
  for (let i = 0; i < 8; i++) {
    const o = off + 8 * i;
    const h = (data[o]! << 24) | (data[o + 1]! << 16) | (data[o + 2]! << 8) | data[o + 3]!;
    const l = (data[o + 4]! << 24) | (data[o + 5]! << 16) | (data[o + 6]! << 8) | data[o + 7]!;
    mH[i] = h;
    mL[i] = l;
    kH[i] = hash[2 * i]!;
    kL[i] = hash[2 * i + 1]!;
    sH[i] = h ^ kH[i]!;
    sL[i] = l ^ kL[i]!;
  }
  for (let r = 1; r <= ROUNDS; r++) {
    rho(kH, kL, tH, tL);
    tH[0] = tH[0]! ^ RCH[r]!;
    tL[0] = tL[0]! ^ RCL[r]!;
    kH.set(tH);
    kL.set(tL);
    rho(sH, sL, tH, tL);
    for (let i = 0; i < 8; i++) {
      sH[i] = tH[i]! ^ kH[i]!;
      sL[i] = tL[i]! ^ kL[i]!;
    }
  }
  for (let i = 0; i < 8; i++) {
    hash[2 * i] = hash[2 * i]! ^ sH[i]! ^ mH[i]!;
    hash[2 * i + 1] = hash[2 * i + 1]! ^ sL[i]! ^ mL[i]!;
  }
}
