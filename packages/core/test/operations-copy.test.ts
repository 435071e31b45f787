import { describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { JsyncError, Timestamp, copyObject, errorClassOf, isJsyncError } from '../src/index.js';
import { FakeFs } from './helpers/fake-fs.js';
import { makeCtx } from './helpers/context.js';

const T0 = '2001-02-03T04:05:06.499999999Z';
const T1 = '2001-02-03T05:05:06.499999999Z';
const HELLO_MD5 = '5d41402abc4b2a76b9719d911017c592';

const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e);

describe('copyObject: streamed', () => {
  it('new object: put, content and modtime kept, verified, logged, accounted', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    const src = fsrc.seed('a.txt', 'hello', T0);
    const { ctx, logger, stats } = makeCtx();
    const obj = await copyObject(ctx, { fdst, remote: 'a.txt', src });
    expect(obj?.remote).toBe('a.txt');
    expect(fdst.text('a.txt')).toBe('hello');
    expect(obj?.modTime().toString()).toBe(T0);
    expect(fdst.calls).toEqual(['put a.txt']);
    expect(logger.text()).toEqual([`DEBUG a.txt: md5 = ${HELLO_MD5} OK`, 'INFO a.txt: Copied (new)']);
    expect(stats.transfersStarted).toEqual([{ remote: 'a.txt', size: 5, serverSide: false, bytes: 5, done: true }]);
    expect(stats.errors).toBe(0);
  });

  it('existing object: update in place, returned object reflects the new content', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    const src = fsrc.seed('a.txt', 'hello world', T0);
    const dst = fdst.seed('a.txt', 'old', T1);
    const { ctx, logger } = makeCtx();
    const obj = await copyObject(ctx, { fdst, dst, remote: 'a.txt', src });
    expect(obj).toBe(dst);
    expect(obj?.size).toBe(11);
    expect(obj?.modTime().toString()).toBe(T0);
    expect(fdst.calls).toEqual(['update a.txt']);
    expect(logger.text('INFO')).toEqual(['INFO a.txt: Copied (replaced existing)']);
  });

  it('a different destination name is logged with " to: "', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    const { ctx, logger } = makeCtx();
    await copyObject(ctx, { fdst, remote: 'dir/b.txt', src: fsrc.seed('a.txt', 'hello', T0) });
    expect(fdst.text('dir/b.txt')).toBe('hello');
    expect(logger.text('INFO')).toEqual(['INFO a.txt: Copied (new) to: dir/b.txt']);
  });

  it('retries retryable upload failures (--low-level-retries) and then succeeds', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    fdst.faults.failUpload = { afterBytes: 4, times: 2 };
    const { ctx, logger, stats } = makeCtx();
    await copyObject(ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello world', T0) });
    expect(fdst.text('a')).toBe('hello world');
    expect(fdst.calls).toEqual(['put a', 'put a', 'put a']);
    expect(logger.text('DEBUG').filter((l) => l.includes('low level'))).toEqual([
      'DEBUG a: Received error: injected upload failure - low level retry 1/10',
      'DEBUG a: Received error: injected upload failure - low level retry 2/10',
    ]);
    expect(stats.errors).toBe(0);
  });

  it('gives up after --low-level-retries attempts: counted ERROR "Failed to copy", nothing stored', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    fdst.faults.failUpload = { afterBytes: 0, times: 5 };
    const { ctx, logger, stats } = makeCtx({ lowLevelRetries: 3 });
    const err = await fail(copyObject(ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) }));
    expect((err as Error).message).toBe('injected upload failure');
    expect(fdst.calls).toHaveLength(3);
    expect(fdst.files.size).toBe(0);
    expect(stats.errors).toBe(1);
    expect(stats.transfersStarted[0]?.error).toBe(err);
    expect(logger.text('ERROR')).toEqual(['ERROR a: Failed to copy: injected upload failure']);
  });

  it('does not repeat errors that are not retryable (unclassified or noRetry)', async () => {
    for (const make of [() => new Error('permission denied'), () => new JsyncError({ code: 'IO', message: 'nope', errorClass: 'noRetry' })]) {
      const fsrc = new FakeFs({ name: 'src' });
      const fdst = new FakeFs({ name: 'dst' });
      fdst.faults.failUpload = { afterBytes: 0, times: 5, error: make };
      await fail(copyObject(makeCtx().ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) }));
      expect(fdst.calls).toEqual(['put a']);
    }
  });

  it('re-opens the source at the failed offset on read errors', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    fsrc.faults.failRead = { afterBytes: 8, times: 2 };
    const { ctx, logger } = makeCtx();
    await copyObject(ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'abcdefghijklmnop', T0) });
    expect(fdst.text('a')).toBe('abcdefghijklmnop');
    expect(fdst.calls).toEqual(['put a']);
    expect(logger.text('DEBUG').filter((l) => l.includes('Reopening'))).toEqual([
      'DEBUG a: Reopening on read failure after 8 bytes: retry 1/10: injected read failure',
      'DEBUG a: Reopening on read failure after 8 bytes: retry 2/10: injected read failure',
    ]);
  });

  it('an open failure is reported as "failed to open source object" and retried when retryable', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    fsrc.faults.failOpen = { times: 1 };
    const { ctx, logger } = makeCtx();
    await copyObject(ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) });
    expect(fdst.text('a')).toBe('hello');
    expect(logger.text('DEBUG')).toContain('DEBUG a: Received error: failed to open source object: injected open failure - low level retry 1/10');
    const f2 = new FakeFs({ name: 'src' });
    f2.faults.failOpen = { times: 1, error: () => new JsyncError({ code: 'OBJECT_NOT_FOUND' }) };
    const c2 = makeCtx();
    const err = await fail(copyObject(c2.ctx, { fdst, remote: 'b', src: f2.seed('b', 'x', T0) }));
    expect(isJsyncError(err, 'OBJECT_NOT_FOUND')).toBe(true);
    expect(c2.logger.text('ERROR')).toEqual(['ERROR b: Failed to copy: failed to open source object: object not found']);
  });
});

