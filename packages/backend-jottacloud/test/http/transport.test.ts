// The transport against real sockets on 127.0.0.1: a CONNECT/forwarding proxy, TLS servers using the emulator's CA,
// NO_PROXY bypass (with a pinned DNS lookup), --ca-cert, --no-check-certificate, https proxies, timeouts, redirects.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, type AddressInfo, type LookupFunction, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { startEmulator, type Emulator } from '@jsync/jottacloud-emulator';
import { createDispatcher, readCaCerts, type TransportOptions } from '../../src/http/transport.js';

interface Proxy {
  url: string;
  connects: string[];
  forwarded: string[];
  close(): Promise<void>;
}

const listen = async (server: Server): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};
const closeServer = (server: Server): Promise<void> => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
};

/** A proxy that tunnels every CONNECT to 127.0.0.1:`tunnelPort` and answers absolute-URI requests itself. */
async function startProxy(tunnelPort: () => number, tls?: { cert: string; key: string }): Promise<Proxy> {
  const connects: string[] = [];
  const forwarded: string[] = [];
  const sockets = new Set<Socket>();
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    forwarded.push(`${req.method} ${req.url}`);
    res.end(`proxied ${req.url}`);
  };
  const server = tls ? createHttpsServer(tls, onRequest) : createHttpServer(onRequest);
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    connects.push(req.url ?? '');
    const upstream = netConnect(tunnelPort(), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
  });
  const port = await listen(server);
  return {
    url: `${tls ? 'https' : 'http'}://${tls ? 'proxy.jottacloud.com' : '127.0.0.1'}:${port}`,
    connects,
    forwarded,
    close: async () => {
      for (const s of sockets) s.destroy();
      await closeServer(server);
    },
  };
}

/** Resolves every name to 127.0.0.1 (so no DNS query leaves the machine). */
const loopbackLookup: LookupFunction = (_host, opts, cb) => {
  if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else cb(null, '127.0.0.1', 4);
};

async function get(d: Dispatcher, url: string): Promise<{ status: number; text: string }> {
  const u = new URL(url);
  const res = await d.request({ origin: u.origin, path: u.pathname + u.search, method: 'GET' });
  return { status: res.statusCode, text: await res.body.text() };
}

let emu: Emulator;
let otherEmu: Emulator;
let tlsServer: Server;
let tlsPort = 0;
let plainServer: Server;
let plainPort = 0;
let proxy: Proxy;
let tlsProxy: Proxy;
const dispatchers: Dispatcher[] = [];
const tmp = mkdtempSync(join(tmpdir(), 'jsync-http-transport-'));

function dispatcher(opts: TransportOptions): Dispatcher {
  const d = createDispatcher({ connectTimeoutMs: 5000, timeoutMs: 5000, ...opts });
  dispatchers.push(d);
  return d;
}

beforeAll(async () => {
  emu = await startEmulator({ seed: 3 });
  otherEmu = await startEmulator({ seed: 4 });
  const tlsDir = dirname(emu.caCert);
  const cert = readFileSync(join(tlsDir, 'server.pem'), 'utf8');
  const key = readFileSync(join(tlsDir, 'server-key.pem'), 'utf8');
  tlsServer = createHttpsServer({ cert, key }, (req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/hello?from=redirect' }).end();
      return;
    }
    if (req.url === '/stall') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('partial');
      return; // never ends
    }
    res.end(`tls ${req.headers.host} ${req.url}`);
  });
  tlsPort = await listen(tlsServer);
  plainServer = createHttpServer((req, res) => res.end(`plain ${req.url}`));
  plainPort = await listen(plainServer);
  proxy = await startProxy(() => tlsPort);
  tlsProxy = await startProxy(() => tlsPort, { cert, key });
});

