// Small helpers of the memory backend: Go path semantics, bucket splitting, open ranges.

import { invalidArgument } from '@jsync/core';
import type { OpenOptions } from '@jsync/core';

/** Go `path.Clean` for slash-separated paths (`""` → `"."`). */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const s = out.join('/');
  return rooted ? '/' + s : s === '' ? '.' : s;
}

/** Go `path.Join`: joins the non-empty elements and cleans; all empty → `""`. */
export function joinPath(...elems: string[]): string {
  const parts = elems.filter((e) => e !== '');
  return parts.length === 0 ? '' : cleanPath(parts.join('/'));
}

/** rclone `bucket.Split`: `bucket/dir/file` → [`bucket`, `dir/file`]. */
export function splitBucket(absPath: string): [bucket: string, bucketPath: string] {
  if (absPath === '') return ['', ''];
  const slash = absPath.indexOf('/');
  return slash < 0 ? [absPath, ''] : [absPath.slice(0, slash), absPath.slice(slash + 1)];
}

/**
 * Offset and limit (-1 = to EOF) for reading `size` bytes with `opts` (rclone `RangeOption.Decode`), clamped to
 * the content. `seek` is applied first, `range` after it (so a range wins).
 */
export function decodeOpenOptions(opts: OpenOptions, size: number): { offset: number; limit: number } {
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
      limit = -1;
    }
  }
  offset = Math.min(Math.max(offset, 0), size);
  if (limit < -1) limit = 0;
  return { offset, limit };
}
