// The redaction primitives: core redactCredentials (used by the CLI log sink and OIDC errors) and the --dump
// Dumper built on it. Secrets in JSON (plain, escaped inside another string, cut off), forms, query strings,
// Authorization schemes, JWT/base64-JSON shapes and given exact values (raw, URL-, form- and JSON-encoded) are masked;
// ordinary text is left alone; `--dump auth` shows everything.

import { describe, expect, it } from 'vitest';
import { SECRET_MASK, redactCredentials } from '@jsync/core';
import { Dumper, parseDumpFlags, redactSecrets } from '../../src/http/dump.js';
import { recordingLogger } from '../auth/helpers.js';
import { type Secret, describeLeaks, findLeaks, findTokenShaped } from './needles.js';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const ACCESS = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ sub: 'u', jti: 'jti-access-00001' })}.Rk2Lw8Qz4Nv1Xc7Hb3Tm9Jp6Ds0Yf5Ga`;
const REFRESH = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ sub: 'u', jti: 'jti-refresh-0001', typ: 'Offline' })}.Mx7Pq2Wn5Kr8Zt1Lc4Vb9Hs3Jd6Gf0Ya`;
const OPAQUE = 'opaque/Secret+Value with space&amp=1';
/** A token that is not JWT-shaped: only the field names can give it away. */
const OPAQUE_TOKEN = 'Xq9Lm2Vt7Rk4Hp1Zw6Bn3Jc8';
const SECRETS: Secret[] = [
  { name: 'access', value: ACCESS }, { name: 'refresh', value: REFRESH }, { name: 'opaque', value: OPAQUE }, { name: 'opaque token', value: OPAQUE_TOKEN },
];

function expectClean(text: string, where: string): void {
  const leaks = [...findLeaks(text, SECRETS, where), ...findTokenShaped(text, where)];
  expect(leaks, describeLeaks(leaks)).toEqual([]);
}

describe('redactCredentials', () => {
  const tokenJson = JSON.stringify({ access_token: ACCESS, token_type: 'Bearer', refresh_token: REFRESH, expiry: '2026-01-01T00:00:00Z' });
  const cases: Array<[string, string]> = [
    ['token JSON', tokenJson],
    ['token JSON with spaces', JSON.stringify(JSON.parse(tokenJson), null, 2)],
    ['token JSON escaped inside a message', `invalid JSON: ${JSON.stringify(tokenJson)}`],
    ['token JSON escaped twice', JSON.stringify({ msg: `failed: ${JSON.stringify(tokenJson)}` })],
    ['token JSON cut off inside the refresh token', tokenJson.slice(0, tokenJson.indexOf(REFRESH) + 30)],
    ['refresh form', `client_id=jottacli&grant_type=refresh_token&refresh_token=${encodeURIComponent(REFRESH)}`],
    ['query string', `GET /x?access_token=${ACCESS}&y=1`],
    ['Authorization header', `Authorization: Bearer ${ACCESS}`],
    ['Basic credentials', `Authorization: Basic ${Buffer.from(`jottacli:${OPAQUE}`).toString('base64')}`],
    ['bare JWT in prose', `token ${ACCESS} is not active`],
    ['bare cut JWT', `… ${ACCESS.slice(0, 50)}`],
    ['opaque token JSON', JSON.stringify({ access_token: OPAQUE_TOKEN, refresh_token: OPAQUE_TOKEN })],
    ['opaque token JSON escaped inside a message', `invalid JSON: ${JSON.stringify(JSON.stringify({ refresh_token: OPAQUE_TOKEN }))}`],
    ['opaque token JSON cut off', `{"token_type":"Bearer","refresh_token":"${OPAQUE_TOKEN.slice(0, 20)}`],
    ['opaque token in a form', `grant_type=password&password=${OPAQUE_TOKEN}&username=me`],
    ['opaque token after Bearer', `Authorization: Bearer ${OPAQUE_TOKEN}`],
  ];
  for (const [name, text] of cases) {
    it(`masks: ${name}`, () => {
      const out = redactCredentials(text);
      expect(out).toContain(SECRET_MASK);
      expectClean(out.replace(/Basic XXXX/, ''), name);
    });
  }

  it('masks exact values given, raw and encoded', () => {
    const text = [OPAQUE, encodeURIComponent(OPAQUE), encodeURIComponent(OPAQUE).replace(/%20/g, '+'), JSON.stringify(OPAQUE)].join(' | ');
    const out = redactCredentials(text, { values: [OPAQUE] });
    expect(out).toBe(`${SECRET_MASK} | ${SECRET_MASK} | ${SECRET_MASK} | "${SECRET_MASK}"`);
  });

  it('leaves ordinary text alone', () => {
    const text = [
      'a.txt: Copied (new)', 'Basic authentication is not configured', 'Bearer token expired', 'exit code=1', 'password-list.txt: Updated modification time',
      '{"username":"u","usage":5,"quota":-1}', 'eyJ.txt', '<folder name="x"><path>/u/Jotta/Archive</path></folder>', 'tokenURL = https://id.jottacloud.com/x',
    ].join('\n');
    expect(redactCredentials(text)).toBe(text);
  });
});

describe('--dump redaction', () => {
  it('masks Authorization and token fields in requests and responses (headers, bodies, teed bodies)', async () => {
    const logger = recordingLogger();
    const d = new Dumper(parseDumpFlags(['headers', 'bodies'])!, logger);
    const id = d.request({
      method: 'POST', url: 'https://id.jottacloud.com/token?code=abc123def456',
      headers: { authorization: `Bearer ${ACCESS}`, 'content-type': 'application/x-www-form-urlencoded', cookie: `s=${OPAQUE}` },
      body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(REFRESH)}&client_secret=${encodeURIComponent(OPAQUE)}`,
    });
    d.response(id, { status: 400, statusText: 'Bad Request', headers: { 'set-cookie': [`s=${OPAQUE}`] } }, JSON.stringify({ error: 'invalid_grant', refresh_token: REFRESH }));
    const body = d.teeResponseBody(id, (await import('node:stream')).Readable.from([Buffer.from(JSON.stringify({ access_token: ACCESS, id_token: REFRESH }))]));
    for await (const _ of body) void _;
    const text = logger.lines.join('\n');
    expect(text).toContain('Authorization: XXXX');
    expect(text).toContain('code=XXXX');
    expect(logger.lines.length).toBe(3);
    expectClean(text, 'dump');
  });

  it('--dump auth shows them', () => {
    const logger = recordingLogger();
    const d = new Dumper(parseDumpFlags(['headers', 'bodies', 'auth'])!, logger);
    d.request({ method: 'GET', url: 'https://jfs.jottacloud.com/jfs/u', headers: { authorization: `Bearer ${ACCESS}` }, body: undefined });
    expect(logger.lines.join('\n')).toContain(`Authorization: Bearer ${ACCESS}`);
  });

  it('redactSecrets also takes exact values', () => {
    expect(redactSecrets(`echo ${OPAQUE}`, [OPAQUE])).toBe('echo XXXX');
  });
});
