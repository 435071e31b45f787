// Mail.ru hash: data of at most 20 bytes zero-padded, else sha1("mrCloud" + data + decimal length).

import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { BaseHasher } from './base-hasher.js';

/** Digest size of the Mail.ru hash (sha1's 20 bytes). */
const SIZE = 20;

/** Mail.ru hasher (rclone backend/mailru/mrhash). */
export class MailruHasher extends BaseHasher {
  readonly type = 'mailru' as const;
  private readonly sha: Hash = createHash('sha1').update('mrCloud');
  private readonly small = new Uint8Array(SIZE);
  private total = 0;

  protected write(chunk: Uint8Array): void {
    this.sha.update(chunk);
    if (this.total + chunk.length <= SIZE) this.small.set(chunk, this.total);
    this.total += chunk.length;
  }

  protected finish(): Uint8Array {
    if (this.total <= SIZE) return this.small;
    return this.sha.update(String(this.total)).digest();
  }
}
