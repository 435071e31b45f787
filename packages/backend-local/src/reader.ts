// Streaming reads from disk with an offset/limit, optionally failing if the file changes underneath (rclone localOpenFile).

import { fstatSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { FileHandle } from 'node:fs/promises';
import { JsyncError, Timestamp } from '@jsync/core';

/** Largest read(2) of a stream. */
export const READ_CHUNK = 256 * 1024;

/** What the file looked like when the object was stat-ed; a change during the read aborts it. */
export interface UpdateCheck {
  size: number;
  mtimeNs: bigint;
}

/** Options for {@link FileReader}. */
export interface FileReaderOptions {
  /** First byte to read. */
  offset: number;
  /** Bytes to read at most; -1 = to EOF. */
  limit: number;
  /** When set, every read is followed by a check that size and modtime are unchanged. */
  check?: UpdateCheck;
  /** The file size stat reported (-1 unknown): sizes the reads, so a small file is one read. */
  sizeHint?: number;
  signal?: AbortSignal;
}

/**
 * A Readable over an open file handle; closes the handle when it ends or is destroyed. A read that comes back
 * short once at least the stat size was read is the end of the file (no extra read to see 0 bytes); the update
 * check runs after each read, so it covers changes made before and during that read.
 */
export class FileReader extends Readable {
  private readonly fh: FileHandle;
  private position: number;
  private remaining: number;
  private readonly check: UpdateCheck | undefined;
  /** Offset at which the file ends as far as stat knew (Infinity when unknown). */
  private readonly knownEnd: number;
  private atEnd = false;

  constructor(fh: FileHandle, opts: FileReaderOptions) {
    super({ highWaterMark: READ_CHUNK, signal: opts.signal });
    this.fh = fh;
    this.position = opts.offset;
    this.remaining = opts.limit < 0 ? Infinity : opts.limit;
    this.check = opts.check;
    const size = opts.check?.size ?? opts.sizeHint ?? -1;
    this.knownEnd = size < 0 ? Infinity : size;
  }

  override _read(): void {
    this.readChunk().then(
      (chunk) => this.push(chunk),
      (err: unknown) => this.destroy(err as Error),
    );
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.fh.close().then(() => cb(err), (closeErr: unknown) => cb(err ?? (closeErr as Error)));
  }

  private async readChunk(): Promise<Buffer | null> {
    if (this.remaining <= 0 || this.atEnd) return null;
    // Up to one byte past the known end, so a file still of its stat size ends with this (short) read.
    const untilEnd = this.knownEnd - this.position + 1;
    const want = Math.min(READ_CHUNK, this.remaining, untilEnd > 0 ? untilEnd : READ_CHUNK);
    const buf = Buffer.allocUnsafe(want);
    const { bytesRead } = await this.fh.read(buf, 0, want, this.position);
    if (this.check) this.verifyUnchanged(this.check);
    this.position += bytesRead;
    this.remaining -= bytesRead;
    if (bytesRead === 0 || (bytesRead < want && this.position >= this.knownEnd)) this.atEnd = true;
    if (bytesRead === 0) return null;
    return bytesRead === want ? buf : buf.subarray(0, bytesRead);
  }

  /** In place: fstat answers from the in-memory inode, far cheaper than a thread-pool round trip per chunk. */
  private verifyUnchanged(check: UpdateCheck): void {
    checkUnchanged(fstatSync(this.fh.fd, { bigint: true }), check);
  }
}

/** Throws rclone's "source file is being updated" error when `st` differs from what the object was stat-ed as. */
export function checkUnchanged(st: { size: bigint; mtimeNs: bigint }, check: UpdateCheck): void {
  if (Number(st.size) !== check.size) {
    throw beingUpdated(`size changed from ${check.size} to ${st.size}`);
  }
  if (st.mtimeNs !== check.mtimeNs) {
    throw beingUpdated(`mod time changed from ${goTime(check.mtimeNs)} to ${goTime(st.mtimeNs)}`);
  }
}

/**
 * The stream {@link FileReader} would give, for content already read in place: it yields `data`, or fails with
 * `err` on its first read (so read errors surface while reading, as with a FileReader, not when opening).
 */
export function bufferedReader(data: Buffer | undefined, err: unknown, signal?: AbortSignal): Readable {
  let done = false;
  return new Readable({
    signal,
    read() {
      if (err !== undefined) {
        this.destroy(err as Error);
        return;
      }
      if (!done && data !== undefined && data.length > 0) this.push(data);
      done = true;
      this.push(null);
    },
  });
}


// --- internal helpers ---

function beingUpdated(detail: string): JsyncError {
  return new JsyncError({ code: 'IO', message: `can't copy - source file is being updated (${detail})`, errorClass: 'noLowLevelRetry' });
}

/** Go's time.Time.String() in UTC: `2001-02-03 04:05:06.499999999 +0000 UTC` (fraction trimmed of zeros). */
function goTime(ns: bigint): string {
  const t = Timestamp.fromNs(ns);
  const f = t.fields();
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const frac = f.nanos === 0 ? '' : '.' + String(f.nanos).padStart(9, '0').replace(/0+$/, '');
  return `${p(f.year, 4)}-${p(f.month)}-${p(f.day)} ${p(f.hour)}:${p(f.minute)}:${p(f.second)}${frac} +0000 UTC`;
}