describe('copyObject: verification', () => {
  it('hash mismatch on a new object: counted ERROR, failed copy removed', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    fdst.faults.corrupt = true;
    const { ctx, logger, stats } = makeCtx();
    const err = await fail(copyObject(ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) }));
    expect((err as Error).message).toMatch(/^corrupted on transfer: md5 hash differ "5d41402abc4b2a76b9719d911017c592" vs "[0-9a-f]{32}"$/);
    expect(fdst.files.size).toBe(0);
    expect(fdst.calls).toEqual(['put a', 'remove a']);
    expect(stats.errors).toBe(1);
    expect(logger.text('INFO')).toEqual([(`ERROR a: ${(err as Error).message}`), 'INFO a: Removing failed copy']);
  });

  it('size mismatch: "sizes differ X vs Y", checked before the hash', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    fdst.faults.truncateTo = 3;
    const { ctx, logger } = makeCtx();
    await fail(copyObject(ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) }));
    expect(logger.text('INFO')).toEqual(['ERROR a: corrupted on transfer: sizes differ 5 vs 3', 'INFO a: Removing failed copy']);
    expect(fdst.files.size).toBe(0);
  });

  it('a corrupted UPDATE is not removed (deliberate difference) but marked stale by an epoch modtime', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    const dst = fdst.seed('a', 'jello', T1);
    fdst.faults.corrupt = true;
    const { ctx, logger, stats } = makeCtx();
    const err = await fail(copyObject(ctx, { fdst, dst, remote: 'a', src: fsrc.seed('a', 'hello', T0) }));
    expect(isJsyncError(err)).toBe(true);
    expect(fdst.calls).toEqual(['update a', 'setModTime a']);
    expect(fdst.files.has('a')).toBe(true);
    expect(dst.modTime().equals(Timestamp.fromNs(0n))).toBe(true);
    expect(stats.errors).toBe(1);
    expect(logger.text('INFO').slice(1)).toEqual([
      "ERROR a: Not removing failed copy as it replaced an existing file (its previous version may be recoverable from the remote's version history or trash)",
      'INFO a: Reset modification time of failed copy so that the next run transfers it again',
    ]);
  });

  it('a failed update before commit leaves the old content', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    const dst = fdst.seed('a', 'old content', T1);
    fdst.faults.failUpload = { afterBytes: 2, times: 99, error: () => new Error('disk full') };
    await fail(copyObject(makeCtx().ctx, { fdst, dst, remote: 'a', src: fsrc.seed('a', 'new content', T0) }));
    expect(fdst.text('a')).toBe('old content');
  });

  it('--ignore-checksum skips the hash check; no common hash means size only', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    fdst.faults.corrupt = true;
    await copyObject(makeCtx({ ignoreChecksum: true }).ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) });
    expect(fdst.files.size).toBe(1);
    const f3 = new FakeFs({ name: 'dst', hashes: ['sha1'] });
    f3.faults.corrupt = true;
    const c = makeCtx();
    await copyObject(c.ctx, { fdst: f3, remote: 'a', src: fsrc.seed('a', 'hello', T0) });
    expect(c.logger.text()).toEqual(['INFO a: Copied (new)']);
  });

  it('an empty destination hash is accepted', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    fdst.faults.emptyHash = true;
    const c = makeCtx();
    await copyObject(c.ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) });
    expect(c.logger.text()).toEqual(['DEBUG a: Dst hash empty - aborting Src hash check', 'INFO a: Copied (new)']);
  });
});

