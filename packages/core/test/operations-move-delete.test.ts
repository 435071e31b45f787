import { describe, expect, it } from 'vitest';
import {
  type FsObject, backupRemote, deleteFile, deleteFiles, errorClassOf, moveObject, moveToBackupDir,
} from '../src/index.js';
import { FakeFs } from './helpers/fake-fs.js';
import { makeCtx } from './helpers/context.js';

const T0 = '2001-02-03T04:05:06.499999999Z';
const fail = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e);

describe('moveObject', () => {
  it('server-side move within one config: check + rename counted, no transfer', async () => {
    const f = new FakeFs({ name: 'r', move: true });
    const g = new FakeFs({ name: 'r', move: true });
    const src = f.seed('a', 'hello', T0);
    const { ctx, logger, stats } = makeCtx();
    const moved = await moveObject(ctx, { fdst: g, remote: 'a', src });
    expect(moved?.remote).toBe('a');
    expect(g.text('a')).toBe('hello');
    expect(f.files.size).toBe(0);
    expect(logger.text()).toEqual(['INFO a: Moved (server-side)']);
    expect([stats.checks, stats.checksDone, stats.renames, stats.transfersStarted.length]).toEqual([['a'], 1, 1, 0]);
  });

  it('renaming move logs the new name; an existing different destination is deleted first', async () => {
    const f = new FakeFs({ name: 'r', move: true });
    const src = f.seed('a', 'hello', T0);
    const dst = f.seed('b', 'other', T0);
    const { ctx, logger, stats } = makeCtx();
    await moveObject(ctx, { fdst: f, dst, remote: 'b', src });
    expect(f.calls).toEqual(['remove b', 'move a -> b']);
    expect(f.text('b')).toBe('hello');
    expect(logger.text()).toEqual(['INFO b: Deleted', 'INFO a: Moved (server-side) to: b']);
    expect(stats.deletes).toBe(1);
  });

  it('on a case-insensitive remote a destination that is the source itself is not deleted', async () => {
    const f = new FakeFs({ name: 'r', move: true, caseInsensitive: true });
    const src = f.seed('a.txt', 'hello', T0);
    const dst = await f.newObject('A.TXT');
    await moveObject(makeCtx().ctx, { fdst: f, dst, remote: 'A.TXT', src });
    expect(f.calls).toEqual(['move a.txt -> A.TXT']);
    expect(f.text('a.txt')).toBe('hello');
  });

  it('CANT_MOVE falls back to copy + delete of the source', async () => {
    const f = new FakeFs({ name: 'r', move: true });
    f.faults.moveError = 'CANT_MOVE';
    const src = f.seed('a', 'hello', T0);
    const { ctx, logger, stats } = makeCtx();
    await moveObject(ctx, { fdst: f, remote: 'b', src });
    expect(f.calls).toEqual(['put b', 'remove a']);
    expect(logger.text()).toEqual([
      "DEBUG a: Can't move, switching to copy",
      'DEBUG a: md5 = 5d41402abc4b2a76b9719d911017c592 OK',
      'INFO a: Copied (new) to: b',
      'INFO a: Deleted',
    ]);
    expect([stats.transfers, stats.deletes, stats.renames, stats.checks.length]).toEqual([1, 1, 1, 2]);
  });

  it('other move errors are counted and logged as "Couldn\'t move"', async () => {
    const f = new FakeFs({ name: 'r', move: true });
    f.faults.moveError = 'PERMISSION_DENIED';
    const { ctx, logger, stats } = makeCtx();
    await fail(moveObject(ctx, { fdst: f, remote: 'b', src: f.seed('a', 'x', T0) }));
    expect(logger.text()).toEqual(["ERROR a: Couldn't move: permission denied"]);
    expect([stats.errors, stats.renames]).toEqual([1, 0]);
  });

  it('across configs: copy then delete; a failed copy keeps the source', async () => {
    const f = new FakeFs({ name: 'one', move: true });
    const g = new FakeFs({ name: 'two', move: true });
    await moveObject(makeCtx().ctx, { fdst: g, remote: 'a', src: f.seed('a', 'hello', T0) });
    expect([g.calls, f.calls]).toEqual([['put a'], ['remove a']]);
    g.faults.failUpload = { afterBytes: 0, times: 99, error: () => new Error('disk full') };
    const { ctx, logger } = makeCtx();
    await fail(moveObject(ctx, { fdst: g, remote: 'b', src: f.seed('b', 'hello', T0) }));
    expect(f.text('b')).toBe('hello');
    expect(logger.text('ERROR')).toEqual(['ERROR b: Failed to copy: disk full', 'ERROR b: Not deleting source as copy failed: disk full']);
  });

  it('dry-run and -i', async () => {
    const f = new FakeFs({ name: 'r', move: true });
    const src = f.seed('a', 'hello', T0);
    f.forbidMutations = true;
    const d = makeCtx({ dryRun: true });
    expect(await moveObject(d.ctx, { fdst: f, remote: 'b', src })).toBeUndefined();
    expect(d.logger.text()).toEqual(['NOTICE a: Skipped move as --dry-run is set (size 5)']);
    const i = makeCtx({}, { answers: [false] });
    await moveObject(i.ctx, { fdst: f, remote: 'b', src });
    expect(i.asked).toEqual(['move a']);
    expect(i.logger.text()).toEqual(['NOTICE a: Skipped move as --interactive is set (size 5)']);
  });
});

