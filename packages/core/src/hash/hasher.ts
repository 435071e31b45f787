// Hasher factory for every rclone hash type, plus one-shot hashing and the base64 digest form (rclone fs/hash).

import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import type { HashType } from './hash-type.js';
import { BaseHasher } from './base-hasher.js';
import type { Hasher } from './base-hasher.js';
import { Crc32Hasher } from './crc32.js';
import { DropboxHasher } from './dropbox.js';
import { HidriveHasher } from './hidrive.js';
import { MailruHasher } from './mailru.js';
import { QuickXorHasher } from './quickxor.js';
import { WhirlpoolHasher } from './whirlpool.js';

/** Creates a fresh hasher for one hash type. */
export function createHasher(type: HashType): Hasher {
  switch (type) {
    case 'md5':
    case 'sha1':
    case 'sha256':
      return new NodeHasher(type, createHash(type));
    case 'whirlpool':
      return new WhirlpoolHasher();
    case 'crc32':
      return new Crc32Hasher();
    case 'dropbox':
      return new DropboxHasher();
    case 'hidrive':
      return new HidriveHasher();
    case 'mailru':
      return new MailruHasher();
    case 'quickxor':
      return new QuickXorHasher();
  }
}

/** Hashes one in-memory buffer (convenience for small data). */
export function hashBytes(type: HashType, data: Uint8Array): string {
  const h = createHasher(type);
  h.update(data);
  return h.digest();
}

/**
 * Re-encodes a hex digest as URL-safe base64 with padding (rclone `--base64`), e.g.
 * `df3a6cb27652375a816fec88498bbe62` → `3zpssnZSN1qBb-yISYu-Yg==`. `""` (unknown) stays `""`.
 */
export function hashToBase64(hex: string): string {
  if (hex === '') return '';
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError(`invalid hex digest: ${JSON.stringify(hex)}`);
  return Buffer.from(hex, 'hex').toString('base64').replaceAll('+', '-').replaceAll('/', '_');
}

// --- internal helpers ---

/** md5 / sha1 / sha256 straight from OpenSSL. */
class NodeHasher extends BaseHasher {
  constructor(
    readonly type: HashType,
    private readonly hash: Hash,
  ) {
    super();
  }

  protected write(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }

  protected finish(): Uint8Array {
    return this.hash.digest();
  }
}
