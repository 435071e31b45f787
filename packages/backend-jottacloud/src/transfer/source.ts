// What an upload reads its bytes from: a spool (replayable from any offset) or the one-shot input (a bounded window).

import { JsyncError } from '@jsync/core';

/** The bytes of one upload with their MD5 and size, readable from an offset (the server's `resume_pos`). */
export interface UploadSource {
  /** Lower-case hex MD5 of the whole content. */
  readonly md5: string;
  /** Total size in bytes. */
  readonly size: number;
  /** `memory`/`file`: spooled, readable again from any offset; `stream`: the input itself, see {@link canRead}. */
  readonly kind: 'memory' | 'file' | 'stream';
  /** Whether {@link read} can start at `offset` (spools always; a stream only inside what it still holds or ahead). */
  canRead(offset: number): boolean;
  /** The bytes from `offset` to the end, exactly `size - offset` of them; a fresh iterable per call. */
  read(offset: number): AsyncIterable<Uint8Array>;
  /** The error of the input itself (read error, short or long input), once one happened: never resume after it. */
  readonly failure: unknown;
  /** Releases memory, closes and removes any temp file, ends the input. Idempotent; never throws. */
  dispose(): Promise<void>;
}

/** rclone's FsPutShortEOF case: the input ended before its declared size (never waits for more). */
export function shortInputError(got: number, want: number): JsyncError {
  return new JsyncError({
    code: 'IO',
    message: `unexpected EOF: source ended after ${got} of ${want} bytes`,
    context: { bytesRead: got, expected: want },
  });
}

/** The input yielded more bytes than its declared size. */
export function longInputError(want: number): JsyncError {
  return new JsyncError({
    code: 'IO',
    message: `source is longer than its declared size of ${want} bytes`,
    context: { expected: want },
  });
}
