import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { isJsyncError, nullLogger, type ConfigPrompter, type ConfigQuestion } from '@jsync/core';
import { startEmulator, type Emulator } from '@jsync/jottacloud-emulator';
import { configureJottacloud, type ConfigureDeps } from '../../src/auth/configure.js';
import { createTokenSource } from '../../src/auth/create.js';
import { parseToken } from '../../src/auth/token.js';
import { resolveJottacloudOptions } from '../../src/fs/new-fs.js';

let emu: Emulator;
let dispatcher: Agent;
let deps: ConfigureDeps;

beforeAll(async () => {
  emu = await startEmulator({ seed: 5, proxy: false });
  dispatcher = new Agent();
  deps = { dispatcher, jfsUrl: `${emu.url}/jfs/`, apiUrl: `${emu.url}/`, oidcRetryDelayMs: 10 };
});
afterAll(async () => {
  await dispatcher?.close();
  await emu?.stop();
});
beforeEach(() => emu.state.clearRequests());

const base = { name: 'jc', logger: nullLogger, global: {} };

/** A prompter answering from a script, recording every question. */
function scripted(answers: Record<string, string | boolean>): ConfigPrompter & { asked: ConfigQuestion[]; infos: string[] } {
  const asked: ConfigQuestion[] = [];
  const infos: string[] = [];
  return {
    asked,
    infos,
    async ask(q) {
      asked.push(q);
      const a = answers[q.name];
      if (typeof a !== 'string') throw new Error(`unexpected question ${q.name}`);
      return a;
    },
    async confirm(q) {
      asked.push({ name: q.name, help: q.help });
      const a = answers[q.name];
      if (typeof a !== 'boolean') throw new Error(`unexpected confirm ${q.name}`);
      return a;
    },
    info: (t) => void infos.push(t),
  };
}

async function customerStatus(access: string): Promise<number> {
  const res = await dispatcher.request({ origin: emu.url, path: '/account/v1/customer', method: 'GET', headers: { authorization: `Bearer ${access}` } });
  await res.body.dump();
  return res.statusCode;
}

async function jfsXml(access: string, path: string): Promise<string> {
  const res = await dispatcher.request({ origin: emu.url, path: `/jfs/${emu.state.username}/${path}`, method: 'GET', headers: { authorization: `Bearer ${access}` } });
  return res.body.text();
}

