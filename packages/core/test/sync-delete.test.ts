// Deletion safety of sync: delete modes, the error gate, --max-delete, filters, dry-run, -i, the empty-source guard.
import { describe, expect, it } from 'vitest';
import { Filter, copyDir, errorClassOf, isJsyncError, sync } from '../src/index.js';
import { FakeFs } from './helpers/sync-fixtures.js';
import { makeCtx, mutationGuard } from './helpers/sync-context.js';
import { contents, dirs, env, t1, t2 } from './helpers/sync-env.js';

const potato = '------------------------------------------------------------';

/** rclone's "removing a file and adding a file in subdirectories" fixture. */
function subDirFixture() {
  const e = env();
  e.fsrc.write('a/potato2', potato, t1);
  e.fdst.write('b/potato', 'SMALLER BUT SAME DATE', t2);
  e.fsrc.write('c/non empty space', 'AhHa!', t2);
  e.fdst.write('c/non empty space', 'AhHa!', t2);
  e.fdst.writeDir('d/e');
  return e;
}

describe('delete modes', () => {
  for (const deleteMode of ['after', 'during', 'before'] as const) {
    it(`TestSyncDelete${deleteMode[0]!.toUpperCase() + deleteMode.slice(1)}: TestSyncAfterRemovingAFileAndAddingAFile`, async () => {
      const { fsrc, fdst } = env();
      fsrc.write('potato2', potato, t1);
      fdst.write('potato', 'SMALLER BUT SAME DATE', t2);
      fsrc.write('empty space', '-', t2);
      fdst.write('empty space', '-', t2);
      const ctx = makeCtx({ deleteMode });
      const s = await sync({ ctx, fdst, fsrc });
      expect(contents(fdst)).toEqual(['empty space -', `potato2 ${potato}`]);
      expect(s).toMatchObject({ transfers: 1, deletes: 1, errors: 0 });
      const order = ctx.logger.at('INFO').map((l) => l.split(': ')[1]);
      if (deleteMode === 'before') expect(order).toEqual(['Deleted', 'Copied (new)']);
      if (deleteMode === 'after') expect(order).toEqual(['Copied (new)', 'Deleted']);
    });
  }

  it('TestSyncDeleteAfter: after is the default', async () => {
    expect(makeCtx().options.deleteMode).toBe('after');
  });

  it('TestSyncAfterRemovingAFileAndAddingAFileSubDir: files deleted, emptied directories pruned', async () => {
    const { fsrc, fdst } = subDirFixture();
    await sync({ ctx: makeCtx(), fdst, fsrc });
    expect(contents(fdst)).toEqual([`a/potato2 ${potato}`, 'c/non empty space AhHa!']);
    expect(dirs(fdst)).toEqual(['a', 'c']);
  });

  it('TestSyncAfterRemovingAFileAndAddingAFileSubDirWithErrors: an earlier error blocks every deletion', async () => {
    const { fsrc, fdst } = subDirFixture();
    const ctx = makeCtx();
    ctx.stats.error(new Error('boom'));
    const s = await sync({ ctx, fdst, fsrc });
    expect(contents(fdst)).toEqual([`a/potato2 ${potato}`, 'b/potato SMALLER BUT SAME DATE', 'c/non empty space AhHa!']);
    expect(dirs(fdst)).toEqual(['a', 'b', 'c', 'd', 'd/e']);
    expect(isJsyncError(s.error, 'NOT_DELETING')).toBe(true);
    expect(ctx.logger.at('ERROR')).toEqual([
      "ERROR Fake 'remote:dst': not deleting files as there were IO errors",
      "ERROR Fake 'remote:dst': not deleting directories as there were IO errors",
    ]);
  });

  it('a failed transfer blocks the deletions (delete-after) and is the returned error', async () => {
    const { fsrc, fdst } = env({ dst: { fault: (op, p) => (op === 'put' && p === 'new' ? new Error('disk full') : undefined) } });
    fsrc.write('new', 'n', t1);
    fdst.write('old', 'o', t1);
    fdst.writeDir('olddir');
    const ctx = makeCtx();
    const s = await sync({ ctx, fdst, fsrc });
    expect(fdst.files()).toEqual(['old']);
    expect(dirs(fdst)).toEqual(['olddir']);
    expect(s.errors).toBe(1);
    expect((s.error as Error).message).toContain('disk full');
    expect(ctx.logger.at('ERROR').slice(-2)).toEqual([
      "ERROR Fake 'remote:dst': not deleting files as there were IO errors",
      "ERROR Fake 'remote:dst': not deleting directories as there were IO errors",
    ]);
  });

  it('--delete-during deletes despite errors but still does not prune directories', async () => {
    const { fsrc, fdst } = env({ dst: { fault: (op, p) => (op === 'put' && p === 'new' ? new Error('disk full') : undefined) } });
    fsrc.write('new', 'n', t1);
    fdst.write('olddir/old', 'o', t1);
    const ctx = makeCtx({ deleteMode: 'during' });
    await sync({ ctx, fdst, fsrc });
    expect(fdst.files()).toEqual([]);
    expect(dirs(fdst)).toEqual(['olddir']);
  });

  it('TestSyncIgnoreErrors: --ignore-errors deletes anyway', async () => {
    const { fsrc, fdst } = subDirFixture();
    const ctx = makeCtx({ ignoreErrors: true });
    ctx.stats.error(new Error('boom'));
    await sync({ ctx, fdst, fsrc });
    expect(contents(fdst)).toEqual([`a/potato2 ${potato}`, 'c/non empty space AhHa!']);
    expect(dirs(fdst)).toEqual(['a', 'c']);
  });

  it('TestCopyDeleteBefore: copy never deletes whatever the delete mode', async () => {
    const { fsrc, fdst } = env();
    fdst.write('potato', 'hopefully not deleted', t1);
    fsrc.write('potato2', 'hopefully copied in', t1);
    await copyDir({ ctx: makeCtx({ deleteMode: 'before' }), fdst, fsrc });
    expect(fdst.files()).toEqual(['potato', 'potato2']);
  });

  it('--delete-before stops before copying when its deletion pass failed', async () => {
    const { fsrc, fdst } = env({ dst: { fault: (op, p) => (op === 'remove' && p === 'old' ? new Error('locked') : undefined) } });
    fsrc.write('new', 'n', t1);
    fdst.write('old', 'o', t1);
    const s = await sync({ ctx: makeCtx({ deleteMode: 'before' }), fdst, fsrc });
    expect(fdst.files()).toEqual(['old']);
    expect((s.error as Error).message).toBe('failed to delete 1 files');
  });
});