afterAll(async () => {
  await Promise.all(dispatchers.map((d) => d.destroy()));
  await proxy?.close();
  await tlsProxy?.close();
  if (tlsServer) await closeServer(tlsServer);
  if (plainServer) await closeServer(plainServer);
  await emu?.stop();
  await otherEmu?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('createDispatcher', () => {
  it('tunnels https through HTTPS_PROXY with CONNECT and trusts --ca-cert', async () => {
    const d = dispatcher({ env: { HTTPS_PROXY: proxy.url }, caCert: [emu.caCert] });
    const before = proxy.connects.length;
    const res = await get(d, 'https://jfs.jottacloud.com/hello');
    expect(res).toEqual({ status: 200, text: 'tls jfs.jottacloud.com /hello' });
    expect(proxy.connects.slice(before)).toEqual(['jfs.jottacloud.com:443']);
  });

  it('rejects a certificate from an unknown CA by default, and with another CA given', async () => {
    const d = dispatcher({ env: { HTTPS_PROXY: proxy.url } });
    await expect(get(d, 'https://jfs.jottacloud.com/hello')).rejects.toThrow(/certificate|issuer/i);
    const other = dispatcher({ env: { HTTPS_PROXY: proxy.url }, caCert: [otherEmu.caCert] });
    await expect(get(other, 'https://api.jottacloud.com/hello')).rejects.toThrow(/certificate|issuer|signature/i);
  });

  it('--no-check-certificate accepts the unknown CA', async () => {
    const d = dispatcher({ env: { https_proxy: proxy.url }, noCheckCertificate: true });
    expect(await get(d, 'https://id.jottacloud.com/x')).toEqual({ status: 200, text: 'tls id.jottacloud.com /x' });
  });

  it('NO_PROXY sends matching hosts directly', async () => {
    const d = dispatcher({ env: { HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com,jfs.jottacloud.com' }, caCert: [emu.caCert], lookup: loopbackLookup });
    const before = proxy.connects.length;
    const res = await get(d, `https://jfs.jottacloud.com:${tlsPort}/direct`);
    expect(res).toEqual({ status: 200, text: `tls jfs.jottacloud.com:${tlsPort} /direct` });
    expect(proxy.connects.length).toBe(before);
    // a host not in NO_PROXY still goes through the proxy
    await get(d, 'https://up.jottacloud.com/x');
    expect(proxy.connects.slice(before)).toEqual(['up.jottacloud.com:443']);
  });

  it('forwards http requests to HTTP_PROXY by absolute URI, never proxies loopback', async () => {
    const d = dispatcher({ env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: '' } });
    const res = await get(d, 'http://www.jottacloud.com/web/secure?x=1');
    expect(res).toEqual({ status: 200, text: 'proxied http://www.jottacloud.com/web/secure?x=1' });
    expect(proxy.forwarded).toContain('GET http://www.jottacloud.com/web/secure?x=1');
    expect(await get(d, `http://127.0.0.1:${plainPort}/local`)).toEqual({ status: 200, text: 'plain /local' });
    expect(proxy.forwarded).not.toContain(`GET http://127.0.0.1:${plainPort}/local`);
  });

  it('applies --ca-cert to an https proxy too', async () => {
    const ok = dispatcher({ env: { HTTPS_PROXY: tlsProxy.url }, caCert: [emu.caCert], lookup: loopbackLookup });
    expect(await get(ok, 'https://jfs.jottacloud.com/via-tls-proxy')).toEqual({ status: 200, text: 'tls jfs.jottacloud.com /via-tls-proxy' });
    expect(tlsProxy.connects).toContain('jfs.jottacloud.com:443');
    const bad = dispatcher({ env: { HTTPS_PROXY: tlsProxy.url }, lookup: loopbackLookup });
    await expect(get(bad, 'https://jfs.jottacloud.com/x')).rejects.toThrow(/certificate|issuer/i);
  });

  it('reaches the emulator through its own HTTPS proxy with its CA', async () => {
    const d = dispatcher({ env: { HTTPS_PROXY: emu.proxy }, caCert: [emu.caCert] });
    const res = await get(d, `https://jfs.jottacloud.com/jfs/${emu.state.username}`);
    expect(res.status).toBe(401);
    expect(res.text).toContain('<error>');
    expect(emu.state.requests.some((r) => r.host === 'jfs.jottacloud.com')).toBe(true);
  });

  it('follows redirects', async () => {
    const d = dispatcher({ env: { HTTPS_PROXY: proxy.url }, caCert: [emu.caCert] });
    expect(await get(d, 'https://jfs.jottacloud.com/redirect')).toEqual({ status: 200, text: 'tls jfs.jottacloud.com /hello?from=redirect' });
  });

  it('--timeout ends a response body that stalls', async () => {
    const d = dispatcher({ env: { HTTPS_PROXY: proxy.url }, caCert: [emu.caCert], timeoutMs: 300 });
    const started = Date.now();
    await expect(get(d, 'https://jfs.jottacloud.com/stall')).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('reads --ca-cert files and reports unreadable or certificate-less ones', () => {
    expect(readCaCerts([emu.caCert])[0]).toContain('-----BEGIN CERTIFICATE-----');
    expect(() => readCaCerts([join(tmp, 'missing.pem')])).toThrow(/failed to read --ca-cert file ".*missing\.pem"/);
    const junk = join(tmp, 'junk.pem');
    writeFileSync(junk, 'not a certificate');
    expect(() => createDispatcher({ caCert: [junk], env: {} })).toThrow(/failed to add certificates from --ca-cert file/);
  });
});
