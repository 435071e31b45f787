// rclone's RangeOption/SeekOption decoding, shared by every backend's `open`.

import { invalidArgument } from './errors.js';
import type { OpenOptions } from './types.js';

/**
 * Offset and limit (-1 = to EOF) for reading an object of `size` bytes with `opts` (rclone `RangeOption.Decode`):
 * `{5,15}` → (5, 11); `{80,-1}` → (80, -1); `{-1,20}` → last 20 bytes; a seek → (seek, -1). Seek applies first,
 * a range wins over it; the offset is clamped to [0, size]. Non-integer values throw INVALID_ARGUMENT.
 */
export function decodeOpenOptions(opts: Pick<OpenOptions, 'range' | 'seek'>, size: number): { offset: number; limit: number } {
  let offset = 0;
  let limit = -1;
  if (opts.seek !== undefined) {
    if (!Number.isInteger(opts.seek) || opts.seek < 0) throw invalidArgument(`invalid seek offset ${opts.seek}`);
    offset = opts.seek;
  }
  if (opts.range !== undefined) {
    const { start, end } = opts.range;
    if (!Number.isInteger(start) || !Number.isInteger(end)) throw invalidArgument(`invalid range ${start}-${end}`);
    if (start >= 0) {
      offset = start;
      limit = end >= 0 ? end - start + 1 : -1;
    } else {
      offset = end >= 0 ? size - end : 0;
    }
  }
  offset = Math.min(Math.max(offset, 0), Math.max(0, size));
  if (limit < -1) limit = 0;
  return { offset, limit };
}
