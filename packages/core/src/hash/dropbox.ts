// Dropbox content hash: sha256 over the concatenated sha256 digests of each 4 MiB block.

import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { BaseHasher } from './base-hasher.js';

/** Dropbox block size (4 MiB). */
export const DROPBOX_BLOCK_SIZE = 4 * 1024 * 1024;

/** Dropbox content-hash hasher; the empty input hashes to sha256("") like rclone's dbhash. */
export class DropboxHasher extends BaseHasher {
  readonly type = 'dropbox' as const;
  private readonly total: Hash = createHash('sha256');
  private block: Hash = createHash('sha256');
  private inBlock = 0;

  protected write(chunk: Uint8Array): void {
    let p = 0;
    while (p < chunk.length) {
      const take = Math.min(DROPBOX_BLOCK_SIZE - this.inBlock, chunk.length - p);
      this.block.update(p === 0 && take === chunk.length ? chunk : chunk.subarray(p, p + take));
      this.inBlock += take;
      p += take;
      if (this.inBlock === DROPBOX_BLOCK_SIZE) this.flushBlock();
    }
  }

  protected finish(): Uint8Array {
    if (this.inBlock > 0) this.flushBlock();
    return this.total.digest();
  }

  private flushBlock(): void {
    this.total.update(this.block.digest());
    this.block = createHash('sha256');
    this.inBlock = 0;
  }
}
