// Errors of the auth layer carry no credentials: an OIDC server that echoes the refresh token, client secret or
// login password in its error answers (OAuth JSON, an HTML error page, a cut-off 2xx token answer), a refused
// personal login token, and a stored token that is not valid JSON. Everything an error carries is checked:
// util.inspect of the error with its cause chain, plus what the logger was told.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { OAuthTokenSource, loginWithPersonalToken, parseToken, type OAuthToken } from '../../src/auth/index.js';
import { recordingLogger } from '../auth/helpers.js';
import { type Secret, describeLeaks, findLeaks, findTokenShaped, loginTokenSecrets } from './needles.js';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (claims: Record<string, unknown>, sig: string): string => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.${sig}`;

const OLD: OAuthToken = {
  access_token: jwt({ sub: 'u', jti: 'access-jti-0001', sid: 'session-id-00001' }, 'Qk7rT2mVx9LpZ3sW8yNcHf4dJa6uEo1iGb5tRn0'),
  token_type: 'Bearer',
  refresh_token: jwt({ sub: 'u', jti: 'refresh-jti-0001', typ: 'Offline' }, 'Xw3PqL8zNf2Hk7Tr4Ys9Vb1Jc6Gm0Da5Ue8Io2K'),
  expiry: '2000-01-01T00:00:00Z',
};
const NEW_ACCESS = jwt({ sub: 'u', jti: 'access-jti-0002', sid: 'session-id-00002' }, 'bmV3LWFjY2Vzcy1zaWduYXR1cmUtMTIzNDU2Nzg');
const NEW_REFRESH = jwt({ sub: 'u', jti: 'refresh-jti-0002', typ: 'Offline' }, 'bmV3LXJlZnJlc2gtc2lnbmF0dXJlLTEyMzQ1Njc');
const CLIENT_SECRET = 'client-secret-7Hq2Lr9Zx';
const AUTH_TOKEN = 'authTok_4f9a8B2c7D1e6F3g';
/** A non-JWT refresh token (other OAuth servers issue opaque ones). */
const OPAQUE_REFRESH = 'Zq8XwV3mTn6LbR1pKs4Hd7Jf';

const SECRETS: Secret[] = [
  { name: 'old access_token', value: OLD.access_token },
  { name: 'old refresh_token', value: OLD.refresh_token },
  { name: 'new access_token', value: NEW_ACCESS },
  { name: 'new refresh_token', value: NEW_REFRESH },
  { name: 'client_secret', value: CLIENT_SECRET },
  { name: 'auth_token', value: AUTH_TOKEN },
  { name: 'opaque refresh_token', value: OPAQUE_REFRESH },
];

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler = (_req, _body, res) => void res.writeHead(500).end();
let server: Server;
let base: string;
const dispatcher = new Agent();

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await dispatcher.close();
});

/** Everything an error exposes: its inspection with the whole cause chain and own properties. */
function everything(err: unknown): string {
  return inspect(err, { depth: 10, showHidden: false, breakLength: Infinity });
}

function expectClean(text: string, where: string, secrets: readonly Secret[] = SECRETS): void {
  const leaks = [...findLeaks(text, secrets, where), ...findTokenShaped(text, where)];
  expect(leaks, describeLeaks(leaks)).toEqual([]);
}

async function refreshError(answer: Handler): Promise<{ err: unknown; logged: string }> {
  handler = answer;
  const logger = recordingLogger();
  const source = new OAuthTokenSource({
    remote: 'jc', tokenUrl: `${base}/token`, clientId: 'jottacli', clientSecret: CLIENT_SECRET, token: OLD, dispatcher, logger, attempts: 2, retryDelayMs: 1,
  });
  const err = await source.accessToken().then(() => undefined, (e: unknown) => e);
  expect(err, 'the refresh should fail').toBeInstanceOf(Error);
  return { err, logged: logger.lines.join('\n') };
}

describe('token refresh errors', () => {
  it('an OAuth error description echoing the refresh token and client secret', async () => {
    let sent = '';
    const { err, logged } = await refreshError((_req, body, res) => {
      sent = body;
      const form = new URLSearchParams(body);
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({
        error: 'invalid_grant', error_description: `Token ${form.get('refresh_token')} is not active (client_secret=${form.get('client_secret')})`,
      }));
    });
    // the request did carry the secrets (the echo is real)
    expect(sent).toContain(encodeURIComponent(OLD.refresh_token));
    expect(sent).toContain(`client_secret=${CLIENT_SECRET}`);
    expect((err as Error).message).toContain('invalid_grant: maybe token expired?');
    expectClean(everything(err), 'error');
    expectClean(logged, 'log');
  });

  it('an HTML error page (retried 5xx) echoing the whole form', async () => {
    let calls = 0;
    const { err, logged } = await refreshError((req, body, res) => {
      calls++;
      res.writeHead(502, { 'content-type': 'text/html' })
        .end(`<html><body><h1>Bad gateway</h1><pre>POST ${req.url}\nAuthorization: Basic ${Buffer.from(`jottacli:${CLIENT_SECRET}`).toString('base64')}\n\n${body}</pre></body></html>`);
    });
    expect(calls).toBe(2);
    expect((err as Error).message).toContain('HTTP error 502');
    expectClean(everything(err), 'error');
    expectClean(logged, 'log');
  });

  it('a 2xx token answer cut off in the middle (the new tokens are in the part that arrived)', async () => {
    const full = JSON.stringify({ access_token: NEW_ACCESS, expires_in: 3600, refresh_token: NEW_REFRESH, token_type: 'Bearer', session_state: 'session-id-00002' });
    const cut = full.slice(0, full.indexOf(NEW_REFRESH) + 40);
    const { err, logged } = await refreshError((_req, _body, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end(cut));
    expect((err as Error).message).toContain('invalid JSON');
    expectClean(everything(err), 'error');
    expectClean(logged, 'log');
  });
});

describe('personal login token errors', () => {
  it('a refused login whose answer echoes the password (the login token\'s auth_token)', async () => {
    const loginToken = b64({ username: 'me@example.com', realm: 'jottacloud', well_known_link: `${base}/wk`, auth_token: AUTH_TOKEN });
    handler = (req, body, res) => {
      if (req.url === '/wk') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token_endpoint: `${base}/token`, authorization_endpoint: `${base}/auth` }));
        return;
      }
      res.writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: 'invalid_grant', error_description: `Invalid user credentials for ${body}` }));
    };
    const err = await loginWithPersonalToken(loginToken, { dispatcher, logger: recordingLogger(), attempts: 1 }).then(() => undefined, (e: unknown) => e);
    expect((err as Error).message).toContain('the personal login token was refused with HTTP 401 (invalid_grant');
    expectClean(everything(err), 'error', [...SECRETS, ...loginTokenSecrets(loginToken)]);
  });
});

describe('stored token parse errors', () => {
  it('a token line that is not valid JSON is reported by position, without quoting it', () => {
    const broken = [
      `{"access_token":"${OLD.access_token}","token_type":"Bearer","refresh_token":"${OLD.refresh_token}" "expiry":"x"}`,
      `{"access_token":${OLD.access_token}}`,
      OLD.refresh_token,
      `{"access_token":"${OLD.access_token}","refresh_token":"${OLD.refresh_token.slice(0, 60)}`,
      // V8 quotes 10 characters on either side of the error: here the start of an opaque token
      `{"access_token":"","refresh_token":${OPAQUE_REFRESH}}`,
      OPAQUE_REFRESH,
    ];
    for (const raw of broken) {
      let err: unknown;
      try {
        parseToken(raw, 'jc');
      } catch (e) {
        err = e;
      }
      expect((err as Error).message).toMatch(/^failed to parse the token of remote "jc": (malformed JSON|not JSON)/);
      expectClean(everything(err), `parse error of ${raw.slice(0, 30)}`);
    }
  });
});
