import { describe, expect, it } from 'vitest';
import { Filter, cleanUp, deleteTree, isJsyncError, mkdirIfNeeded, purge, rmdirs, tryRmdir } from '../src/index.js';
import { FakeFs } from './helpers/fake-fs.js';
import { makeCtx } from './helpers/context.js';

const T0 = '2001-02-03T04:05:06.499999999Z';
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e);

function tree(): FakeFs {
  const f = new FakeFs({ purge: false });
  f.seedDir('a/b');
  f.seedDir('c');
  f.seedDir('d/e');
  f.seed('d/f', 'x', T0);
  f.seedDir('x/y');
  return f;
}

describe('mkdirIfNeeded / tryRmdir', () => {
  it('mkdir logs "Making directory"; dry-run skips it', async () => {
    const f = new FakeFs();
    const { ctx, logger } = makeCtx();
    await mkdirIfNeeded(ctx, f, 'a/b');
    expect(f.calls).toEqual(['mkdir a/b']);
    expect(logger.text()).toEqual(['DEBUG a/b: Making directory']);
    f.forbidMutations = true;
    const d = makeCtx({ dryRun: true });
    await mkdirIfNeeded(d.ctx, f, '');
    expect(d.logger.text()).toEqual(["NOTICE Fake root '': Skipped make directory as --dry-run is set"]);
  });

  it('tryRmdir removes an empty dir; failures are DEBUG only and not counted', async () => {
    const f = tree();
    const { ctx, logger, stats } = makeCtx();
    expect(await tryRmdir(ctx, f, 'c')).toBe(true);
    expect(await tryRmdir(ctx, f, 'd')).toBe(false);
    expect(logger.text()).toEqual(['INFO c: Removing directory', 'INFO d: Removing directory', 'DEBUG d: Failed to Rmdir: directory not empty']);
    expect(stats.errors).toBe(0);
    expect(stats.deletedDirs).toBe(2);
    const d = makeCtx({ dryRun: true });
    f.forbidMutations = true;
    expect(await tryRmdir(d.ctx, f, 'a/b')).toBe(true);
    expect(d.logger.text()).toEqual(['NOTICE a/b: Skipped remove directory as --dry-run is set']);
  });
});

describe('rmdirs', () => {
  it('removes empty directories deepest first, keeping those holding files', async () => {
    const f = tree();
    const { ctx, logger } = makeCtx();
    await rmdirs(ctx, f, '', { leaveRoot: true });
    expect(logger.text()).toEqual([
      'INFO x/y: Removing directory', 'INFO x: Removing directory', 'INFO d/e: Removing directory',
      'INFO c: Removing directory', 'INFO a/b: Removing directory', 'INFO a: Removing directory',
    ]);
    expect([...f.dirs]).toEqual(['d']);
    expect(f.text('d/f')).toBe('x');
  });

  it('obeys filters: excluded directories are neither entered nor removed', async () => {
    const f = tree();
    const filter = new Filter({ exclude: ['x/**'] });
    const { ctx, logger } = makeCtx({}, { filter });
    await rmdirs(ctx, f, '', { leaveRoot: true });
    expect(logger.text()).not.toContain('INFO x/y: Removing directory');
    expect(logger.text()).not.toContain('INFO x: Removing directory');
    expect(f.dirs.has('x/y')).toBe(true);
    expect(f.dirs.has('c')).toBe(false);
  });

  it('removes the root too without leaveRoot; a subdirectory as start', async () => {
    const f = new FakeFs();
    f.seedDir('p/q/r');
    const { ctx } = makeCtx();
    await rmdirs(ctx, f, 'p', { leaveRoot: false });
    expect(f.calls).toEqual(['rmdir p/q/r', 'rmdir p/q', 'rmdir p']);
  });

  it('a missing directory: counted listing error, then the rmdir failure is counted and thrown', async () => {
    const f = new FakeFs();
    const { ctx, logger, stats } = makeCtx();
    const err = await fail(rmdirs(ctx, f, 'nope', { leaveRoot: false }));
    expect(isJsyncError(err, 'DIR_NOT_FOUND')).toBe(true);
    expect(logger.text()).toEqual([
      `ERROR Fake root '': Failed to list "nope": directory not found`,
      'INFO nope: Removing directory',
      'ERROR nope: Failed to rmdir: directory not found',
    ]);
    expect(stats.errors).toBe(2);
  });

  it('dry-run makes no call', async () => {
    const f = tree();
    f.forbidMutations = true;
    const { ctx, logger } = makeCtx({ dryRun: true });
    await rmdirs(ctx, f, '', { leaveRoot: true });
    expect(logger.text()).toHaveLength(6);
    expect(logger.text().every((l) => l.startsWith('NOTICE ') && l.endsWith(': Skipped remove directory as --dry-run is set'))).toBe(true);
    expect(f.dirs.size).toBe(7);
  });
});

