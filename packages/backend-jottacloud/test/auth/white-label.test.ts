import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { isJsyncError, nullLogger, type ConfigPrompter } from '@jsync/core';
import { startEmulator, type Emulator } from '@jsync/jottacloud-emulator';
import { loginWithAuthorizationCode } from '../../src/auth/authcode.js';
import { configureJottacloud } from '../../src/auth/configure.js';
import { WHITE_LABEL_SERVICES, discoveryUrlOf, serviceForTokenUrl } from '../../src/auth/providers.js';
import { parseToken } from '../../src/auth/token.js';

let emu: Emulator;
let dispatcher: Agent;

beforeAll(async () => {
  emu = await startEmulator({ seed: 9, proxy: false });
  dispatcher = new Agent();
});
afterAll(async () => {
  await dispatcher?.close();
  await emu?.stop();
});

/** Plays the browser: opens the printed link and follows redirects, the last one (to the loopback server) by 127.0.0.1. */
async function browse(link: string, tweak: (callback: URL) => URL = (u) => u): Promise<{ authorize: URL; callbackStatus: number; callbackBody: string }> {
  const first = await dispatcher.request({ origin: new URL(link).origin, path: new URL(link).pathname + new URL(link).search, method: 'GET' });
  await first.body.dump();
  expect(first.statusCode).toBe(307);
  const authorize = new URL(String(first.headers.location));
  const second = await dispatcher.request({ origin: authorize.origin, path: authorize.pathname + authorize.search, method: 'GET' });
  await second.body.dump();
  expect(second.statusCode).toBe(302);
  const cb = tweak(new URL(String(second.headers.location)));
  expect(cb.hostname).toBe('localhost');
  const third = await dispatcher.request({ origin: `http://127.0.0.1:${cb.port}`, path: cb.pathname + cb.search, method: 'GET' });
  return { authorize, callbackStatus: third.statusCode, callbackBody: await third.body.text() };
}

function linkFrom(text: string): string {
  const m = /(http:\/\/127\.0\.0\.1:\d+\/auth\?state=\S+)/.exec(text);
  if (!m) throw new Error(`no link in ${text}`);
  return m[1]!;
}

describe('white-label (traditional) login', () => {
  it("has rclone's service table", () => {
    expect(WHITE_LABEL_SERVICES.map((s) => s.key)).toEqual([
      'jottacloud', 'elgiganten_dk', 'elgiganten_se', 'elkjop', 'elko', 'gigantti', 'letsgo', 'mediamarkt', 'onlime', 'phonero', 'tele2', 'telia_no', 'telia_se',
    ]);
    const telia = WHITE_LABEL_SERVICES.find((s) => s.key === 'telia_no')!;
    expect(discoveryUrlOf(telia)).toBe('https://sky-auth.telia.no/auth/realms/get/.well-known/openid-configuration');
    expect(WHITE_LABEL_SERVICES.find((s) => s.key === 'letsgo')).toMatchObject({ clientId: 'desktop-win', scopes: ['openid', 'offline_access'] });
    expect(serviceForTokenUrl('https://mittcloud-auth.tele2.se/auth/realms/comhem/protocol/openid-connect/token')?.key).toBe('tele2');
    expect(serviceForTokenUrl('https://id.jottacloud.com/auth/realms/other/protocol/openid-connect/token')).toBeUndefined();
  });

  it('configures through the browser flow against the emulator: state, PKCE S256, service client id', async () => {
    const infos: string[] = [];
    let browsing: Promise<Awaited<ReturnType<typeof browse>>> | undefined;
    const prompter: ConfigPrompter = {
      ask: async (q) => {
        if (q.name === 'config_type') return 'traditional';
        if (q.name === 'config_traditional') {
          expect(q.exclusive).toBe(true);
          expect(q.examples?.find((e) => e.value === 'elkjop')?.help).toBe('Elkjøp Cloud (Norway)');
          return 'elkjop';
        }
        throw new Error(`unexpected ${q.name}`);
      },
      confirm: async () => false,
      info: (t) => {
        infos.push(t);
        browsing = browse(linkFrom(t));
      },
    };
    emu.state.clearRequests();
    const out = await configureJottacloud(
      { name: 'wl', values: {}, prompter, logger: nullLogger, global: {} },
      { dispatcher, authPort: 0, discoveryUrl: (s) => `${emu.url}/auth/realms/${s.realm}/.well-known/openid-configuration` },
    );
    const seen = await browsing!;
    expect(seen.callbackStatus).toBe(200);
    expect(seen.callbackBody).toMatch(/Success/);
    const q = seen.authorize.searchParams;
    expect(seen.authorize.pathname).toBe('/auth/realms/elkjop/protocol/openid-connect/auth');
    expect(q.get('client_id')).toBe('desktop');
    expect(q.get('response_type')).toBe('code');
    expect(q.get('scope')).toBe('openid jotta-default offline_access');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect(infos[0]).toMatch(/^Please go to the following link: http:\/\/127\.0\.0\.1:\d+\/auth\?state=/);
    expect(out).toMatchObject({ configVersion: '1', client_id: 'desktop', tokenURL: `${emu.url}/auth/realms/elkjop/protocol/openid-connect/token`, device: '', mountpoint: '' });
    expect(out.client_secret).toBeUndefined();
    const access = parseToken(out.token!, 'wl').access_token;
    const res = await dispatcher.request({ origin: emu.url, path: '/account/v1/customer', method: 'GET', headers: { authorization: `Bearer ${access}` } });
    await res.body.dump();
    expect(res.statusCode).toBe(200);
  });

  it('ignores a callback with the wrong state and completes with the right one', async () => {
    const service = WHITE_LABEL_SERVICES[0]!;
    let wrong: Promise<number> | undefined;
    let right: Promise<Awaited<ReturnType<typeof browse>>> | undefined;
    const result = loginWithAuthorizationCode({
      service,
      http: { dispatcher, logger: nullLogger },
      port: 0,
      discoveryUrl: `${emu.url}/auth/realms/jottacloud/.well-known/openid-configuration`,
      info: (t) => {
        const link = new URL(linkFrom(t));
        wrong = (async () => {
          const r = await dispatcher.request({ origin: link.origin, path: '/?code=forged&state=nope', method: 'GET' });
          await r.body.dump();
          const badAuth = await dispatcher.request({ origin: link.origin, path: '/auth?state=nope', method: 'GET' });
          await badAuth.body.dump();
          expect(badAuth.statusCode).toBe(403);
          return r.statusCode;
        })();
        right = wrong.then(() => browse(link.href));
      },
    });
    const login = await result;
    expect(await wrong).toBe(400);
    expect((await right)!.callbackStatus).toBe(200);
    expect(login.clientId).toBe('desktop');
    expect(login.token.refresh_token).not.toBe('');
  });

  it('reports the provider error from the callback', async () => {
    const err = await loginWithAuthorizationCode({
      service: WHITE_LABEL_SERVICES[0]!,
      http: { dispatcher, logger: nullLogger },
      port: 0,
      discoveryUrl: `${emu.url}/auth/realms/jottacloud/.well-known/openid-configuration`,
      info: (t) => {
        const link = new URL(linkFrom(t));
        void dispatcher
          .request({ origin: link.origin, path: `/?state=${link.searchParams.get('state')}&error=access_denied&error_description=User+said+no`, method: 'GET' })
          .then((r) => r.body.dump());
      },
    }).catch((e: unknown) => e);
    expect(isJsyncError(err, 'AUTH')).toBe(true);
    expect((err as Error).message).toBe('authorization failed: no code returned by the login page: access_denied: User said no');
  });
});

