// Requests to the OIDC service (discovery, token endpoint). They bypass the JFS pacer: a few bounded retries on 5xx,
// 429 and network errors, never on 4xx answers.

import { request, type Dispatcher } from 'undici';
import { JsyncError, logDebug, redactCredentials, type Logger } from '@jsync/core';

/** How the OIDC requests are made. */
export interface OidcHttpOptions {
  dispatcher: Dispatcher;
  logger: Logger;
  userAgent?: string;
  signal?: AbortSignal;
  /** Attempts per request (5xx, 429 and network errors are retried). @default 5 */
  attempts?: number;
  /** Pause between attempts. @default 1000 (rclone's) */
  retryDelayMs?: number;
}

/**
 * A non-2xx answer of the OIDC service (OAuth `error` / `error_description` when the body is OAuth JSON). Every text
 * it carries has credentials masked (the values sent, and token-shaped strings), so a server echoing them leaks nothing.
 */
export class OidcHttpError extends JsyncError {
  constructor(
    readonly status: number,
    readonly oauthError: string,
    readonly description: string,
    readonly body: string,
    readonly url: string,
  ) {
    super({
      code: 'IO',
      message: `HTTP error ${status} from ${url}${oauthError ? `: ${oauthError}${description ? ` (${description})` : ''}` : body ? ` returned body: ${JSON.stringify(body.slice(0, 500))}` : ''}`,
      errorClass: retryableStatus(status) ? 'retry' : 'noRetry',
      context: { status, oauthError },
    });
  }
}

const retryableStatus = (s: number): boolean => s === 429 || s >= 500;

/** Field values of a token request that are credentials (masked in every message built from an answer). */
const SECRET_FORM_FIELDS = ['refresh_token', 'password', 'client_secret', 'code', 'code_verifier', 'assertion'];
const MAX_BODY = 1 << 20;

const CERT_CODES = /^(?:ERR_TLS_CERT_ALTNAME_INVALID|CERT_\w+|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(?:GET_ISSUER_CERT(?:_LOCALLY)?|VERIFY_LEAF_SIGNATURE|DECRYPT_CERT_SIGNATURE|DECODE_ISSUER_PUBLIC_KEY)|INVALID_CA|HOSTNAME_MISMATCH)$/;

/** True when `err` (or an error in its cause chain) is a TLS certificate verification failure. */
function isCertificateError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e !== null && typeof e === 'object' && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && CERT_CODES.test(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Go's `url.Values.Encode`: keys sorted, query escaping (space as `+`, only `-_.~` and alphanumerics kept). */
export function encodeForm(values: Readonly<Record<string, string>>): string {
  const esc = (s: string): string =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
  return Object.keys(values)
    .sort()
    .map((k) => `${esc(k)}=${esc(values[k]!)}`)
    .join('&');
}

async function readCapped(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    if (n < MAX_BODY) chunks.push(Buffer.from(c));
    n += c.length;
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** One OIDC request with bounded retries; resolves with the parsed JSON of a 2xx answer. `onNetworkError` sees lost answers. */
async function call(
  method: 'GET' | 'POST',
  url: string,
  body: string | undefined,
  opts: OidcHttpOptions,
  onNetworkError?: (err: unknown) => void,
  secrets: readonly string[] = [],
): Promise<unknown> {
  const clean = (text: string): string => redactCredentials(text, { values: secrets });
  const attempts = Math.max(1, opts.attempts ?? 5);
  for (let attempt = 1; ; attempt++) {
    let failure: unknown;
    try {
      const headers: Record<string, string> = {};
      if (opts.userAgent) headers['user-agent'] = opts.userAgent;
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const res = await request(url, { method, headers, body, dispatcher: opts.dispatcher, signal: opts.signal });
      const text = await readCapped(res.body);
      if (res.statusCode >= 200 && res.statusCode < 300) {
        try {
          return JSON.parse(text);
        } catch {
          throw new JsyncError({ code: 'IO', message: `invalid JSON from ${url}: ${JSON.stringify(clean(text.slice(0, 200)))}`, errorClass: 'noRetry' });
        }
      }
      let oauthError = '';
      let description = '';
      try {
        const o = JSON.parse(text) as Record<string, unknown>;
        if (typeof o.error === 'string') oauthError = o.error;
        if (typeof o.error_description === 'string') description = o.error_description;
      } catch {
        // not OAuth JSON
      }
      const err = new OidcHttpError(res.statusCode, clean(oauthError), clean(description), clean(text), url);
      if (!retryableStatus(res.statusCode)) throw err;
      failure = err;
    } catch (err) {
      if (opts.signal?.aborted) throw err;
      if (err instanceof JsyncError) {
        if (!(err instanceof OidcHttpError) || !retryableStatus(err.status)) throw err;
        failure = err;
      } else {
        const message = `${method} ${url}: ${clean((err as Error).message ?? String(err))}`;
        // A certificate that does not verify will not verify on the next try either (and nothing was sent).
        if (isCertificateError(err)) throw new JsyncError({ code: 'IO', message, cause: err, errorClass: 'noRetry' });
        onNetworkError?.(err);
        failure = new JsyncError({ code: 'IO', message, cause: err, errorClass: 'retry' });
      }
    }
    if (attempt >= attempts) throw failure;
    logDebug(opts.logger, undefined, `OIDC request failed (try ${attempt}/${attempts}), retrying: ${(failure as Error).message}`);
    await sleep(opts.retryDelayMs ?? 1000, opts.signal);
  }
}

/** The fields of the OpenID discovery document jsync uses. */
export interface OidcDiscovery {
  token_endpoint: string;
  authorization_endpoint: string;
}

/** GET the OpenID discovery document (no auth). */
export async function fetchDiscovery(url: string, opts: OidcHttpOptions): Promise<OidcDiscovery> {
  const doc = (await call('GET', url, undefined, opts)) as Record<string, unknown> | null;
  const token = doc?.token_endpoint;
  if (typeof token !== 'string' || token === '') {
    throw new JsyncError({ code: 'IO', message: `the OpenID configuration at ${url} has no token_endpoint`, errorClass: 'noRetry' });
  }
  const auth = doc?.authorization_endpoint;
  return { token_endpoint: token, authorization_endpoint: typeof auth === 'string' ? auth : '' };
}

/** POST a form to the token endpoint; resolves with the token JSON. `onNetworkError` is told when an answer was lost. */
export function postTokenForm(
  tokenUrl: string,
  form: Readonly<Record<string, string>>,
  opts: OidcHttpOptions,
  onNetworkError?: (err: unknown) => void,
): Promise<unknown> {
  const secrets = SECRET_FORM_FIELDS.map((k) => form[k]).filter((v): v is string => v !== undefined && v !== '');
  return call('POST', tokenUrl, encodeForm(form), opts, onNetworkError, secrets);
}
