// newFs against the emulator: customer info, roots (file roots), mountpoints, account info, errors, shutdown.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectJsyncError } from '@jsync/testkit';
import { isJsyncError } from '@jsync/core';
import { JottacloudFs } from '../../src/index.js';
import { names, put, startJotta } from './helpers.js';
import type { JottaHarness } from './helpers.js';

let h: JottaHarness;

beforeAll(async () => {
  h = await startJotta();
  await h.emu.state.putFile('Jotta/Archive/nf/dir/file.txt', 'file content');
  await h.emu.state.putFile('Jotta/Archive/nf/dir/other.txt', 'other');
});
afterAll(() => h?.stop());

describe('newFs', () => {
  it('learns the username from the customer info and names itself like rclone', async () => {
    const { fs, isFile } = await h.open('/nf/dir/');
    expect(isFile).toBe(false);
    expect(fs).toBeInstanceOf(JottacloudFs);
    expect((fs as JottacloudFs).user).toBe(h.emu.state.username);
    expect(fs.name).toBe('jc');
    expect(fs.root).toBe('nf/dir');
    expect(String(fs)).toBe("jottacloud root 'nf/dir'");
    expect(fs.precision).toBe(1_000_000_000n);
    expect(fs.hashes.has('md5')).toBe(true);
    expect(fs.features.caseInsensitive).toBe(true);
    expect(fs.features.canHaveEmptyDirectories).toBe(true);
    expect(fs.features.readMimeType).toBe(true);
    for (const f of ['purge', 'copy', 'move', 'dirMove', 'publicLink', 'cleanUp', 'listR', 'about', 'userInfo', 'shutdown'] as const) {
      expect(typeof fs.features[f]).toBe('function');
    }
    expect(fs.features.putStream).toBeUndefined();
  });

  it('roots an Fs naming a file at its parent with isFile', async () => {
    const { fs, isFile } = await h.open('nf/dir/file.txt');
    expect(isFile).toBe(true);
    expect(fs.root).toBe('nf/dir');
    expect((await fs.newObject('file.txt')).size).toBe('file content'.length);
  });

  it('keeps a root naming a directory, a missing path, or a file written with a trailing slash', async () => {
    for (const root of ['nf/dir', 'nf/missing/x', 'nf/dir/file.txt/']) {
      const { fs, isFile } = await h.open(root);
      expect(isFile).toBe(false);
      expect(fs.root).toBe(root.replace(/\/$/, ''));
    }
  });

  it('does not treat a trashed file as a file root', async () => {
    const { fs } = await h.open('nf/trash');
    await put(fs, 't.txt', 'bye');
    await (await fs.newObject('t.txt')).remove();
    expect((await h.open('nf/trash/t.txt')).isFile).toBe(false);
  });

  it('uses the configured device and mountpoint', async () => {
    const { fs } = await h.open('mp', { mountpoint: 'Sync' });
    await put(fs, 'in-sync.txt', 'sync');
    expect(h.emu.state.stat('Jotta/Sync/mp/in-sync.txt')?.current?.size).toBe(4);
    expect(await names(fs.list(''))).toEqual(['in-sync.txt']);
  });

  it('fails with "couldn\'t get customer info" when the customer request fails (no low-level retry)', async () => {
    h.emu.state.clearRequests();
    h.emu.state.addFaults(['any=503@1']);
    try {
      const err = await h.open('nf').then(() => undefined, (e: unknown) => e);
      expect(String((err as Error)?.message)).toMatch(/^couldn't get customer info: /);
      expect(h.emu.state.requests.filter((r) => r.url.includes('/account/v1/customer'))).toHaveLength(1);
    } finally {
      h.emu.state.clearFaults();
    }
  });

  it('refuses an outdated config version', async () => {
    const err = await h.open('nf', { configVersion: 0, token: h.options.token }).then(() => undefined, (e: unknown) => e);
    expect(isJsyncError(err, 'AUTH')).toBe(true);
  });

  it('shuts down twice without error', async () => {
    const { fs } = await h.open('nf');
    await fs.features.shutdown!();
    await fs.features.shutdown!();
  });
});

describe('account', () => {
  it('about reports only the usage for an unlimited account', async () => {
    const { fs } = await h.open('');
    const usage = await fs.features.about!();
    expect(usage).toEqual({ used: h.emu.state.usage() });
  });

  it('userInfo reports rclone\'s keys from the customer info', async () => {
    const { fs } = await h.open('');
    const info = await fs.features.userInfo!();
    expect(Object.keys(info).sort()).toEqual(['AccountType', 'Email', 'Name', 'SubscriptionType', 'Username']);
    expect(info.Username).toBe(h.emu.state.username);
  });

  it('DIR_NOT_FOUND for listing a missing root', async () => {
    const { fs } = await h.open('does/not/exist');
    await expectJsyncError(names(fs.list('')), 'DIR_NOT_FOUND');
  });
});