describe('configureJottacloud, non-interactive', () => {
  it('standard login stores exactly rclone keys, and the section opens', async () => {
    const out = await configureJottacloud({ ...base, values: { config_type: 'standard', config_login_token: emu.mintLoginToken() } }, deps);
    expect(Object.keys(out).sort()).toEqual(['client_id', 'client_secret', 'configVersion', 'device', 'mountpoint', 'token', 'tokenURL']);
    expect(out).toMatchObject({ configVersion: '1', client_id: 'jottacli', client_secret: '', device: '', mountpoint: '', tokenURL: `${emu.url}/auth/realms/jottacloud/protocol/openid-connect/token` });
    expect(Object.keys(JSON.parse(out.token!))).toEqual(['access_token', 'token_type', 'refresh_token', 'expiry']);
    // newFs's side accepts what configure stored
    const ts = createTokenSource({ name: 'jc', options: resolveJottacloudOptions({ ...out, configVersion: 1 }), rawOptions: out, dispatcher, logger: nullLogger });
    expect(await customerStatus(await ts.accessToken())).toBe(200);
    // config_type defaults to standard
    const again = await configureJottacloud({ ...base, values: { config_login_token: emu.mintLoginToken() } }, deps);
    expect(again.client_id).toBe('jottacli');
  });

  it('names config_login_token when it is missing, and refuses legacy and unknown types', async () => {
    const missing = await configureJottacloud({ ...base, values: { config_type: 'standard' } }, deps).catch((e: unknown) => e);
    expect(isJsyncError(missing, 'INVALID_ARGUMENT')).toBe(true);
    expect((missing as Error).message).toMatch(/^config_login_token is required for config_type=standard/);
    const legacy = await configureJottacloud({ ...base, values: { config_type: 'legacy' } }, deps).catch((e: unknown) => e);
    expect((legacy as Error).message).toMatch(/no longer supported/);
    const odd = await configureJottacloud({ ...base, values: { config_type: 'magic' } }, deps).catch((e: unknown) => e);
    expect((odd as Error).message).toMatch(/unknown authentication type "magic"/);
    const noService = await configureJottacloud({ ...base, values: { config_type: 'traditional' } }, deps).catch((e: unknown) => e);
    expect((noService as Error).message).toMatch(/^config_traditional is required for config_type=traditional: one of jottacloud, elgiganten_dk/);
    expect(emu.state.requests).toHaveLength(0);
  });

  it('a used login token gives a clear AUTH error', async () => {
    const lt = emu.mintLoginToken();
    await configureJottacloud({ ...base, values: { config_login_token: lt } }, deps);
    const err = await configureJottacloud({ ...base, values: { config_login_token: lt } }, deps).catch((e: unknown) => e);
    expect(isJsyncError(err, 'AUTH')).toBe(true);
    expect((err as Error).message).toMatch(/used already or is invalid/);
  });

  it('config_non_standard with a new device and mountpoint creates both; names match case-insensitively', async () => {
    const out = await configureJottacloud(
      { ...base, values: { config_login_token: emu.mintLoginToken(), config_non_standard: 'true', config_device: 'Laptop1', config_mountpoint: 'Pics' } },
      deps,
    );
    expect(out).toMatchObject({ device: 'Laptop1', mountpoint: 'Pics' });
    const access = parseToken(out.token!, 'jc').access_token;
    expect(await jfsXml(access, 'Laptop1')).toMatch(/<name[^>]*>Pics<\/name>/);
    const posts = emu.state.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/jfs/')).map((r) => r.url);
    expect(posts).toEqual([`/jfs/${emu.state.username}/Laptop1?type=WORKSTATION`, `/jfs/${emu.state.username}/Laptop1/Pics`]);

    emu.state.clearRequests();
    const again = await configureJottacloud(
      { ...base, values: { config_login_token: emu.mintLoginToken(), config_non_standard: 'true', config_device: 'laptop1', config_mountpoint: 'PICS' } },
      deps,
    );
    expect(again).toMatchObject({ device: 'Laptop1', mountpoint: 'Pics' });
    expect(emu.state.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/jfs/'))).toHaveLength(0);
  });

  it('refuses a custom mountpoint on the built-in Jotta device', async () => {
    const err = await configureJottacloud(
      { ...base, values: { config_login_token: emu.mintLoginToken(), config_non_standard: 'true', config_device: 'jotta', config_mountpoint: 'Mine' } },
      deps,
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('custom mountpoints not supported on built-in Jotta device');
    expect(emu.state.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/jfs/'))).toHaveLength(0);
  });

  it('reconnect obtains a new token and leaves device/mountpoint alone', async () => {
    const first = await configureJottacloud({ ...base, values: { config_login_token: emu.mintLoginToken() } }, deps);
    const section = { type: 'jottacloud', ...first, device: 'Laptop1', mountpoint: 'Pics' };
    const out = await configureJottacloud({ ...base, reconnect: true, values: { ...section, config_login_token: emu.mintLoginToken() } }, deps);
    expect(out.device).toBeUndefined();
    expect(out.mountpoint).toBeUndefined();
    expect(out.token).not.toBe(first.token);
    expect(out.configVersion).toBe('1');
    expect(await customerStatus(parseToken(out.token!, 'jc').access_token)).toBe(200);
  });
});

describe('configureJottacloud, interactive', () => {
  it('asks like rclone and offers the account devices (Jotta first) and mountpoints', async () => {
    const p = scripted({ config_type: 'standard', config_login_token: emu.mintLoginToken(), config_non_standard: true, config_device: 'Jotta', config_mountpoint: 'Sync' });
    const out = await configureJottacloud({ ...base, values: {}, prompter: p }, deps);
    expect(out).toMatchObject({ device: 'Jotta', mountpoint: 'Sync', client_id: 'jottacli' });
    expect(p.asked.map((q) => q.name)).toEqual(['config_type', 'config_login_token', 'config_non_standard', 'config_device', 'config_mountpoint']);
    const [type, token, nonStd, device, mp] = p.asked as [ConfigQuestion, ConfigQuestion, ConfigQuestion, ConfigQuestion, ConfigQuestion];
    expect(type.examples?.map((e) => e.value)).toEqual(['standard', 'traditional']);
    expect(type.exclusive).toBe(true);
    expect(token.sensitive).toBe(true);
    expect(nonStd.help.split('\n')[0]).toBe('Use a non-standard device/mountpoint?');
    expect(device.examples?.[0]?.value).toBe('Jotta');
    expect(device.default).toBe('Jotta');
    expect(mp.exclusive).toBe(true);
    expect(mp.default).toBe('Archive');
    expect(mp.examples?.map((e) => e.value)).toEqual(expect.arrayContaining(['Archive', 'Sync']));
  });

  it('answering no stores the default device and mountpoint without any JFS call', async () => {
    const p = scripted({ config_type: 'standard', config_login_token: emu.mintLoginToken(), config_non_standard: false });
    const out = await configureJottacloud({ ...base, values: {}, prompter: p }, deps);
    expect(out).toMatchObject({ device: '', mountpoint: '' });
    expect(emu.state.requests.some((r) => r.url.startsWith('/jfs/') || r.url.startsWith('/account/'))).toBe(false);
  });

  it('a new backup device gets a non-exclusive mountpoint question and both are created', async () => {
    const p = scripted({ config_type: 'standard', config_login_token: emu.mintLoginToken(), config_non_standard: true, config_device: 'NAS', config_mountpoint: 'Photos' });
    const out = await configureJottacloud({ ...base, values: {}, prompter: p }, deps);
    expect(out).toMatchObject({ device: 'NAS', mountpoint: 'Photos' });
    const mp = p.asked.at(-1)!;
    expect(mp.exclusive).toBe(false);
    expect(mp.help).toMatch(/non-standard device NAS/);
    expect(await jfsXml(parseToken(out.token!, 'jc').access_token, 'NAS')).toMatch(/Photos/);
  });
});
