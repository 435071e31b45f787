import { describe, expect, it } from 'vitest';
import { MODTIME_NOT_SUPPORTED, SECOND_NS, Timestamp, equal, errorClassOf, isJsyncError, needTransfer, resolveTransferOptions } from '../src/index.js';
import { FakeFs, type FakeObject } from './helpers/fake-fs.js';
import { makeCtx } from './helpers/context.js';

process.env['TZ'] = 'UTC';

const T0 = '2001-02-03T04:05:06.499999999Z';
const T1 = '2001-02-03T05:05:06.499999999Z'; // one hour later

function pair(opts: { src?: ConstructorParameters<typeof FakeFs>[0]; dst?: ConstructorParameters<typeof FakeFs>[0] } = {}) {
  const fsrc = new FakeFs({ name: 'src', ...opts.src });
  const fdst = new FakeFs({ name: 'dst', ...opts.dst });
  return { fsrc, fdst };
}

function objs(srcContent: string, srcTime: string, dstContent: string, dstTime: string, opts: Parameters<typeof pair>[0] = {}) {
  const { fsrc, fdst } = pair(opts);
  const src = fsrc.seed('a.txt', srcContent, srcTime);
  const dst = fdst.seed('a.txt', dstContent, dstTime);
  return { fsrc, fdst, src, dst };
}

