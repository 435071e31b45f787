// TLS verification is on by default: the BUILT CLI talks to the emulator's HTTPS hosts (its proxy serves
// *.jottacloud.com with certificates from its own CA, unknown to the system). Without --ca-cert every command fails
// with a certificate error — for the API/JFS hosts and for the token endpoint — and the server never sees a request
// (no fallback to plain HTTP or to skipping verification); --ca-cert with another CA fails the same way; the right
// --ca-cert works, and so does the explicit --no-check-certificate.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Not a dependency of the CLI package: by path, as the other emulator tests do.
import { startEmulator, type Emulator } from '../../../packages/jottacloud-emulator/src/index.js';

const JSYNC_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');
const built = existsSync(JSYNC_BIN);
const CERT_ERROR = /certificate|issuer|self[- ]signed/i;

let emu: Emulator;
let otherCa: string;
let dir: string;
let conf: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-secrets-tls-'));
  emu = await startEmulator({ seed: 47, tlsDir: join(dir, 'tls') });
  // A second emulator only for its (different) CA.
  const other = await startEmulator({ seed: 48, tlsDir: join(dir, 'tls-other') });
  otherCa = join(dir, 'other-ca.pem');
  writeFileSync(otherCa, readFileSync(other.caCert));
  await other.stop();
  conf = join(dir, 'jsync.conf');
});
afterAll(async () => {
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string;
  err: string;
  ms: number;
}

function jsync(args: readonly string[]): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(https?_proxy|no_proxy|all_proxy|node_extra_ca_certs|node_tls_reject_unauthorized|ssl_cert_file|ssl_cert_dir)$/i.test(k) && !k.startsWith('JSYNC_') && !k.startsWith('RCLONE_')) env[k] = v;
  }
  Object.assign(env, { HTTPS_PROXY: emu.proxy, TZ: 'UTC', HOME: dir });
  const t0 = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [JSYNC_BIN, '--config', conf, '--retries', '1', '--low-level-retries', '2', ...args], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8'), ms: Date.now() - t0 });
    });
  });
}

/** Requests the emulator answered over its HTTPS hosts (through the proxy) since the last clear. */
const httpsRequests = (): string[] => emu.state.requests.filter((r) => /jottacloud\.com/.test(r.host)).map((r) => `${r.method} ${r.host}${r.url}`);

// Skip reason: needs the built CLI (apps/cli/dist/bin.js); `pnpm test` builds it first, so it runs there.
describe.runIf(built)('TLS verification (built CLI, emulator HTTPS hosts)', () => {
  beforeAll(async () => {
    const made = await jsync(['--ca-cert', emu.caCert, 'config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${emu.mintLoginToken()}`]);
    expect(made.code, made.err).toBe(0);
  }, 60_000);

  it('an unknown CA fails with a certificate error and reaches nothing; the right --ca-cert works', async () => {
    emu.state.clearRequests();
    const refused = await jsync(['lsd', 'jc:']);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(CERT_ERROR);
    expect(httpsRequests()).toEqual([]);

    const wrongCa = await jsync(['--ca-cert', otherCa, 'lsd', 'jc:']);
    expect(wrongCa.code).not.toBe(0);
    expect(wrongCa.err).toMatch(CERT_ERROR);
    expect(httpsRequests()).toEqual([]);

    const ok = await jsync(['--ca-cert', emu.caCert, 'lsd', 'jc:']);
    expect(ok.code, ok.err).toBe(0);
    expect(httpsRequests().length).toBeGreaterThan(0);
  }, 120_000);

  it('the token endpoint is verified too (a refresh over https without the CA fails, nothing is sent)', async () => {
    // Point the stored tokenURL at the emulator's https identity host; the stored access token has expired, so the
    // refresh is the first request.
    const text = readFileSync(conf, 'utf8')
      .replace(/^tokenURL = .*$/m, 'tokenURL = https://id.jottacloud.com/auth/realms/jottacloud/protocol/openid-connect/token')
      .replace(/"expiry":"[^"]*"/, '"expiry":"2001-01-01T00:00:00Z"');
    writeFileSync(conf, text);
    emu.state.expireAccessTokens();
    emu.state.clearRequests();
    const refused = await jsync(['-vv', 'lsd', 'jc:']);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain("couldn't fetch token");
    expect(refused.err).toMatch(CERT_ERROR);
    expect(refused.err, 'a certificate error is not retried').not.toContain('OIDC request failed (try');
    expect(httpsRequests()).toEqual([]);
    const ok = await jsync(['--ca-cert', emu.caCert, '-vv', 'lsd', 'jc:']);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.err).toContain('Token refresh successful');
    expect(httpsRequests()).toContain('POST id.jottacloud.com/auth/realms/jottacloud/protocol/openid-connect/token');
  }, 120_000);

  it('--no-check-certificate is the explicit way to skip verification', async () => {
    emu.state.clearRequests();
    const r = await jsync(['--no-check-certificate', 'lsd', 'jc:']);
    expect(r.code, r.err).toBe(0);
    expect(httpsRequests().length).toBeGreaterThan(0);
  }, 60_000);
});
