// Faults through the Fs: low-level retries, rclone's error wrapping (codes and retry classes kept), token expiry, aborts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorClassOf, isJsyncError } from '@jsync/core';
import type { Fs } from '@jsync/core';
import { collect, names, put, startJotta } from './helpers.js';
import type { JottaHarness } from './helpers.js';

let h: JottaHarness;
let fs: Fs;
beforeAll(async () => {
  h = await startJotta();
  fs = (await h.open('err', {}, undefined, { lowLevelRetries: 2 })).fs;
  await put(fs, 'd/a.txt', 'a');
  await put(fs, 'd/b.txt', 'b');
});
afterAll(() => h?.stop());

const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => undefined, (e: unknown) => e);
const statuses = () => h.emu.state.requests.map((r) => r.status);

describe('errors and retries', () => {
  it('retries a listing answered 503 once', async () => {
    h.emu.state.clearRequests();
    h.emu.state.addFaults(['list=503@1']);
    try {
      expect(await names(fs.list('d'))).toEqual(['d/a.txt', 'd/b.txt']);
      expect(statuses()).toEqual([503, 200]);
    } finally {
      h.emu.state.clearFaults();
    }
  });

  it('gives up after the low-level retries with rclone\'s wrapping, keeping the retry class', async () => {
    h.emu.state.addFaults(['list=500']);
    try {
      const err = await failure(fs.newObject('d/a.txt'));
      expect((err as Error).message).toMatch(/^read metadata failed: error 500: /);
      expect(isJsyncError(err, 'IO')).toBe(true);
      expect(errorClassOf(err)).toBe('retry');
      const listErr = await failure(collect(fs.list('d')));
      expect((listErr as Error).message).toMatch(/^couldn't list files: error 500: /);
    } finally {
      h.emu.state.clearFaults();
    }
  });

  it('fails a liststream cut short instead of returning a partial tree', async () => {
    h.emu.state.addFaults(['list=truncate@1']);
    try {
      const err = await failure(collect(fs.features.listR!('')));
      expect((err as Error).message).toMatch(/^couldn't list files: /);
    } finally {
      h.emu.state.clearFaults();
    }
  });

  it('refreshes an expired access token, saving the rotated token', async () => {
    const before = h.state.values.token;
    h.emu.state.expireAccessTokens();
    expect(await names(fs.list('d'))).toEqual(['d/a.txt', 'd/b.txt']);
    expect(h.state.values.token).not.toBe(before);
  });

  it('stops a listing when its signal is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await failure(collect(fs.list('d', { signal: ac.signal })));
    expect(err).toBeDefined();
    expect((err as Error).name).toMatch(/Abort/);
  });
});
