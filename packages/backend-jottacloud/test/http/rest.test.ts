// RestClient against a node:http server on 127.0.0.1: URLs, headers, auth + 401 retry, paced retries, error texts, caps, --dump.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import type { LogLevel, Logger } from '@jsync/core';
import { JottaApiError, httpStatusOf } from '../../src/http/errors.js';
import { Pacer } from '../../src/http/pacer.js';
import { RestClient, type RestClientOptions, type TokenSource } from '../../src/http/rest.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base = '';
let seen: Seen[] = [];
let handler: (req: IncomingMessage, res: ServerResponse, n: number) => void = (_req, res) => res.end();
const agent = new Agent({ headersTimeout: 10_000, bodyTimeout: 10_000 });

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString() });
      handler(req, res, seen.length);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
});

function memoryLogger(): Logger & { text: () => string } {
  const lines: string[] = [];
  return { text: () => lines.join('\n'), enabled: () => true, log: (level: LogLevel, subject, msg) => lines.push(`${level} ${subject ?? ''} ${msg}`) };
}

function fakeTime() {
  let t = 0;
  const sleeps: number[] = [];
  return { sleeps, now: () => t, sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)) };
}

function tokens(initial = 'tok-1', next = 'tok-2'): TokenSource & { invalidated: string[]; issued: number } {
  let current = initial;
  const ts = {
    invalidated: [] as string[],
    issued: 0,
    accessToken: async () => (ts.issued++, current),
    invalidate: async (rejected: string) => {
      ts.invalidated.push(rejected);
      current = next;
      return current;
    },
  };
  return ts;
}

function client(extra: Partial<RestClientOptions> = {}, time = fakeTime()): RestClient {
  const logger = extra.logger ?? memoryLogger();
  return new RestClient({ dispatcher: agent, pacer: new Pacer({ now: time.now, sleep: time.sleep, random: () => 1, logger }), logger, ...extra });
}