describe('deleteFile', () => {
  it('deletes, logs, counts a check and a delete', async () => {
    const f = new FakeFs();
    const { ctx, logger, stats } = makeCtx();
    await deleteFile(ctx, f.seed('a', 'xy', T0));
    expect(f.files.size).toBe(0);
    expect(logger.text()).toEqual(['INFO a: Deleted']);
    expect([stats.deletes, stats.checks]).toEqual([1, ['a']]);
  });

  it('dry-run: NOTICE with size, counted, nothing removed; -i asks "delete"', async () => {
    const f = new FakeFs();
    const obj = f.seed('a', 'xy', T0);
    f.forbidMutations = true;
    const d = makeCtx({ dryRun: true });
    await deleteFile(d.ctx, obj);
    expect(d.logger.text()).toEqual(['NOTICE a: Skipped delete as --dry-run is set (size 2)']);
    expect(d.stats.deletes).toBe(1);
    const i = makeCtx({}, { answers: [false] });
    await deleteFile(i.ctx, obj);
    expect(i.asked).toEqual(['delete a']);
    expect(f.files.size).toBe(1);
  });

  it('a failed remove is counted, logged "Couldn\'t delete" and thrown', async () => {
    const f = new FakeFs();
    f.faults.removeError = true;
    const { ctx, logger, stats } = makeCtx();
    await fail(deleteFile(ctx, f.seed('a', 'x', T0)));
    expect(logger.text()).toEqual(["ERROR a: Couldn't delete: injected remove failure"]);
    expect([stats.errors, stats.deletes]).toEqual([1, 0]);
  });

  it('--max-delete: the (N+1)-th delete is a fatal counted error, in dry-run too', async () => {
    for (const dryRun of [false, true]) {
      const f = new FakeFs();
      const { ctx, stats } = makeCtx({ maxDelete: 2, dryRun });
      await deleteFile(ctx, f.seed('a', 'x', T0));
      await deleteFile(ctx, f.seed('b', 'x', T0));
      const err = await fail(deleteFile(ctx, f.seed('c', 'x', T0)));
      expect((err as Error).message).toBe('--max-delete threshold reached');
      expect(errorClassOf(err)).toBe('fatal');
      expect(f.text('c')).toBe('x');
      expect([stats.errors, stats.deletes]).toEqual([1, 2]);
    }
    const zero = makeCtx({ maxDelete: 0 });
    await fail(deleteFile(zero.ctx, new FakeFs().seed('a', 'x', T0)));
  });

  it('--max-delete-size: refuses the delete that would exceed the byte budget', async () => {
    const f = new FakeFs();
    const { ctx } = makeCtx({ maxDeleteSize: 10 });
    await deleteFile(ctx, f.seed('a', '123456', T0));
    const err = await fail(deleteFile(ctx, f.seed('b', '12345', T0)));
    expect((err as Error).message).toBe('--max-delete-size threshold reached');
    expect(errorClassOf(err)).toBe('fatal');
    await deleteFile(ctx, f.seed('c', '1234', T0));
    expect([...f.files.keys()]).toEqual(['b']);
  });
});