describe('--max-delete', () => {
  it('the first delete over the limit is fatal and cancels the sync', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('new', 'n', t1);
    for (let i = 1; i <= 5; i++) fdst.write(`x${i}`, String(i), t1);
    const ctx = makeCtx({ maxDelete: 2, transfers: 2 });
    const err = await sync({ ctx, fdst, fsrc }).then(() => undefined, (e: unknown) => e);
    expect(errorClassOf(err)).toBe('fatal');
    expect((err as Error).message).toBe('failed to delete 2 files');
    expect(fdst.files().filter((f) => f.startsWith('x'))).toHaveLength(3);
    expect(ctx.logger.at('ERROR')).toEqual([
      'ERROR Got fatal error on delete: --max-delete threshold reached',
      'ERROR Got fatal error on delete: --max-delete threshold reached',
      'ERROR Cancelling sync due to fatal error: failed to delete 2 files',
      "ERROR Fake 'remote:dst': not deleting directories as there were IO errors",
    ]);
  });

  it('--max-delete 0 with --delete-during deletes nothing', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('a', 'a', t1);
    fdst.write('gone', 'g', t1);
    await expect(sync({ ctx: makeCtx({ maxDelete: 0, deleteMode: 'during' }), fdst, fsrc })).rejects.toThrow('failed to delete 1 files');
    expect(fdst.files()).toContain('gone');
  });
});

describe('filters', () => {
  it('TestSyncWithExclude: excluded files are neither copied nor deleted', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('potato2', potato, t1);
    fdst.write('potato2', potato, t1);
    fsrc.write('empty space', '-', t2);
    fdst.write('empty space', '-', t2);
    fsrc.write('enormous', 'A'.repeat(100), t1);
    const filter = new Filter({ maxSize: 40 });
    await sync({ ctx: makeCtx({}, { filter }), fdst, fsrc });
    expect(fdst.files()).toEqual(['empty space', 'potato2']);
    await sync({ ctx: makeCtx({}, { filter }), fdst: fsrc, fsrc: fdst });
    expect(fsrc.files()).toEqual(['empty space', 'enormous', 'potato2']);
  });

  it('TestSyncWithExcludeAndDeleteExcluded: excluded destination files are deleted', async () => {
    const { fsrc, fdst } = env();
    for (const f of [fsrc, fdst]) {
      f.write('potato2', potato, t1);
      f.write('empty space', '-', t2);
      f.write('enormous', 'A'.repeat(100), t1);
    }
    const filter = new Filter({ maxSize: 40, deleteExcluded: true });
    await sync({ ctx: makeCtx({}, { filter }), fdst, fsrc });
    expect(fdst.files()).toEqual(['empty space']);
    await sync({ ctx: makeCtx({ deleteExcluded: true }, { filter: new Filter({ maxSize: 40 }) }), fdst: fsrc, fsrc: fdst });
    expect(fsrc.files()).toEqual(['empty space']);
  });
});

