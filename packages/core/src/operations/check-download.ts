// Byte-by-byte comparison of two objects for `check --download` (rclone CheckIdenticalDownload / CheckEqualReaders).

import type { FsObject } from '../fs/types.js';
import type { OperationContext } from '../sync/options.js';
import { goQuote } from '../util/go-text.js';
import { withLowLevelRetries } from './retry.js';

const CHUNK = 64 * 1024;

/** Reads fixed-size blocks from a chunked stream (the last one may be short). */
class BlockReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private buf: Buffer = Buffer.alloc(0);
  private done = false;
  constructor(stream: AsyncIterable<Uint8Array>) {
    this.it = stream[Symbol.asyncIterator]();
  }
  /** Up to `n` bytes; fewer only at the end of the stream. */
  async read(n: number): Promise<Buffer> {
    while (this.buf.length < n && !this.done) {
      const step = await this.it.next();
      if (step.done) this.done = true;
      else this.buf = this.buf.length === 0 ? Buffer.from(step.value) : Buffer.concat([this.buf, step.value]);
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(out.length);
    return out;
  }
  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/** True when the two streams differ (rclone CheckEqualReaders); read errors are thrown. */
export async function streamsDiffer(a: AsyncIterable<Uint8Array>, b: AsyncIterable<Uint8Array>): Promise<boolean> {
  const ra = new BlockReader(a);
  const rb = new BlockReader(b);
  try {
    for (;;) {
      const [x, y] = await Promise.all([ra.read(CHUNK), rb.read(CHUNK)]);
      if (!x.equals(y)) return true;
      if (x.length < CHUNK) return false;
    }
  } finally {
    await Promise.allSettled([ra.close(), rb.close()]);
  }
}

/**
 * Downloads `dst` and `src` and compares their bytes, retrying the whole comparison on retryable errors
 * (--low-level-retries). Each stream is accounted as a transfer of the destination's name, as rclone does.
 * Resolves true when they differ; open and read errors are thrown (wrapped as `failed to open "x": …`).
 */
export async function checkIdenticalDownload(ctx: OperationContext, dst: FsObject, src: FsObject): Promise<boolean> {
  return withLowLevelRetries(ctx, String(src), async () => {
    const signal = ctx.signal ? { signal: ctx.signal } : {};
    const open = async (o: FsObject) => {
      try {
        return await o.open(signal);
      } catch (err) {
        throw new Error(`failed to open ${goQuote(String(o))}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    };
    const in1 = await open(dst);
    const tr1 = ctx.stats.startTransfer({ remote: dst.remote, size: dst.size });
    let in2;
    try {
      in2 = await open(src);
    } catch (err) {
      in1.destroy();
      tr1.done();
      throw err;
    }
    const tr2 = ctx.stats.startTransfer({ remote: dst.remote, size: dst.size });
    try {
      return await streamsDiffer(tr1.wrap(in1), tr2.wrap(in2));
    } finally {
      in1.destroy();
      in2.destroy();
      tr1.done();
      tr2.done();
    }
  });
}
