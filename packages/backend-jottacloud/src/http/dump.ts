// `--dump headers,bodies,requests,responses,auth`: HTTP traffic logged at DEBUG in rclone's layout, secrets redacted.

import { Transform, pipeline, type Readable } from 'node:stream';
import { SECRET_FIELD_NAMES, SECRET_MASK, redactCredentials, type Logger } from '@jsync/core';

/** Largest body text shown in a dump; longer textual bodies are cut, binary bodies never shown. */
export const DUMP_BODY_LIMIT = 64 * 1024;

const SEP_REQ = '>'.repeat(71);
const SEP_RES = '<'.repeat(71);
const MASK = SECRET_MASK;
/** Field names masked in dumps: core's credential fields plus the OAuth authorization `code`. */
const SECRET_KEYS: readonly string[] = [...SECRET_FIELD_NAMES, 'code'];
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);
const TEXTUAL = /^\s*(?:text\/|application\/(?:json|xml|x-www-form-urlencoded|[\w.+-]*\+(?:json|xml))\b)/i;

/** Which parts of the traffic to log (rclone `--dump` flags). */
export interface DumpFlags {
  headers: boolean;
  requestBodies: boolean;
  responseBodies: boolean;
  /** Show Authorization headers and tokens unredacted. */
  auth: boolean;
}

/** Parses `--dump` values; undefined when nothing HTTP-related is dumped. */
export function parseDumpFlags(dump: readonly string[] | undefined): DumpFlags | undefined {
  const set = new Set((dump ?? []).flatMap((d) => d.split(',')).map((d) => d.trim().toLowerCase()));
  const bodies = set.has('bodies');
  const flags: DumpFlags = {
    headers: set.has('headers') || bodies || set.has('requests') || set.has('responses'),
    requestBodies: bodies || set.has('requests'),
    responseBodies: bodies || set.has('responses'),
    auth: set.has('auth'),
  };
  return flags.headers ? flags : undefined;
}

/**
 * Masks token-ish values (`access_token`, `refresh_token`, `password`, `auth_token`, `client_secret`, `code`,
 * `id_token`) in JSON (also cut short or escaped) or form text, `Bearer`/`Basic` credentials and JWT-shaped tokens;
 * `values` are exact secrets to mask as well (core `redactCredentials`).
 */
export function redactSecrets(text: string, values?: Iterable<string>): string {
  return redactCredentials(text, { fields: SECRET_KEYS, ...(values ? { values } : {}) });
}

/** True for content types whose bodies may be shown (text, JSON, XML, forms). */
export function isTextual(contentType: string | string[] | undefined): boolean {
  const ct = Array.isArray(contentType) ? contentType[0] : contentType;
  return ct !== undefined && TEXTUAL.test(ct);
}

/** Writes request/response dumps for one {@link RestClient}. */
export class Dumper {
  private seq = 0;

  constructor(
    private readonly flags: DumpFlags,
    private readonly logger: Logger,
  ) {}

  /** True when dumps would be written now. */
  get active(): boolean {
    return this.logger.enabled('DEBUG');
  }

  /** Whether response bodies of this content type are shown. */
  wantsResponseBody(contentType: string | string[] | undefined): boolean {
    return this.flags.responseBodies && this.active && isTextual(contentType);
  }

  /** Logs a request; returns its id for the matching response. */
  request(args: { method: string; url: string; headers: Readonly<Record<string, string>>; body: string | Uint8Array | AsyncIterable<Uint8Array> | undefined }): number {
    const id = ++this.seq;
    if (!this.active) return id;
    const u = /^[a-z]+:\/\/([^/?#]*)(.*)$/i.exec(args.url);
    const lines = [`${args.method} ${u?.[2] || '/'} HTTP/1.1`, `Host: ${u?.[1] ?? ''}`];
    for (const [k, v] of Object.entries(args.headers)) lines.push(this.headerLine(k, v));
    let text = `${SEP_REQ}\nHTTP REQUEST (req ${id})\n${this.clean(lines.join('\n'))}\n`;
    if (this.flags.requestBodies && args.body !== undefined) text += `\n${this.bodyText(args.body, args.headers['content-type'])}\n`;
    this.logger.log('DEBUG', undefined, `${text}${SEP_REQ}`);
    return id;
  }

  /** Logs a response's status and headers, and `body` when given (an error body already read). */
  response(id: number, res: { status: number; statusText: string; headers: Readonly<Record<string, string | string[] | undefined>> }, body?: string): void {
    if (!this.active) return;
    const lines = [`HTTP/1.1 ${`${res.status} ${res.statusText}`.trimEnd()}`];
    for (const [k, v] of Object.entries(res.headers)) {
      for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) lines.push(this.headerLine(k, one));
    }
    let text = `${SEP_RES}\nHTTP RESPONSE (req ${id})\n${this.clean(lines.join('\n'))}\n`;
    if (body !== undefined && this.flags.responseBodies) text += `\n${this.clean(cut(body))}\n`;
    this.logger.log('DEBUG', undefined, `${text}${SEP_RES}`);
  }

  /** Passes `body` through, logging its first 64 KiB when it ends (response bodies of textual types). */
  teeResponseBody(id: number, body: Readable): Readable {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let total = 0;
    let logged = false;
    const flush = (): void => {
      if (logged) return;
      logged = true;
      const more = total - keptBytes;
      const tail = more > 0 ? `\n… (${more} more bytes)` : '';
      this.logger.log('DEBUG', undefined, `${SEP_RES}\nHTTP RESPONSE BODY (req ${id})\n${this.clean(Buffer.concat(kept).toString('utf8'))}${tail}\n${SEP_RES}`);
    };
    const tee = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        total += chunk.length;
        if (keptBytes < DUMP_BODY_LIMIT) {
          const part = chunk.subarray(0, DUMP_BODY_LIMIT - keptBytes);
          kept.push(part);
          keptBytes += part.length;
        }
        cb(null, chunk);
      },
      flush(cb) {
        flush();
        cb();
      },
    });
    tee.on('close', flush);
    pipeline(body, tee, () => {});
    return tee;
  }

  private headerLine(name: string, value: string): string {
    const canonical = name.replace(/(^|-)([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase());
    return `${canonical}: ${!this.flags.auth && SECRET_HEADERS.has(name.toLowerCase()) ? MASK : value}`;
  }

  private bodyText(body: string | Uint8Array | AsyncIterable<Uint8Array>, contentType: string | undefined): string {
    if (typeof body === 'string') return this.clean(cut(body));
    if (body instanceof Uint8Array) {
      if (!isTextual(contentType)) return `<${body.length} bytes of ${contentType ?? 'binary'} data not shown>`;
      return this.clean(cut(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')));
    }
    return '<streamed body not shown>';
  }

  private clean(text: string): string {
    return this.flags.auth ? text : redactSecrets(text);
  }
}

function cut(text: string): string {
  if (text.length <= DUMP_BODY_LIMIT) return text;
  return `${text.slice(0, DUMP_BODY_LIMIT)}\n… (${text.length - DUMP_BODY_LIMIT} more characters)`;
}
