// A small REST client in the manner of rclone's lib/rest: root URL + escaped path + Go-encoded query, Bearer auth,
// paced low-level retries, rclone's error texts and --dump support.

import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { JsyncError } from '@jsync/core';
import type { Logger } from '@jsync/core';
import { Dumper, parseDumpFlags, redactSecrets } from './dump.js';
import { JottaApiError, errorFromResponse } from './errors.js';
import { encodeQuery, escapeJfsPath } from './escape.js';
import type { Pacer } from './pacer.js';

/** Largest error body read into an error message. */
export const MAX_ERROR_BODY_BYTES = 1 << 20;
/** Default cap of {@link RestClient.text}. */
export const DEFAULT_MAX_TEXT_BYTES = 256 << 20;

/** One HTTP request. */
export interface RestRequest {
  method: 'GET' | 'POST';
  /** Base URL (`https://jfs.jottacloud.com/jfs/`, an upload URL, …). */
  rootUrl: string;
  /** raw path appended to rootUrl, escaped here */
  path?: string;
  query?: Readonly<Record<string, string>>;
  headers?: Readonly<Record<string, string>>;
  /** string/Uint8Array bodies can be resent; an AsyncIterable is sent once (no retries, no 401 retry). */
  body?: string | Uint8Array | AsyncIterable<Uint8Array>;
  /** Content-Length of a streamed body (chunked encoding without it). */
  contentLength?: number;
  /** paced with low-level retries (default true); false = single attempt (allocate, upload, customer, purge_trash) */
  retry?: boolean;
  /** false = outside the pacer, one attempt, only `--tpslimit` applies (the upload POST, as rclone). @default true */
  pace?: boolean;
  /** no Authorization header (OIDC discovery/token) */
  noAuth?: boolean;
  signal?: AbortSignal;
}

/** A 2xx response; the caller consumes or destroys `body`. */
export interface RestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable;
}

/** Supplies Bearer tokens (implemented by the auth module). */
export interface TokenSource {
  /** A valid access token (refreshing first when it is about to expire). */
  accessToken(signal?: AbortSignal): Promise<string>;
  /** The server rejected `rejected` (HTTP 401): refresh unless already done, and return the token to use now. */
  invalidate(rejected: string, signal?: AbortSignal): Promise<string>;
}

/** Settings of a {@link RestClient}. */
export interface RestClientOptions {
  dispatcher: Dispatcher;
  pacer: Pacer;
  /** Adds `Authorization: Bearer …` to every request not marked `noAuth`. */
  tokenSource?: TokenSource;
  /** @default 'jsync' */
  userAgent?: string;
  logger: Logger;
  /** `--dump` flags (headers, bodies, requests, responses, auth). */
  dump?: readonly string[];
}

type Consume<T> = (res: RestResponse) => Promise<T>;

function isReplayable(body: RestRequest['body']): boolean {
  return body === undefined || typeof body === 'string' || body instanceof Uint8Array;
}

/** `rootUrl` + escaped `path` + `?` + Go-encoded `query` (joined with `&` when the root already has a query). */
export function buildUrl(req: Pick<RestRequest, 'rootUrl' | 'path' | 'query'>): string {
  let url = req.rootUrl + (req.path === undefined ? '' : escapeJfsPath(req.path));
  const q = req.query === undefined ? '' : encodeQuery(req.query);
  if (q !== '') url += (url.includes('?') ? '&' : '?') + q;
  return url;
}

function requestBody(body: RestRequest['body']): string | Uint8Array | Readable | null {
  if (body === undefined) return null;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  return Readable.from(body, { objectMode: false });
}

