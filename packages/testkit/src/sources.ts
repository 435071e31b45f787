// Upload sources and random test data: chunked byte streams, streams that fail midway, random names.

import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `n` random letters and digits (rclone `random.String`). */
export function randomString(n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (let i = 0; i < n; i++) out += ALPHANUMERIC[bytes[i]! % ALPHANUMERIC.length];
  return out;
}

/** `n` random alphanumeric bytes (readable in failure messages). */
export function randomContent(n: number): Buffer {
  return Buffer.from(randomString(n), 'latin1');
}

/** Options for {@link bytesSource}. */
export interface BytesSourceOptions {
  /** Bytes per yielded chunk. @default 4096 */
  chunkSize?: number;
  /** Throw this error after all bytes were yielded (rclone `readers.ErrorReader` appended with MultiReader). */
  failWith?: Error;
}

/** An upload input yielding copies of `data` in chunks, optionally failing at the end. */
export async function* bytesSource(data: Uint8Array, opts: BytesSourceOptions = {}): AsyncGenerator<Uint8Array> {
  const size = Math.max(1, opts.chunkSize ?? 4096);
  for (let off = 0; off < data.length; off += size) {
    yield Uint8Array.prototype.slice.call(data, off, off + size);
  }
  if (opts.failWith) throw opts.failWith;
}
