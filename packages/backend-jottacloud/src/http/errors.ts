// Non-2xx answers as errors: JFS XML `<error>` documents, api-host JSON and OAuth bodies, with rclone's message texts.

import { JsyncError } from '@jsync/core';
import type { ErrorClass } from '@jsync/core';

/** HTTP statuses rclone's jottacloud backend retries at the low level (`retryErrorCodes`). */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504, 509]);

/** Longest server-directed wait honoured from a `Retry-After` header. */
export const MAX_RETRY_AFTER_MS = 5 * 60_000;

const API_ERROR: unique symbol = Symbol.for('jsync.jottacloud.apiError') as never;

/** Constructor options of {@link JottaApiError}. */
export interface JottaApiErrorOptions {
  /** Effective status: the JFS `<code>` when present and non-zero, else the HTTP status. */
  status: number;
  /** Status of the HTTP response (decides retries, like rclone's shouldRetry). @default status */
  httpStatus?: number;
  /** Full error message (rclone's format). */
  message: string;
  /** JFS `<reason>` or the HTTP reason phrase. */
  reason?: string;
  /** The server's own message: JFS `<message>`, JSON `message` or OAuth `error_description`. */
  jfsMessage?: string;
  /** JSON `error_id`, OAuth `error`, or the exception class named by a JFS message (`NoSuchFileException`). */
  errorId?: string;
  retryAfterMs?: number;
  cause?: unknown;
  context?: Record<string, unknown>;
}

/**
 * A non-2xx answer. Code `IO` (or `QUOTA_EXCEEDED`, fatal, for HTTP 460 / QuotaExceededException); errorClass 'retry'
 * for retryable statuses, unclassified otherwise (rclone: high-level retries, exit code 1); `retryAfterMs` from a `Retry-After` header (capped at 5 min).
 */
export class JottaApiError extends JsyncError {
  readonly [API_ERROR] = true;
  /** Effective status (JFS `<code>` when non-zero, else HTTP). */
  readonly status: number;
  /** Status of the HTTP response itself. */
  readonly httpStatus: number;
  /** JFS `<reason>` or the HTTP reason phrase. */
  readonly reason: string;
  /** The server's message text ('' when none). */
  readonly jfsMessage: string;
  /** JSON `error_id` / OAuth `error` / exception class name ('' when none). */
  readonly errorId: string;

  constructor(opts: JottaApiErrorOptions) {
    const httpStatus = opts.httpStatus ?? opts.status;
    const quota = isQuotaExceeded(opts.status, opts.jfsMessage, opts.errorId) || httpStatus === 460;
    super({
      code: quota ? 'QUOTA_EXCEEDED' : 'IO',
      message: quota ? `quota exceeded: ${opts.message}` : opts.message,
      cause: opts.cause,
      errorClass: quota ? 'fatal' : statusErrorClass(httpStatus),
      retryAfterMs: opts.retryAfterMs,
      context: { status: opts.status, httpStatus, ...opts.context },
    });
    this.name = 'JottaApiError';
    this.status = opts.status;
    this.httpStatus = httpStatus;
    this.reason = opts.reason ?? '';
    this.jfsMessage = opts.jfsMessage ?? '';
    this.errorId = opts.errorId ?? '';
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[API_ERROR] === true;
  }
}

function isQuotaExceeded(status: number, message = '', errorId = ''): boolean {
  return status === 460 || /QuotaExceeded/i.test(message) || /QuotaExceeded/i.test(errorId);
}

function statusErrorClass(status: number): ErrorClass | undefined {
  if (RETRY_STATUSES.has(status)) return 'retry';
  // Other statuses stay unclassified, as in rclone: no low-level retry, but the whole operation is retried
  // (`--retries`) and the exit code is rclone's default (1).
  return undefined;
}