async function readCapped(body: Readable, max: number, opts: { keepTruncated?: boolean } = {}): Promise<{ data: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (n + chunk.length > max) {
      // Concatenating a body about to be refused would double the peak memory at the cap.
      if (opts.keepTruncated !== true) return { data: Buffer.alloc(0), truncated: true };
      chunks.push(chunk.subarray(0, max - n));
      return { data: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    n += chunk.length;
  }
  return { data: Buffer.concat(chunks), truncated: false };
}

/** Most 401 → refresh → retry rounds per request. */
const MAX_401_ROUNDS = 2;

/** HTTP client for the JFS and api hosts (rclone `rest.Client` + the backend's pacer and error handler). */
export class RestClient {
  private readonly dumper: Dumper | undefined;
  private readonly userAgent: string;

  constructor(private readonly opts: RestClientOptions) {
    const flags = parseDumpFlags(opts.dump);
    this.dumper = flags === undefined ? undefined : new Dumper(flags, opts.logger);
    this.userAgent = opts.userAgent ?? 'jsync';
  }

  /**
   * non-2xx → JottaApiError (error body read ≤ 1 MiB); POST without body sends Content-Length: 0 and no Content-Type.
   * 401 with auth → tokenSource.invalidate(used) then another try (at most 2 rounds, each with a new token; replayable bodies only). Caller consumes/destroys body.
   */
  call(req: RestRequest): Promise<RestResponse> {
    return this.run(req, async (res) => res);
  }

  /** The body as UTF-8 text (read inside the paced attempt, so a connection lost mid-body is retried); default cap 256 MiB. */
  text(req: RestRequest, opts: { maxBytes?: number } = {}): Promise<string> {
    const max = opts.maxBytes ?? DEFAULT_MAX_TEXT_BYTES;
    return this.run(req, async (res) => {
      const { data, truncated } = await readCapped(res.body, max);
      if (truncated) {
        res.body.destroy();
        throw new JsyncError({ code: 'IO', message: `response body of ${req.method} ${this.describe(req)} exceeds ${max} bytes`, errorClass: 'noRetry' });
      }
      return new TextDecoder().decode(data);
    });
  }

  /** The body parsed as JSON; invalid JSON is an IO error quoting the start of the body. */
  async json<T>(req: RestRequest): Promise<T> {
    const text = await this.text(req);
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      const start = JSON.stringify(text.slice(0, 200));
      throw new JsyncError({ code: 'IO', message: `failed to decode JSON from ${req.method} ${this.describe(req)}: ${(err as Error).message}: ${start}`, cause: err });
    }
  }

  private describe(req: RestRequest): string {
    return redactSecrets(buildUrl(req).replace(/^[a-z]+:\/\/[^/?#]*/i, ''));
  }

  private async run<T>(req: RestRequest, consume: Consume<T>): Promise<T> {
    const replayable = isReplayable(req.body);
    const retry = replayable && req.retry !== false;
    const ts = req.noAuth === true ? undefined : this.opts.tokenSource;
    const url = buildUrl(req);
    const describe = (): string => `${req.method} ${this.describe(req)}`;
    let forced: string | undefined;
    let used: string | undefined;
    const paced = (): Promise<T> =>
      this.opts.pacer.call(
        async () => {
          used = forced ?? (ts === undefined ? undefined : await ts.accessToken(req.signal));
          forced = undefined;
          return consume(await this.once(req, url, used));
        },
        { retry, pace: req.pace !== false, signal: req.signal, describe },
      );
    // A 401 invalidates the token used; a second round only when that retry was refused with a different token
    // (e.g. one adopted from the shared config that the server had expired meanwhile), never for the same token.
    const rejected = new Set<string>();
    for (;;) {
      try {
        return await paced();
      } catch (err) {
        if (ts === undefined || used === undefined || !replayable || !(err instanceof JottaApiError) || err.httpStatus !== 401) throw err;
        if (rejected.has(used) || rejected.size >= MAX_401_ROUNDS) throw err;
        rejected.add(used);
        forced = await ts.invalidate(used, req.signal);
        if (rejected.has(forced)) throw err;
      }
    }
  }

  private async once(req: RestRequest, url: string, token: string | undefined): Promise<RestResponse> {
    const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]+)(.*)$/i.exec(url);
    if (m === null) throw new JsyncError({ code: 'INVALID_ARGUMENT', message: `invalid URL ${JSON.stringify(url)}`, errorClass: 'fatal' });
    const origin = m[1] ?? '';
    const path = m[2] === undefined || m[2] === '' ? '/' : m[2];
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (req.body === undefined) {
      if (req.method === 'POST') headers['content-length'] = '0';
    } else if (req.contentLength !== undefined) headers['content-length'] = String(req.contentLength);
    const id = this.dumper?.request({ method: req.method, url, headers, body: req.body });
    const res = await this.opts.dispatcher.request({
      origin, path, method: req.method, headers, body: requestBody(req.body), signal: req.signal,
    });
    const info = { status: res.statusCode, statusText: res.statusText ?? '', headers: res.headers };
    if (res.statusCode < 200 || res.statusCode > 299) {
      let text = '';
      try {
        text = new TextDecoder().decode((await readCapped(res.body, MAX_ERROR_BODY_BYTES, { keepTruncated: true })).data);
      } catch {
        // keep what the error handler can say without the body
      } finally {
        res.body.destroy();
      }
      if (id !== undefined) this.dumper?.response(id, info, text);
      throw errorFromResponse({
        ...info,
        // A server echoing the credentials (even opaque ones) must not put them into error messages.
        body: redactSecrets(text, token === undefined ? undefined : [token]),
        jfs: /^\/jfs\//.test(path),
        context: { method: req.method, url: redactSecrets(url) },
      });
    }
    let body: Readable = res.body;
    if (id !== undefined && this.dumper !== undefined) {
      this.dumper.response(id, info);
      if (this.dumper.wantsResponseBody(res.headers['content-type'])) body = this.dumper.teeResponseBody(id, body);
    }
    return { status: res.statusCode, headers: res.headers, body };
  }
}
