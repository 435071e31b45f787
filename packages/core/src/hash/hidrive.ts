// HiDrive hash: sha1 of 4 KiB blocks combined hierarchically, 256 position-embedded sums per level.

import { createHash, hash as oneShotHash } from 'node:crypto';
import { BaseHasher } from './base-hasher.js';

const BLOCK = 4096;
const SIZE = 20;
const SUMS_PER_LEVEL = 256;

/**
 * HiDrive hasher. Level 0 hashes each 4096-byte block (a short last block is zero-padded; an all-zero
 * block counts as the zero sum). Each level adds sha1(sum ‖ index) into a 160-bit big-endian accumulator,
 * skipping zero sums; a level holding 256 sums passes its accumulator up. The digest is the top level's
 * accumulator, or the last sum written when the top level holds a single sum; the empty input gives 20 zero bytes.
 */
export class HidriveHasher extends BaseHasher {
  readonly type = 'hidrive' as const;
  private readonly levels: Level[] = [];
  private lastSumWritten: Uint8Array = new Uint8Array(SIZE);
  private readonly pending = new Uint8Array(BLOCK);
  private pendingLen = 0;

  protected write(chunk: Uint8Array): void {
    let p = 0;
    const n = chunk.length;
    if (this.pendingLen > 0) {
      const take = Math.min(BLOCK - this.pendingLen, n);
      this.pending.set(chunk.subarray(0, take), this.pendingLen);
      this.pendingLen += take;
      p = take;
      if (this.pendingLen < BLOCK) return;
      this.addBlock(this.pending);
      this.pendingLen = 0;
    }
    for (; p + BLOCK <= n; p += BLOCK) this.addBlock(chunk.subarray(p, p + BLOCK));
    if (p < n) {
      this.pending.set(chunk.subarray(p), 0);
      this.pendingLen = n - p;
    }
  }

  protected finish(): Uint8Array {
    if (this.pendingLen > 0) {
      this.pending.fill(0, this.pendingLen);
      this.addBlock(this.pending);
      this.pendingLen = 0;
    }
    // Fold every non-final level upwards (the loop bound is re-read: folding may add a level).
    for (let i = 0; i < this.levels.length; i++) {
      const level = this.levels[i]!;
      if (i < this.levels.length - 1) {
        if (level.count >= 1) {
          this.levels[i] = new Level();
          this.aggregate(i + 1, level.checksum);
        }
      } else {
        return (level.count > 1 ? level.checksum : this.lastSumWritten).slice();
      }
    }
    return new Uint8Array(SIZE);
  }

  private addBlock(block: Uint8Array): void {
    this.aggregate(0, isZero(block) ? ZERO_SUM : sha1(block));
  }

  /** Writes `sum` into level `index`, carrying full levels upwards. */
  private aggregate(index: number, sum: Uint8Array): void {
    for (let i = index; ; i++) {
      if (i >= this.levels.length) this.levels.push(new Level());
      const level = this.levels[i]!;
      level.add(sum);
      this.lastSumWritten = sum;
      if (level.count < SUMS_PER_LEVEL) return;
      sum = level.checksum;
      this.levels[i] = new Level();
    }
  }
}

// --- internal helpers ---

const ZERO_SUM = new Uint8Array(SIZE);
const ZERO_BLOCK = new Uint8Array(BLOCK);

/** One aggregation level: a 160-bit accumulator and the number of sums written. */
class Level {
  readonly checksum = new Uint8Array(SIZE);
  count = 0;

  /** Adds sha1(sum ‖ count) to the accumulator (mod 2^160) unless `sum` is all zero, and counts it. */
  add(sum: Uint8Array): void {
    if (!isZero(sum)) {
      const embedded = new Uint8Array(SIZE + 1);
      embedded.set(sum);
      embedded[SIZE] = this.count;
      const h = sha1(embedded);
      let carry = 0;
      for (let k = SIZE - 1; k >= 0; k--) {
        const v = this.checksum[k]! + h[k]! + carry;
        this.checksum[k] = v & 0xff;
        carry = v >>> 8;
      }
    }
    this.count++;
  }
}

function isZero(data: Uint8Array): boolean {
  return Buffer.compare(data, data.length === BLOCK ? ZERO_BLOCK : ZERO_BLOCK.subarray(0, data.length)) === 0;
}

const sha1: (data: Uint8Array) => Uint8Array =
  typeof oneShotHash === 'function'
    ? (data) => oneShotHash('sha1', data, 'buffer')
    : (data) => createHash('sha1').update(data).digest();