describe('purge', () => {
  it('uses the backend purge when present', async () => {
    const f = new FakeFs({ purge: true });
    f.seed('a/b/c', 'x', T0);
    f.seed('z', 'x', T0);
    const { ctx, stats } = makeCtx();
    await purge(ctx, f, 'a');
    expect(f.calls).toEqual(['purge a']);
    expect([...f.files.keys()]).toEqual(['z']);
    expect(stats.deletedDirs).toBe(1);
  });

  it('falls back to deleting every file (ignoring filters) then rmdirs on CANT_PURGE or without purge', async () => {
    for (const withPurge of [true, false]) {
      const f = new FakeFs({ purge: withPurge });
      if (withPurge) f.faults.purgeError = 'CANT_PURGE';
      f.seed('a/b/c', 'x', T0);
      f.seed('a/d', 'x', T0);
      f.seed('z', 'x', T0);
      const { ctx } = makeCtx({}, { filter: new Filter({ include: ['nothing'] }) });
      await purge(ctx, f, 'a');
      expect([...f.files.keys()]).toEqual(['z']);
      expect(f.dirExists('a')).toBe(false);
    }
  });

  it('a missing directory is DIR_NOT_FOUND', async () => {
    for (const withPurge of [true, false]) {
      const { ctx, stats } = makeCtx();
      const err = await fail(purge(ctx, new FakeFs({ purge: withPurge }), 'nope'));
      expect(isJsyncError(err, 'DIR_NOT_FOUND')).toBe(true);
      expect(stats.errors).toBeGreaterThan(0);
    }
  });

  it('dry-run: "Skipped purge directory" (with purge) or per-file NOTICEs (fallback)', async () => {
    const f = new FakeFs({ purge: true });
    f.seed('a/b', 'x', T0);
    f.forbidMutations = true;
    const d = makeCtx({ dryRun: true });
    await purge(d.ctx, f, 'a');
    expect(d.logger.text()).toEqual(['NOTICE a: Skipped purge directory as --dry-run is set']);
    const g = new FakeFs();
    g.seed('a/b', 'xy', T0);
    g.forbidMutations = true;
    const e = makeCtx({ dryRun: true });
    await purge(e.ctx, g, 'a');
    // the file is still there in dry-run, so the directory is not even a candidate for removal
    expect(e.logger.text('NOTICE')).toEqual(['NOTICE a/b: Skipped delete as --dry-run is set (size 2)']);
    expect(g.files.size).toBe(1);
  });
});

describe('deleteTree', () => {
  it('deletes only files passing the filters and leaves directories', async () => {
    const f = new FakeFs();
    for (const p of ['a.txt', 'b.jpg', 'd/c.txt', 'd/e.jpg']) f.seed(p, 'x', T0);
    const { ctx, logger } = makeCtx({}, { filter: new Filter({ include: ['*.txt'] }) });
    await deleteTree(ctx, f, '');
    expect([...f.files.keys()].sort()).toEqual(['b.jpg', 'd/e.jpg']);
    expect(logger.text('INFO').sort()).toEqual(['INFO a.txt: Deleted', 'INFO d/c.txt: Deleted']);
  });

  it('a missing directory is a counted listing error', async () => {
    const { ctx, logger, stats } = makeCtx();
    const err = await fail(deleteTree(ctx, new FakeFs(), 'nope'));
    expect(isJsyncError(err, 'DIR_NOT_FOUND')).toBe(true);
    expect(logger.text('ERROR')).toEqual(['ERROR nope: error listing: directory not found']);
    expect(stats.errors).toBe(1);
  });
});

describe('cleanUp', () => {
  it("fails as rclone when unsupported, calls the backend otherwise, skips it in dry-run", async () => {
    const err = await fail(cleanUp(makeCtx().ctx, new FakeFs()));
    expect((err as Error).message).toBe("Fake root '' doesn't support cleanup");
    const f = new FakeFs({ cleanUp: true });
    await cleanUp(makeCtx().ctx, f);
    expect(f.calls).toEqual(['cleanUp']);
    f.forbidMutations = true;
    const d = makeCtx({ dryRun: true });
    await cleanUp(d.ctx, f);
    expect(d.logger.text()).toEqual(["NOTICE Fake root '': Skipped clean up old files as --dry-run is set"]);
  });
});
