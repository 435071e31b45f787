// Bearer authentication of protocol requests, with the real server's 401 texts.

import type { IncomingMessage } from 'node:http';
import { Exc, HttpError } from './errors.js';
import type { RequestContext } from './respond.js';

/** The Bearer token of a request, if it has one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/** Throws 401 (with the real server's texts) unless the request carries a valid access token. */
export function requireAuth(ctx: RequestContext): void {
  const token = bearerToken(ctx.req);
  if (!token) throw new HttpError(401, Exc.badCredentials, 'No token or token is malformed!');
  const check = ctx.state.tokens.check(token);
  if (check === 'expired') throw new HttpError(401, Exc.expired, 'Access token expired');
  if (check === 'invalid') throw new HttpError(401, Exc.badCredentials, 'Invalid or revoked token');
}
