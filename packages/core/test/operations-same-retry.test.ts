import { describe, expect, it } from 'vitest';
import {
  Filter, JsyncError, isLowLevelRetryable, overlapping, overlappingFilterCheck, sameConfig, sameDir, sameObject,
  sameRemoteType, withLowLevelRetries,
} from '../src/index.js';
import { FakeFs } from './helpers/fake-fs.js';
import { makeCtx } from './helpers/context.js';

const T0 = '2001-02-03T04:05:06Z';
const fs = (name: string, root: string, caseInsensitive = false) => new FakeFs({ name, root, caseInsensitive });

describe('identity and overlap', () => {
  it('sameConfig / sameRemoteType / sameDir', () => {
    expect(sameConfig(fs('a', 'x'), fs('a', 'y'))).toBe(true);
    expect(sameConfig(fs('a', 'x'), fs('b', 'x'))).toBe(false);
    expect(sameRemoteType(fs('a', 'x'), fs('b', 'x'))).toBe(true);
    expect(sameRemoteType(fs('a', 'x'), { name: 'a' })).toBe(false);
    expect(sameDir(fs('a', '/x/y/'), fs('a', 'x/y'))).toBe(true);
    expect(sameDir(fs('a', 'x/Y', true), fs('a', 'x/y'))).toBe(true);
  });

  it('sameObject compares root/remote (case-folded when the destination is case-insensitive), else IDs', async () => {
    const a = fs('r', 'top').seed('d/f.txt', 'x', T0);
    expect(sameObject(a, fs('r', 'top/d').seed('f.txt', 'y', T0))).toBe(true);
    expect(sameObject(a, fs('r', 'top').seed('d/g.txt', 'y', T0))).toBe(false);
    expect(sameObject(a, fs('r', 'TOP', true).seed('D/F.TXT', 'y', T0))).toBe(true);
    expect(sameObject(a, fs('r', 'TOP', false).seed('D/F.TXT', 'y', T0))).toBe(false);
    const other = fs('s', 'top');
    other.files.set('d/f.txt', { ...a.fs.files.get('d/f.txt')! });
    expect(sameObject(a, await other.newObject('d/f.txt'))).toBe(true);
    expect(sameObject(a, other.seed('d/g.txt', 'x', T0))).toBe(false);
  });

  it('overlapping: same config and one root inside the other', () => {
    expect(overlapping(fs('r', 'a'), fs('r', 'a'))).toBe(true);
    expect(overlapping(fs('r', 'a'), fs('r', 'a/b'))).toBe(true);
    expect(overlapping(fs('r', 'a/b'), fs('r', 'a'))).toBe(true);
    expect(overlapping(fs('r', 'a'), fs('r', 'ab'))).toBe(false);
    expect(overlapping(fs('r', 'a'), fs('s', 'a'))).toBe(false);
    expect(overlapping(fs('r', ''), fs('r', 'anything'))).toBe(true);
    expect(overlapping(fs('r', 'A/B', true), fs('r', 'a'))).toBe(true);
    expect(overlapping(fs('r', 'A/B'), fs('r', 'a'))).toBe(false);
  });

  it('overlappingFilterCheck forgives a destination inside the source that a filter excludes', () => {
    const src = fs('r', 'data');
    const dst = fs('r', 'data/backup/today');
    expect(overlappingFilterCheck({}, dst, src)).toBe(true);
    expect(overlappingFilterCheck({ filter: new Filter({ exclude: ['/backup/**'] }) }, dst, src)).toBe(false);
    expect(overlappingFilterCheck({ filter: new Filter({ exclude: ['/backup/today/**'] }) }, dst, src)).toBe(false);
    expect(overlappingFilterCheck({ filter: new Filter({ exclude: ['*.tmp'] }) }, dst, src)).toBe(true);
    // the source inside the destination, or equal roots, always overlap
    expect(overlappingFilterCheck({ filter: new Filter({ exclude: ['/backup/**'] }) }, src, dst)).toBe(true);
    expect(overlappingFilterCheck({ filter: new Filter({ exclude: ['**'] }) }, src, fs('r', 'data'))).toBe(true);
    expect(overlappingFilterCheck({}, fs('r', 'x'), fs('q', 'x'))).toBe(false);
  });
});

describe('low-level retries', () => {
  it('classifies: explicit retry, transient network codes → retry; unclassified, noRetry, noLowLevelRetry → not', () => {
    expect(isLowLevelRetryable(new JsyncError({ code: 'IO', errorClass: 'retry' }))).toBe(true);
    expect(isLowLevelRetryable(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isLowLevelRetryable(new JsyncError({ code: 'IO', message: 'x', cause: Object.assign(new Error('p'), { code: 'EPIPE' }) }))).toBe(true);
    expect(isLowLevelRetryable(new Error('unexpected EOF'))).toBe(true);
    expect(isLowLevelRetryable(new Error('permission denied'))).toBe(false);
    expect(isLowLevelRetryable(new JsyncError({ code: 'IO', errorClass: 'noLowLevelRetry', cause: Object.assign(new Error(), { code: 'ECONNRESET' }) }))).toBe(false);
    expect(isLowLevelRetryable(new JsyncError({ code: 'IO', errorClass: 'fatal' }))).toBe(false);
  });

  it('retries up to --low-level-retries with rclone DEBUG lines, then throws the last error', async () => {
    const { ctx, logger } = makeCtx({ lowLevelRetries: 3 });
    let n = 0;
    const err = await withLowLevelRetries(ctx, 'thing', async () => {
      n++;
      throw new JsyncError({ code: 'IO', message: `boom ${n}`, errorClass: 'retry' });
    }).catch((e: unknown) => e);
    expect(n).toBe(3);
    expect((err as Error).message).toBe('boom 3');
    expect(logger.text()).toEqual([
      'DEBUG thing: Received error: boom 1 - low level retry 1/3',
      'DEBUG thing: Received error: boom 2 - low level retry 2/3',
    ]);
    expect(await withLowLevelRetries(ctx, 'ok', async (attempt) => attempt)).toBe(1);
  });

  it('sleeps for a Retry-After hint, even on an otherwise unclassified error', async () => {
    const { ctx, logger } = makeCtx();
    let n = 0;
    const t0 = Date.now();
    const v = await withLowLevelRetries(ctx, 'x', async () => {
      if (n++ === 0) throw new JsyncError({ code: 'IO', message: 'slow down', retryAfterMs: 30 });
      return 'done';
    });
    expect(v).toBe('done');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
    expect(logger.text()[0]).toBe('DEBUG x: Sleeping for 30ms (as indicated by the server) to obey Retry-After error: slow down');
  });

  it('stops retrying once the run is aborted', async () => {
    const ac = new AbortController();
    const { ctx } = makeCtx({}, { signal: ac.signal });
    let n = 0;
    await withLowLevelRetries(ctx, 'x', async () => {
      n++;
      ac.abort();
      throw new JsyncError({ code: 'IO', errorClass: 'retry' });
    }).catch(() => undefined);
    expect(n).toBe(1);
  });
});
