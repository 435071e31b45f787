// Ports of rclone fs/sync/sync_test.go: copying, change detection, empty directories, traversal options.
import { describe, expect, it } from 'vitest';
import { Filter, copyDir, sync } from '../src/index.js';
import { FakeFs } from './helpers/sync-fixtures.js';
import { makeCtx, mutationGuard } from './helpers/sync-context.js';
import { contents, dirs, env, t1, t2, t3 } from './helpers/sync-env.js';

describe('copy', () => {
  it('TestCopyWithDryRun: zero mutating calls, the transfer is reported and counted', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('sub dir/hello world', 'hello world', t1);
    fdst.writeDir('');
    const guarded = mutationGuard(fdst);
    const ctx = makeCtx({ dryRun: true });
    const s = await copyDir({ ctx, fdst: guarded, fsrc: mutationGuard(fsrc) });
    expect(guarded.attempts).toEqual([]);
    expect(fdst.files()).toEqual([]);
    expect(s).toEqual({ transfers: 1, checks: 0, deletes: 0, errors: 0 });
    expect(ctx.logger.at('NOTICE')).toEqual(['NOTICE sub dir/hello world: Skipped copy as --dry-run is set (size 11)']);
  });

  it('TestCopy', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('sub dir/hello world', 'hello world', t1);
    const ctx = makeCtx();
    const s = await copyDir({ ctx, fdst, fsrc });
    expect(fdst.tree()).toEqual(fsrc.tree());
    expect(s.transfers).toBe(1);
    expect(ctx.logger.at('INFO')).toEqual(['INFO sub dir/hello world: Copied (new)']);
  });

  it('TestCopyMissingDirectory: an error, counted and returned', async () => {
    const { fdst, world } = env();
    const missing = new FakeFs({ name: 'local', root: 'non-existing', world });
    const ctx = makeCtx();
    const s = await copyDir({ ctx, fdst, fsrc: missing });
    expect(s.errors).toBe(1);
    expect((s.error as Error).message).toBe('directory not found');
    expect(ctx.logger.at('INFO')).toEqual([]); // no "There was nothing to transfer" after an error
  });

  it('TestCopyNoTraverse: destination looked up, not listed', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('sub dir/hello world', 'hello world', t1);
    fsrc.write('same', 'x', t1);
    fdst.write('same', 'x', t1);
    const s = await copyDir({ ctx: makeCtx({ noTraverse: true }), fdst, fsrc });
    expect(contents(fdst)).toEqual(['same x', 'sub dir/hello world hello world']);
    expect(fdst.listCalls).toBe(0);
    expect(s).toMatchObject({ transfers: 1, checks: 1 });
  });

  it('TestCopyCheckFirst: every check finishes before the first transfer', async () => {
    const { fsrc, fdst } = env();
    for (const n of ['a', 'b', 'c']) {
      fsrc.write(n, n + n, t1);
      fdst.write(n, n, t1);
    }
    const ctx = makeCtx({ checkFirst: true, checkers: 2, transfers: 2 });
    await copyDir({ ctx, fdst, fsrc });
    expect(contents(fdst)).toEqual(['a aa', 'b bb', 'c cc']);
    const lines = ctx.logger.lines;
    const started = lines.indexOf("INFO Fake 'remote:dst': Checks finished, now starting transfers");
    expect(lines).toContain("INFO Fake 'remote:dst': Running all checks before starting transfers");
    expect(started).toBeGreaterThan(lines.findLastIndex((l) => l.includes('Sizes differ')));
    expect(started).toBeLessThan(lines.findIndex((l) => l.includes('Copied')));
  });

  it('TestSyncNoTraverse: --no-traverse is ignored (with an ERROR) by sync', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('sub dir/hello world', 'hello world', t1);
    fdst.write('extra', 'x', t1);
    const ctx = makeCtx({ noTraverse: true });
    await sync({ ctx, fdst, fsrc });
    expect(fdst.files()).toEqual(['sub dir/hello world']);
    expect(ctx.logger.at('ERROR')).toEqual(['ERROR Ignoring --no-traverse with sync']);
  });

  it('TestCopyWithDepth: --max-depth 1 copies the top level only', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('sub dir/hello world', 'hello world', t1);
    fsrc.write('hello world2', 'hello world2', t2);
    await copyDir({ ctx: makeCtx({ maxDepth: 1 }), fdst, fsrc });
    expect(fdst.files()).toEqual(['hello world2']);
  });

  for (const noTraverse of [false, true]) {
    it(`TestCopyWithFilesFrom${noTraverse ? 'AndNoTraverse' : ''}`, async () => {
      const { fsrc, fdst } = env();
      fsrc.write('potato2', 'hello world', t1);
      fsrc.write('hello world2', 'hello world2', t2);
      const filter = new Filter({ filesFrom: ['potato2', 'notfound'] });
      await copyDir({ ctx: makeCtx({ noTraverse }, { filter }), fdst, fsrc });
      expect(fdst.files()).toEqual(['potato2']);
      if (noTraverse) expect(fsrc.listCalls).toBe(0);
    });
  }

  it('TestServerSideCopy: same config uses the backend copy', async () => {
    const { fsrc, world } = env();
    const a = new FakeFs({ name: 'remote', root: 'a', world, ops: ['copy'] });
    const b = new FakeFs({ name: 'remote', root: 'b', world, ops: ['copy'] });
    a.write('sub dir/hello world', 'hello world', t1);
    const ctx = makeCtx();
    await copyDir({ ctx, fdst: b, fsrc: a });
    expect(contents(b)).toEqual(['sub dir/hello world hello world']);
    expect(world.log).toEqual(['copy remote:b/sub dir/hello world']);
    expect(ctx.logger.at('INFO')).toEqual(['INFO sub dir/hello world: Copied (server-side copy)']);
    void fsrc;
  });

  it('TestCopyAfterDelete: copying an empty source deletes nothing', async () => {
    const { fsrc, fdst } = env();
    fsrc.writeDir('');
    fdst.write('sub dir/hello world', 'hello world', t1);
    const s = await copyDir({ ctx: makeCtx(), fdst, fsrc });
    expect(fdst.files()).toEqual(['sub dir/hello world']);
    expect(s.deletes).toBe(0);
  });

  it('TestCopyRedownload: copying back gives an identical tree', async () => {
    const { fsrc, fdst } = env();
    fdst.write('sub dir/hello world', 'hello world', t1);
    await copyDir({ ctx: makeCtx(), fdst: fsrc, fsrc: fdst });
    expect(fsrc.tree()).toEqual(fdst.tree());
  });
});

