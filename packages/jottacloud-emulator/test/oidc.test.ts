// OIDC: discovery, personal login tokens (one use), refresh rotation, reuse detection, expiry and 401 documents.

import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, startEmulator, type Emulator } from '../src/index.js';
import { Client, rawRequest } from './helpers/client.js';
import { textOf } from './helpers/xml.js';

const TOKEN_PATH = '/auth/realms/jottacloud/protocol/openid-connect/token';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
let emu: Emulator;
afterEach(async () => emu?.stop());

function loginParts(token: string): Record<string, string> {
  return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Record<string, string>;
}

async function passwordGrant(e: Emulator, token: string, clientId = 'jottacli'): Promise<ReturnType<typeof rawRequest>> {
  const p = loginParts(token);
  return rawRequest(e.url, TOKEN_PATH, {
    method: 'POST', headers: FORM,
    body: `client_id=${clientId}&grant_type=password&password=${encodeURIComponent(p.auth_token!)}&scope=openid+offline_access&username=${encodeURIComponent(p.username!)}`,
  });
}

const refresh = (e: Emulator, rt: string, basic = true): ReturnType<typeof rawRequest> => rawRequest(e.url, TOKEN_PATH, {
  method: 'POST',
  headers: { ...FORM, ...(basic ? { Authorization: `Basic ${Buffer.from('jottacli:').toString('base64')}` } : {}) },
  body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(rt)}${basic ? '' : '&client_id=jottacli'}`,
});

describe('discovery and login tokens', () => {
  it('serves a discovery document pointing back at the emulator', async () => {
    emu = await startEmulator({ proxy: false });
    const login = loginParts(emu.mintLoginToken());
    expect(login.realm).toBe('jottacloud');
    expect(login.username).toBe(emu.state.loginName);
    expect(login.well_known_link).toBe(`${emu.url}/auth/realms/jottacloud/.well-known/openid-configuration`);
    const r = await rawRequest(emu.url, new URL(login.well_known_link!).pathname);
    expect(r.status).toBe(200);
    const d = r.json<Record<string, string>>();
    expect(d.token_endpoint).toBe(`${emu.url}${TOKEN_PATH}`);
    expect(d.authorization_endpoint).toBe(`${emu.url}/auth/realms/jottacloud/protocol/openid-connect/auth`);
    expect(d.issuer).toBe(`${emu.url}/auth/realms/jottacloud`);
  });

  it('admin endpoint mints tokens; each login token works exactly once', async () => {
    emu = await startEmulator({ proxy: false });
    const r = await rawRequest(emu.url, '/__admin/login-token', { method: 'POST' });
    const { token } = r.json<{ token: string }>();
    const first = await passwordGrant(emu, token);
    expect(first.status).toBe(200);
    const tok = first.json<Record<string, unknown>>();
    expect(tok).toMatchObject({ token_type: 'Bearer', expires_in: 3600, refresh_expires_in: 0, scope: 'openid offline_access' });
    expect(typeof tok.access_token).toBe('string');
    expect(typeof tok.refresh_token).toBe('string');
    expect(typeof tok['not-before-policy']).toBe('number');
    const again = await passwordGrant(emu, token);
    expect(again.status).toBe(400);
    expect(again.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid user credentials' });
  });

  it('refuses wrong usernames, unknown grant types, missing clients and non-form bodies', async () => {
    emu = await startEmulator({ proxy: false });
    const p = loginParts(emu.mintLoginToken());
    const post = (body: string, headers: Record<string, string> = FORM): ReturnType<typeof rawRequest> =>
      rawRequest(emu.url, TOKEN_PATH, { method: 'POST', headers, body });
    expect((await post(`client_id=jottacli&grant_type=password&password=${p.auth_token}&username=someone`)).json().error).toBe('invalid_grant');
    expect((await post('client_id=jottacli&grant_type=client_credentials')).json().error).toBe('unsupported_grant_type');
    const noClient = await post(`grant_type=password&password=${p.auth_token}&username=${p.username}`);
    expect(noClient.status).toBe(401);
    expect(noClient.json().error).toBe('unauthorized_client');
    const json = await post('{"grant_type":"password"}', { 'Content-Type': 'application/json' });
    expect(json.status).toBe(400);
    expect(json.json().error).toBe('invalid_request');
    expect((await post('client_id=jottacli&grant_type=password&password=%zz')).json().error).toBe('invalid_request');
    // The login token was not consumed by the failed attempts.
    expect((await passwordGrant(emu, Buffer.from(JSON.stringify(p)).toString('base64url'))).status).toBe(200);
  });
});

describe('refresh rotation', () => {
  it('rotates refresh tokens; reuse of an old one revokes the whole family', async () => {
    emu = await startEmulator({ proxy: false });
    const c = await Client.login(emu);
    const r1 = await refresh(emu, c.refreshToken);
    expect(r1.status).toBe(200);
    const t1 = r1.json<{ access_token: string; refresh_token: string }>();
    expect(t1.refresh_token).not.toBe(c.refreshToken);
    // The body-client form (oauth2's fallback) works too and rotates again.
    const r2 = await refresh(emu, t1.refresh_token, false);
    expect(r2.status).toBe(200);
    const t2 = r2.json<{ access_token: string; refresh_token: string }>();
    // Old access tokens stay valid until they expire; the new one works.
    expect((await rawRequest(emu.url, '/account/v1/customer', { headers: { Authorization: `Bearer ${t2.access_token}` } })).status).toBe(200);
    // Reuse of t1's refresh token: 400 invalid_grant, and the family dies.
    const reuse = await refresh(emu, t1.refresh_token);
    expect(reuse.status).toBe(400);
    expect(reuse.json()).toEqual({ error: 'invalid_grant', error_description: "Session doesn't have required client" });
    const afterKill = await refresh(emu, t2.refresh_token);
    expect(afterKill.status).toBe(400);
    expect(afterKill.json().error).toBe('invalid_grant');
    const denied = await rawRequest(emu.url, '/account/v1/customer', { headers: { Authorization: `Bearer ${t2.access_token}` } });
    expect(denied.status).toBe(401);
    expect(emu.state.tokenStats().revokedFamilies).toBe(1);
    // Unknown refresh tokens are invalid_grant too; legacy REFRESH_TOKEN spelling is accepted.
    expect((await refresh(emu, 'nonsense')).json().error).toBe('invalid_grant');
    const c2 = await Client.login(emu);
    const legacy = await rawRequest(emu.url, TOKEN_PATH, { method: 'POST', headers: FORM, body: `client_id=jottacli&grant_type=REFRESH_TOKEN&refresh_token=${encodeURIComponent(c2.refreshToken)}` });
    expect(legacy.status).toBe(200);
  });

  it('a refresh by a different client is refused', async () => {
    emu = await startEmulator({ proxy: false });
    const c = await Client.login(emu);
    const r = await rawRequest(emu.url, TOKEN_PATH, { method: 'POST', headers: FORM, body: `client_id=desktop&grant_type=refresh_token&refresh_token=${encodeURIComponent(c.refreshToken)}` });
    expect(r.status).toBe(400);
    expect(r.json().error).toBe('invalid_grant');
  });
});

describe('authorization-code flow (rclone "traditional" auth)', () => {
  it('auto-approves, redirects with a one-use code, and keeps one session per client', async () => {
    emu = await startEmulator({ proxy: false });
    const redirect = 'http://127.0.0.1:53682/';
    const auth = await rawRequest(emu.url, `/auth/realms/jottacloud/protocol/openid-connect/auth?client_id=desktop&redirect_uri=${encodeURIComponent(redirect)}&response_type=code&scope=openid+jotta-default+offline_access&state=xyz`);
    expect(auth.status).toBe(302);
    const loc = new URL(String(auth.headers.location));
    expect(loc.origin + loc.pathname).toBe(redirect);
    expect(loc.searchParams.get('state')).toBe('xyz');
    const code = loc.searchParams.get('code')!;
    const grant = (c: string): ReturnType<typeof rawRequest> => rawRequest(emu.url, TOKEN_PATH, {
      method: 'POST', headers: FORM, body: `client_id=desktop&code=${c}&grant_type=authorization_code&redirect_uri=${encodeURIComponent(redirect)}`,
    });
    const first = await grant(code);
    expect(first.status).toBe(200);
    expect(first.json().scope).toBe('openid jotta-default offline_access');
    expect((await grant(code)).json().error).toBe('invalid_grant');
    // A second login of the same client ends the first session.
    const again = new URL(String((await rawRequest(emu.url, `/auth/realms/jottacloud/protocol/openid-connect/auth?client_id=desktop&redirect_uri=${encodeURIComponent(redirect)}&response_type=code`)).headers.location));
    expect((await grant(again.searchParams.get('code')!)).status).toBe(200);
    expect((await refresh(emu, first.json<{ refresh_token: string }>().refresh_token, false)).status).toBe(400);
    expect((await rawRequest(emu.url, '/auth/realms/jottacloud/protocol/openid-connect/auth?client_id=desktop')).status).toBe(400);
  });
});

describe('access tokens', () => {
  it('expire after --token-lifetime; refresh gives a working one', async () => {
    const clock = new ManualClock(Date.UTC(2024, 5, 1));
    emu = await startEmulator({ proxy: false, clock, tokenLifetimeSeconds: 60 });
    const c = await Client.login(emu);
    expect((await c.get('')).status).toBe(200);
    clock.advance(59_000);
    expect((await c.get('')).status).toBe(200);
    clock.advance(1_000);
    const expired = await c.get('');
    expect(expired.status).toBe(401);
    expect(textOf(expired.xml(), 'code')).toBe('401');
    expect(textOf(expired.xml(), 'message')).toMatch(/CredentialsExpiredException/);
    const apiExpired = await c.req('/account/v1/customer');
    expect(apiExpired.status).toBe(401);
    expect(apiExpired.json()).toMatchObject({ code: 401, error_id: 'CredentialsExpiredException' });
    const t = (await refresh(emu, c.refreshToken)).json<{ access_token: string; expires_in: number }>();
    expect(t.expires_in).toBe(60);
    c.token = t.access_token;
    expect((await c.get('')).status).toBe(200);
  });

  it('missing or garbage Bearer tokens get 401 documents on every surface', async () => {
    emu = await startEmulator({ proxy: false });
    const c = await Client.login(emu);
    const none = await rawRequest(emu.url, c.jfs(''));
    expect(none.status).toBe(401);
    const x = none.xml();
    expect(x.name).toBe('error');
    expect(textOf(x, 'message')).toBe('org.springframework.security.authentication.BadCredentialsException: No token or token is malformed!');
    expect(textOf(x, 'reason')).toBe('Unauthorized');
    expect(none.headers['www-authenticate']).toBe('Bearer');
    const garbage = await rawRequest(emu.url, c.jfs(''), { headers: { Authorization: 'Bearer garbage' } });
    expect(garbage.status).toBe(401);
    const basic = await rawRequest(emu.url, '/account/v1/customer', { headers: { Authorization: 'Basic Zm9vOmJhcg==' } });
    expect(basic.status).toBe(401);
    expect(basic.json()).toMatchObject({ code: 401, error_id: 'BadCredentialsException' });
    for (const [path, method] of [['/files/v1/allocate', 'POST'], ['/files/v1/purge_trash', 'POST']] as const) {
      expect((await rawRequest(emu.url, path, { method, body: '{}' })).status).toBe(401);
    }
    // Another user's path with a valid token: 401 Token mismatch!
    const other = await c.req(`/jfs/someoneelse/Jotta/Archive`);
    expect(other.status).toBe(401);
    expect(textOf(other.xml(), 'message')).toMatch(/Token mismatch!/);
    // userinfo wants a token too.
    expect((await rawRequest(emu.url, '/auth/realms/jottacloud/protocol/openid-connect/userinfo')).status).toBe(401);
    const ui = await c.req('/auth/realms/jottacloud/protocol/openid-connect/userinfo');
    expect(ui.json()).toMatchObject({ sub: c.user, preferred_username: c.user });
  });
});
