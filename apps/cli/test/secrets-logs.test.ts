// Secrets never reach the output: the BUILT CLI (a real process, HTTPS_PROXY + --ca-cert to an in-process emulator)
// runs config create (personal login token), a failing re-use of that login token, copy, ls across a token refresh,
// a refresh whose answer is cut in half (the new tokens are in the cut body), the resulting invalid_grant failure,
// config show/dump — each with -vv --dump headers,bodies[,requests,responses] and --use-json-log, logging to stderr or
// --log-file. stdout, stderr and the log file must hold no login token, auth_token, access/refresh token (read from
// the config file after every command), client_secret or password, in any encoding or cut-off form, and no
// token-shaped string at all. Positive controls (--unredacted, --dump auth) prove the detector finds them.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { obscure } from '@jsync/core';
// Not a dependency of the CLI package: by path, as the other emulator tests do.
import { startEmulator, type Emulator } from '../../../packages/jottacloud-emulator/src/index.js';
import {
  type Leak, type Secret, configTokenSecrets, describeLeaks, findLeaks, findTokenShaped, loginTokenSecrets,
} from '../../../packages/backend-jottacloud/test/secrets/needles.js';

const JSYNC_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');
const built = existsSync(JSYNC_BIN);

interface Run {
  label: string;
  code: number;
  out: string;
  err: string;
  log: string;
}

let emu: Emulator;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-secrets-'));
  emu = await startEmulator({ seed: 41, tlsDir: join(dir, 'tls') });
});
afterAll(async () => {
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the built jsync as a child process (asynchronously: the emulator answers from this process). */
function jsync(args: readonly string[], o: { conf: string; logFile?: string; label: string; timeoutMs?: number }): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !/^(https?_proxy|no_proxy|all_proxy)$/i.test(k) && !k.startsWith('JSYNC_') && !k.startsWith('RCLONE_')) env[k] = v;
  }
  Object.assign(env, { HTTPS_PROXY: emu.proxy, TZ: 'UTC', HOME: dir });
  if (o.logFile) rmSync(o.logFile, { force: true });
  const argv = [JSYNC_BIN, '--config', o.conf, '--ca-cert', emu.caCert, '--retries', '1', ...(o.logFile ? ['--log-file', o.logFile] : []), ...args];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, argv, { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({
        label: o.label, code: code ?? (signal ? 128 : -1), out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8'),
        log: o.logFile && existsSync(o.logFile) ? readFileSync(o.logFile, 'utf8') : '',
      });
    });
  });
}

function leaksOf(runs: readonly Run[], secrets: readonly Secret[]): Leak[] {
  return runs.flatMap((r) => [
    ...findLeaks(r.out, secrets, `${r.label} stdout`), ...findLeaks(r.err, secrets, `${r.label} stderr`), ...findLeaks(r.log, secrets, `${r.label} log file`),
    ...findTokenShaped(r.out, `${r.label} stdout`), ...findTokenShaped(r.err, `${r.label} stderr`), ...findTokenShaped(r.log, `${r.label} log file`),
  ]);
}

const VARIANTS: Array<{ name: string; flags: string[]; logFile: boolean }> = [
  { name: 'dump headers,bodies to stderr', flags: ['-vv', '--dump', 'headers,bodies'], logFile: false },
  { name: 'dump headers,bodies,requests,responses to --log-file', flags: ['-vv', '--dump', 'headers,bodies,requests,responses'], logFile: true },
  { name: 'json log with dump headers,bodies to --log-file', flags: ['-vv', '--use-json-log', '--dump', 'headers,bodies'], logFile: true },
  { name: 'json log with dump requests,responses to stderr', flags: ['-vv', '--use-json-log', '--dump', 'headers,requests,responses'], logFile: false },
];

