// lsjson items (rclone operations.ListJSONItem): building them from entries and marshalling them as Go's encoding/json.

import {
  DEFAULT_MIME_TYPE, DIRECTORY_MIME_TYPE, type DirEntry, type HashType, type Timestamp, mimeTypeByExtension,
} from '@jsync/core';
import { formatLocalTime, isGoZeroTime } from './format.js';

/** One listing entry as lsjson/lsf see it. Optional fields are omitted from JSON when empty. */
export interface ListJsonItem {
  path: string;
  name: string;
  size: number;
  mimeType?: string;
  /** Undefined with `--no-modtime` (printed as `""`). */
  modTime?: Timestamp;
  isDir: boolean;
  /** Hash name → digest; an empty record is omitted. */
  hashes?: Record<string, string>;
  id?: string;
  origId?: string;
  tier?: string;
  isBucket?: boolean;
}

/**
 * rclone `formatForPrecision`: fractional digits of lsjson's ModTime for an Fs precision in ns
 * (1ns → 9, ≤10ns → 8, … ≤100ms → 1, coarser → 0).
 */
export function modTimeDigitsForPrecision(precisionNs: bigint): number {
  let limit = 1n;
  for (let digits = 9; digits >= 1; digits--, limit *= 10n) {
    if (precisionNs <= limit) return digits;
  }
  return 0;
}

/** rclone `fs.MimeTypeFromName`: by the extension of the last path element, `application/octet-stream` if unknown. */
export function mimeTypeFromName(remote: string): string {
  return mimeTypeByExtension(remote) || DEFAULT_MIME_TYPE;
}

/** rclone `fs.MimeTypeDirEntry`: `inode/directory`, the object's own MIME type, or one from its name. */
export function mimeTypeOfEntry(entry: DirEntry): string {
  if (entry.isDir) return DIRECTORY_MIME_TYPE;
  const own = entry.mimeType?.();
  return own ? own : mimeTypeFromName(entry.remote);
}

/** Go `path.Base` as lsjson uses it for Name (`""` stays `""`). */
export function goPathBase(p: string): string {
  if (p === '') return '';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Options for {@link buildListJsonItem} (rclone ListJSONOpt as resolved by newListJSON). */
export interface ItemOptions {
  noModTime?: boolean;
  noMimeType?: boolean;
  /** Hash types to include for objects (undefined = no Hashes field). `none` yields nothing. */
  hashTypes?: readonly (HashType | 'none')[];
  /** Directories are buckets (bucket-based Fs listed at its root). */
  isBucket?: boolean;
  /** Called when a hash cannot be read (rclone logs `Failed to read hash: …` without counting it). */
  onHashError?: (entry: DirEntry, err: unknown) => void;
}

/** Converts one entry to an item, reading hashes as requested. */
export async function buildListJsonItem(entry: DirEntry, opts: ItemOptions = {}): Promise<ListJsonItem> {
  const item: ListJsonItem = { path: entry.remote, name: goPathBase(entry.remote), size: entry.size, isDir: entry.isDir };
  if (!opts.noModTime) item.modTime = entry.modTime();
  if (!opts.noMimeType) item.mimeType = mimeTypeOfEntry(entry);
  if (entry.isDir) {
    if (entry.id) item.id = entry.id;
    if (opts.isBucket) item.isBucket = true;
    return item;
  }
  const id = entry.id?.();
  if (id) item.id = id;
  if (opts.hashTypes) {
    const hashes: Record<string, string> = {};
    for (const t of opts.hashTypes) {
      if (t === 'none') continue;
      try {
        const h = await entry.hash(t);
        if (h !== '') hashes[t] = h;
      } catch (err) {
        opts.onHashError?.(entry, err);
      }
    }
    item.hashes = hashes;
  }
  return item;
}

/** Marshalling options: ModTime digits from {@link modTimeDigitsForPrecision}. */
export interface MarshalOptions {
  modTimeDigits: number;
}

function fields(item: ListJsonItem, opts: MarshalOptions): [string, string | Record<string, string>][] {
  const out: [string, string | Record<string, string>][] = [
    ['Path', goJsonString(item.path)],
    ['Name', goJsonString(item.name)],
    ['Size', String(item.size)],
  ];
  if (item.mimeType) out.push(['MimeType', goJsonString(item.mimeType)]);
  const mt = item.modTime === undefined || isGoZeroTime(item.modTime) ? '' : formatLocalTime(item.modTime, { digits: opts.modTimeDigits, rfc3339: true });
  out.push(['ModTime', goJsonString(mt)]);
  out.push(['IsDir', String(item.isDir)]);
  if (item.hashes && Object.keys(item.hashes).length > 0) {
    const sorted: Record<string, string> = {};
    for (const k of Object.keys(item.hashes).sort()) sorted[k] = goJsonString(item.hashes[k]!);
    out.push(['Hashes', sorted]);
  }
  if (item.id) out.push(['ID', goJsonString(item.id)]);
  if (item.origId) out.push(['OrigID', goJsonString(item.origId)]);
  if (item.tier) out.push(['Tier', goJsonString(item.tier)]);
  if (item.isBucket) out.push(['IsBucket', 'true']);
  return out;
}

/** Go `json.Marshal(item)`: compact, one line, no trailing newline. */
export function marshalItem(item: ListJsonItem, opts: MarshalOptions): string {
  const parts = fields(item, opts).map(([k, v]) => {
    if (typeof v === 'string') return `"${k}":${v}`;
    return `"${k}":{${Object.entries(v).map(([hk, hv]) => `${goJsonString(hk)}:${hv}`).join(',')}}`;
  });
  return `{${parts.join(',')}}`;
}

/** Go `json.MarshalIndent(item, "", "\t")`; `null` for no item. No trailing newline. */
export function marshalItemIndent(item: ListJsonItem | undefined, opts: MarshalOptions): string {
  if (!item) return 'null';
  const parts = fields(item, opts).map(([k, v]) => {
    if (typeof v === 'string') return `\t"${k}": ${v}`;
    return `\t"${k}": {\n${Object.entries(v).map(([hk, hv]) => `\t\t${goJsonString(hk)}: ${hv}`).join(',\n')}\n\t}`;
  });
  return `{\n${parts.join(',\n')}\n}`;
}

const HEX = '0123456789abcdef';

/**
 * A JSON string literal exactly as Go 1.19's encoder writes it: HTML-escaped `<`, `>`, `&`, `\u00XX` for control
 * characters other than `\n`, `\r`, `\t`, `\u2028`/`\u2029`, and `\ufffd` for each escaped invalid-UTF-8 byte.
 */
export function goJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      if (c === 0x22) out += '\\"';
      else if (c === 0x5c) out += '\\\\';
      else if (c === 0x0a) out += '\\n';
      else if (c === 0x0d) out += '\\r';
      else if (c === 0x09) out += '\\t';
      else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26) out += '\\u00' + HEX[c >> 4]! + HEX[c & 15]!;
      else out += s[i];
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16);
    else out += s[i];
  }
  return out + '"';
}
