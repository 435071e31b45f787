// The default backend (fixed jottacloud.com hosts) through the emulator's HTTPS proxy, as a user with HTTPS_PROXY and
// --ca-cert would run it: every request goes to 127.0.0.1, TLS verified against the emulator's CA.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { nullLogger } from '@jsync/core';
import { startEmulator } from '@jsync/jottacloud-emulator';
import type { Emulator } from '@jsync/jottacloud-emulator';
import { CONFIG_VERSION, createJottacloudBackend, resolveJottacloudOptions } from '../../src/index.js';
import { login, names, put, readAll } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ proxy: true });
});
afterAll(() => emu?.stop());

it('works against the real host names through HTTPS_PROXY with the emulator CA', async () => {
  const { token, tokenURL } = await login(emu);
  const backend = createJottacloudBackend({ env: { HTTPS_PROXY: emu.proxy } });
  const { fs } = await backend.newFs({
    name: 'jc', root: 'via-proxy', options: resolveJottacloudOptions({ token, tokenURL, configVersion: CONFIG_VERSION }),
    rawOptions: { token, tokenURL, configVersion: String(CONFIG_VERSION) }, logger: nullLogger, global: { caCert: [emu.caCert] },
  });
  try {
    emu.state.clearRequests();
    await put(fs, 'a/b.txt', 'through the proxy');
    expect(await names(fs.features.listR!(''))).toEqual(['a/', 'a/b.txt']);
    expect(await readAll(await fs.newObject('a/b.txt'))).toBe('through the proxy');
    const hosts = new Set(emu.state.requests.map((r) => r.host.replace(/:\d+$/, '')));
    expect([...hosts].sort()).toEqual(['api.jottacloud.com', 'jfs.jottacloud.com', 'up.jottacloud.com']);
  } finally {
    await fs.features.shutdown!();
  }
});
