// Name checks done before any upload request (users-and-reliability req 25).

import { JsyncError } from '@jsync/core';
import type { MultiEncoder } from '@jsync/core';

/** Longest name Jottacloud stores, in characters (Unicode code points) of the encoded name. */
export const MAX_NAME_LENGTH = 255;

/**
 * Throws FILE_NAME_TOO_LONG (no retry) naming `remote` when a segment of its encoded form is longer than
 * {@link MAX_NAME_LENGTH} code points. Code points, not UTF-16 units or UTF-8 bytes: the server is documented as
 * "255 characters" and the emulator counts code points, so an emoji counts once and `‛XX` escapes count three.
 */
export function checkNameLength(encoder: MultiEncoder, remote: string): void {
  for (const segment of encoder.fromStandardPath(remote).split('/')) {
    // Fast path: a string of ≤ 255 UTF-16 units cannot hold more than 255 code points.
    if (segment.length <= MAX_NAME_LENGTH) continue;
    let n = 0;
    for (const _ of segment) n++;
    if (n <= MAX_NAME_LENGTH) continue;
    throw new JsyncError({
      code: 'FILE_NAME_TOO_LONG',
      message: `file name too long: a name in "${remote}" has ${n} characters (Jottacloud allows at most ${MAX_NAME_LENGTH})`,
      errorClass: 'noRetry',
      context: { remote, length: n, limit: MAX_NAME_LENGTH },
    });
  }
}