describe('change detection through the engine', () => {
  it('TestSyncBasedOnCheckSum / TestSyncSizeOnly: modtime-only changes are not transferred', async () => {
    for (const opt of [{ checksum: true }, { sizeOnly: true }]) {
      const { fsrc, fdst } = env();
      fsrc.write('check sum', 'potato', t3);
      await sync({ ctx: makeCtx(opt), fdst, fsrc });
      fsrc.write('check sum', 'potato', t1);
      const s = await sync({ ctx: makeCtx(opt), fdst, fsrc });
      expect(s.transfers).toBe(0);
      expect(fdst.tree()).toEqual([`check sum potato ${t3}`]);
    }
  });

  it('TestSyncIgnoreTimes: everything is transferred again', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('existing', 'potato', t3);
    fdst.write('existing', 'potato', t3);
    expect((await sync({ ctx: makeCtx(), fdst, fsrc })).transfers).toBe(0);
    expect((await sync({ ctx: makeCtx({ ignoreTimes: true }), fdst, fsrc })).transfers).toBe(1);
  });

  it('TestSyncIgnoreExisting: an existing destination is left alone', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('existing', 'newpotatoes', t2);
    fdst.write('existing', 'potato', t1);
    const s = await sync({ ctx: makeCtx({ ignoreExisting: true }), fdst, fsrc });
    expect(contents(fdst)).toEqual(['existing potato']);
    expect(s.transfers).toBe(0);
  });

  it('TestSyncAfterChangingModtimeOnly: dry-run changes nothing, then the modtime is set without a transfer', async () => {
    const { fsrc, fdst, world } = env();
    fsrc.write('empty space', '-', t2);
    fdst.write('empty space', '-', t1);
    const dry = makeCtx({ dryRun: true });
    await sync({ ctx: dry, fdst: mutationGuard(fdst), fsrc });
    expect(fdst.tree()).toEqual([`empty space - ${t1}`]);
    const ctx = makeCtx();
    const s = await sync({ ctx, fdst, fsrc });
    expect(fdst.tree()).toEqual([`empty space - ${t2}`]);
    expect(world.log).toEqual(['setModTime remote:dst/empty space']);
    expect(s.transfers).toBe(0);
    expect(ctx.logger.at('INFO')).toContain('INFO empty space: Updated modification time in destination');
  });

  it('TestSyncAfterChangingModtimeOnlyWithNoUpdateModTime: nothing changes', async () => {
    const { fsrc, fdst, world } = env();
    fsrc.write('empty space', '-', t2);
    fdst.write('empty space', '-', t1);
    await sync({ ctx: makeCtx({ noUpdateModTime: true }), fdst, fsrc });
    expect(fdst.tree()).toEqual([`empty space - ${t1}`]);
    expect(world.log).toEqual([]);
  });

  it('TestSyncDoesntUpdateModtime: same size, different content: one transfer, no SetModTime', async () => {
    const { fsrc, fdst, world } = env();
    fsrc.write('foo', 'foo', t2);
    fdst.write('foo', 'bar', t1);
    const s = await sync({ ctx: makeCtx(), fdst, fsrc });
    expect(fdst.tree()).toEqual([`foo foo ${t2}`]);
    expect(s.transfers).toBe(1);
    expect(world.log).toEqual(['update remote:dst/foo']);
  });

  it('TestSyncAfterAddingAFile / TestSyncAfterChangingFilesSizeOnly / TestSyncAfterChangingContentsOnly', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('empty space', '-', t2);
    fdst.write('empty space', '-', t2);
    fsrc.write('potato', '------------------------------------------------------------', t3);
    fdst.write('potato2', 'smaller but same date', t3);
    fsrc.write('potato2', 'SMALLER BUT SAME DATE', t2);
    fsrc.write('potato3', 'smaller', t3);
    fdst.write('potato3', 'small', t3);
    const s = await sync({ ctx: makeCtx(), fdst, fsrc });
    expect(fdst.tree()).toEqual(fsrc.tree());
    expect(s).toMatchObject({ transfers: 3, checks: 3, errors: 0 });
  });

  it('TestSyncWithUpdateOlder: newer destinations are kept', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('one', 'one', t1);
    fsrc.write('two', 'two', t3);
    fsrc.write('five', 'five', t2);
    fdst.write('one', 'ONE', t2);
    fdst.write('two', 'TWO', t2);
    await sync({ ctx: makeCtx({ update: true }), fdst, fsrc });
    expect(contents(fdst)).toEqual(['five five', 'one ONE', 'two two']);
  });

  it('nothing to transfer is reported at INFO', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('a', 'a', t1);
    fdst.write('a', 'a', t1);
    const ctx = makeCtx();
    const s = await sync({ ctx, fdst, fsrc });
    expect(s).toEqual({ transfers: 0, checks: 1, deletes: 0, errors: 0 });
    expect(ctx.logger.at('INFO')).toEqual(['INFO There was nothing to transfer']);
  });
});