describe('equal', () => {
  it('different sizes are not equal, with rclone debug text', async () => {
    const { src, dst } = objs('hello', T0, 'hello!!', T0);
    const { ctx, logger } = makeCtx();
    expect(await equal(ctx, src, dst)).toBe(false);
    expect(logger.text()).toEqual(['DEBUG a.txt: Sizes differ (src 5 vs dst 7)']);
  });

  it('--ignore-size skips the size test; unknown sizes never differ', async () => {
    const { src, dst } = objs('hello', T0, 'hello!!', T0);
    const { ctx } = makeCtx({ ignoreSize: true });
    expect(await equal(ctx, src, dst)).toBe(true);
    const { fsrc, fdst } = pair();
    const s = fsrc.seed('u', 'abc', T0, { unknownSize: true });
    const d = fdst.seed('u', 'abcdef', T0);
    expect(await equal(makeCtx().ctx, s, d)).toBe(true);
  });

  it('--size-only', async () => {
    const { src, dst } = objs('hello', T0, 'HELLO', T1);
    const { ctx, logger } = makeCtx({ sizeOnly: true });
    expect(await equal(ctx, src, dst)).toBe(true);
    expect(logger.text()).toEqual(['DEBUG a.txt: Sizes identical']);
  });

  it('same size and modtime within the window', async () => {
    const { src, dst } = objs('hello', T0, 'HELLO', T0);
    const { ctx, logger } = makeCtx();
    expect(await equal(ctx, src, dst)).toBe(true);
    expect(logger.text()).toEqual(['DEBUG a.txt: Size and modification time the same (differ by 0s, within tolerance 1ns)']);
  });

  it('the window is the max of --modify-window and both precisions; strictly less', async () => {
    const t = Timestamp.parse(T0);
    const { fsrc, fdst } = pair({ dst: { precision: SECOND_NS } });
    const src = fsrc.seed('a', 'x', t);
    const dst = fdst.seed('a', 'x', t.add(999_999_999n));
    const { ctx, logger } = makeCtx();
    expect(await equal(ctx, src, dst)).toBe(true);
    expect(logger.text()[0]).toBe('DEBUG a: Size and modification time the same (differ by 999.999999ms, within tolerance 1s)');
    const dst2 = fdst.seed('b', 'x', t.add(SECOND_NS));
    const src2 = fsrc.seed('b', 'x', t);
    fdst.faults.emptyHash = true;
    expect(await equal(makeCtx().ctx, src2, dst2)).toBe(false);
    // --modify-window widens it
    const c3 = makeCtx({ modifyWindowNs: 2n * SECOND_NS });
    expect(await equal(c3.ctx, src2, dst2)).toBe(true);
    expect(c3.logger.text()[0]).toBe('DEBUG b: Size and modification time the same (differ by 1s, within tolerance 2s)');
  });

  it('modtimes not supported: size only', async () => {
    const { src, dst } = objs('hello', T0, 'HELLO', T1, { dst: { precision: MODTIME_NOT_SUPPORTED } });
    const { ctx, logger } = makeCtx();
    expect(await equal(ctx, src, dst)).toBe(true);
    expect(logger.text()).toEqual(['DEBUG a.txt: Sizes identical']);
  });

  it('modtime differs, hash equal: sets the destination modtime', async () => {
    const { src, dst, fdst } = objs('hello', T0, 'hello', T1);
    const { ctx, logger } = makeCtx();
    expect(await equal(ctx, src, dst)).toBe(true);
    expect(fdst.calls).toEqual(['setModTime a.txt']);
    expect(dst.modTime().toString()).toBe(T0);
    expect(logger.text()).toEqual([
      'DEBUG a.txt: Modification times differ by 1h0m0s: 2001-02-03 04:05:06.499999999 +0000 UTC, 2001-02-03 05:05:06.499999999 +0000 UTC',
      'DEBUG a.txt: md5 = 5d41402abc4b2a76b9719d911017c592 OK',
      'INFO a.txt: Updated modification time in destination',
    ]);
  });

  it('modtime differs, hash differs: not equal, both hashes logged', async () => {
    const { src, dst, fdst } = objs('hello', T0, 'HELLO', T1);
    const { ctx, logger } = makeCtx();
    expect(await equal(ctx, src, dst)).toBe(false);
    expect(fdst.calls).toEqual([]);
    expect(logger.text().slice(1)).toEqual([
      "DEBUG a.txt: md5 = 5d41402abc4b2a76b9719d911017c592 (Fake root '')",
      "DEBUG a.txt: md5 = eb61eead90e3b899c6bcbe27ac581660 (Fake root '')",
      'DEBUG a.txt: md5 differ',
    ]);
  });

  it('modtime differs and no usable hash: not equal unless --refresh-times', async () => {
    const mk = () => objs('hello', T0, 'HELLO', T1, { dst: { hashes: ['sha1'] } });
    const a = mk();
    expect(await equal(makeCtx().ctx, a.src, a.dst)).toBe(false);
    const b = mk();
    const { ctx } = makeCtx({ refreshTimes: true });
    expect(await equal(ctx, b.src, b.dst)).toBe(true);
    expect(b.fdst.calls).toEqual(['setModTime a.txt']);
    // an empty hash on one side is "can't tell" too
    const c = objs('hello', T0, 'hello', T1);
    c.fsrc.faults.emptyHash = true;
    const cc = makeCtx();
    expect(await equal(cc.ctx, c.src, c.dst)).toBe(false);
    expect(cc.logger.text()).toContain('DEBUG a.txt: Src hash empty - aborting Dst hash check');
  });

  it('--no-update-modtime: equal without touching the destination', async () => {
    const { src, dst, fdst } = objs('hello', T0, 'hello', T1);
    expect(await equal(makeCtx({ noUpdateModTime: true }).ctx, src, dst)).toBe(true);
    expect(fdst.calls).toEqual([]);
  });

  it('dry-run: NOTICE with size, no setModTime call', async () => {
    const { src, dst, fdst } = objs('hello', T0, 'hello', T1);
    fdst.forbidMutations = true;
    const { ctx, logger } = makeCtx({ dryRun: true });
    expect(await equal(ctx, src, dst)).toBe(true);
    expect(logger.text('NOTICE')).toEqual(['NOTICE a.txt: Skipped update modification time as --dry-run is set (size 5)']);
    expect(dst.modTime().toString()).toBe(T1);
  });

  it('-i answered no: NOTICE --interactive, equal, nothing changed', async () => {
    const { src, dst, fdst } = objs('hello', T0, 'hello', T1);
    const { ctx, logger, asked } = makeCtx({}, { answers: [false] });
    expect(await equal(ctx, src, dst)).toBe(true);
    expect(asked).toEqual(['update modification time a.txt']);
    expect(fdst.calls).toEqual([]);
    expect(logger.text('NOTICE')).toEqual(['NOTICE a.txt: Skipped update modification time as --interactive is set (size 5)']);
  });

  it('CANT_SET_MOD_TIME: not equal (re-upload), NOTICE once per run', async () => {
    const { ctx, logger } = makeCtx();
    for (const name of ['a', 'b']) {
      const { fsrc, fdst } = pair();
      fdst.faults.setModTime = 'CANT_SET_MOD_TIME';
      expect(await equal(ctx, fsrc.seed(name, 'x', T0), fdst.seed(name, 'x', T1))).toBe(false);
    }
    const lines = logger.text('INFO');
    expect(lines.filter((l) => l.includes('Forced to upload'))).toEqual(["NOTICE Fake root '': Forced to upload files to set modification times on this backend."]);
    expect(lines).toContain("INFO b: src and dst identical but can't set mod time without re-uploading");
    // another run (context) notices again
    const other = makeCtx();
    const { fsrc, fdst } = pair();
    fdst.faults.setModTime = 'CANT_SET_MOD_TIME';
    await equal(other.ctx, fsrc.seed('c', 'x', T0), fdst.seed('c', 'x', T1));
    expect(other.logger.text('NOTICE')).toHaveLength(1);
  });

  it('CANT_SET_MOD_TIME_WITHOUT_DELETE: deletes the destination unless --backup-dir', async () => {
    const a = objs('x', T0, 'x', T1);
    a.fdst.faults.setModTime = 'CANT_SET_MOD_TIME_WITHOUT_DELETE';
    const ca = makeCtx();
    expect(await equal(ca.ctx, a.src, a.dst)).toBe(false);
    expect(a.fdst.calls).toEqual(['remove a.txt']);
    expect(ca.logger.text('INFO')).toContain("INFO a.txt: src and dst identical but can't set mod time without deleting and re-uploading");
    const b = objs('x', T0, 'x', T1);
    b.fdst.faults.setModTime = 'CANT_SET_MOD_TIME_WITHOUT_DELETE';
    expect(await equal(makeCtx({ backupDir: new FakeFs() }).ctx, b.src, b.dst)).toBe(false);
    expect(b.fdst.calls).toEqual([]);
  });

  it('other SetModTime errors are counted and the pair still counts as equal', async () => {
    const { src, dst, fdst } = objs('x', T0, 'x', T1);
    fdst.faults.setModTime = 'PERMISSION_DENIED';
    const { ctx, stats, logger } = makeCtx();
    expect(await equal(ctx, src, dst)).toBe(true);
    expect(stats.errors).toBe(1);
    expect(logger.text('ERROR')).toEqual(['ERROR a.txt: Failed to set modification time: permission denied']);
  });

  it('--immutable refuses to fix a modtime', async () => {
    const { src, dst, fdst } = objs('x', T0, 'x', T1);
    const { ctx, logger } = makeCtx({ immutable: true });
    expect(await equal(ctx, src, dst)).toBe(false);
    expect(fdst.calls).toEqual([]);
    expect(logger.text('ERROR')).toEqual(['ERROR a.txt: Timestamp mismatch between immutable objects']);
  });

  it('--checksum compares the first common hash and ignores modtimes', async () => {
    const { src, dst } = objs('hello', T0, 'hello', T1, { src: { hashes: ['md5', 'sha1'] }, dst: { hashes: ['sha1', 'crc32'] } });
    const { ctx, logger } = makeCtx({ checksum: true });
    expect(await equal(ctx, src, dst)).toBe(true);
    expect(logger.text()).toEqual([
      'DEBUG a.txt: sha1 = aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d OK',
      'DEBUG a.txt: Size and sha1 of src and dst objects identical',
    ]);
    const d = objs('hello', T0, 'HELLO', T0);
    const cd = makeCtx({ checksum: true });
    expect(await equal(cd.ctx, d.src, d.dst)).toBe(false);
    expect(cd.logger.text().at(-1)).toBe('DEBUG a.txt: md5 differ');
  });

  it('--checksum without a common hash: NOTICE once per run, then size only', async () => {
    const { ctx, logger } = makeCtx({ checksum: true });
    for (const n of ['a', 'b']) {
      const { fsrc, fdst } = pair({ dst: { hashes: [] } });
      expect(await equal(ctx, fsrc.seed(n, 'hello', T0), fdst.seed(n, 'HELLO', T1))).toBe(true);
    }
    expect(logger.text()).toEqual([
      "NOTICE Fake root '': --checksum is in use but the source and destination have no hashes in common; falling back to --size-only",
      'DEBUG a: Size of src and dst objects identical',
      'DEBUG b: Size of src and dst objects identical',
    ]);
  });

  it('a failing hash read is counted and logged, and the pair is not equal', async () => {
    const { src, dst, fsrc } = objs('hello', T0, 'hello', T1);
    fsrc.faults.hashError = true;
    const { ctx, stats, logger } = makeCtx();
    expect(await equal(ctx, src, dst)).toBe(false);
    expect(stats.errors).toBe(1);
    expect(logger.text('ERROR')).toEqual(['ERROR a.txt: Failed to calculate src hash: injected hash failure']);
  });
});

