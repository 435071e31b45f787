// The GlobalOptions a backend receives from the command line: HTTP timeouts, TLS, user agent, --dump, --temp-dir,
// the invocation's --tpslimit limiter and --low-level-retries (also for `config create` of a backend with configure).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AnyBackendDefinition, type GlobalOptions, Registry } from '@jsync/core';
import { createMemoryBackend } from '@jsync/backend-memory';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';
import { JSYNC_VERSION } from '../src/version.js';

let seen: GlobalOptions[];
const inner = createMemoryBackend();
const probe: AnyBackendDefinition = {
  name: 'probe',
  description: 'records its global options (tests)',
  options: [],
  async newFs(args) {
    seen.push(args.global);
    return inner.newFs({ ...args, options: {} });
  },
  async configure(args) {
    seen.push(args.global);
    return {};
  },
};

let dir: string;
beforeEach(() => {
  seen = [];
  dir = mkdtempSync(join(tmpdir(), 'jsync-globals-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ env, homeDir: join(dir, 'home') });
  const code = await main(args, { io, registry: new Registry([probe]) });
  return { code, err: io.err() };
}

describe('GlobalOptions passed to backends', () => {
  it('has rclone defaults', async () => {
    expect((await run(['--config', '/dev/null', 'lsf', ':probe:'], { TMPDIR: '/var/tmp/x' })).code).toBe(0);
    expect(seen[0]).toEqual({
      caCert: [], noCheckCertificate: false, disable: [], userAgent: `jsync/v${JSYNC_VERSION}`, lowLevelRetries: 10,
      tempDir: '/var/tmp/x', dump: [], timeoutMs: 300_000, connectTimeoutMs: 60_000,
    });
  });

  it('carries every flag, and one tps limiter per invocation', async () => {
    const r = await run([
      '--config', '/dev/null', '--ca-cert', '/a.pem', '--ca-cert', '/b.pem', '--no-check-certificate', '--user-agent', 'me/1',
      '--low-level-retries', '3', '--temp-dir', join(dir, 'spool'), '--dump', 'headers,auth', '--timeout', '90s', '--contimeout', '1.5s',
      '--tpslimit', '5', 'lsf', ':probe:',
    ]);
    expect(r.code).toBe(0);
    const g = seen[0]!;
    expect(g).toMatchObject({
      caCert: ['/a.pem', '/b.pem'], noCheckCertificate: true, userAgent: 'me/1', lowLevelRetries: 3,
      tempDir: join(dir, 'spool'), dump: ['headers', 'auth'], timeoutMs: 90_000, connectTimeoutMs: 1_500,
    });
    expect(typeof g.tpsLimiter?.take).toBe('function');
    await g.tpsLimiter!.take();
  });

  it('reads the flags from JSYNC_/RCLONE_ environment variables', async () => {
    await run(['--config', '/dev/null', 'lsf', ':probe:'], { RCLONE_TIMEOUT: '10s', JSYNC_CONTIMEOUT: '2s', RCLONE_TEMP_DIR: '/spool', RCLONE_USER_AGENT: 'env/2' });
    expect(seen[0]).toMatchObject({ timeoutMs: 10_000, connectTimeoutMs: 2_000, tempDir: '/spool', userAgent: 'env/2' });
  });

  it('rejects a bad duration like pflag', async () => {
    const r = await run(['--config', '/dev/null', '--timeout', '5 minutes', 'lsf', ':probe:']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Error: invalid argument "5 minutes" for "--timeout" flag: time: unknown unit " minutes" in duration "5 minutes"');
  });

  it('reaches configure too', async () => {
    const r = await run(['--config', join(dir, 'c.conf'), '--contimeout', '3s', 'config', 'create', 'p', 'probe']);
    expect(r.code).toBe(0);
    expect(seen[0]).toMatchObject({ connectTimeoutMs: 3_000, userAgent: `jsync/v${JSYNC_VERSION}` });
  });
});

describe('config paths', () => {
  it('shows --temp-dir as the temp dir', async () => {
    const io = memoryIo({ env: {}, homeDir: join(dir, 'home') });
    expect(await main(['--config', '/dev/null', '--temp-dir', '/my/tmp', 'config', 'paths'], { io })).toBe(0);
    expect(io.out()).toContain('\nTemp dir:    /my/tmp\n');
  });
});