describe('empty directories', () => {
  it('TestCopyEmptyDirectories / TestSyncEmptyDirectories: created with --create-empty-src-dirs only', async () => {
    for (const run of [copyDir, sync]) {
      const { fsrc, fdst } = env();
      fsrc.write('sub dir/hello world', 'hello world', t1);
      fsrc.writeDir('sub dir2');
      fsrc.writeDir('sub dir3/deeper');
      await run({ ctx: makeCtx(), fdst, fsrc });
      expect(dirs(fdst)).toEqual(['sub dir']);
      await run({ ctx: makeCtx({ createEmptySrcDirs: true }), fdst, fsrc });
      expect(dirs(fdst)).toEqual(['sub dir', 'sub dir2', 'sub dir3', 'sub dir3/deeper']);
    }
  });

  it('--create-empty-src-dirs in dry-run only logs', async () => {
    const { fsrc, fdst } = env();
    fsrc.writeDir('empty');
    const ctx = makeCtx({ createEmptySrcDirs: true, dryRun: true });
    await copyDir({ ctx, fdst: mutationGuard(fdst), fsrc });
    expect(ctx.logger.at('NOTICE')).toEqual(['NOTICE empty: Skipped make directory as --dry-run is set']);
  });

  it('sync prunes destination-only directories (deepest first) but never shared ones', async () => {
    const { fsrc, fdst } = env();
    fsrc.writeDir('keep');
    fdst.writeDir('keep');
    fdst.write('gone/deep/file', 'x', t1);
    fdst.writeDir('gone2/a/b');
    const ctx = makeCtx();
    await sync({ ctx, fdst, fsrc });
    expect(dirs(fdst)).toEqual(['keep']);
    expect(ctx.logger.at('INFO').filter((l) => l.includes('Removing directory'))).toEqual([
      'INFO gone2/a/b: Removing directory', 'INFO gone2/a: Removing directory', 'INFO gone2: Removing directory',
      'INFO gone/deep: Removing directory', 'INFO gone: Removing directory',
    ]);
  });

  it('no pruning on a destination that cannot have empty directories', async () => {
    const { fsrc, fdst, world } = env({ dst: { emptyDirs: false } });
    fsrc.writeDir('');
    fdst.write('gone/file', 'x', t1);
    await sync({ ctx: makeCtx({ allowEmptySource: true }), fdst, fsrc });
    expect(world.log).toEqual(['remove remote:dst/gone/file']);
  });
});

