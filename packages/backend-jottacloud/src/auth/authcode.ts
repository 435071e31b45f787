// "Traditional" authentication for the official service and the white-label services: OAuth authorization-code flow
// with PKCE (S256) through a loopback web server, as rclone runs it (127.0.0.1:53682, redirect http://localhost:53682/).

import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JsyncError } from '@jsync/core';
import { encodeForm, fetchDiscovery, OidcHttpError, postTokenForm, type OidcHttpOptions } from './oidc.js';
import { discoveryUrlOf, type WhiteLabelService } from './providers.js';
import { tokenFromResponse } from './token.js';
import type { LoginResult } from './login.js';

/** rclone's loopback port for OAuth redirects. */
export const AUTH_PORT = 53682;

/** Arguments of {@link loginWithAuthorizationCode}. */
export interface AuthCodeArgs {
  service: WhiteLabelService;
  http: OidcHttpOptions & { now?: () => number };
  /** Tells the user which URL to open. */
  info: (text: string) => void;
  /** Discovery URL override (tests); default `https://<domain>/auth/realms/<realm>/.well-known/openid-configuration`. */
  discoveryUrl?: string;
  /** Loopback port; 0 picks a free one (tests). @default 53682 */
  port?: number;
  /** Give up waiting for the browser after this long. @default 600000 */
  timeoutMs?: number;
}

const b64url = (b: Buffer): string => b.toString('base64url');

const page = (title: string, text: string): string =>
  `<!DOCTYPE html><html><head><meta charset="utf-8"><title>jsync</title></head><body><h1>${title}</h1><p>${text}</p></body></html>\n`;

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Runs the browser login for `service`; resolves with the token, the token endpoint and the service's client id. */
export async function loginWithAuthorizationCode(args: AuthCodeArgs): Promise<LoginResult> {
  const { service, http } = args;
  const discoveryUrl = args.discoveryUrl ?? discoveryUrlOf(service);
  let disc;
  try {
    disc = await fetchDiscovery(discoveryUrl, http);
  } catch (err) {
    throw new JsyncError({ code: 'IO', message: `failed to get authentication provider configuration: ${(err as Error).message}`, cause: err });
  }
  if (disc.authorization_endpoint === '') {
    throw new JsyncError({ code: 'IO', message: `the OpenID configuration at ${discoveryUrl} has no authorization_endpoint`, errorClass: 'noRetry' });
  }
  const state = b64url(randomBytes(32));
  const verifier = b64url(randomBytes(48));
  const challenge = b64url(createHash('sha256').update(verifier).digest());

  let settle!: { resolve: (code: string) => void; reject: (err: Error) => void };
  const codePromise = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  let authUrl = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, html: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', Connection: 'close', ...headers });
      res.end(html);
    };
    if (url.pathname === '/auth') {
      if (url.searchParams.get('state') !== state) return reply(403, page('Error', 'State did not match - please try again'));
      return reply(307, page('Redirecting', 'Redirecting to the login page…'), { Location: authUrl });
    }
    if (url.pathname !== '/') return reply(404, page('Not found', ''));
    if (url.searchParams.get('state') !== state) {
      // Not our redirect (stale tab, forged request): refuse it and keep waiting for the real one.
      return reply(400, page("Auth state doesn't match", 'Please start the login again from the link jsync printed.'));
    }
    const code = url.searchParams.get('code');
    if (!code) {
      const why = [url.searchParams.get('error'), url.searchParams.get('error_description')].filter(Boolean).join(': ');
      reply(400, page('Auth Error', escapeHtml(`No code returned by remote server${why ? `: ${why}` : ''}`)));
      return settle.reject(new JsyncError({ code: 'AUTH', message: `authorization failed: no code returned by the login page${why ? `: ${why}` : ''}`, errorClass: 'fatal' }));
    }
    reply(200, page('Success!', 'All done. Please go back to jsync.'));
    settle.resolve(code);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new JsyncError({ code: 'IO', message: `failed to start auth webserver: ${err.message}`, cause: err })));
    server.listen(args.port ?? AUTH_PORT, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const redirectUri = `http://localhost:${port}/`;
  const query = encodeForm({
    access_type: 'offline',
    client_id: service.clientId,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: service.scopes.join(' '),
    state,
  });
  authUrl = `${disc.authorization_endpoint}${disc.authorization_endpoint.includes('?') ? '&' : '?'}${query}`;

  const timeoutMs = args.timeoutMs ?? 600_000;
  const timer = setTimeout(() => settle.reject(new JsyncError({ code: 'AUTH', message: `timed out after ${timeoutMs / 1000}s waiting for the browser login`, errorClass: 'fatal' })), timeoutMs);
  const onAbort = (): void => settle.reject(new JsyncError({ code: 'AUTH', message: 'oauth authentication was cancelled', errorClass: 'fatal', cause: http.signal?.reason }));
  http.signal?.addEventListener('abort', onAbort, { once: true });
  if (http.signal?.aborted) onAbort();
  let code: string;
  try {
    args.info(`Please go to the following link: http://127.0.0.1:${port}/auth?state=${state}\nLog in and authorize jsync for access\nWaiting for code...`);
    code = await codePromise;
  } finally {
    clearTimeout(timer);
    http.signal?.removeEventListener('abort', onAbort);
    server.closeAllConnections();
    server.close();
  }

  const form = { client_id: service.clientId, code, code_verifier: verifier, grant_type: 'authorization_code', redirect_uri: redirectUri };
  let body: unknown;
  try {
    // A code works once: no retries.
    body = await postTokenForm(disc.token_endpoint, form, { ...http, attempts: 1 });
  } catch (err) {
    const detail = err instanceof OidcHttpError && err.oauthError ? `${err.oauthError}${err.description ? `: ${err.description}` : ''}` : (err as Error).message;
    throw new JsyncError({ code: err instanceof OidcHttpError && err.status < 500 ? 'AUTH' : 'IO', message: `failed to get token: ${detail}`, cause: err });
  }
  return { token: tokenFromResponse(body, (http.now ?? Date.now)()), tokenUrl: disc.token_endpoint, clientId: service.clientId };
}
