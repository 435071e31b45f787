import { afterEach, describe, expect, it } from 'vitest';
import { isJsyncError } from '@jsync/core';
import {
  formatExpiry,
  formatToken,
  parseExpiry,
  parseToken,
  tokenExpiryMs,
  tokenFromResponse,
  tokenValid,
  ZERO_EXPIRY,
} from '../../src/auth/token.js';
import { decodeLoginToken } from '../../src/auth/login-token.js';
import { encodeForm } from '../../src/auth/oidc.js';

const savedTz = process.env.TZ;
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

describe('token JSON', () => {
  it('writes Go oauth2.Token JSON in rclone key order and reads it back', () => {
    const t = { access_token: 'a.b.c', token_type: 'Bearer', refresh_token: 'r<1>&', expiry: '2024-05-01T12:00:00.123+02:00' };
    const s = formatToken(t);
    expect(s).toBe('{"access_token":"a.b.c","token_type":"Bearer","refresh_token":"r\\u003c1\\u003e\\u0026","expiry":"2024-05-01T12:00:00.123+02:00"}');
    expect(parseToken(s, 'jc')).toEqual(t);
  });

  it('omits an empty token_type and refresh_token like Go omitempty, keeps expiry', () => {
    expect(formatToken({ access_token: 'x', token_type: '', refresh_token: '', expiry: ZERO_EXPIRY })).toBe(
      '{"access_token":"x","expiry":"0001-01-01T00:00:00Z"}',
    );
  });

  it('reads what newer rclone writes (nanoseconds, extra expires_in key)', () => {
    const raw = '{"access_token":"A","token_type":"Bearer","refresh_token":"R","expiry":"2025-03-04T05:06:07.123456789+01:00","expires_in":3599}';
    const t = parseToken(raw, 'jc');
    expect(t).toEqual({ access_token: 'A', token_type: 'Bearer', refresh_token: 'R', expiry: '2025-03-04T05:06:07.123456789+01:00' });
    expect(tokenExpiryMs(t)).toBe(Date.UTC(2025, 2, 4, 4, 6, 7, 123));
  });

  it('rejects empty, malformed and badly typed tokens naming the remote and the reconnect command', () => {
    for (const raw of ['', '{not json', '[1]', '{"access_token":1}', '{"access_token":"a","expiry":"tomorrow"}']) {
      let err: unknown;
      try {
        parseToken(raw, 'myjotta');
      } catch (e) {
        err = e;
      }
      expect(isJsyncError(err, 'INVALID_ARGUMENT')).toBe(true);
      expect((err as Error).message).toContain('"myjotta"');
      expect((err as Error).message).toContain('jsync config reconnect myjotta:');
    }
  });

  it('formats expiries like Go RFC3339Nano in the local zone', () => {
    const ms = Date.UTC(2024, 0, 2, 3, 4, 5, 120);
    process.env.TZ = 'UTC';
    expect(formatExpiry(ms)).toBe('2024-01-02T03:04:05.12Z');
    expect(formatExpiry(Date.UTC(2024, 0, 2, 3, 4, 5, 0))).toBe('2024-01-02T03:04:05Z');
    process.env.TZ = 'Europe/Oslo';
    expect(formatExpiry(ms)).toBe('2024-01-02T04:04:05.12+01:00');
    expect(formatExpiry(Date.UTC(2024, 6, 2, 3, 4, 5, 7))).toBe('2024-07-02T05:04:05.007+02:00');
    process.env.TZ = 'America/St_Johns';
    expect(formatExpiry(ms)).toBe('2024-01-01T23:34:05.12-03:30');
    expect(parseExpiry(formatExpiry(ms))).toBe(ms);
  });

  it('treats Go zero time as never expiring and the last 10 s before expiry as expired', () => {
    const now = Date.UTC(2024, 0, 1);
    expect(tokenValid({ access_token: 'a', token_type: '', refresh_token: '', expiry: ZERO_EXPIRY }, now)).toBe(true);
    const at = (ms: number): string => new Date(ms).toISOString();
    expect(tokenValid({ access_token: 'a', token_type: '', refresh_token: '', expiry: at(now + 10_001) }, now)).toBe(true);
    expect(tokenValid({ access_token: 'a', token_type: '', refresh_token: '', expiry: at(now + 10_000) }, now)).toBe(false);
    expect(tokenValid({ access_token: '', token_type: '', refresh_token: '', expiry: at(now + 3600_000) }, now)).toBe(false);
  });

  it('builds the stored token from a token-endpoint answer', () => {
    process.env.TZ = 'UTC';
    const now = Date.UTC(2024, 0, 1, 0, 0, 0);
    const t = tokenFromResponse({ access_token: 'A', expires_in: 3600, refresh_token: 'R2', token_type: 'Bearer', id_token: 'x', scope: 's' }, now);
    expect(formatToken(t)).toBe('{"access_token":"A","token_type":"Bearer","refresh_token":"R2","expiry":"2024-01-01T01:00:00Z"}');
    const kept = tokenFromResponse({ access_token: 'B', expires_in: 60, token_type: 'Bearer' }, now, t);
    expect(kept.refresh_token).toBe('R2');
    expect(() => tokenFromResponse({ token_type: 'Bearer' }, now)).toThrow(/without an access_token/);
  });
});

describe('personal login token', () => {
  const enc = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const good = { username: 'me@example.com', realm: 'jottacloud', well_known_link: 'https://id.jottacloud.com/auth/realms/jottacloud/.well-known/openid-configuration', auth_token: 'secret' };

  it('decodes base64url JSON (surrounding whitespace ignored)', () => {
    expect(decodeLoginToken(`  ${enc(good)}\n`)).toEqual(good);
  });

  it('says what is wrong with a malformed token', () => {
    const cases: [string, RegExp][] = [
      ['', /is empty/],
      [`${enc(good).slice(0, 10)} extra`, /not base64url: unexpected character " " at position 11/],
      [`${enc(good).slice(0, 10)}+/`, /unexpected character "\+"/],
      [enc(good).slice(0, 30), /does not decode to JSON/],
      [enc([1, 2]), /not decode to a JSON object/],
      [enc({ ...good, auth_token: '', username: undefined }), /lacks username, auth_token/],
      [enc({ ...good, well_known_link: 'ftp://x' }), /invalid well_known_link "ftp:\/\/x"/],
    ];
    for (const [tok, re] of cases) {
      let err: unknown;
      try {
        decodeLoginToken(tok);
      } catch (e) {
        err = e;
      }
      expect(isJsyncError(err, 'INVALID_ARGUMENT'), tok).toBe(true);
      expect((err as Error).message).toMatch(re);
      expect((err as Error).message).toContain('https://www.jottacloud.com/web/secure');
    }
  });
});

describe('form encoding', () => {
  it('matches Go url.Values.Encode (sorted keys, + for space, * and ! escaped, ~ kept)', () => {
    expect(encodeForm({ username: 'a b@c', client_id: 'jottacli', scope: 'openid offline_access', x: "*!'()~" })).toBe(
      'client_id=jottacli&scope=openid+offline_access&username=a+b%40c&x=%2A%21%27%28%29~',
    );
  });
});