describe('pipeline', () => {
  it('runs up to --transfers copies at once', async () => {
    const { fsrc, fdst } = env();
    for (let i = 0; i < 10; i++) fsrc.write(`f${i}`, 'x'.repeat(i + 1), t1);
    let inFlight = 0;
    let peak = 0;
    const slow = Object.create(fdst) as FakeFs;
    slow.put = async (input, src) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return fdst.put(input, src);
    };
    const s = await copyDir({ ctx: makeCtx({ transfers: 3, checkers: 2 }), fdst: slow, fsrc });
    expect(s.transfers).toBe(10);
    expect(peak).toBe(3);
  });

  it('a small --max-backlog still moves everything through', async () => {
    const { fsrc, fdst } = env();
    for (let i = 0; i < 30; i++) fsrc.write(`d${i % 3}/f${i}`, 'x', t1);
    const s = await copyDir({ ctx: makeCtx({ maxBacklog: 1, transfers: 2, checkers: 3 }), fdst, fsrc });
    expect(s.transfers).toBe(30);
    expect(fdst.files()).toHaveLength(30);
  });

  it('srcDir/dstDir: a subdirectory synced onto another one', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('from/a', 'A', t1);
    fsrc.write('from/d/b', 'B', t1);
    fsrc.write('other/x', 'X', t1);
    fdst.write('to/old', 'O', t1);
    fdst.write('to/d/b', 'B', t1);
    fdst.write('keep', 'K', t1);
    const s = await sync({ ctx: makeCtx(), fdst, fsrc, srcDir: 'from', dstDir: 'to' });
    expect(contents(fdst)).toEqual(['keep K', 'to/a A', 'to/d/b B']);
    expect(s).toMatchObject({ transfers: 1, checks: 2, deletes: 1 });
    await sync({ ctx: makeCtx(), fdst: fsrc, fsrc, srcDir: 'from', dstDir: 'from-copy' });
    expect(fsrc.files()).toEqual(['from-copy/a', 'from-copy/d/b', 'from/a', 'from/d/b', 'other/x']);
    await expect(sync({ ctx: makeCtx(), fdst: fsrc, fsrc, srcDir: 'from', dstDir: 'from/inner' })).rejects.toThrow('overlapping');
  });

  it('Nothing to do as source and destination are the same (copy)', async () => {
    const { fdst } = env();
    fdst.write('a', 'a', t1);
    const ctx = makeCtx();
    const s = await copyDir({ ctx, fdst, fsrc: fdst });
    expect(s.transfers).toBe(0);
    expect(ctx.logger.lines).toEqual(["ERROR Fake 'remote:dst': Nothing to do as source and destination are the same"]);
  });
});
