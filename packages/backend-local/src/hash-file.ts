// Feeding a local file to a synchronous consumer (hashing): two reused buffers, the next read in flight meanwhile.

import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** Largest read(2) while hashing: big enough to amortise the thread-pool round trip, small enough to stay cache-warm. */
export const HASH_READ_CHUNK = 1024 * 1024;

/** Options for {@link consumeFile}. */
export interface ConsumeFileOptions {
  /** Bytes to read at most from offset 0; -1 = to EOF. */
  limit: number;
  /** The size stat reported, used to size the first buffer (a small file is one small read); -1 when unknown. */
  sizeHint: number;
  signal?: AbortSignal;
  /** Read size; defaults to {@link HASH_READ_CHUNK} (tests use small values to exercise the chunking). */
  chunkSize?: number;
}

/**
 * Reads `fh` from offset 0 and hands every chunk to `consume`, which must use it synchronously and not keep it (the
 * buffers are reused — the Hasher contract). While one chunk is consumed the next read already runs in the thread
 * pool. A read shorter than asked is the end of the file. Resolves to the number of bytes read.
 */
export async function consumeFile(fh: FileHandle, opts: ConsumeFileOptions, consume: (chunk: Uint8Array) => void): Promise<number> {
  const chunk = opts.chunkSize ?? HASH_READ_CHUNK;
  const limit = opts.limit < 0 ? Infinity : opts.limit;
  opts.signal?.throwIfAborted();
  if (limit === 0) return 0;
  // sizeHint + 1: a file still of its stat size is read in one call that comes back short (= end of file).
  const bufs: [Buffer, Buffer | undefined] = [Buffer.allocUnsafe(Math.max(1, Math.min(chunk, limit, opts.sizeHint < 0 ? chunk : opts.sizeHint + 1))), undefined];
  let position = 0;
  let cur = 0;
  const readInto = (i: number): Promise<{ got: number; want: number }> => {
    const buf = bufs[i]!;
    const want = Math.min(buf.length, limit - position);
    const p = fh.read(buf, 0, want, position).then(({ bytesRead }) => ({ got: bytesRead, want }));
    p.catch(() => {}); // awaited below; this only keeps an abandoned read (consumer threw) from being "unhandled"
    return p;
  };
  let pending = readInto(0);
  for (;;) {
    const { got, want } = await pending;
    opts.signal?.throwIfAborted();
    position += got;
    const more = got === want && position < limit;
    if (more) {
      const next = cur ^ 1;
      if (bufs[next] === undefined || bufs[next].length < chunk) bufs[next] = Buffer.allocUnsafe(chunk);
      pending = readInto(next);
    }
    if (got > 0) consume(bufs[cur]!.subarray(0, got));
    if (!more) return position;
    cur ^= 1;
  }
}

/**
 * The in-place twin of {@link consumeFile} for small files: the content of the open `fd` from `offset` (default 0,
 * at most `limit` bytes), read synchronously into one buffer of the stat size + 1 (more reads only if the file
 * grew); the same end-of-file rule.
 */
export function readFdSync(fd: number, opts: Omit<ConsumeFileOptions, 'signal'> & { offset?: number }): Buffer {
  const chunk = opts.chunkSize ?? HASH_READ_CHUNK;
  const offset = opts.offset ?? 0;
  const limit = opts.limit < 0 ? Infinity : opts.limit;
  if (limit === 0) return Buffer.alloc(0);
  const untilEnd = opts.sizeHint < 0 ? chunk : Math.max(0, opts.sizeHint - offset) + 1;
  let buf = Buffer.allocUnsafe(Math.max(1, Math.min(chunk, limit, untilEnd)));
  let got = 0;
  for (;;) {
    const want = Math.min(buf.length - got, limit - got);
    const n = readSync(fd, buf, got, want, offset + got);
    got += n;
    if (n < want || got >= limit) return buf.subarray(0, got);
    if (got === buf.length) {
      const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, limit));
      buf.copy(bigger, 0, 0, got);
      buf = bigger;
    }
  }
}
