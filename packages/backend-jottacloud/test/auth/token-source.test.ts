import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { findJsyncError, isJsyncError, nullLogger } from '@jsync/core';
import { startEmulator, type Emulator } from '@jsync/jottacloud-emulator';
import { loginWithPersonalToken } from '../../src/auth/login.js';
import { OAuthTokenSource, type TokenSourceArgs } from '../../src/auth/token-source.js';
import { formatToken, parseToken, type OAuthToken } from '../../src/auth/token.js';
import { FilePersistentState, recordingLogger } from './helpers.js';

let emu: Emulator;
let dispatcher: Agent;
let dir: string;

beforeAll(async () => {
  emu = await startEmulator({ seed: 3, proxy: false });
  dispatcher = new Agent({ connections: 64 });
  dir = await mkdtemp(join(tmpdir(), 'jsync-auth-'));
});
afterAll(async () => {
  await dispatcher?.close();
  await emu?.stop();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  emu.state.clearFaults();
  emu.state.clearRequests();
});

const HOUR = 3600_000;
const tokenHits = (): number => emu.state.requests.filter((r) => r.op === 'token').length;

async function login(): Promise<{ token: OAuthToken; tokenUrl: string }> {
  return loginWithPersonalToken(emu.mintLoginToken(), { dispatcher, logger: nullLogger });
}

/** Status of an API call with `access` (200 = the server accepts the access token). */
async function customerStatus(access: string): Promise<number> {
  const res = await dispatcher.request({ origin: emu.url, path: '/account/v1/customer', method: 'GET', headers: { authorization: `Bearer ${access}` } });
  await res.body.dump();
  return res.statusCode;
}

function source(t: { token: OAuthToken; tokenUrl: string }, extra: Partial<TokenSourceArgs> = {}): OAuthTokenSource {
  return new OAuthTokenSource({ remote: 'jc', tokenUrl: t.tokenUrl, clientId: 'jottacli', clientSecret: '', token: t.token, dispatcher, logger: nullLogger, retryDelayMs: 10, ...extra });
}

describe('login with a personal login token', () => {
  it('stores the discovered token endpoint and a working token', async () => {
    const r = await login();
    expect(r.tokenUrl).toBe(`${emu.url}/auth/realms/jottacloud/protocol/openid-connect/token`);
    expect(r.token.token_type).toBe('Bearer');
    expect(r.token.refresh_token).not.toBe('');
    const ops = emu.state.requests.map((q) => `${q.method} ${q.url}`);
    expect(await customerStatus(r.token.access_token)).toBe(200);
    expect(ops).toEqual(['GET /auth/realms/jottacloud/.well-known/openid-configuration', 'POST /auth/realms/jottacloud/protocol/openid-connect/token']);
  });

  it('refuses a used login token with a clear message and no retries', async () => {
    const lt = emu.mintLoginToken();
    await loginWithPersonalToken(lt, { dispatcher, logger: nullLogger });
    emu.state.clearRequests();
    const err = await loginWithPersonalToken(lt, { dispatcher, logger: nullLogger, retryDelayMs: 10 }).catch((e: unknown) => e);
    expect(isJsyncError(err, 'AUTH')).toBe(true);
    expect((err as Error).message).toMatch(/personal login token was refused with HTTP 400 \(invalid_grant: Invalid user credentials\): it has been used already or is invalid/);
    expect((err as Error).message).toMatch(/work only once - generate a new one/);
    expect(tokenHits()).toBe(1);
  });

  it('retries the token endpoint after a 503', async () => {
    emu.state.addFaults(['token=503@1']);
    const r = await loginWithPersonalToken(emu.mintLoginToken(), { dispatcher, logger: nullLogger, retryDelayMs: 10 });
    expect(await customerStatus(r.token.access_token)).toBe(200);
    expect(emu.state.requests.filter((q) => q.op === 'token').map((q) => q.status)).toEqual([503, 200]);
  });
});