/** The first {@link JottaApiError} in the cause chain of `err`. */
export function findApiError(err: unknown): JottaApiError | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 16; depth++) {
    if (e instanceof JottaApiError) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The HTTP (or JFS `<code>`) status of the first API error in the cause chain of `err`. */
export function httpStatusOf(err: unknown): number | undefined {
  return findApiError(err)?.status;
}

/** Milliseconds to wait from a `Retry-After` value (delay-seconds or HTTP-date), capped at 5 minutes; undefined when absent or unparsable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const v = (Array.isArray(value) ? value[0] : value)?.trim();
  if (v === undefined || v === '') return undefined;
  let ms: number;
  if (/^\d+$/.test(v)) ms = Number(v) * 1000;
  else {
    const t = Date.parse(v);
    if (Number.isNaN(t)) return undefined;
    ms = t - now;
  }
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

/** What {@link errorFromResponse} needs of a response. */
export interface ErrorResponse {
  status: number;
  /** Reason phrase from the status line ('' when the server sent none). */
  statusText?: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The (capped) body text. */
  body: string;
  /** Use rclone's JFS error handler even when the body is not an `<error>` document (requests under `/jfs/`). */
  jfs?: boolean;
  /** Extra structured context (method, URL). */
  context?: Record<string, unknown>;
  now?: number;
}

/**
 * Builds the error for a non-2xx response. JFS (XML body or `jfs`): `error <code>: <message> (<reason>)`, message
 * defaulting to the status line; otherwise rclone's default `HTTP error <status> (<status line>) returned body: "<body>"`.
 */
export function errorFromResponse(res: ErrorResponse): JottaApiError {
  const statusLine = `${res.status} ${res.statusText ?? ''}`.trimEnd();
  const retryAfterMs = parseRetryAfter(res.headers['retry-after'], res.now);
  const common = { retryAfterMs, context: res.context, httpStatus: res.status };
  const xml = parseXmlError(res.body);
  if (xml !== undefined || res.jfs === true) {
    const status = xml?.code !== undefined && xml.code !== 0 ? xml.code : res.status;
    const jfsMessage = xml?.message ?? '';
    const reason = xml?.reason ?? '';
    let message = `error ${status}: ${jfsMessage === '' ? statusLine : jfsMessage}`;
    if (reason !== '') message += ` (${reason})`;
    const errorId = /^(?:[\w$]+\.)*(\w+(?:Exception|Error))\b/.exec(jfsMessage)?.[1] ?? '';
    return new JottaApiError({ status, message, reason: reason || (res.statusText ?? ''), jfsMessage, errorId, ...common });
  }
  const json = parseJsonError(res.body);
  const message = `HTTP error ${res.status} (${statusLine}) returned body: ${goQuote(res.body)}`;
  return new JottaApiError({
    status: res.status, message, reason: res.statusText ?? '', jfsMessage: json.message, errorId: json.errorId, ...common,
  });
}

interface XmlError {
  code?: number;
  message?: string;
  reason?: string;
}

/** Tolerant extraction of a JFS `<error>` document's children; undefined when the body is not one. */
export function parseXmlError(body: string): XmlError | undefined {
  const root = /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<error[\s>/]/.exec(body);
  if (root === null) return undefined;
  const child = (name: string): string | undefined => {
    const m = new RegExp(`<${name}(?:\\s[^>]*)?(?:/>|>([\\s\\S]*?)</${name}\\s*>)`).exec(body);
    return m === null ? undefined : decodeXmlText(m[1] ?? '');
  };
  const codeText = child('code')?.trim();
  const code = codeText !== undefined && /^[+-]?\d+$/.test(codeText) ? Number(codeText) : undefined;
  return { code, message: child('message'), reason: child('reason') };
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeXmlText(s: string): string {
  return s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>|&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, cdata: string | undefined, ent: string | undefined) => {
    if (cdata !== undefined) return cdata;
    if (ent === undefined) return whole;
    if (ent.startsWith('#')) {
      const cp = ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    }
    return NAMED_ENTITIES[ent] ?? whole;
  });
}

function parseJsonError(body: string): { message: string; errorId: string } {
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v !== 'object' || v === null) return { message: '', errorId: '' };
    const o = v as Record<string, unknown>;
    const str = (x: unknown): string => (typeof x === 'string' ? x : '');
    return { message: str(o.message) || str(o.error_description), errorId: str(o.error_id) || str(o.error) };
  } catch {
    return { message: '', errorId: '' };
  }
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\',
};

/** Go's `%q` for a string: double-quoted, `\n`-style escapes, non-printable runes as `\xNN`/`\uNNNN`. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const short = SHORT_ESCAPES[ch];
    const cp = ch.codePointAt(0) ?? 0;
    if (short !== undefined) out += short;
    else if (PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}