// Skip reason: needs the built CLI (apps/cli/dist/bin.js); `pnpm test` builds it first, so it runs there.
describe.runIf(built)('secrets stay out of logs, errors and config output (built CLI, emulator)', () => {
  for (const [i, v] of VARIANTS.entries()) {
    it(`${v.name}: login, copy, refresh, cut-off refresh answer, invalid_grant, config show/dump`, async () => {
      const conf = join(dir, `v${i}.conf`);
      const logFile = v.logFile ? join(dir, `v${i}.log`) : undefined;
      const src = join(dir, `src${i}`);
      mkdirSync(join(src, 'sub'), { recursive: true });
      writeFileSync(join(src, 'a.txt'), `hello ${i}\n`);
      writeFileSync(join(src, 'sub', 'b.bin'), Buffer.alloc(3000, i));
      const runs: Run[] = [];
      const secrets: Secret[] = [];
      const harvest = (label: string): void => {
        if (existsSync(conf)) secrets.push(...configTokenSecrets(readFileSync(conf, 'utf8'), label));
      };
      const run = async (label: string, args: string[]): Promise<Run> => {
        const r = await jsync([...v.flags, ...args], { conf, label, ...(logFile ? { logFile } : {}) });
        runs.push(r);
        harvest(`after ${label}`);
        return r;
      };

      const loginToken = emu.mintLoginToken();
      secrets.push(...loginTokenSecrets(loginToken));
      const created = await run('config create', ['config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${loginToken}`]);
      expect(created.code, created.err + created.log).toBe(0);
      expect(created.out).toMatch(/^\[jc\]\ntype = jottacloud\n/);

      // A client secret (sent with every refresh) and a remote of a type jsync lacks holding passwords.
      const clientSecret = `cs-${i}-Q9v7pLm2Zx8RtY4w`;
      const plain = [`pw-${i}-correct horse battery`, `salt-${i}-staple!`];
      const obscured = plain.map((p) => obscure(p));
      secrets.push({ name: 'client_secret', value: clientSecret });
      for (const [k, p] of plain.entries()) secrets.push({ name: 'plain password', value: p }, { name: 'obscured password', value: obscured[k]! });
      writeFileSync(conf, readFileSync(conf, 'utf8').replace(/^client_secret = .*$/m, `client_secret = ${clientSecret}`)
        + `[vault]\ntype = crypt\nremote = jc:vault\npassword = ${obscured[0]!}\npassword2 = ${obscured[1]!}\n\n`);

      const reused = await run('config create (used login token)', ['config', 'create', 'jc2', 'jottacloud', 'config_type=standard', `config_login_token=${loginToken}`]);
      expect(reused.code).not.toBe(0);
      expect(reused.err + reused.log).toContain('invalid_grant');

      const copied = await run('copy', ['copy', src, 'jc:dir']);
      expect(copied.code, copied.err + copied.log).toBe(0);

      emu.state.expireAccessTokens();
      const refreshed = await run('ls (refresh)', ['ls', 'jc:dir']);
      expect(refreshed.code, refreshed.err + refreshed.log).toBe(0);
      expect(refreshed.out).toContain('a.txt');
      expect(refreshed.err + refreshed.log).toContain('Token refresh successful');

      // The next refresh answer is cut in half: the new access token is in the part that arrives.
      emu.state.expireAccessTokens();
      emu.state.addFaults(['token=truncate@1']);
      const cut = await run('lsf (cut refresh answer)', ['lsf', 'jc:dir']);
      emu.state.clearFaults();
      expect(cut.code).not.toBe(0);
      expect(cut.err + cut.log).toMatch(/invalid JSON|couldn't fetch token|invalid_grant/);

      // The server rotated the token in that lost answer: the stored refresh token is stale, the family revoked.
      emu.state.expireAccessTokens();
      const revoked = await run('ls (revoked)', ['ls', 'jc:dir']);
      expect(revoked.code).toBe(7);
      expect(revoked.err + revoked.log).toMatch(/invalid_grant: maybe token expired\? - try refreshing with \\?"jsync config reconnect jc:\\?"/);

      const shown = await run('config show', ['config', 'show']);
      expect(shown.out).toMatch(/^token = XXX$/m);
      expect(shown.out).toMatch(/^client_secret = XXX$/m);
      expect(shown.out).toContain('[vault]\n# didn\'t find backend called "crypt"\ntype = crypt\nremote = XXX\npassword = XXX\npassword2 = XXX\n');
      await run('config show jc', ['config', 'show', 'jc:']);
      const dumped = await run('config dump', ['config', 'dump']);
      expect(JSON.parse(dumped.out).jc.token).toBe('XXX');
      await run('config redacted', ['config', 'redacted']);

      expect(secrets.filter((s) => s.name.endsWith('refresh_token')).length).toBeGreaterThanOrEqual(2);
      const leaks = leaksOf(runs, secrets);
      expect(leaks, describeLeaks(leaks)).toEqual([]);

      // Positive controls: asked for, the same detector finds the stored secrets.
      const unredacted = await jsync(['config', 'show', '--unredacted'], { conf, label: 'config show --unredacted' });
      const found = new Set(leaksOf([unredacted], secrets).map((l) => l.secret));
      expect([...found]).toEqual(expect.arrayContaining(['client_secret', 'obscured password']));
      expect([...found].some((s) => s.endsWith('refresh_token'))).toBe(true);
      const dumpAll = await jsync(['config', 'dump', '--unredacted'], { conf, label: 'config dump --unredacted' });
      expect(JSON.parse(dumpAll.out).jc.token).toMatch(/^\{"access_token":"eyJ/);
    }, 180_000);
  }

  it('--dump auth is the explicit opt-in: then the Authorization header shows the bearer token', async () => {
    const conf = join(dir, 'auth.conf');
    const made = await jsync(['config', 'create', 'jc', 'jottacloud', 'config_type=standard', `config_login_token=${emu.mintLoginToken()}`], { conf, label: 'create' });
    expect(made.code, made.err).toBe(0);
    const secrets = configTokenSecrets(readFileSync(conf, 'utf8'));
    const r = await jsync(['--dump', 'headers,auth', 'lsd', 'jc:'], { conf, label: 'lsd --dump auth' });
    expect(r.code, r.err).toBe(0);
    const access = secrets.find((s) => s.name.endsWith('access_token'))!.value;
    expect(r.err).toContain(`Authorization: Bearer ${access}`);
    const masked = await jsync(['--dump', 'headers', 'lsd', 'jc:'], { conf, label: 'lsd --dump headers' });
    expect(masked.err).toContain('Authorization: XXXX');
    expect(leaksOf([masked], secrets)).toEqual([]);
  }, 60_000);
});
