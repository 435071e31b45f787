// The generated CA and leaf as seen by OpenSSL and by Go's TLS stack (the real rclone through HTTPS_PROXY).
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachProxy, TLS_FILES, type ProxyAttachment, type TlsKeyType } from '../src/proxy/index.js';

const hasBinary = (name: string): boolean => spawnSync(name, ['version'], { stdio: 'ignore' }).error === undefined;
const hasOpenssl = hasBinary('openssl');
// CI (.ci/run) installs Debian's rclone (v1.60.1); without it these cases are skipped.
const hasRclone = hasBinary('rclone');

interface Fixture {
  readonly dir: string;
  readonly server: Server;
  readonly proxy: ProxyAttachment;
  readonly proxyUrl: string;
  readonly requests: string[];
}

async function startFixture(keyType: TlsKeyType): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), `jsync-proxy-certs-${keyType}-`));
  const requests: string[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    requests.push(`${req.method} ${req.headers.host}${req.url}`);
    res.setHeader('content-type', 'text/plain');
    res.end(`hello from ${req.headers.host}${req.url}\n`);
  };
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = await attachProxy(server, { handler, host: '127.0.0.1', tlsDir: join(dir, 'tls'), keyType });
  return { dir, server, proxy, requests, proxyUrl: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

async function stopFixture(f: Fixture): Promise<void> {
  await f.proxy.close();
  f.server.closeAllConnections();
  await new Promise<void>((resolve) => f.server.close(() => resolve()));
  rmSync(f.dir, { recursive: true, force: true });
}

/** Runs rclone asynchronously (the proxy lives in this process, so a synchronous spawn would deadlock). */
function rclone(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('rclone', args, { env, encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ status: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

const openssl = (...args: string[]): string => execFileSync('openssl', args, { encoding: 'utf8' });

/** Environment for a child process that must reach *.jottacloud.com only through our proxy. */
function proxyEnv(proxyUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HTTPS_PROXY: proxyUrl, TZ: 'UTC' };
  for (const k of ['https_proxy', 'http_proxy', 'HTTP_PROXY', 'NO_PROXY', 'no_proxy', 'ALL_PROXY', 'all_proxy']) delete env[k];
  return env;
}

describe.each(['ec', 'rsa'] as const)('generated certificates (%s keys)', (keyType) => {
  let f: Fixture;
  beforeAll(async () => { f = await startFixture(keyType); });
  afterAll(async () => { await stopFixture(f); });
  const file = (name: string): string => join(f.dir, 'tls', name);

  it.runIf(hasOpenssl)('CA: v3, self-signed, CA:TRUE critical, keyCertSign, key identifiers', () => {
    const text = openssl('x509', '-in', file(TLS_FILES.caCert), '-noout', '-text');
    expect(text).toContain('Version: 3 (0x2)');
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
    expect(text).toContain('X509v3 Subject Key Identifier');
    expect(text).toContain(keyType === 'ec' ? 'Signature Algorithm: ecdsa-with-SHA256' : 'Signature Algorithm: sha256WithRSAEncryption');
    expect(text).toContain(keyType === 'ec' ? 'Public-Key: (256 bit)' : 'Public-Key: (2048 bit)');
    expect(text).toMatch(/Issuer: O ?= ?jsync, CN ?= ?jsync Jottacloud emulator local CA/);
    expect(text).toMatch(/Subject: O ?= ?jsync, CN ?= ?jsync Jottacloud emulator local CA/);
    expect(openssl('verify', '-CAfile', file(TLS_FILES.caCert), file(TLS_FILES.caCert)).trim()).toMatch(/: OK$/);
  });

  it.runIf(hasOpenssl)('leaf: SAN *.jottacloud.com + jottacloud.com, serverAuth, CA:FALSE, AKI = CA SKI, verifies', () => {
    const ca = openssl('x509', '-in', file(TLS_FILES.caCert), '-noout', '-text');
    const leaf = openssl('x509', '-in', file(TLS_FILES.leafCert), '-noout', '-text');
    expect(leaf).toContain('Version: 3 (0x2)');
    expect(leaf).toMatch(/Subject Alternative Name:\s+DNS:\*\.jottacloud\.com, DNS:jottacloud\.com/);
    expect(leaf).toMatch(/Extended Key Usage:\s+TLS Web Server Authentication/);
    expect(leaf).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(leaf).toMatch(keyType === 'ec' ? /Key Usage: critical\s+Digital Signature\n/ : /Key Usage: critical\s+Digital Signature, Key Encipherment/);
    const ski = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(ca)?.[1];
    expect(ski).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/);
    expect(leaf).toMatch(new RegExp(`Authority Key Identifier:\\s+(keyid:)?${ski}`));
    const verify = (host: string): string => {
      const r = spawnSync('openssl', ['verify', '-CAfile', file(TLS_FILES.caCert), '-purpose', 'sslserver', '-verify_hostname', host, file(TLS_FILES.leafCert)], { encoding: 'utf8' });
      return `${r.stdout}${r.stderr}`;
    };
    for (const host of ['jfs.jottacloud.com', 'api.jottacloud.com', 'id.jottacloud.com', 'up.jottacloud.com', 'jottacloud.com']) {
      expect(verify(host), host).toMatch(/: OK\s*$/);
    }
    expect(verify('example.com')).toMatch(/hostname mismatch/i);
    // The DER parses strictly.
    expect(openssl('asn1parse', '-in', file(TLS_FILES.leafCert))).toContain('prim: OBJECT            :X509v3 Subject Alternative Name');
  });

  it.runIf(hasRclone)('Go (rclone) fetches https://*.jottacloud.com through HTTPS_PROXY with --ca-cert, and refuses without it', async () => {
    const out = join(f.dir, 'out');
    const env = proxyEnv(f.proxyUrl);
    const base = ['--config', '/dev/null', '--retries', '1', '--low-level-retries', '1'];
    const ok = await rclone([...base, '--ca-cert', file(TLS_FILES.caCert), 'copyurl', 'https://jfs.jottacloud.com/hello.txt', join(out, 'hello.txt')], env);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(readFileSync(join(out, 'hello.txt'), 'utf8')).toBe('hello from jfs.jottacloud.com/hello.txt\n');
    expect(f.requests).toContain('GET jfs.jottacloud.com/hello.txt');

    const bad = await rclone([...base, 'copyurl', 'https://api.jottacloud.com/nope.txt', join(out, 'nope.txt')], env);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('x509: certificate signed by unknown authority');
    expect(f.requests).not.toContain('GET api.jottacloud.com/nope.txt');
  });
});