describe('needTransfer', () => {
  const run = async (opts: Parameters<typeof makeCtx>[0], src: FakeObject, dst: FakeObject | undefined) => {
    const c = makeCtx(opts);
    return { need: await needTransfer(c.ctx, src, dst), ...c };
  };

  it('missing destination', async () => {
    const { fsrc } = pair();
    const r = await run({}, fsrc.seed('a', 'x', T0), undefined);
    expect(r.need).toBe(true);
    expect(r.logger.text()).toEqual(['DEBUG a: Need to transfer - File not found at Destination']);
  });

  it('--ignore-existing and --ignore-times', async () => {
    const a = objs('x', T0, 'yy', T1);
    const r1 = await run({ ignoreExisting: true }, a.src, a.dst);
    expect([r1.need, r1.logger.text()]).toEqual([false, ['DEBUG a.txt: Destination exists, skipping']]);
    const b = objs('x', T0, 'x', T0);
    const r2 = await run({ ignoreTimes: true }, b.src, b.dst);
    expect([r2.need, r2.logger.text()]).toEqual([true, ['DEBUG a.txt: Transferring unconditionally as --ignore-times is in use']]);
  });

  it('equal → Unchanged skipping; different → transfer', async () => {
    const a = objs('x', T0, 'x', T0);
    const r = await run({}, a.src, a.dst);
    expect(r.need).toBe(false);
    expect(r.logger.text().at(-1)).toBe('DEBUG a.txt: Unchanged skipping');
    const b = objs('x', T0, 'xx', T0);
    expect((await run({}, b.src, b.dst)).need).toBe(true);
  });

  it('--update: newer destination skipped even when different', async () => {
    const a = objs('new', T0, 'older!', T1);
    const r = await run({ update: true }, a.src, a.dst);
    expect(r.need).toBe(false);
    expect(r.logger.text()).toEqual(['DEBUG a.txt: Destination is newer than source, skipping']);
  });

  it('--update: older destination compared with modtimes forced equal (size, then hash / modtime fix)', async () => {
    const same = objs('abc', T1, 'abc', T0);
    const r = await run({ update: true }, same.src, same.dst);
    expect(r.need).toBe(false);
    // forced match: the modtime comparison is skipped, the hash decides and the modtime is then fixed
    expect(r.logger.text()).toEqual(['DEBUG a.txt: md5 = 900150983cd24fb0d6963f7d28e17f72 OK', 'INFO a.txt: Updated modification time in destination', 'DEBUG a.txt: Unchanged skipping']);
    const diff = objs('abc', T1, 'abd', T0);
    expect((await run({ update: true }, diff.src, diff.dst)).need).toBe(true);
    const size = objs('abc', T1, 'ab', T0);
    expect((await run({ update: true }, size.src, size.dst)).need).toBe(true);
  });

  it('--update: within the window compares size only (or checksum with -c)', async () => {
    const a = objs('abc', T0, 'xyz', T0);
    const r = await run({ update: true }, a.src, a.dst);
    expect(r.need).toBe(false);
    expect(r.logger.text()).toEqual(['DEBUG a.txt: Sizes identical', 'DEBUG a.txt: Destination mod time is within 1ns of source and files identical, skipping']);
    const r2 = await run({ update: true, checksum: true }, a.src, a.dst);
    expect(r2.need).toBe(true);
    expect(r2.logger.text().at(-1)).toBe('DEBUG a.txt: Destination mod time is within 1ns of source but files differ, transferring');
  });

  it('--update without modtime support uses a 1s window', async () => {
    const t = Timestamp.parse(T0);
    const { fsrc, fdst } = pair({ dst: { precision: MODTIME_NOT_SUPPORTED } });
    const src = fsrc.seed('a', 'abc', t);
    const dst = fdst.seed('a', 'xyz', t.add(500_000_000n));
    const r = await run({ update: true }, src, dst);
    expect(r.need).toBe(false);
    expect(r.logger.text().at(-1)).toBe('DEBUG a: Destination mod time is within 1s of source and files identical, skipping');
  });

  it('--immutable: a differing existing destination is a counted NoRetry error', async () => {
    const a = objs('x', T0, 'yy', T0);
    const c = makeCtx({ immutable: true });
    const err = await needTransfer(c.ctx, a.src, a.dst).catch((e: unknown) => e);
    expect(isJsyncError(err, 'IMMUTABLE_MODIFIED')).toBe(true);
    expect(errorClassOf(err)).toBe('noRetry');
    expect(c.stats.errors).toBe(1);
    expect(c.logger.text('ERROR')).toEqual(['ERROR a.txt: Source and destination exist but do not match: immutable file modified']);
    // new files and unchanged ones are fine
    expect(await needTransfer(c.ctx, a.src, undefined)).toBe(true);
    const b = objs('x', T0, 'x', T0);
    expect(await needTransfer(c.ctx, b.src, b.dst)).toBe(false);
  });

  it('options resolve with rclone defaults', () => {
    expect(resolveTransferOptions().lowLevelRetries).toBe(10);
  });
});
