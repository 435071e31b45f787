// Error output carries no credentials: jsync (in-process) against a local server that echoes the bearer token in its
// 401/500 answers (JSON, HTML, a redirect URL with the token in the query), a refresh that fails with an OAuth error
// echoing the refresh token, and a config file whose wrapped token line cannot be parsed. Also the CLI log sink on
// its own: credentials are masked in text and JSON lines, in plain lines and raw writes, unless `--dump auth`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from '@jsync/core';
import { createJottacloudBackend } from '@jsync/backend-jottacloud';
import { localBackend } from '@jsync/backend-local';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';
import { CliLogger } from '../src/output/log.js';
import { type Secret, describeLeaks, findLeaks, findTokenShaped } from '../../../packages/backend-jottacloud/test/secrets/needles.js';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
const jwt = (jti: string, sig: string): string => `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ sub: 'u', jti, sid: `sid-${jti}` })}.${sig}`;
const ACCESS = jwt('access-0001-jti', 'Tq4Zk9Lw2Hs7Xv1Bn6Mc3Pf8Rd5Gy0Je');
const REFRESH = jwt('refresh-0001-jti', 'Wm2Yc7Kq9Bv4Hx1Ls6Nd3Tf8Zr5Pg0Ja');
const NEW_ACCESS = jwt('access-0002-jti', 'Ea5Rk2Nw8Qs1Vj6Tc9Hm4Xb7Lf0Yd3Gp');
const NEW_REFRESH = jwt('refresh-0002-jti', 'Uo3Wz6Ic1Ky8Ar5Fh2Mq9Sv4Dx7Gl0Bn');
const SECRETS: Secret[] = [
  { name: 'access token', value: ACCESS }, { name: 'refresh token', value: REFRESH },
  { name: 'new access token', value: NEW_ACCESS }, { name: 'new refresh token', value: NEW_REFRESH },
];

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let handler: Handler;
let server: Server;
let base: string;
let dir: string;
let conf: string;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      handler(req, Buffer.concat(chunks).toString('utf8'), res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'jsync-secrets-err-'));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  seen.length = 0;
  conf = join(dir, `c${Date.now()}.conf`);
  const token = JSON.stringify({ access_token: ACCESS, token_type: 'Bearer', refresh_token: REFRESH, expiry: '2099-01-01T00:00:00Z' });
  writeFileSync(conf, `[jc]\ntype = jottacloud\nconfigVersion = 1\nclient_id = jottacli\nclient_secret = \ntokenURL = ${base}/token\ntoken = ${token}\ndevice = \nmountpoint = \n\n`);
});

async function jsync(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const registry = new Registry([createJottacloudBackend({ jfsUrl: `${base}/jfs/`, apiUrl: `${base}/`, wwwUrl: `${base}/`, env: {} }), localBackend]);
  const io = memoryIo({ env: { TZ: 'UTC' }, cwd: dir, homeDir: dir });
  const code = await main(['--config', conf, '--low-level-retries', '1', '--retries', '1', ...args], { io, registry });
  return { code, out: io.out(), err: io.err() };
}

function expectClean(r: { out: string; err: string }, what: string): void {
  const leaks = [...findLeaks(r.out + r.err, SECRETS, what), ...findTokenShaped(r.out + r.err, what)];
  expect(leaks, describeLeaks(leaks)).toEqual([]);
}

const tokenAnswer = (res: ServerResponse): void =>
  void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: NEW_ACCESS, refresh_token: NEW_REFRESH, token_type: 'Bearer', expires_in: 3600 }));

describe('API error answers echoing the token', () => {
  const echoes: Array<[string, (auth: string) => { status: number; type: string; body: string }]> = [
    ['JSON 401 quoting the Authorization header', (auth) => ({ status: 401, type: 'application/json', body: JSON.stringify({ code: 401, message: `BadCredentialsException: rejected ${auth}`, error_id: 'BadCredentialsException' }) })],
    ['JSON 401 quoting the bare token', (auth) => ({ status: 401, type: 'application/json', body: JSON.stringify({ code: 401, message: `token ${auth.replace(/^Bearer /, '')} is not valid`, error_id: 'X' }) })],
    ['HTML 500 echoing the request (retried)', (auth) => ({ status: 500, type: 'text/html', body: `<html><pre>GET /account/v1/customer\nAuthorization: ${auth}\n?access_token=${auth.replace(/^Bearer /, '')}</pre></html>` })],
  ];
  for (const [name, echo] of echoes) {
    for (const flags of [[], ['-vv', '--dump', 'headers,bodies'], ['-vv', '--use-json-log', '--dump', 'bodies']]) {
      it(`${name} ${flags.join(' ') || '(no flags)'}`, async () => {
        handler = (req, _body, res) => {
          if (req.url === '/token') return tokenAnswer(res);
          const e = echo(req.headers.authorization ?? '');
          res.writeHead(e.status, { 'content-type': e.type }).end(e.body);
        };
        const r = await jsync([...flags, 'lsd', 'jc:']);
        expect(r.code).not.toBe(0);
        expect(r.err).toMatch(/Failed to create file system for \\?"jc:\\?"|Failed to lsd/);
        // the server really got (and echoed) the tokens
        expect(seen.some((s) => s.endsWith(`Bearer ${ACCESS}`))).toBe(true);
        expectClean(r, `${name} ${flags.join(' ')}`);
      }, 30_000);
    }
  }
});