describe('dry-run and -i', () => {
  it('TestSyncAfterRemovingAFileAndAddingAFileDryRun: zero mutating calls on either side', async () => {
    const { fsrc, fdst } = subDirFixture();
    const before = fdst.tree();
    const gdst = mutationGuard(fdst);
    const gsrc = mutationGuard(fsrc);
    const ctx = makeCtx({ dryRun: true, createEmptySrcDirs: true });
    const s = await sync({ ctx, fdst: gdst, fsrc: gsrc });
    expect([...gdst.attempts, ...gsrc.attempts]).toEqual([]);
    expect(fdst.tree()).toEqual(before);
    expect(s).toMatchObject({ transfers: 1, deletes: 1, errors: 0 });
    expect(ctx.logger.at('NOTICE')).toEqual([
      `NOTICE a/potato2: Skipped copy as --dry-run is set (size 60)`,
      'NOTICE b/potato: Skipped delete as --dry-run is set (size 21)',
      'NOTICE d/e: Skipped remove directory as --dry-run is set',
      'NOTICE d: Skipped remove directory as --dry-run is set',
      'NOTICE b: Skipped remove directory as --dry-run is set',
    ]);
  });

  it('-i: declined actions are skipped, accepted ones done', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('new', 'n', t1);
    fdst.write('keep', 'k', t1);
    fdst.write('drop', 'd', t1);
    const asked: string[] = [];
    const confirm = async (action: string, subject: string) => {
      asked.push(`${action} ${subject}`);
      return subject !== 'keep';
    };
    await sync({ ctx: makeCtx({}, { confirm }), fdst, fsrc });
    expect(fdst.files()).toEqual(['keep', 'new']);
    expect(asked.sort()).toEqual(['copy new', 'delete drop', 'delete keep']);
  });
});

describe('empty-source guard (beyond rclone)', () => {
  it('refuses to sync an empty source over a non-empty destination', async () => {
    const { fsrc, fdst } = env();
    fsrc.writeDir('');
    fdst.write('precious', 'p', t1);
    const ctx = makeCtx();
    const err = await sync({ ctx, fdst, fsrc }).then(() => undefined, (e: unknown) => e);
    expect((err as Error).message).toBe(
      'the source is empty but the destination is not: refusing to sync as that would delete everything in the destination (use --allow-empty-source to sync anyway)');
    expect(errorClassOf(err)).toBe('fatal');
    expect(fdst.files()).toEqual(['precious']);
    expect(ctx.logger.at('ERROR')).toHaveLength(1);
  });

  it('refuses a missing source root with a directory-not-found error, also in dry-run and with --delete-before', async () => {
    for (const opts of [{}, { dryRun: true }, { deleteMode: 'before' as const }]) {
      const { world, fdst } = env();
      fdst.write('precious', 'p', t1);
      const missing = new FakeFs({ name: 'local', root: 'nowhere', world });
      const err = await sync({ ctx: makeCtx(opts), fdst: mutationGuard(fdst), fsrc: missing }).then(() => undefined, (e: unknown) => e);
      expect(isJsyncError(err, 'DIR_NOT_FOUND')).toBe(true);
      expect((err as Error).message).toMatch(/^the source directory was not found but the destination is not: refusing/);
      expect(fdst.files()).toEqual(['precious']);
    }
  });

  it('a source emptied by the filters counts as empty', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('only.bak', 'x', t1);
    fdst.write('precious', 'p', t1);
    const filter = new Filter({ exclude: ['*.bak'] });
    await expect(sync({ ctx: makeCtx({}, { filter }), fdst, fsrc })).rejects.toThrow(/--allow-empty-source/);
  });

  it('--allow-empty-source lets the sync delete everything; an empty destination needs no flag; copy is never refused', async () => {
    const { fsrc, fdst } = env();
    fsrc.writeDir('');
    fdst.write('gone', 'g', t1);
    await copyDir({ ctx: makeCtx(), fdst, fsrc });
    expect(fdst.files()).toEqual(['gone']);
    const s = await sync({ ctx: makeCtx({ allowEmptySource: true }), fdst, fsrc });
    expect(s.deletes).toBe(1);
    expect(fdst.files()).toEqual([]);
    await expect(sync({ ctx: makeCtx(), fdst, fsrc })).resolves.toMatchObject({ errors: 0 });
  });
});
