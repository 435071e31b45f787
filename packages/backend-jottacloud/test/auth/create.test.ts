import { describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { isJsyncError, nullLogger } from '@jsync/core';
import { createTokenSource, LEGACY_TOKEN_URL } from '../../src/auth/create.js';
import { resolveJottacloudOptions } from '../../src/fs/new-fs.js';
import type { JottacloudOptions } from '../../src/options.js';

const TOKEN = '{"access_token":"A","token_type":"Bearer","refresh_token":"R","expiry":"2099-01-01T00:00:00Z"}';

function attempt(raw: Record<string, string>, typed: Partial<JottacloudOptions> = {}): unknown {
  const dispatcher = new Agent();
  try {
    const ts = createTokenSource({ name: 'old', options: resolveJottacloudOptions({ token: TOKEN, ...typed }), rawOptions: raw, dispatcher, logger: nullLogger });
    return ts;
  } catch (e) {
    return e;
  } finally {
    void dispatcher.close();
  }
}

describe('createTokenSource config checks', () => {
  it('accepts configVersion 1 and uses the stored token, tokenURL and client id', async () => {
    const ts = attempt({ configVersion: '1', token: TOKEN }, { configVersion: 1 });
    expect(isJsyncError(ts)).toBe(false);
    expect(await (ts as { accessToken(): Promise<string> }).accessToken()).toBe('A');
  });

  it('a missing or other configVersion is an outdated config naming the reconnect command', () => {
    for (const raw of [{}, { configVersion: '2' }, { configVersion: 'x' }] as Record<string, string>[]) {
      const err = attempt(raw);
      expect(isJsyncError(err, 'AUTH'), JSON.stringify(raw)).toBe(true);
      expect((err as Error).message).toBe('outdated config - please reconfigure this backend: run "jsync config reconnect old:"');
    }
  });

  it('legacy password-login sections (configVersion 0, or no version with username / legacy token URL) get a clear message', () => {
    const cases: [Record<string, string>, Partial<JottacloudOptions>][] = [
      [{ configVersion: '0' }, { configVersion: 0 }],
      [{ username: 'me@example.com' }, { username: 'me@example.com' }],
      [{ tokenURL: LEGACY_TOKEN_URL }, { tokenURL: LEGACY_TOKEN_URL }],
    ];
    for (const [raw, typed] of cases) {
      const err = attempt(raw, typed);
      expect(isJsyncError(err, 'AUTH')).toBe(true);
      expect((err as Error).message).toMatch(/retired username\/password login \(configVersion 0\).*run "jsync config reconnect old:"/);
    }
  });

  it('without raw options the typed configVersion decides', () => {
    const dispatcher = new Agent();
    const ok = () => createTokenSource({ name: 'x', options: resolveJottacloudOptions({ token: TOKEN, configVersion: 1 }), dispatcher, logger: nullLogger });
    expect(ok).not.toThrow();
    const bad = () => createTokenSource({ name: 'x', options: resolveJottacloudOptions({ token: TOKEN, configVersion: 0 }), dispatcher, logger: nullLogger });
    expect(bad).toThrow(/configVersion 0/);
    void dispatcher.close();
  });

  it('an empty token is refused naming the remote', () => {
    const err = attempt({ configVersion: '1' }, { configVersion: 1, token: '' });
    expect(isJsyncError(err, 'INVALID_ARGUMENT')).toBe(true);
    expect((err as Error).message).toBe('empty token found for remote "old" - please run "jsync config reconnect old:"');
  });
});