describe('copyObject: server-side', () => {
  it('same config name: server-side copy, bytes accounted', async () => {
    const fsrc = new FakeFs({ name: 'remote', copy: true });
    const fdst = new FakeFs({ name: 'remote', copy: true });
    const { ctx, logger, stats } = makeCtx();
    const obj = await copyObject(ctx, { fdst, remote: 'b', src: fsrc.seed('a', 'hello', T0) });
    expect(obj?.remote).toBe('b');
    expect(fdst.calls).toEqual(['copy a -> b']);
    expect(logger.text('INFO')).toEqual(['INFO a: Copied (server-side copy) to: b']);
    expect(stats.transfersStarted).toEqual([{ remote: 'a', size: 5, serverSide: true, bytes: 5, done: true }]);
  });

  it('CANT_COPY falls back to streaming', async () => {
    const fsrc = new FakeFs({ name: 'remote', copy: true });
    const fdst = new FakeFs({ name: 'remote', copy: true });
    fdst.faults.copyError = 'CANT_COPY';
    const { ctx, logger } = makeCtx();
    await copyObject(ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) });
    expect(fdst.calls).toEqual(['put a']);
    expect(logger.text('INFO')).toEqual(['INFO a: Copied (new)']);
  });

  it('different configs stream, unless server-side across configs is allowed for the same backend type', async () => {
    const fsrc = new FakeFs({ name: 'one', copy: true });
    const fdst = new FakeFs({ name: 'two', copy: true });
    await copyObject(makeCtx().ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) });
    expect(fdst.calls).toEqual(['put a']);
    const fdst2 = new FakeFs({ name: 'two', copy: true });
    await copyObject(makeCtx({ serverSideAcrossConfigs: true }).ctx, { fdst: fdst2, remote: 'a', src: fsrc.seed('a', 'hello', T0) });
    expect(fdst2.calls).toEqual(['copy a -> a']);
    const fdst3 = new FakeFs({ name: 'three', copy: true, serverSideAcrossConfigs: true });
    await copyObject(makeCtx().ctx, { fdst: fdst3, remote: 'a', src: fsrc.seed('a', 'hello', T0) });
    expect(fdst3.calls).toEqual(['copy a -> a']);
  });

  it('a corrupted server-side copy is caught by verification', async () => {
    const fsrc = new FakeFs({ name: 'remote', copy: true });
    const fdst = new FakeFs({ name: 'remote', copy: true });
    fdst.faults.corrupt = true;
    await fail(copyObject(makeCtx().ctx, { fdst, remote: 'b', src: fsrc.seed('a', 'hello', T0) }));
    expect(fdst.calls).toEqual(['copy a -> b', 'remove b']);
  });
});