describe('OAuthTokenSource', () => {
  it('uses a valid token without refreshing, then rotates it when < 10 s are left; the new token is saved before use', async () => {
    const t = await login();
    let clock = Date.now();
    const saved: string[] = [];
    let returned = false;
    const ts = source(t, {
      now: () => clock,
      saveOptions: async (v) => {
        expect(returned).toBe(false);
        saved.push(v.token!);
      },
    });
    emu.state.clearRequests();
    expect(await ts.accessToken()).toBe(t.token.access_token);
    expect(tokenHits()).toBe(0);
    clock += HOUR - 9_000; // 9 s left
    const fresh = await ts.accessToken();
    returned = true;
    expect(fresh).not.toBe(t.token.access_token);
    expect(tokenHits()).toBe(1);
    expect(saved).toHaveLength(1);
    const stored = parseToken(saved[0]!, 'jc');
    expect(stored.access_token).toBe(fresh);
    expect(stored.refresh_token).not.toBe(t.token.refresh_token);
    expect(saved[0]).toBe(formatToken(ts.token));
    expect(await customerStatus(fresh)).toBe(200);
    expect(emu.state.tokenStats().revokedFamilies).toBe(0);
  });

  it('32 concurrent callers after expiry cause exactly one token request', async () => {
    const t = await login();
    const ts = source(t, { now: () => Date.now() + 2 * HOUR });
    emu.state.clearRequests();
    const got = await Promise.all(Array.from({ length: 32 }, () => ts.accessToken()));
    expect(new Set(got).size).toBe(1);
    expect(got[0]).not.toBe(t.token.access_token);
    expect(tokenHits()).toBe(1);
    expect(await customerStatus(got[0]!)).toBe(200);
  });

  it('invalidate(rejected) refreshes once, and not at all when the token already changed', async () => {
    const t = await login();
    const ts = source(t);
    emu.state.clearRequests();
    const rejected = t.token.access_token;
    const after = await Promise.all([ts.invalidate(rejected), ts.invalidate(rejected), ts.invalidate(rejected)]);
    expect(new Set(after).size).toBe(1);
    expect(after[0]).not.toBe(rejected);
    expect(tokenHits()).toBe(1);
    expect(await ts.invalidate(rejected)).toBe(after[0]);
    expect(tokenHits()).toBe(1);
  });

  it('invalid_grant is fatal AUTH with the reconnect command and the rotation hint, without a retry loop', async () => {
    const t = await login();
    const a = source(t, { now: () => Date.now() + 2 * HOUR });
    await a.accessToken(); // rotates: the original refresh token is now spent
    const stale = source(t, { now: () => Date.now() + 2 * HOUR, remote: 'work' });
    emu.state.clearRequests();
    const err = await stale.accessToken().catch((e: unknown) => e);
    const auth = findJsyncError(err, 'AUTH');
    expect(auth?.errorClass).toBe('fatal');
    const [first, hint] = (err as Error).message.split('\n');
    expect(first).toBe('invalid_grant: maybe token expired? - try refreshing with "jsync config reconnect work:"');
    expect(hint).toMatch(/copied between machines/);
    expect(tokenHits()).toBe(1);
    // a second call tries once more (no cached success), still one request per call
    await stale.accessToken().catch(() => undefined);
    expect(tokenHits()).toBe(2);
  });

  it('a token without refresh token cannot be renewed', async () => {
    const ts = source({ tokenUrl: `${emu.url}/x`, token: { access_token: 'a', token_type: 'Bearer', refresh_token: '', expiry: '2000-01-01T00:00:00Z' } });
    const err = await ts.accessToken().catch((e: unknown) => e);
    expect(isJsyncError(err, 'AUTH')).toBe(true);
    expect((err as Error).message).toBe(`token expired and there's no refresh token - manually refresh with "jsync config reconnect jc:"`);
  });

  it('a 5xx from the token endpoint is retried a bounded number of times, then reported', async () => {
    const t = await login();
    emu.state.addFaults(['token=500']);
    const ts = source(t, { now: () => Date.now() + 2 * HOUR, attempts: 3 });
    emu.state.clearRequests();
    const err = await ts.accessToken().catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^couldn't fetch token: HTTP error 500/);
    expect(isJsyncError(err, 'AUTH')).toBe(false);
    expect(tokenHits()).toBe(3);
    emu.state.clearFaults();
    expect(await customerStatus(await ts.accessToken())).toBe(200);
  });
});

describe('OAuthTokenSource edge cases', () => {
  it('a waiter that gives up does not cancel the shared refresh for the others', async () => {
    const t = await login();
    emu.state.addFaults([{ op: 'token', kind: 'slow' }]);
    const ts = source(t, { now: () => Date.now() + 2 * HOUR });
    emu.state.clearRequests();
    const impatient = ts.accessToken(AbortSignal.timeout(50));
    const patient = ts.accessToken();
    await expect(impatient).rejects.toThrow();
    const fresh = await patient;
    expect(tokenHits()).toBe(1);
    expect(await customerStatus(fresh)).toBe(200);
  });

  it('an answer lost after the server rotated: the retry is refused and the message says why', async () => {
    const t = await login();
    emu.state.addFaults(['token=reset@1']);
    const ts = source(t, { now: () => Date.now() + 2 * HOUR });
    emu.state.clearRequests();
    const err = await ts.accessToken().catch((e: unknown) => e);
    expect(isJsyncError(err, 'AUTH')).toBe(true);
    expect((err as Error).message).toMatch(/^invalid_grant: maybe token expired\?/);
    expect((err as Error).message).toMatch(/answer to an earlier refresh attempt was lost/);
    expect(tokenHits()).toBe(2);
  });
});

