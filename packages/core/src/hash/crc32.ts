// CRC-32 (IEEE 802.3, as Go's hash/crc32.NewIEEE): table-driven slicing-by-8, or zlib's when Node has it.

import * as zlib from 'node:zlib';
import { BaseHasher } from './base-hasher.js';

/** Updates a running CRC-32 (initial value 0) with `data` using the lookup tables only. */
export function crc32Update(crc: number, data: Uint8Array): number {
  const t = TABLES;
  let c = ~crc >>> 0;
  let i = 0;
  const n = data.length;
  const end8 = n - (n % 8);
  for (; i < end8; i += 8) {
    const lo = (c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    c =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
  }
  for (; i < n; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 hasher; digest is the 4-byte big-endian checksum (8 hex digits). */
export class Crc32Hasher extends BaseHasher {
  readonly type = 'crc32' as const;
  private crc = 0;

  protected write(chunk: Uint8Array): void {
    this.crc = NATIVE === undefined ? crc32Update(this.crc, chunk) : NATIVE(chunk, this.crc);
  }

  protected finish(): Uint8Array {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, this.crc >>> 0, false);
    return out;
  }
}

// --- internal helpers ---

/** zlib.crc32 exists from Node 20.15 / 22.2; it is the same IEEE CRC and runs natively. */
const NATIVE: ((data: Uint8Array, value: number) => number) | undefined =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function' ? (zlib as { crc32: (d: Uint8Array, v: number) => number }).crc32 : undefined;

/** Eight 256-entry tables for slicing-by-8 (reflected polynomial 0xEDB88320), built once at load. */
const TABLES: Int32Array = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(8 * 256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
}
