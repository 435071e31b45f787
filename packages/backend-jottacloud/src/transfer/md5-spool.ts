// Spooling an upload whose MD5 (or size) is unknown: hash while buffering, in memory up to a limit, else a temp file.

import { createHash, randomBytes } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { longInputError, shortInputError } from './source.js';
import type { UploadSource } from './source.js';

/** Prefix of spool files (rclone uses `rclone-jcmd5-`). */
export const SPOOL_PREFIX = 'jsync-jcmd5-';

/** Largest chunk read back from a spool file. */
const FILE_CHUNK = 1 << 20;

/** Options of {@link spoolWithMd5}. */
export interface SpoolOptions {
  /** Declared size, -1 when unknown; a known size is verified (short input → FsPutShortEOF error). */
  sizeHint: number;
  /** Inputs up to this many bytes stay in memory (`md5_memory_limit`). */
  memoryLimit: number;
  /** Directory of the spool file (`--temp-dir`). @default os.tmpdir() */
  tempDir?: string;
  signal?: AbortSignal;
}

/**
 * Reads `input` to its end while computing its MD5: in memory while it fits `memoryLimit`, else into a 0600 temp file
 * `jsync-jcmd5-*`. On POSIX the file is unlinked right after it is created (only the open handle keeps it), so it
 * disappears even if the process is killed; elsewhere {@link UploadSource.dispose} removes it. On any error the
 * spool is released before the error propagates.
 */
export async function spoolWithMd5(input: AsyncIterable<Uint8Array>, opts: SpoolOptions): Promise<UploadSource> {
  const hash = createHash('md5');
  const chunks: Uint8Array[] = [];
  let size = 0;
  let file: SpoolFile | undefined;
  try {
    if (opts.sizeHint > opts.memoryLimit) file = await SpoolFile.create(opts.tempDir ?? tmpdir());
    for await (const chunk of input) {
      opts.signal?.throwIfAborted();
      if (chunk.length === 0) continue;
      size += chunk.length;
      if (opts.sizeHint >= 0 && size > opts.sizeHint) throw longInputError(opts.sizeHint);
      hash.update(chunk);
      if (file === undefined && size > opts.memoryLimit) {
        file = await SpoolFile.create(opts.tempDir ?? tmpdir());
        for (const c of chunks.splice(0)) await file.append(c);
      }
      if (file !== undefined) await file.append(chunk);
      else chunks.push(chunk);
    }
    opts.signal?.throwIfAborted();
    if (opts.sizeHint >= 0 && size < opts.sizeHint) throw shortInputError(size, opts.sizeHint);
  } catch (err) {
    await file?.close();
    throw err;
  }
  const md5 = hash.digest('hex');
  return file === undefined ? new MemorySpool(md5, size, chunks) : new FileSpool(md5, size, file);
}

/** A spool held as the input's chunks. */
class MemorySpool implements UploadSource {
  readonly kind = 'memory' as const;
  readonly failure: unknown = undefined;
  private chunks: Uint8Array[];

  constructor(readonly md5: string, readonly size: number, chunks: Uint8Array[]) {
    this.chunks = chunks;
  }

  canRead(offset: number): boolean {
    return offset >= 0 && offset <= this.size;
  }

  async *read(offset: number): AsyncGenerator<Uint8Array> {
    let start = 0;
    for (const c of this.chunks) {
      const end = start + c.length;
      if (end > offset) yield offset > start ? c.subarray(offset - start) : c;
      start = end;
    }
  }

  async dispose(): Promise<void> {
    this.chunks = [];
  }
}

/** A spool in a temp file, read back with positioned reads. */
class FileSpool implements UploadSource {
  readonly kind = 'file' as const;
  readonly failure: unknown = undefined;

  constructor(readonly md5: string, readonly size: number, private readonly file: SpoolFile) {}

  canRead(offset: number): boolean {
    return offset >= 0 && offset <= this.size;
  }

  async *read(offset: number): AsyncGenerator<Uint8Array> {
    for (let pos = offset; pos < this.size; ) {
      // A fresh buffer per chunk: the HTTP client may still hold the previous one.
      const buf = Buffer.allocUnsafe(Math.min(FILE_CHUNK, this.size - pos));
      const n = await this.file.readAt(buf, pos);
      if (n === 0) throw shortInputError(pos, this.size); // the spool file shrank under us
      pos += n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  }

  dispose(): Promise<void> {
    return this.file.close();
  }
}

/** The temp file behind a {@link FileSpool}. */
class SpoolFile {
  private closed: Promise<void> | undefined;
  private writePos = 0;

  private constructor(private readonly fh: FileHandle, private readonly path: string, private linked: boolean) {}

  /** Creates `jsync-jcmd5-<random>` (mode 0600, exclusive) in `dir`; unlinks it at once where the OS allows. */
  static async create(dir: string): Promise<SpoolFile> {
    const path = join(dir, SPOOL_PREFIX + randomBytes(8).toString('hex'));
    const fh = await open(path, 'wx+', 0o600);
    let linked = true;
    if (process.platform !== 'win32') {
      try {
        await unlink(path);
        linked = false;
      } catch {
        // keep it; close() removes it
      }
    }
    return new SpoolFile(fh, path, linked);
  }

  async append(chunk: Uint8Array): Promise<void> {
    for (let off = 0; off < chunk.length; ) {
      const { bytesWritten } = await this.fh.write(chunk, off, chunk.length - off, this.writePos);
      off += bytesWritten;
      this.writePos += bytesWritten;
    }
  }

  async readAt(buf: Buffer, pos: number): Promise<number> {
    return (await this.fh.read(buf, 0, buf.length, pos)).bytesRead;
  }

  /** Closes the handle and removes the file if it is still linked. Idempotent; never throws. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.fh.close().catch(() => undefined);
      if (this.linked) await unlink(this.path).catch(() => undefined);
      this.linked = false;
    })();
    return this.closed;
  }
}
