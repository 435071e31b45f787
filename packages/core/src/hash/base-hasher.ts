// The incremental Hasher contract and a base class with digest caching shared by the TypeScript hashers.

import type { HashType } from './hash-type.js';

/** An incremental hash: feed chunks with `update`, then read the digest. */
export interface Hasher {
  /** The hash type computed. */
  readonly type: HashType;
  /** Adds bytes; the chunk is neither retained nor modified. Throws once the digest was taken. */
  update(chunk: Uint8Array): void;
  /** Finalises and returns the raw digest; later calls return the same bytes. */
  digestBytes(): Uint8Array;
  /** Finalises and returns the lower-case hex digest, as rclone prints it. */
  digest(): string;
}

/** Base class handling digest caching and use-after-finalise checks. */
export abstract class BaseHasher implements Hasher {
  abstract readonly type: HashType;
  private result: Uint8Array | undefined;

  update(chunk: Uint8Array): void {
    if (this.result !== undefined) throw new Error(`${this.type} hasher: update after digest`);
    if (chunk.length > 0) this.write(chunk);
  }

  digestBytes(): Uint8Array {
    this.result ??= this.finish();
    return this.result;
  }

  digest(): string {
    return toHex(this.digestBytes());
  }

  /** Consumes a non-empty chunk. */
  protected abstract write(chunk: Uint8Array): void;
  /** Computes the final digest; called at most once. */
  protected abstract finish(): Uint8Array;
}

/** Lower-case hex of raw bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