describe('two processes sharing one config file', () => {
  async function sharedSetup(): Promise<{ t: { token: OAuthToken; tokenUrl: string }; file: string }> {
    const t = await login();
    const file = join(dir, `section-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(file, JSON.stringify({ type: 'jottacloud', token: formatToken(t.token), configVersion: '1' }));
    return { t, file };
  }

  it('control: without the shared state, both present the same refresh token and the server revokes the session', async () => {
    const { t } = await sharedSetup();
    const before = emu.state.tokenStats().revokedFamilies;
    const a = source(t, { now: () => Date.now() + 2 * HOUR });
    const b = source(t, { now: () => Date.now() + 2 * HOUR });
    const results = await Promise.allSettled([a.accessToken(), b.accessToken()]);
    expect(results.some((r) => r.status === 'rejected')).toBe(true);
    expect(emu.state.tokenStats().revokedFamilies).toBe(before + 1);
  });

  it('never reuses a refresh token: the second process adopts the token the first one saved', async () => {
    const { t, file } = await sharedSetup();
    const before = emu.state.tokenStats().revokedFamilies;
    let offset = 0;
    const logA = recordingLogger();
    const logB = recordingLogger();
    const a = source(t, { persistentState: new FilePersistentState(file), now: () => Date.now() + offset, logger: logA });
    const b = source(t, { persistentState: new FilePersistentState(file), now: () => Date.now() + offset, logger: logB });
    const disk = new FilePersistentState(file);
    for (let round = 1; round <= 4; round++) {
      offset = round * 2 * HOUR; // every token issued so far looks expired to both
      emu.state.clearRequests();
      const callers = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? a : b).accessToken());
      const got = await Promise.all(callers);
      expect(new Set(got).size, `round ${round}`).toBe(1);
      expect(tokenHits(), `round ${round}`).toBe(1);
      const stored = parseToken((await disk.read()).token!, 'jc');
      expect(stored.access_token).toBe(got[0]);
      expect(await customerStatus(got[0]!)).toBe(200);
    }
    expect(emu.state.tokenStats().revokedFamilies).toBe(before);
    expect([...logA.lines, ...logB.lines].some((l) => l.includes('Loaded fresh token from config file'))).toBe(true);
  });

  it('a process whose token is stale refreshes with the newer refresh token from disk', async () => {
    const { t, file } = await sharedSetup();
    const before = emu.state.tokenStats().revokedFamilies;
    let offset = 2 * HOUR;
    const a = source(t, { persistentState: new FilePersistentState(file), now: () => Date.now() + offset });
    const b = source(t, { persistentState: new FilePersistentState(file), now: () => Date.now() + offset });
    await a.accessToken(); // a rotates; b still holds the original refresh token
    offset = 5 * HOUR; // a's saved token has expired too
    emu.state.clearRequests();
    const fromB = await b.accessToken();
    expect(tokenHits()).toBe(1);
    expect(await customerStatus(fromB)).toBe(200);
    expect(emu.state.tokenStats().revokedFamilies).toBe(before);
    // and a, in turn, adopts b's token
    expect(await a.accessToken()).toBe(fromB);
    expect(tokenHits()).toBe(1);
  });

  it('keeps the rotated token in memory when saving it fails', async () => {
    const t = await login();
    const log = recordingLogger();
    const ps = { update: async (fn: (c: Readonly<Record<string, string>>) => Promise<Record<string, string> | undefined>) => {
      await fn({ token: formatToken(t.token) });
      throw new Error('disk full');
    } };
    const ts = source(t, { persistentState: ps, now: () => Date.now() + 2 * HOUR, logger: log });
    const fresh = await ts.accessToken();
    expect(fresh).not.toBe(t.token.access_token);
    expect(await customerStatus(fresh)).toBe(200);
    expect(log.lines.some((l) => l.startsWith('ERROR') && l.includes("couldn't store token: disk full"))).toBe(true);
  });
});
