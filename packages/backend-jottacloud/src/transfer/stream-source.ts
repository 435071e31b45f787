// The one-shot upload input as an UploadSource: skips to the server's resume_pos and keeps a bounded replay window.

import { longInputError, shortInputError } from './source.js';
import type { UploadSource } from './source.js';

/** Options of {@link streamSource}. */
export interface StreamSourceOptions {
  /** The MD5 the source declared. */
  md5: string;
  /** The declared size (≥ 0); the input must yield exactly this many bytes. */
  size: number;
  /** Bytes kept behind the newest byte read, so an upload cut off mid-way can resume without a reopen. */
  windowBytes: number;
}

/**
 * Wraps `input` (read once, in order). `read(offset)` skips ahead by discarding input bytes (a fresh stream after
 * a reopen starts at the server's `resume_pos`), and can start again from any offset still inside the window (the
 * last `windowBytes` bytes pulled), which covers what an interrupted POST had handed to the socket but the server
 * never stored. Chunks are kept by reference: inputs must not reuse a chunk's memory after yielding it (Node
 * streams and jsync's backends never do).
 */
export function streamSource(input: AsyncIterable<Uint8Array>, opts: StreamSourceOptions): UploadSource {
  return new StreamSource(input[Symbol.asyncIterator](), opts);
}

class StreamSource implements UploadSource {
  readonly kind = 'stream' as const;
  readonly md5: string;
  readonly size: number;
  failure: unknown = undefined;
  /** Retained chunks, contiguous, the first starting at `windowStart`. */
  private readonly chunks: { start: number; data: Uint8Array }[] = [];
  private windowStart = 0;
  private pulled = 0;
  private ended = false;
  private pulling: Promise<boolean> | undefined;
  private disposed = false;

  constructor(private readonly it: AsyncIterator<Uint8Array>, private readonly opts: StreamSourceOptions) {
    this.md5 = opts.md5;
    this.size = opts.size;
  }

  canRead(offset: number): boolean {
    return this.failure === undefined && offset >= this.windowStart && offset <= this.size;
  }

  async *read(offset: number): AsyncGenerator<Uint8Array> {
    if (!this.canRead(offset)) throw new RangeError(`stream source cannot restart at byte ${offset}`);
    let pos = offset;
    while (pos < this.size) {
      const held = this.chunkAt(pos);
      if (held !== undefined) {
        const end = Math.min(held.start + held.data.length, this.size);
        // Hold the last bytes back until the input is known to end there: a longer input never completes an
        // upload, and the body is done when the server has it all (so the connection stays reusable).
        if (end === this.size) await this.confirmEnd();
        const from = pos - held.start;
        yield from === 0 && end - held.start === held.data.length ? held.data : held.data.subarray(from, end - held.start);
        pos = end;
        continue;
      }
      if (pos < this.windowStart) throw new RangeError(`stream source window moved past byte ${pos}`);
      if (!(await this.pull())) this.fail(shortInputError(this.pulled, this.size));
    }
    await this.confirmEnd();
  }

  /** Once the whole declared size was pulled, pulls until the input ends (more bytes fail as too long). */
  private async confirmEnd(): Promise<void> {
    while (this.pulled === this.size && !this.ended) await this.pull();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.chunks.length = 0;
    if (!this.ended) await Promise.resolve(this.it.return?.()).catch(() => undefined);
  }

  private chunkAt(pos: number): { start: number; data: Uint8Array } | undefined {
    // Readers move forward, so the wanted chunk is nearly always one of the last.
    for (let i = this.chunks.length - 1; i >= 0; i--) {
      const c = this.chunks[i]!;
      if (c.start <= pos && pos < c.start + c.data.length) return c;
      if (c.start + c.data.length <= pos) return undefined;
    }
    return undefined;
  }

  /** Pulls one chunk from the input (single flight, so a reader abandoned mid-pull loses nothing); false at its end. */
  private pull(): Promise<boolean> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    this.pulling ??= this.pullOnce().finally(() => {
      this.pulling = undefined;
    });
    return this.pulling;
  }

  private async pullOnce(): Promise<boolean> {
    let r: IteratorResult<Uint8Array>;
    try {
      r = await this.it.next();
    } catch (err) {
      this.ended = true;
      return this.fail(err);
    }
    if (r.done === true) {
      this.ended = true;
      return false;
    }
    const data = r.value;
    if (data.length === 0) return true;
    if (this.pulled + data.length > this.size) {
      await Promise.resolve(this.it.return?.()).catch(() => undefined);
      this.ended = true;
      return this.fail(longInputError(this.size));
    }
    this.chunks.push({ start: this.pulled, data });
    this.pulled += data.length;
    this.trim();
    return true;
  }

  /** Drops chunks lying wholly more than `windowBytes` behind the newest byte. */
  private trim(): void {
    while (this.chunks.length > 1) {
      const first = this.chunks[0]!;
      if (this.pulled - (first.start + first.data.length) < this.opts.windowBytes) break;
      this.chunks.shift();
      this.windowStart = this.chunks[0]!.start;
    }
  }

  private fail(err: unknown): never {
    this.failure ??= err;
    throw this.failure;
  }
}