describe('refresh refused with an OAuth error echoing the refresh token', () => {
  it('ends with the invalid_grant hint and no token', async () => {
    const expired = readFileSync(conf, 'utf8').replace('2099-01-01T00:00:00Z', '2001-01-01T00:00:00Z');
    writeFileSync(conf, expired);
    handler = (req, body, res) => {
      if (req.url === '/token') {
        const rt = new URLSearchParams(body).get('refresh_token');
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: `Token ${rt} is not active` }));
        return;
      }
      res.writeHead(500).end();
    };
    for (const flags of [[], ['-vv', '--dump', 'headers,bodies']]) {
      const r = await jsync([...flags, 'lsd', 'jc:']);
      expect(r.code).toBe(7);
      expect(r.err).toContain('invalid_grant: maybe token expired? - try refreshing with "jsync config reconnect jc:"');
      expect(seen.some((s) => s.startsWith('POST /token'))).toBe(true);
      expectClean(r, `refresh refused ${flags.join(' ')}`);
    }
  }, 30_000);
});

describe('config file errors', () => {
  it('a token line wrapped by an editor (unparsable line holding the refresh token) is reported without it', async () => {
    writeFileSync(conf, `[jc]\ntype = jottacloud\nconfigVersion = 1\ntoken = {"access_token":"${ACCESS}","token_type":"Bearer","refresh_token":\n${REFRESH}\n\n`);
    handler = (_req, _body, res) => void res.writeHead(500).end();
    for (const args of [['lsd', 'jc:'], ['config', 'show'], ['-vv', 'listremotes']]) {
      const r = await jsync(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.err).toContain('could not parse line');
      expectClean(r, args.join(' '));
    }
  });

  it('a token value that is not JSON is reported without quoting it', async () => {
    writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^token = .*$/m, `token = {"access_token":${ACCESS},"refresh_token":"${REFRESH}"}`));
    handler = (_req, _body, res) => void res.writeHead(500).end();
    const r = await jsync(['-vv', 'lsd', 'jc:']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('failed to parse the token of remote "jc": malformed JSON');
    expectClean(r, 'bad token JSON');
  });
});

describe('CLI log sink', () => {
  const lines = [
    `Authorization: Bearer ${ACCESS}`,
    `body {"access_token":"${ACCESS}","refresh_token":"${REFRESH}"}`,
    `form grant_type=refresh_token&refresh_token=${encodeURIComponent(REFRESH)}&client_id=jottacli`,
    `cut {"access_token":"${NEW_ACCESS.slice(0, 70)}`,
  ];

  for (const json of [false, true]) {
    it(`masks credentials in every kind of line (${json ? 'json' : 'text'})`, () => {
      let out = '';
      const logger = new CliLogger({ stderr: { write: (s: string | Uint8Array) => void (out += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')) }, level: 'DEBUG', json });
      for (const l of lines) logger.log('DEBUG', 'jc', l);
      logger.plain(`Failed to lsd: ${lines[1]}`);
      logger.write(`${lines[2]}\n`);
      expect(out.match(/XXXX/g)?.length).toBeGreaterThanOrEqual(7);
      expect(findLeaks(out, [...SECRETS, { name: 'cut access token', value: NEW_ACCESS.slice(0, 70) }], 'sink'), out).toEqual([]);
      expect(findTokenShaped(out, 'sink')).toEqual([]);
    });
  }

  it('passes credentials through with redact: false (--dump auth)', () => {
    let out = '';
    const logger = new CliLogger({ stderr: { write: (s: string | Uint8Array) => void (out += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')) }, level: 'DEBUG', redact: false });
    logger.log('DEBUG', undefined, lines[0]!);
    expect(out).toContain(`Authorization: Bearer ${ACCESS}`);
  });

  it('keeps ordinary log lines byte for byte', () => {
    let out = '';
    const logger = new CliLogger({ stderr: { write: (s: string | Uint8Array) => void (out += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')) }, level: 'DEBUG', now: () => new Date(2026, 0, 2, 3, 4, 5) });
    const plain = ['a.txt: Copied (new)', 'Basic authentication is not used', 'code=1 password-manager.kdbx: Skipped', 'Bearer token expired', 'eyJ.txt: Deleted'];
    for (const m of plain) logger.log('INFO', undefined, m);
    expect(out).toBe(plain.map((m) => `2026/01/02 03:04:05 INFO  : ${m}\n`).join(''));
  });
});
