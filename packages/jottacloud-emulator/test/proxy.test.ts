// HTTPS-proxy mode: CONNECT handling, TLS with the generated local CA, persistence of the CA, concurrency.
import { createHash, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { attachProxy, isJottacloudTarget, TLS_FILES, type ProxyAttachment } from '../src/proxy/index.js';
import { httpsVia, openTunnel, sendConnect, TunnelAgent } from './proxy-client.js';

interface Harness {
  readonly server: Server;
  readonly proxyUrl: string;
  readonly proxy: ProxyAttachment;
  readonly caPem: string;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jsync-proxy-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An echo handler: reports what it saw, with a stable id per underlying socket. */
function echoHandler(): (req: IncomingMessage, res: ServerResponse) => void {
  const ids = new WeakMap<object, number>();
  let next = 0;
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let id = ids.get(req.socket);
      if (id === undefined) ids.set(req.socket, (id = next++));
      const body = Buffer.concat(chunks);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({
        host: req.headers.host, method: req.method, url: req.url, socketId: id,
        encrypted: 'encrypted' in req.socket && req.socket.encrypted === true,
        httpVersion: req.httpVersion, bodyMd5: createHash('md5').update(body).digest('hex'),
      }));
    });
  };
}

async function startHarness(tlsDir?: string, keyType?: 'ec' | 'rsa'): Promise<Harness> {
  const handler = echoHandler();
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = await attachProxy(server, { handler, host: '127.0.0.1', ...(tlsDir ? { tlsDir } : {}), ...(keyType ? { keyType } : {}) });
  const port = (server.address() as { port: number }).port;
  const caPem = readFileSync(proxy.caCertPath, 'utf8');
  cleanups.push(async () => {
    await proxy.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { server, proxyUrl: `http://127.0.0.1:${port}`, proxy, caPem };
}

describe('isJottacloudTarget', () => {
  it('accepts jottacloud.com and one label under it on port 443 only', () => {
    for (const t of ['jfs.jottacloud.com:443', 'api.jottacloud.com:443', 'ID.Jottacloud.COM:443', 'up.jottacloud.com:443', 'www.jottacloud.com:443', 'jottacloud.com:443']) {
      expect(isJottacloudTarget(t), t).toBe(true);
    }
    for (const t of ['jfs.jottacloud.com:80', 'jfs.jottacloud.com', 'example.com:443', 'evil-jottacloud.com:443', 'jottacloud.com.evil.org:443',
      'a.b.jottacloud.com:443', '127.0.0.1:443', '[::1]:443', 'jfs.jottacloud.com:4430', 'xjottacloud.com:443', '']) {
      expect(isJottacloudTarget(t), t).toBe(false);
    }
  });
});

describe('attachProxy', () => {
  it('tunnels CONNECT jfs.jottacloud.com:443 over TLS 1.2+ with ALPN http/1.1 and keep-alive', async () => {
    const h = await startHarness(tempDir());
    const tls = await openTunnel({ proxyUrl: h.proxyUrl, host: 'jfs.jottacloud.com', ca: h.caPem, alpn: ['h2', 'http/1.1'] });
    expect(tls.alpnProtocol).toBe('http/1.1');
    expect(tls.authorized).toBe(true);
    expect(['TLSv1.2', 'TLSv1.3']).toContain(tls.getProtocol());
    tls.destroy();

    const agent = new TunnelAgent(h.proxyUrl, h.caPem, { maxSockets: 1 });
    cleanups.push(() => agent.destroy());
    const first = await httpsVia(agent, 'https://jfs.jottacloud.com/jfs/user/Jotta/Archive?mode=list');
    const second = await httpsVia(agent, 'https://jfs.jottacloud.com/jfs/user', { method: 'POST', body: 'hello' });
    const a = JSON.parse(first.body.toString()) as Record<string, unknown>;
    const b = JSON.parse(second.body.toString()) as Record<string, unknown>;
    expect(a).toMatchObject({ host: 'jfs.jottacloud.com', method: 'GET', url: '/jfs/user/Jotta/Archive?mode=list', encrypted: true, httpVersion: '1.1' });
    expect(b).toMatchObject({ host: 'jfs.jottacloud.com', method: 'POST', bodyMd5: createHash('md5').update('hello').digest('hex') });
    expect(second.reusedSocket).toBe(true);
    expect(b.socketId).toBe(a.socketId);
  });

  it('serves every jottacloud host with the same wildcard certificate', async () => {
    const h = await startHarness(tempDir());
    const agent = new TunnelAgent(h.proxyUrl, h.caPem);
    cleanups.push(() => agent.destroy());
    for (const host of ['api.jottacloud.com', 'id.jottacloud.com', 'up.jottacloud.com', 'www.jottacloud.com', 'jottacloud.com']) {
      const res = await httpsVia(agent, `https://${host}/x`);
      expect(JSON.parse(res.body.toString())).toMatchObject({ host, encrypted: true });
    }
  });

  it('rejects a client that does not trust the CA, and a wrong server name', async () => {
    const h = await startHarness(tempDir());
    await expect(openTunnel({ proxyUrl: h.proxyUrl, host: 'jfs.jottacloud.com' })).rejects.toThrow(/self[- ]signed|unable to (get|verify)|UNABLE_TO/i);
    const other = tempDir();
    const h2 = await startHarness(other);
    await expect(openTunnel({ proxyUrl: h.proxyUrl, host: 'jfs.jottacloud.com', ca: h2.caPem })).rejects.toThrow();
  });

  it('refuses other CONNECT targets with 403 and never opens a connection', async () => {
    const h = await startHarness(tempDir());
    let contacted = 0;
    const bystander = createNetServer((s: Socket) => { contacted++; s.destroy(); });
    await new Promise<void>((resolve) => bystander.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => bystander.close(() => resolve())));
    const port = (bystander.address() as { port: number }).port;
    for (const target of [`127.0.0.1:${port}`, `localhost:${port}`, 'example.com:443', 'jfs.jottacloud.com:80', 'jottacloud.com.evil.org:443', 'a.b.jottacloud.com:443']) {
      const res = await sendConnect(h.proxyUrl, target);
      expect(res.statusCode, target).toBe(403);
      expect(res.body).toContain('only tunnels to *.jottacloud.com:443');
    }
    expect(contacted).toBe(0);
    // The plain HTTP side of the same server keeps working.
    const plain = await fetch(`${h.proxyUrl}/plain`);
    expect(await plain.json()).toMatchObject({ url: '/plain', encrypted: false });
  });

  it('persists the CA and leaf (keys 0600) and reuses them after a restart', async () => {
    const dir = tempDir();
    const h1 = await startHarness(dir);
    const files = Object.values(TLS_FILES).map((f) => join(dir, f));
    for (const f of files) expect(existsSync(f), f).toBe(true);
    expect(statSync(join(dir, TLS_FILES.caKey)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, TLS_FILES.leafKey)).mode & 0o777).toBe(0o600);
    const before = files.map((f) => readFileSync(f, 'utf8'));
    await h1.proxy.close();
    chmodSync(join(dir, TLS_FILES.caKey), 0o644);

    const h2 = await startHarness(dir);
    expect(h2.proxy.caCertPath).toBe(join(dir, TLS_FILES.caCert));
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(before);
    expect(statSync(join(dir, TLS_FILES.caKey)).mode & 0o777).toBe(0o600);
    // A client holding the old CA file still connects.
    const tls = await openTunnel({ proxyUrl: h2.proxyUrl, host: 'api.jottacloud.com', ca: before[0] });
    expect(tls.authorized).toBe(true);
    tls.destroy();
  });

  it('re-issues a missing leaf under the same CA, and replaces a CA whose key does not match', async () => {
    const dir = tempDir();
    const h1 = await startHarness(dir);
    const ca1 = h1.caPem;
    const leaf1 = readFileSync(join(dir, TLS_FILES.leafCert), 'utf8');
    await h1.proxy.close();
    unlinkSync(join(dir, TLS_FILES.leafCert));
    const h2 = await startHarness(dir);
    expect(h2.caPem).toBe(ca1);
    const leaf2 = readFileSync(join(dir, TLS_FILES.leafCert), 'utf8');
    expect(leaf2).not.toBe(leaf1);
    expect(new X509Certificate(leaf2).verify(new X509Certificate(ca1).publicKey)).toBe(true);
    await h2.proxy.close();

    const other = tempDir();
    await (await startHarness(other)).proxy.close();
    writeFileSync(join(dir, TLS_FILES.caKey), readFileSync(join(other, TLS_FILES.caKey)));
    const h3 = await startHarness(dir);
    expect(h3.caPem).not.toBe(ca1);
    const tls = await openTunnel({ proxyUrl: h3.proxyUrl, host: 'jfs.jottacloud.com', ca: h3.caPem });
    expect(tls.authorized).toBe(true);
    tls.destroy();
  });

  it('without tlsDir uses a temp dir that close() removes', async () => {
    const h = await startHarness();
    expect(existsSync(h.proxy.caCertPath)).toBe(true);
    await h.proxy.close();
    expect(existsSync(h.proxy.caCertPath)).toBe(false);
  });

  it('works with RSA-2048 keys too', async () => {
    const h = await startHarness(tempDir(), 'rsa');
    expect(new X509Certificate(h.caPem).publicKey.asymmetricKeyType).toBe('rsa');
    const tls = await openTunnel({ proxyUrl: h.proxyUrl, host: 'jfs.jottacloud.com', ca: h.caPem });
    expect(tls.authorized).toBe(true);
    tls.destroy();
  });

  it('handles many concurrent tunnels, each with several requests', async () => {
    const h = await startHarness(tempDir());
    const tunnels = 24;
    const perTunnel = 4;
    const results = await Promise.all(Array.from({ length: tunnels }, async (_, t) => {
      const agent = new TunnelAgent(h.proxyUrl, h.caPem, { maxSockets: 1 });
      try {
        const seen: Record<string, unknown>[] = [];
        for (let i = 0; i < perTunnel; i++) {
          const body = Buffer.alloc(1000 + t * 37 + i, `${t}-${i}`);
          const res = await httpsVia(agent, `https://jfs.jottacloud.com/t${t}/r${i}`, { method: 'POST', body });
          const json = JSON.parse(res.body.toString()) as Record<string, unknown>;
          expect(json).toMatchObject({ url: `/t${t}/r${i}`, bodyMd5: createHash('md5').update(body).digest('hex') });
          seen.push(json);
        }
        return seen;
      } finally {
        agent.destroy();
      }
    }));
    for (const seen of results) expect(new Set(seen.map((s) => s.socketId)).size).toBe(1);
    expect(new Set(results.map((seen) => seen[0]?.socketId)).size).toBe(tunnels);
  });

  it('close() tears down open tunnels so the server can close', async () => {
    const h = await startHarness(tempDir());
    const tls = await openTunnel({ proxyUrl: h.proxyUrl, host: 'jfs.jottacloud.com', ca: h.caPem });
    const closed = new Promise<void>((resolve) => tls.once('close', () => resolve()));
    await h.proxy.close();
    await closed;
    await new Promise<void>((resolve) => h.server.close(() => resolve()));
    expect(h.server.listening).toBe(false);
  });
});
