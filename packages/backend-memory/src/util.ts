// Small helpers of the memory backend: Go path semantics, bucket splitting, open ranges, MIME guessing.

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

// rclone's MimeTypeFromName as observed on Debian (Go's mime table + /etc/mime.types; text/* gets a charset).
const MIME_BY_EXT: Readonly<Record<string, string>> = {
  txt: 'text/plain', csv: 'text/csv', htm: 'text/html', html: 'text/html', css: 'text/css', js: 'text/javascript',
  mjs: 'text/javascript', md: 'text/markdown', xml: 'text/xml', srt: 'text/srt', json: 'application/json',
  pdf: 'application/pdf', zip: 'application/zip', gz: 'application/gzip', tar: 'application/x-tar',
  wasm: 'application/wasm', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif',
  webp: 'image/webp', svg: 'image/svg+xml', avif: 'image/avif', tif: 'image/tiff', tiff: 'image/tiff',
  mp3: 'audio/mpeg', m4a: 'audio/mpeg', flac: 'audio/flac', ogg: 'audio/ogg', opus: 'audio/ogg', wav: 'audio/x-wav',
  mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska', avi: 'video/x-msvideo',
  mpeg: 'video/mpeg', mpg: 'video/mpeg', ts: 'video/MP2T',
};

/** A MIME type guessed from the name's extension, `application/octet-stream` when unknown. */
export function mimeTypeFromName(remote: string): string {
  const leaf = remote.slice(remote.lastIndexOf('/') + 1);
  const dot = leaf.lastIndexOf('.');
  const type = dot < 0 ? undefined : MIME_BY_EXT[leaf.slice(dot + 1).toLowerCase()];
  if (type === undefined) return 'application/octet-stream';
  return type.startsWith('text/') ? `${type}; charset=utf-8` : type;
}