describe('--backup-dir', () => {
  it('backupRemote applies --suffix / --suffix-keep-extension like rclone SuffixName', () => {
    const keep = { suffix: '.old', suffixKeepExtension: true };
    const plain = { suffix: '.old', suffixKeepExtension: false };
    expect(backupRemote('a.txt', plain)).toBe('a.txt.old');
    expect(backupRemote('a.txt', keep)).toBe('a.old.txt');
    expect(backupRemote('d/a.tar.gz', keep)).toBe('d/a.tar.old.gz');
    expect(backupRemote('dir.d/file', keep)).toBe('dir.d/file.old');
    expect(backupRemote('.bashrc', keep)).toBe('.old.bashrc');
    expect(backupRemote('a.txt', { suffix: '', suffixKeepExtension: true })).toBe('a.txt');
  });

  it('deleteFile with a backup dir moves the file there (server-side), logging both lines', async () => {
    const dst = new FakeFs({ name: 'r', root: 'dst', move: true });
    const bk = new FakeFs({ name: 'r', root: 'bk', move: true });
    const { ctx, logger, stats } = makeCtx({ suffix: '.old', suffixKeepExtension: true });
    await deleteFile(ctx, dst.seed('d/a.txt', 'hello', T0), { backupDir: bk });
    expect(bk.text('d/a.old.txt')).toBe('hello');
    expect(dst.files.size).toBe(0);
    expect(logger.text('INFO')).toEqual(['INFO d/a.txt: Moved (server-side) to: d/a.old.txt', 'INFO d/a.txt: Moved into backup dir']);
    expect([stats.deletes, stats.renames]).toEqual([1, 1]);
  });

  it('moveToBackupDir replaces an object already in the backup dir; dry-run uses "move into backup dir"', async () => {
    const dst = new FakeFs({ name: 'r', root: 'dst', move: true });
    const bk = new FakeFs({ name: 'r', root: 'bk', move: true });
    bk.seed('a', 'older backup', T0);
    const { ctx } = makeCtx();
    await moveToBackupDir(ctx, dst.seed('a', 'current', T0), bk);
    expect(bk.calls).toEqual(['remove a', 'move a -> a']);
    expect(bk.text('a')).toBe('current');
    const obj = dst.seed('b', 'x', T0);
    dst.forbidMutations = true;
    bk.forbidMutations = true;
    const d = makeCtx({ dryRun: true });
    await deleteFile(d.ctx, obj, { backupDir: bk });
    expect(d.logger.text()).toEqual(['NOTICE b: Skipped move into backup dir as --dry-run is set (size 1)']);
  });

  it('without server-side move the backup is a copy then a delete', async () => {
    const dst = new FakeFs({ name: 'r', root: 'dst' });
    const bk = new FakeFs({ name: 'r', root: 'bk' });
    const { ctx, logger } = makeCtx({ suffix: '~' });
    await deleteFile(ctx, dst.seed('a', 'hello', T0), { backupDir: bk });
    expect(bk.text('a~')).toBe('hello');
    expect(dst.files.size).toBe(0);
    expect(logger.text('INFO')).toEqual(['INFO a: Copied (new) to: a~', 'INFO a: Deleted', 'INFO a: Moved into backup dir']);
  });
});

describe('deleteFiles', () => {
  it('runs --transfers workers in parallel', async () => {
    const f = new FakeFs();
    let inFlight = 0;
    let peak = 0;
    const objs: FsObject[] = [];
    for (let i = 0; i < 10; i++) {
      const o = f.seed(`f${i}`, 'x', T0);
      const remove = o.remove.bind(o);
      objs.push(Object.assign(o, {
        remove: async () => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          await new Promise((r) => setTimeout(r, 5));
          inFlight--;
          await remove();
        },
      }));
    }
    const { ctx, logger } = makeCtx({ transfers: 3 });
    await deleteFiles(ctx, objs);
    expect(f.files.size).toBe(0);
    expect(peak).toBe(3);
    expect(logger.text()[0]).toBe('DEBUG Waiting for deletions to finish');
  });

  it('counts failures, carries on, and reports "failed to delete N files"', async () => {
    const f = new FakeFs();
    const objs = ['a', 'b', 'c'].map((n) => f.seed(n, 'x', T0));
    const broken = Object.assign(f.seed('z', 'x', T0), { remove: async () => { throw new Error('busy'); } });
    const { ctx, stats } = makeCtx({ transfers: 1 });
    const err = await fail(deleteFiles(ctx, [objs[0]!, broken, objs[1]!, broken, objs[2]!]));
    expect((err as Error).message).toBe('failed to delete 2 files');
    expect(errorClassOf(err)).not.toBe('fatal');
    expect([...f.files.keys()]).toEqual(['z']);
    expect(stats.errors).toBe(2);
  });

  it('a fatal error (--max-delete) stops the deletions; the summary error is fatal', async () => {
    const f = new FakeFs();
    const objs = Array.from({ length: 6 }, (_, i) => f.seed(`f${i}`, 'x', T0));
    async function* gen() {
      yield* objs;
    }
    const { ctx, logger } = makeCtx({ maxDelete: 2, transfers: 1 });
    const err = await fail(deleteFiles(ctx, gen()));
    expect((err as Error).message).toBe('failed to delete 1 files');
    expect(errorClassOf(err)).toBe('fatal');
    expect(f.files.size).toBe(4);
    expect(logger.text('ERROR')).toEqual(['ERROR Got fatal error on delete: --max-delete threshold reached']);
  });

  it('an error of the object source is thrown after the workers stop', async () => {
    const f = new FakeFs();
    async function* gen() {
      yield f.seed('a', 'x', T0);
      throw new Error('listing broke');
    }
    const err = await fail(deleteFiles(makeCtx().ctx, gen()));
    expect((err as Error).message).toBe('listing broke');
    expect(f.files.size).toBe(0);
  });
});
