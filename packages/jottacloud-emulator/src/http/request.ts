// Request parsing: URL path segments (percent- and plus-decoding), form/query strings, bodies, Range headers.

import type { IncomingMessage } from 'node:http';
import { badRequest, HttpError, Exc } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Percent-decodes `text` to bytes and then strict UTF-8; throws 400 on malformed escapes or bytes. */
export function percentDecode(text: string, plusAsSpace: boolean): string {
  const src = plusAsSpace ? text.replace(/\+/g, ' ') : text;
  if (!src.includes('%') && /^[\x00-\x7f]*$/.test(src)) return src;
  const bytes: number[] = [];
  for (const run of src.match(/%[0-9A-Fa-f]{2}|%|[^%]+/g) ?? []) {
    if (run === '%') throw badRequest(`Malformed escape in ${JSON.stringify(text)}`);
    if (run.startsWith('%')) bytes.push(parseInt(run.slice(1), 16));
    // Raw bytes of a request line arrive as latin1 characters.
    else for (const b of Buffer.from(run, /^[\u0000-\u00ff]*$/.test(run) ? 'latin1' : 'utf8')) bytes.push(b);
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    throw badRequest(`Invalid UTF-8 in ${JSON.stringify(text)}`);
  }
}

/** A request target split into its raw path and decoded query. */
export interface Target {
  /** The raw (still percent-encoded) path. */
  path: string;
  /** Form-decoded query parameters (the first value of each key wins). */
  query: Map<string, string>;
}

/** Parses a form-encoded string (query or body). Throws 400 on malformed encoding. */
export function parseForm(text: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!text) return out;
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const k = percentDecode(eq < 0 ? pair : pair.slice(0, eq), true);
    const v = eq < 0 ? '' : percentDecode(pair.slice(eq + 1), true);
    if (!out.has(k)) out.set(k, v);
  }
  return out;
}

/** Splits `req.url` (origin-form or absolute-form) into path and query. */
export function parseTarget(rawUrl: string): Target {
  let url = rawUrl;
  const abs = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(url);
  if (abs) url = url.slice(abs[0].length) || '/';
  const hash = url.indexOf('#');
  if (hash >= 0) url = url.slice(0, hash);
  const q = url.indexOf('?');
  return { path: q < 0 ? url : url.slice(0, q), query: parseForm(q < 0 ? '' : url.slice(q + 1)) };
}

/**
 * Decodes a raw path below a prefix into names. Empty names inside the path, `.`/`..` and encoded slashes are 400s;
 * one trailing slash is allowed and reported.
 */
export function decodeSegments(raw: string, plusAsSpace: boolean): { names: string[]; trailingSlash: boolean } {
  const trailingSlash = raw.length > 1 && raw.endsWith('/');
  const body = raw.replace(/^\/+/, '').replace(/\/$/, '');
  if (body === '') return { names: [], trailingSlash };
  const names = body.split('/').map((seg) => {
    if (seg === '') throw badRequest(`Empty path element in ${JSON.stringify(raw)}`);
    const name = percentDecode(seg, plusAsSpace);
    if (name.includes('/')) throw badRequest(`Encoded slash in path element ${JSON.stringify(seg)}`);
    if (name === '.' || name === '..') throw badRequest(`Invalid path element ${JSON.stringify(name)}`);
    return name;
  });
  return { names, trailingSlash };
}

/** Splits an absolute raw path value (`/user/device/mountpoint/...`, as in `mv=`) into names. */
export function splitAbsolute(value: string): string[] {
  if (!value.startsWith('/')) throw badRequest(`Path must be absolute: ${JSON.stringify(value)}`);
  const body = value.slice(1).replace(/\/$/, '');
  const names = body === '' ? [] : body.split('/');
  for (const n of names) {
    if (n === '' || n === '.' || n === '..') throw badRequest(`Invalid path ${JSON.stringify(value)}`);
  }
  return names;
}

/** Reads a small request body, refusing more than `limit` bytes with 413. */
export async function readSmallBody(req: IncomingMessage, limit = 1 << 20): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, Exc.tooLarge, `Request body larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > limit) throw new HttpError(413, Exc.tooLarge, `Request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A byte range `[start, end)` or null for the whole representation; 'unsatisfiable' for a bad one. */
export type RangeResult = { start: number; end: number } | null | 'unsatisfiable';

/** Parses a single-range `Range: bytes=a-b | a- | -n` against `size` (multiple ranges are ignored: full body). */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return null;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return header.includes(',') ? null : 'unsatisfiable';
  const [, a, b] = m as unknown as [string, string, string];
  if (a === '' && b === '') return 'unsatisfiable';
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size };
  }
  const start = Number(a);
  const end = b === '' ? size : Math.min(size, Number(b) + 1);
  if (!Number.isSafeInteger(start) || start >= size || (b !== '' && Number(b) < start)) return 'unsatisfiable';
  return { start, end };
}
