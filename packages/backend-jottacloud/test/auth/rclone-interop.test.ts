// rclone reads the token jsync writes and jsync reads the token rclone writes, on one config section, against the
// emulator (rclone through its HTTPS proxy mode, the token endpoint on plain loopback as in a real tokenURL override).

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { nullLogger } from '@jsync/core';
import { startEmulator, type Emulator } from '@jsync/jottacloud-emulator';
import { configureJottacloud } from '../../src/auth/configure.js';
import { OAuthTokenSource } from '../../src/auth/token-source.js';
import { formatToken, parseToken } from '../../src/auth/token.js';

const run = promisify(execFile);
const RCLONE = ['/usr/bin/rclone', '/usr/local/bin/rclone'].find((p) => existsSync(p));

// rclone is an optional system binary; without it there is nothing to compare with.
describe.skipIf(RCLONE === undefined)('token interop with rclone', () => {
  let emu: Emulator;
  let dispatcher: Agent;
  let dir: string;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 11 });
    dispatcher = new Agent();
    dir = await mkdtemp(join(tmpdir(), 'jsync-rclone-auth-'));
  });
  afterAll(async () => {
    await dispatcher?.close();
    await emu?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const conf = (): string => join(dir, 'rclone.conf');
  const writeSection = (keys: Record<string, string>): Promise<void> =>
    writeFile(conf(), `[jc]\ntype = jottacloud\n${Object.entries(keys).map(([k, v]) => `${k} = ${v}`).join('\n')}\n`);
  const storedToken = async (): Promise<string> => {
    const line = (await readFile(conf(), 'utf8')).split('\n').find((l) => l.startsWith('token = '));
    return line!.slice('token = '.length);
  };
  const rcloneLsd = (): Promise<{ stdout: string; stderr: string }> =>
    run(RCLONE!, ['--config', conf(), '--ca-cert', emu.caCert, '--low-level-retries', '1', '--retries', '1', 'lsd', 'jc:'], {
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, HTTPS_PROXY: emu.proxy, NO_PROXY: '' },
    });

  it('rclone refreshes a token jsync stored, and uses one jsync refreshed without refreshing again', async () => {
    const out = await configureJottacloud(
      { name: 'jc', values: { config_login_token: emu.mintLoginToken() }, logger: nullLogger, global: {} },
      { dispatcher, jfsUrl: `${emu.url}/jfs/`, apiUrl: `${emu.url}/` },
    );
    await emu.state.mkdir('Jotta/Archive/from-jsync');
    const ours = parseToken(out.token!, 'jc');
    // Expired in the stored copy: rclone must refresh with our refresh token and write the rotated one back.
    await writeSection({ ...out, token: formatToken({ ...ours, expiry: '2020-01-02T03:04:05.5+01:00' }) });
    emu.state.clearRequests();
    const first = await rcloneLsd();
    expect(first.stdout).toMatch(/from-jsync/);
    expect(emu.state.requests.filter((r) => r.op === 'token')).toHaveLength(1);
    const fromRclone = parseToken(await storedToken(), 'jc');
    expect(fromRclone.refresh_token).not.toBe(ours.refresh_token);
    // same bytes as rclone's own serialisation (key order, escaping, expiry kept verbatim)
    expect(formatToken(fromRclone)).toBe(await storedToken());

    // jsync takes over rclone's token, refreshes it, and stores it in its own format.
    const saved: string[] = [];
    const ts = new OAuthTokenSource({
      remote: 'jc', tokenUrl: out.tokenURL!, clientId: 'jottacli', clientSecret: '', token: fromRclone, dispatcher, logger: nullLogger,
      now: () => Date.now() + 2 * 3600_000, saveOptions: async (v) => void saved.push(v.token!),
    });
    await ts.accessToken();
    expect(saved).toHaveLength(1);
    await writeSection({ ...out, token: saved[0]! });
    emu.state.clearRequests();
    const second = await rcloneLsd();
    expect(second.stdout).toMatch(/from-jsync/);
    expect(emu.state.requests.filter((r) => r.op === 'token')).toHaveLength(0);
    expect(emu.state.tokenStats().revokedFamilies).toBe(0);
  });
});