describe('copyObject: unknown source size', () => {
  it('small data is put with its size once read', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    const { ctx, logger } = makeCtx();
    const obj = await copyObject(ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0, { unknownSize: true }) });
    expect(fdst.text('a')).toBe('hello');
    expect(obj?.modTime().toString()).toBe(T0);
    expect(logger.text()).toEqual([
      "DEBUG Fake root '': File to upload is small (5 bytes), uploading instead of streaming",
      `DEBUG a: md5 = ${HELLO_MD5} OK`,
      'INFO a: Copied (Rcat, new)',
    ]);
  });

  const big = Buffer.alloc(300 * 1024, 7);

  it('large data goes to putStream when the destination has it', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst', putStream: true });
    const { ctx, logger } = makeCtx();
    await copyObject(ctx, { fdst, remote: 'a', src: fsrc.seed('a', big, T0, { unknownSize: true }) });
    expect(fdst.calls).toEqual(['putStream a']);
    expect(fdst.files.get('a')?.data.equals(big)).toBe(true);
    expect(logger.text('INFO')).toEqual(['INFO a: Copied (Rcat, new)']);
  });

  it('large data without putStream is spooled to a temp file that is removed afterwards', async () => {
    const before = (await readdir(tmpdir())).filter((n) => n.startsWith('jsync-spool-')).length;
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    const dst = fdst.seed('a', 'old', T1);
    const { ctx, logger } = makeCtx();
    await copyObject(ctx, { fdst, dst, remote: 'a', src: fsrc.seed('a', big, T0, { unknownSize: true }) });
    expect(fdst.calls).toEqual(['update a']);
    expect(fdst.files.get('a')?.data.equals(big)).toBe(true);
    expect(logger.text()).toContain("DEBUG Fake root '': Target remote doesn't support streaming uploads, creating temporary local FS to spool file");
    expect(logger.text('INFO')).toEqual(['INFO a: Copied (Rcat, replaced existing)']);
    expect((await readdir(tmpdir())).filter((n) => n.startsWith('jsync-spool-')).length).toBe(before);
  });

  it('verifies against the bytes actually read', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst', putStream: true });
    fdst.faults.corrupt = true;
    const { ctx, logger } = makeCtx();
    await fail(copyObject(ctx, { fdst, remote: 'a', src: fsrc.seed('a', big, T0, { unknownSize: true }) }));
    expect(logger.text('ERROR')[0]).toMatch(/^ERROR a: corrupted on transfer: md5 hash differ "[0-9a-f]{32}" vs "[0-9a-f]{32}"$/);
    expect(fdst.files.size).toBe(0);
  });
});