const xmlError = (code: number, message: string, reason: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><error><code>${code}</code><message>${message}</message><reason>${reason}</reason><cause></cause></error>`;

describe('RestClient requests', () => {
  it('escapes the path, Go-encodes the query and sends User-Agent and Bearer token', async () => {
    handler = (_req, res) => res.end('<ok/>');
    const c = client({ tokenSource: tokens('abc'), userAgent: 'jsync/test' });
    const text = await c.text({ method: 'GET', rootUrl: `${base}jfs/`, path: 'u/Jotta/Archive/dir one/a&b #1+2.txt', query: { mode: 'bin', a: 'x y/z' } });
    expect(text).toBe('<ok/>');
    expect(seen[0]?.url).toBe('/jfs/u/Jotta/Archive/dir%20one/a&b%20%231%2B2.txt?a=x+y%2Fz&mode=bin');
    expect(seen[0]?.headers['user-agent']).toBe('jsync/test');
    expect(seen[0]?.headers.authorization).toBe('Bearer abc');
  });

  it('POST without a body sends Content-Length: 0 and no Content-Type', async () => {
    handler = (_req, res) => res.end();
    await client().call({ method: 'POST', rootUrl: base, path: 'jfs/u/x', query: { mkDir: 'true' } }).then((r) => r.body.resume());
    expect(seen[0]?.method).toBe('POST');
    expect(seen[0]?.headers['content-length']).toBe('0');
    expect(seen[0]?.headers['content-type']).toBeUndefined();
    expect(seen[0]?.headers['transfer-encoding']).toBeUndefined();
  });

  it('sends string, byte and streamed bodies (with the given Content-Length)', async () => {
    handler = (_req, res) => res.end('{"n":1}');
    const c = client();
    await c.json({ method: 'POST', rootUrl: base, path: 'files/v1/allocate', body: '{"path":"/jfs/a"}', headers: { 'Content-Type': 'application/json' } });
    await c.text({ method: 'POST', rootUrl: base, body: new Uint8Array([104, 105]) });
    async function* gen(): AsyncIterable<Uint8Array> {
      yield Buffer.from('abc');
      yield Buffer.from('def');
    }
    expect(await c.json({ method: 'POST', rootUrl: `${base}upload/1?token=t`, query: { x: '1' }, body: gen(), contentLength: 6 })).toEqual({ n: 1 });
    expect(seen.map((s) => [s.body, s.headers['content-type'], s.headers['content-length']])).toEqual([
      ['{"path":"/jfs/a"}', 'application/json', '17'],
      ['hi', undefined, '2'],
      ['abcdef', undefined, '6'],
    ]);
    expect(seen[2]?.url).toBe('/upload/1?token=t&x=1');
  });

  it('a streamed body shorter than its Content-Length fails instead of hanging', async () => {
    handler = (_req, res) => res.end('{}');
    async function* short(): AsyncIterable<Uint8Array> {
      yield Buffer.from('abc');
    }
    const started = Date.now();
    await expect(client().call({ method: 'POST', rootUrl: base, path: 'upload', body: short(), contentLength: 6 })).rejects.toMatchObject({
      code: 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('noAuth leaves out the Authorization header and the token source', async () => {
    handler = (_req, res) => res.end('{}');
    const ts = tokens();
    await client({ tokenSource: ts }).json({ method: 'GET', rootUrl: base, path: '.well-known/openid-configuration', noAuth: true });
    expect(seen[0]?.headers.authorization).toBeUndefined();
    expect(ts.issued).toBe(0);
  });
});

describe('RestClient auth retry', () => {
  it('401 → invalidate(used token) and one more try with the new token', async () => {
    handler = (req, res) => {
      if (req.headers.authorization === 'Bearer tok-1') res.writeHead(401).end(xmlError(401, 'org.springframework.security.authentication.BadCredentialsException: Token mismatch!', 'Unauthorized'));
      else res.end('fine');
    };
    const ts = tokens();
    expect(await client({ tokenSource: ts }).text({ method: 'POST', rootUrl: `${base}jfs/`, path: 'u', body: 'a=1' })).toBe('fine');
    expect(ts.invalidated).toEqual(['tok-1']);
    expect(seen.map((s) => [s.headers.authorization, s.body])).toEqual([['Bearer tok-1', 'a=1'], ['Bearer tok-2', 'a=1']]);
  });

  it('401s are bounded: two refresh rounds with new tokens, then the error (no loop)', async () => {
    handler = (_req, res) => res.writeHead(401).end(xmlError(401, 'org.springframework.security.authentication.BadCredentialsException: No token or token is malformed!', 'Unauthorized'));
    let n = 1;
    const ts = { invalidated: [] as string[], async accessToken() { return `tok-${n}`; }, async invalidate(t: string) { this.invalidated.push(t); return `tok-${++n}`; } };
    const err = await client({ tokenSource: ts }).text({ method: 'GET', rootUrl: `${base}jfs/`, path: 'u' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JottaApiError);
    expect((err as Error).message).toBe('error 401: org.springframework.security.authentication.BadCredentialsException: No token or token is malformed! (Unauthorized)');
    expect(ts.invalidated).toEqual(['tok-1', 'tok-2']);
    expect(seen.map((s) => s.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2', 'Bearer tok-3']);
  });

  it('a token refused again after invalidate (no new token) ends at once', async () => {
    handler = (_req, res) => res.writeHead(401).end(xmlError(401, 'org.springframework.security.authentication.BadCredentialsException: Token mismatch!', 'Unauthorized'));
    const ts = { invalidated: [] as string[], async accessToken() { return 'same'; }, async invalidate(t: string) { this.invalidated.push(t); return 'same'; } };
    const err = await client({ tokenSource: ts }).text({ method: 'GET', rootUrl: `${base}jfs/`, path: 'u' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JottaApiError);
    expect(ts.invalidated).toEqual(['same']);
    expect(seen).toHaveLength(1);
  });

  it('no 401 retry for a streamed (non-replayable) body', async () => {
    handler = (_req, res) => res.writeHead(401).end();
    const ts = tokens();
    async function* gen(): AsyncIterable<Uint8Array> {
      yield Buffer.from('data');
    }
    await expect(client({ tokenSource: ts }).call({ method: 'POST', rootUrl: base, path: 'upload', body: gen() })).rejects.toMatchObject({ status: 401 });
    expect(ts.invalidated).toEqual([]);
    expect(seen).toHaveLength(1);
  });
});

describe('RestClient retries and errors', () => {
  it('retries 503 through the pacer and honours Retry-After on 429', async () => {
    handler = (_req, res, n) => {
      if (n === 1) res.writeHead(503).end();
      else if (n === 2) res.writeHead(429, { 'retry-after': '2' }).end();
      else res.end('done');
    };
    const time = fakeTime();
    const logger = memoryLogger();
    expect(await client({ logger }, time).text({ method: 'GET', rootUrl: `${base}jfs/`, path: 'u/x', query: { refresh_token: 'secret' } })).toBe('done');
    expect(seen).toHaveLength(3);
    expect(time.sleeps).toEqual([20, 2000]);
    // the retry lines name the request (built only when logged), secrets redacted
    expect(logger.text()).toMatch(/low level retry 1\/10 .*\[GET \/jfs\/u\/x\?refresh_token=XXXX\]/);
    expect(logger.text()).not.toContain('secret');
  });

  it('retry:false and streamed bodies get a single attempt', async () => {
    handler = (_req, res) => res.writeHead(503).end();
    const c = client();
    await expect(c.call({ method: 'POST', rootUrl: base, path: 'files/v1/allocate', body: '{}', retry: false })).rejects.toMatchObject({ status: 503 });
    async function* gen(): AsyncIterable<Uint8Array> {
      yield Buffer.from('x');
    }
    await expect(c.call({ method: 'POST', rootUrl: base, path: 'upload', body: gen() })).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(2);
  });

  it('pace:false sends at once (no spacing after errors), once, and leaves the pacer\'s sleep as it was', async () => {
    handler = (_req, res, n) => (n === 1 ? res.writeHead(503).end() : res.end('ok'));
    const time = fakeTime();
    const pacer = new Pacer({ now: time.now, sleep: time.sleep, random: () => 1, retries: 2 });
    const c = new RestClient({ dispatcher: agent, pacer, logger: memoryLogger() });
    await expect(c.text({ method: 'GET', rootUrl: base, path: 'a' })).resolves.toBe('ok'); // 503 then ok: the pacer attacked
    const sleeping = pacer.currentSleepMs;
    expect(sleeping).toBeGreaterThan(0);
    time.sleeps.length = 0;
    handler = (_req, res, n) => (n === 3 ? res.writeHead(503).end() : res.end('up'));
    await expect(c.text({ method: 'POST', rootUrl: base, path: 'upload', body: 'x', pace: false })).rejects.toMatchObject({ status: 503 });
    await expect(c.text({ method: 'POST', rootUrl: base, path: 'upload', body: 'x', pace: false })).resolves.toBe('up');
    expect(seen).toHaveLength(4);
    expect(time.sleeps).toEqual([]);
    expect(pacer.currentSleepMs).toBe(sleeping);
  });

  it('retries a body cut off mid-way when reading text', async () => {
    handler = (_req, res, n) => {
      if (n === 1) {
        res.writeHead(200, { 'content-length': '20' });
        res.write('0123456789');
        setTimeout(() => res.destroy(), 20);
      } else res.end('01234567890123456789');
    };
    expect(await client().text({ method: 'GET', rootUrl: `${base}jfs/`, path: 'u/f' })).toBe('01234567890123456789');
    expect(seen).toHaveLength(2);
  });

  it('formats JFS XML, api JSON and bodiless JFS errors like rclone', async () => {
    const c = client();
    handler = (_req, res) => res.writeHead(404).end(xmlError(404, 'no.jotta.backup.errors.NoSuchFileException: File /u/Jotta/Archive/x does not exist', 'Not Found'));
    const a = await c.text({ method: 'GET', rootUrl: `${base}jfs/`, path: 'u/Jotta/Archive/x' }).catch((e: unknown) => e);
    expect((a as Error).message).toBe('error 404: no.jotta.backup.errors.NoSuchFileException: File /u/Jotta/Archive/x does not exist (Not Found)');
    expect(httpStatusOf(a)).toBe(404);
    expect((a as JottaApiError).context).toMatchObject({ method: 'GET', httpStatus: 404 });

    handler = (_req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"code":400,"message":"bad","error_id":"InvalidArgumentException"}');
    const b = await c.json({ method: 'POST', rootUrl: base, path: 'files/v1/allocate', body: '{}' }).catch((e: unknown) => e);
    expect((b as Error).message).toBe('HTTP error 400 (400 Bad Request) returned body: "{\\"code\\":400,\\"message\\":\\"bad\\",\\"error_id\\":\\"InvalidArgumentException\\"}"');

    handler = (_req, res) => res.writeHead(409).end();
    const d = await c.call({ method: 'POST', rootUrl: `${base}jfs/`, path: 'u/x', query: { mvDir: '/u/y' } }).catch((e: unknown) => e);
    expect((d as Error).message).toBe('error 409: 409 Conflict');
  });

  it('quota exceeded (460) is QUOTA_EXCEEDED, fatal, not retried', async () => {
    handler = (_req, res) => res.writeHead(460).end('{"code":460,"message":"no.jotta.backup.errors.QuotaExceededException: Quota exceeded","error_id":"QuotaExceededException"}');
    const err = await client().json({ method: 'POST', rootUrl: base, path: 'files/v1/allocate', body: '{}' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'QUOTA_EXCEEDED', errorClass: 'fatal', status: 460 });
    expect((err as Error).message).toMatch(/^quota exceeded: HTTP error 460/);
    expect(seen).toHaveLength(1);
  });

  it('reads at most 1 MiB of an error body', async () => {
    handler = (_req, res) => res.writeHead(400).end('x'.repeat(3 << 20));
    const err = await client().call({ method: 'GET', rootUrl: base, path: 'big' }).catch((e: unknown) => e);
    const msg = (err as Error).message;
    expect(msg.startsWith('HTTP error 400 (400 Bad Request) returned body: "xxx')).toBe(true);
    expect(msg.length).toBeLessThan((1 << 20) + 100);
    expect(msg.length).toBeGreaterThan(1 << 20);
  });

  it('text() enforces maxBytes; json() reports invalid JSON', async () => {
    handler = (_req, res) => res.end('not json at all');
    const c = client();
    await expect(c.text({ method: 'GET', rootUrl: base, path: 't' }, { maxBytes: 4 })).rejects.toThrow(/exceeds 4 bytes/);
    await expect(c.json({ method: 'GET', rootUrl: base, path: 't' })).rejects.toThrow(/failed to decode JSON from GET \/t: .*"not json at all"/);
  });

  it('aborts with the signal', async () => {
    handler = (_req, res) => setTimeout(() => res.end('late'), 5000);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await expect(client().text({ method: 'GET', rootUrl: base, path: 'slow', signal: ac.signal })).rejects.toThrow(/abort/i);
    expect(seen).toHaveLength(1);
  });
});

describe('RestClient --dump', () => {
  const secretForm = 'grant_type=refresh_token&refresh_token=SECRET-REFRESH&client_id=jottacli&password=SECRET-PW';
  const secretJson = '{"access_token":"SECRET-ACCESS","token_type":"bearer","refresh_token":"SECRET-R2","id_token":"SECRET-ID","expires_in":3600}';

  it('logs headers and textual bodies with tokens redacted', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(secretJson);
    const logger = memoryLogger();
    const c = client({ logger, dump: ['headers', 'bodies'], tokenSource: tokens('SECRET-BEARER') });
    const out = await c.json<{ access_token: string }>({ method: 'POST', rootUrl: base, path: 'token', body: secretForm, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(out.access_token).toBe('SECRET-ACCESS');
    const log = logger.text();
    expect(log).not.toContain('SECRET');
    expect(log).toContain('HTTP REQUEST (req 1)');
    expect(log).toContain('POST /token HTTP/1.1');
    expect(log).toContain('Authorization: XXXX');
    expect(log).toContain('refresh_token=XXXX');
    expect(log).toContain('password=XXXX');
    expect(log).toContain('grant_type=refresh_token');
    expect(log).toContain('HTTP/1.1 200 OK');
    expect(log).toContain('"access_token":"XXXX"');
    expect(log).toContain('"token_type":"bearer"');
  });

  it('redacts error bodies too, and shows secrets only with --dump auth', async () => {
    handler = (_req, res) => res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant","refresh_token":"SECRET-X"}');
    const logger = memoryLogger();
    await client({ logger, dump: ['bodies'], tokenSource: tokens('SECRET-BEARER') }).call({ method: 'GET', rootUrl: base, path: 'e' }).catch(() => undefined);
    expect(logger.text()).not.toContain('SECRET');
    expect(logger.text()).toContain('invalid_grant');

    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(secretJson);
    const withAuth = memoryLogger();
    await client({ logger: withAuth, dump: ['headers', 'bodies', 'auth'], tokenSource: tokens('SECRET-BEARER') }).json({ method: 'GET', rootUrl: base, path: 't' });
    expect(withAuth.text()).toContain('Authorization: Bearer SECRET-BEARER');
    expect(withAuth.text()).toContain('SECRET-ACCESS');
  });

  it('never shows binary upload or download data; headers-only dumps no bodies', async () => {
    const payload = 'BINARY-PAYLOAD-DATA';
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(payload);
    const logger = memoryLogger();
    const c = client({ logger, dump: ['bodies'] });
    const res = await c.call({ method: 'POST', rootUrl: base, path: 'up', body: Buffer.from(payload), headers: { 'content-type': 'application/octet-stream' } });
    expect(Buffer.concat(await res.body.toArray()).toString()).toBe(payload);
    expect(logger.text()).not.toContain(payload);
    expect(logger.text()).toContain('<19 bytes of application/octet-stream data not shown>');

    handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end('<folder name="VISIBLE"/>');
    const headersOnly = memoryLogger();
    expect(await client({ logger: headersOnly, dump: ['headers'] }).text({ method: 'GET', rootUrl: base, path: 'x' })).toBe('<folder name="VISIBLE"/>');
    expect(headersOnly.text()).toContain('Content-Type: text/xml');
    expect(headersOnly.text()).not.toContain('VISIBLE');
  });

  it('shows textual response bodies read through call()', async () => {
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' }).end('<user><username>VISIBLE</username></user>');
    const logger = memoryLogger();
    const res = await client({ logger, dump: ['responses'] }).call({ method: 'GET', rootUrl: base, path: 'jfs/u' });
    expect(Buffer.concat(await res.body.toArray()).toString()).toBe('<user><username>VISIBLE</username></user>');
    await new Promise((r) => setImmediate(r));
    expect(logger.text()).toContain('HTTP RESPONSE BODY (req 1)\n<user><username>VISIBLE</username></user>');
  });

  it('logs nothing without --dump', async () => {
    handler = (_req, res) => res.end('{}');
    const logger = memoryLogger();
    await client({ logger }).json({ method: 'GET', rootUrl: base, path: 'x' });
    expect(logger.text()).toBe('');
  });
});