describe('browser login limits', () => {
  it('gives up after timeoutMs and on abort, closing the loopback server', async () => {
    let link = '';
    const common = {
      service: WHITE_LABEL_SERVICES[0]!,
      port: 0,
      discoveryUrl: `${emu.url}/auth/realms/jottacloud/.well-known/openid-configuration`,
      info: (t: string) => void (link = linkFrom(t)),
    };
    const timedOut = await loginWithAuthorizationCode({ ...common, http: { dispatcher, logger: nullLogger }, timeoutMs: 100 }).catch((e: unknown) => e);
    expect((timedOut as Error).message).toBe('timed out after 0.1s waiting for the browser login');
    const closed = await dispatcher.request({ origin: new URL(link).origin, path: '/', method: 'GET' }).catch((e: unknown) => e);
    expect((closed as { code?: string }).code).toBe('ECONNREFUSED');
    const ac = new AbortController();
    const aborted = loginWithAuthorizationCode({ ...common, http: { dispatcher, logger: nullLogger, signal: ac.signal }, info: () => ac.abort() });
    await expect(aborted).rejects.toThrow('oauth authentication was cancelled');
  });
});

describe('PKCE against a strict in-test OIDC server', () => {
  let server: Server;
  let origin = '';
  const challenges = new Map<string, { challenge: string; method: string; redirect: string }>();
  const exchanges: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (status: number, v: unknown): void => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(v));
      };
      if (url.pathname === '/wk') return json(200, { authorization_endpoint: `${origin}/authorize`, token_endpoint: `${origin}/token` });
      if (url.pathname === '/authorize') {
        const code = `c${challenges.size}`;
        challenges.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', method: url.searchParams.get('code_challenge_method') ?? '', redirect: url.searchParams.get('redirect_uri') ?? '' });
        res.writeHead(302, { Location: `${url.searchParams.get('redirect_uri')}?code=${code}&state=${url.searchParams.get('state')}` });
        return res.end();
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          exchanges.push(body);
          const form = new URLSearchParams(body);
          const c = challenges.get(form.get('code') ?? '');
          const ok = c !== undefined && c.method === 'S256' && c.redirect === form.get('redirect_uri') &&
            createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url') === c.challenge;
          if (!ok) return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
          json(200, { access_token: 'AT', refresh_token: 'RT', token_type: 'Bearer', expires_in: 300 });
        });
        return;
      }
      json(404, {});
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends a code_verifier matching the S256 challenge and the same redirect_uri', async () => {
    const login = await loginWithAuthorizationCode({
      service: WHITE_LABEL_SERVICES.find((s) => s.key === 'telia_se')!,
      http: { dispatcher, logger: nullLogger },
      port: 0,
      discoveryUrl: `${origin}/wk`,
      info: (t) => void browse(linkFrom(t)),
    });
    expect(login).toMatchObject({ tokenUrl: `${origin}/token`, clientId: 'desktop' });
    expect(login.token.access_token).toBe('AT');
    const form = new URLSearchParams(exchanges.at(-1));
    expect([...form.keys()]).toEqual(['client_id', 'code', 'code_verifier', 'grant_type', 'redirect_uri']);
    expect(form.get('grant_type')).toBe('authorization_code');
    expect(form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
  });
});