describe('copyObject: --max-transfer', () => {
  it('HARD: refuses once the limit is reached with a fatal error (counted, no "Failed to copy")', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    const { ctx, stats, logger } = makeCtx({ maxTransfer: 5 });
    await copyObject(ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) });
    const err = await fail(copyObject(ctx, { fdst, remote: 'b', src: fsrc.seed('b', 'x', T0) }));
    expect(isJsyncError(err, 'MAX_TRANSFER_REACHED')).toBe(true);
    expect(errorClassOf(err)).toBe('fatal');
    expect((err as Error).message).toBe('max transfer limit reached as set by --max-transfer');
    expect(stats.errors).toBe(1);
    expect(logger.text('ERROR')).toEqual([]);
    expect(fdst.files.has('b')).toBe(false);
  });

  it('HARD: cuts a running transfer off; SOFT/CAUTIOUS refuse gracefully (NoRetry)', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    const c = makeCtx({ maxTransfer: 6, lowLevelRetries: 1 });
    const err = await fail(copyObject(c.ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'abcdefghijklmnop', T0) }));
    expect(errorClassOf(err)).toBe('fatal');
    expect(fdst.files.size).toBe(0);
    expect(c.logger.text('ERROR')).toEqual(['ERROR a: Failed to copy: max transfer limit reached as set by --max-transfer']);

    const soft = makeCtx({ maxTransfer: 5, cutoffMode: 'SOFT' });
    soft.stats.bytes = 5;
    expect(errorClassOf(await fail(copyObject(soft.ctx, { fdst, remote: 'b', src: fsrc.seed('b', 'x', T0) })))).toBe('noRetry');
    const cautious = makeCtx({ maxTransfer: 10, cutoffMode: 'CAUTIOUS' });
    cautious.stats.bytes = 4;
    const e3 = await fail(copyObject(cautious.ctx, { fdst, remote: 'c', src: fsrc.seed('c', 'abcdef', T0) }));
    expect([isJsyncError(e3, 'MAX_TRANSFER_REACHED'), errorClassOf(e3)]).toEqual([true, 'noRetry']);
    await copyObject(cautious.ctx, { fdst, remote: 'd', src: fsrc.seed('d', 'abcde', T0) });
    expect(fdst.text('d')).toBe('abcde');
  });
});

describe('copyObject: dry-run and -i', () => {
  it('dry-run: NOTICE with size, counted as a transfer, no mutating call, returns dst', async () => {
    const fsrc = new FakeFs({ name: 'remote', copy: true });
    const fdst = new FakeFs({ name: 'remote', copy: true });
    const dst = fdst.seed('a', 'old', T1);
    fdst.forbidMutations = true;
    const { ctx, logger, stats } = makeCtx({ dryRun: true });
    expect(await copyObject(ctx, { fdst, dst, remote: 'a', src: fsrc.seed('a', 'x'.repeat(2048), T0) })).toBe(dst);
    expect(await copyObject(ctx, { fdst, remote: 'b', src: fsrc.seed('b', 'hello', T0) })).toBeUndefined();
    expect(logger.text()).toEqual([
      'NOTICE a: Skipped copy as --dry-run is set (size 2Ki)',
      'NOTICE b: Skipped copy as --dry-run is set (size 5)',
    ]);
    expect(stats.transfers).toBe(2);
    expect(stats.bytes).toBe(2053);
    expect(fdst.text('a')).toBe('old');
  });

  it('-i: asks "copy <src>"; no skips with NOTICE, yes copies', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    const { ctx, logger, asked } = makeCtx({}, { answers: [false, true] });
    await copyObject(ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) });
    await copyObject(ctx, { fdst, remote: 'b', src: fsrc.seed('b', 'hello', T0) });
    expect(asked).toEqual(['copy a', 'copy b']);
    expect([...fdst.files.keys()]).toEqual(['b']);
    expect(logger.text('NOTICE')).toEqual(['NOTICE a: Skipped copy as --interactive is set (size 5)']);
  });

  it('-i quitting (confirm throws) ends the transfer with that error; dry-run never asks', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst' });
    const base = makeCtx();
    const quitting = { ...base.ctx, confirm: async () => { throw new Error('quit'); } };
    const err = await fail(copyObject(quitting, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) }));
    expect((err as Error).message).toBe('quit');
    expect(base.stats.transfersStarted[0]).toMatchObject({ done: true, error: err });
    expect(fdst.calls).toEqual([]);
    const d = makeCtx({ dryRun: true }, { answers: [true] });
    await copyObject(d.ctx, { fdst, remote: 'a', src: fsrc.seed('a', 'hello', T0) });
    expect(d.asked).toEqual([]);
  });
});
