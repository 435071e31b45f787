// Ports of rclone's move, server-side move, overlap, backup-dir and suffix tests; copyFile/moveFile.
import { describe, expect, it } from 'vitest';
import { Filter, copyFile, errorClassOf, isJsyncError, moveDir, moveFile, sync, type Fs } from '../src/index.js';
import { FakeFs, FakeWorld } from './helpers/sync-fixtures.js';
import { makeCtx, mutationGuard } from './helpers/sync-context.js';
import { contents, dirs, env, sibling, t1, t2, t3 } from './helpers/sync-env.js';

const potato = '------------------------------------------------------------';

describe('move', () => {
  it('TestMoveWithDeleteEmptySrcDirs: the source ends up empty (its root stays)', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('sub dir/hello world', 'hello world', t1);
    fsrc.write('nested/sub dir/file', 'nested', t1);
    fsrc.writeDir('empty');
    const ctx = makeCtx({ deleteEmptySrcDirs: true });
    await moveDir({ ctx, fdst, fsrc });
    expect(fsrc.entries()).toEqual([]);
    expect(contents(fdst)).toEqual(['nested/sub dir/file nested', 'sub dir/hello world hello world']);
  });

  it('TestMoveWithoutDeleteEmptySrcDirs: the emptied directories stay', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('sub dir/hello world', 'hello world', t1);
    fsrc.write('nested/sub dir/file', 'nested', t1);
    await moveDir({ ctx: makeCtx(), fdst, fsrc });
    expect(fsrc.files()).toEqual([]);
    expect(dirs(fsrc)).toEqual(['nested', 'nested/sub dir', 'sub dir']);
    expect(fdst.files()).toEqual(['nested/sub dir/file', 'sub dir/hello world']);
  });

  it('TestMoveEmptyDirectories: --create-empty-src-dirs recreates them in the destination', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('sub dir/hello world', 'hello world', t1);
    fsrc.writeDir('sub dir2');
    await moveDir({ ctx: makeCtx({ createEmptySrcDirs: true }), fdst, fsrc });
    expect(dirs(fdst)).toEqual(['sub dir', 'sub dir2']);
  });

  it('TestMoveWithIgnoreExisting: sources whose destination exists are kept', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('existing', 'potato', t1);
    fsrc.write('existing-b', 'tomato', t1);
    const ctx = makeCtx({ ignoreExisting: true });
    await moveDir({ ctx, fdst, fsrc });
    expect(fsrc.files()).toEqual([]);
    fsrc.write('existing', 'newpotatoes', t2);
    await moveDir({ ctx: makeCtx({ ignoreExisting: true }), fdst, fsrc });
    expect(contents(fsrc)).toEqual(['existing newpotatoes']);
    expect(contents(fdst)).toEqual(['existing potato', 'existing-b tomato']);
  });

  it('move deletes a source whose destination is already equal, without transferring it', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('same', 'x', t1);
    fdst.write('same', 'x', t1);
    const s = await moveDir({ ctx: makeCtx(), fdst, fsrc });
    expect(fsrc.files()).toEqual([]);
    expect(s).toMatchObject({ transfers: 0, deletes: 1 });
  });

  /** rclone testServerSideMove. */
  async function serverSideMove(withFilter: boolean, deleteEmptyDirs: boolean) {
    const world = new FakeWorld();
    const ops: ('copy' | 'move' | 'dirMove')[] = ['copy', 'move', 'dirMove'];
    const fremote = new FakeFs({ name: 'remote', root: 'r', world, ops });
    const fmove = new FakeFs({ name: 'remote', root: 'move1', world, ops });
    fremote.write('potato2', potato, t1);
    fremote.write('empty space', '-', t2);
    fremote.write('potato3', `${potato} UPDATED`, t2);
    if (deleteEmptyDirs) fremote.writeDir('tomatoDir');
    fmove.write('empty space', '-', t2);
    fmove.write('potato3', potato, t1);
    const filter = withFilter ? new Filter({ minSize: 40 }) : undefined;
    const ctxOf = () => makeCtx({ deleteEmptySrcDirs: deleteEmptyDirs }, filter ? { filter } : {});
    const ctx = ctxOf();
    await moveDir({ ctx, fdst: fmove, fsrc: fremote });
    expect(ctx.logger.lines.includes(
      "INFO Fake 'remote:move1': Server side directory move failed - fallback to file moves: can't copy directory - destination already exists",
    )).toBe(!withFilter);
    expect(fremote.files()).toEqual(withFilter ? ['empty space'] : []);
    if (deleteEmptyDirs) expect(dirs(fremote)).toEqual([]);
    expect(contents(fmove)).toEqual(['empty space -', `potato2 ${potato}`, `potato3 ${potato} UPDATED`]);
    // move back into a new remote: a plain DirMove unless filtered
    const fmove2 = new FakeFs({ name: 'remote', root: 'move2', world, ops });
    if (deleteEmptyDirs) fmove.writeDir('tomatoDir');
    const ctx2 = ctxOf();
    await moveDir({ ctx: ctx2, fdst: fmove2, fsrc: fmove });
    expect(fmove2.files()).toEqual(withFilter ? ['potato2', 'potato3'] : ['empty space', 'potato2', 'potato3']);
    expect(fmove.files()).toEqual(withFilter ? ['empty space'] : []);
    expect(ctx2.logger.lines.includes("INFO Fake 'remote:move2': Server side directory move succeeded")).toBe(!withFilter);
  }

  it('TestServerSideMove', () => serverSideMove(false, false));
  it('TestServerSideMoveWithFilter', () => serverSideMove(true, false));
  it('TestServerSideMoveDeleteEmptySourceDirs', () => serverSideMove(false, true));

  it('a failing DirMove is counted and returned', async () => {
    const world = new FakeWorld();
    const boom = (op: string) => (op === 'dirMove' ? new Error('backend down') : undefined);
    const fsrc = new FakeFs({ name: 'remote', root: 'a', world, ops: ['dirMove'] });
    const fdst = new FakeFs({ name: 'remote', root: 'b', world, ops: ['dirMove'], fault: boom });
    fsrc.write('f', 'x', t1);
    const ctx = makeCtx();
    const s = await moveDir({ ctx, fdst, fsrc });
    expect(s.errors).toBe(1);
    expect(ctx.logger.at('ERROR')).toEqual(["ERROR Fake 'remote:b': Server side directory move failed: backend down"]);
  });

  it('a dry-run DirMove is only logged', async () => {
    const world = new FakeWorld();
    const fsrc = new FakeFs({ name: 'remote', root: 'a', world, ops: ['dirMove'] });
    const fdst = new FakeFs({ name: 'remote', root: 'b', world, ops: ['dirMove'] });
    fsrc.write('f', 'x', t1);
    const ctx = makeCtx({ dryRun: true });
    await moveDir({ ctx, fdst, fsrc });
    expect(world.log).toEqual([]);
    expect(ctx.logger.at('NOTICE')).toEqual(["NOTICE Fake 'remote:b': Skipped server-side directory move as --dry-run is set"]);
  });

  it('TestServerSideMoveOverlap: a move into a subdirectory of the source is refused, filter or not', async () => {
    const world = new FakeWorld();
    const fremote = new FakeFs({ name: 'remote', root: 'r', world, ops: ['move'] });
    const fsub = new FakeFs({ name: 'remote', root: 'r/rclone-move-test', world, ops: ['move'] });
    fremote.write('potato2', potato, t1);
    for (const filter of [undefined, new Filter({ minSize: 40 })]) {
      const err = await moveDir({ ctx: makeCtx({}, filter ? { filter } : {}), fdst: fsub, fsrc: fremote }).catch((e: unknown) => e);
      expect(isJsyncError(err, 'OVERLAPPING')).toBe(true);
      expect(errorClassOf(err)).toBe('fatal');
    }
    expect(fremote.files()).toEqual(['potato2']);
  });

  it('move onto itself: Nothing to do', async () => {
    const { fdst } = env();
    fdst.write('a', 'a', t1);
    const ctx = makeCtx();
    await moveDir({ ctx, fdst, fsrc: fdst });
    expect(ctx.logger.lines).toEqual(["ERROR Fake 'remote:dst': Nothing to do as source and destination are the same"]);
  });
});

describe('overlap', () => {
  it('TestSyncOverlap: every overlapping pair is fatal', async () => {
    const world = new FakeWorld();
    const root = new FakeFs({ name: 'remote', root: 'r', world });
    const sub = new FakeFs({ name: 'remote', root: 'r/rclone-sync-test', world });
    for (const [fdst, fsrc] of [[sub, root], [root, sub], [root, root], [sub, sub]] as [Fs, Fs][]) {
      const err = await sync({ ctx: makeCtx(), fdst, fsrc }).catch((e: unknown) => e);
      expect((err as Error).message).toBe("can't sync or move files on overlapping remotes (try excluding the destination with a filter rule)");
      expect(errorClassOf(err)).toBe('fatal');
    }
  });

  it('TestSyncOverlapWithFilter: a destination excluded from the source is fine', async () => {
    const world = new FakeWorld();
    const root = new FakeFs({ name: 'remote', root: 'r', world });
    root.write('file', 'f', t1);
    root.write('rclone-sync-test-ignore-file/.ignore', '-', t1);
    const filter = () => new Filter({ filter: ['- /rclone-sync-test/', '- */layer2/'], excludeIfPresent: ['.ignore'] });
    for (const sub of ['rclone-sync-test', 'rclone-sync-test-include/layer2', 'rclone-sync-test-ignore-file']) {
      const f = new FakeFs({ name: 'remote', root: `r/${sub}`, world });
      f.writeDir('');
      await expect(sync({ ctx: makeCtx({}, { filter: filter() }), fdst: f, fsrc: root })).resolves.toMatchObject({ errors: 0 });
      for (const [fdst, fsrc] of [[root, f], [root, root], [f, f]] as [Fs, Fs][]) {
        await expect(sync({ ctx: makeCtx({}, { filter: filter() }), fdst, fsrc })).rejects.toThrow('overlapping remotes');
      }
    }
  });

  it('different configs never overlap', async () => {
    const world = new FakeWorld();
    const a = new FakeFs({ name: 'one', root: 'r', world });
    const b = new FakeFs({ name: 'two', root: 'r/sub', world });
    a.write('x', 'x', t1);
    await expect(sync({ ctx: makeCtx(), fdst: b, fsrc: a })).resolves.toMatchObject({ errors: 0 });
  });
});

describe('--backup-dir and --suffix', () => {
  async function backupDirCase(backupDir: string, suffix: string, keepExt: boolean) {
    const world = new FakeWorld();
    const flocal = new FakeFs({ name: 'local', root: 'l', world: new FakeWorld() });
    const fremote = new FakeFs({ name: 'remote', root: '', world, ops: ['copy', 'move'] });
    const fdst = sibling(fremote, 'dst');
    const bdir = backupDir === '' ? undefined : sibling(fremote, backupDir);
    const filter = backupDir === '' ? new Filter({ filter: [`- *${suffix}`] }) : undefined;
    const ctxOf = () => makeCtx({ ...(bdir ? { backupDir: bdir } : {}), suffix, suffixKeepExtension: keepExt }, filter ? { filter } : {});
    fremote.write('dst/one', 'one', t1);
    fremote.write('dst/two', 'two', t1);
    fremote.write('dst/three.txt', 'three', t1);
    flocal.write('two', 'two', t1);
    flocal.write('one', 'oneA', t2);
    await sync({ ctx: ctxOf(), fdst, fsrc: flocal });
    const b = backupDir === '' ? 'dst/' : `${backupDir}/`;
    const three = keepExt ? `three${suffix}.txt` : `three.txt${suffix}`;
    expect(contents(fremote)).toEqual([`${b}one${suffix} one`, `${b}${three} three`, 'dst/one oneA', 'dst/two two'].sort());
    fremote.write('dst/three.txt', 'threeA', t2);
    flocal.write('one', 'oneBB', t3);
    await sync({ ctx: ctxOf(), fdst, fsrc: flocal });
    expect(contents(fremote)).toEqual([`${b}one${suffix} oneA`, `${b}${three} threeA`, 'dst/one oneBB', 'dst/two two'].sort());
  }
  it('TestSyncBackupDir', () => backupDirCase('backup', '', false));
  it('TestSyncBackupDirWithSuffix', () => backupDirCase('backup', '.bak', false));
  it('TestSyncBackupDirWithSuffixKeepExtension', () => backupDirCase('backup', '-2019-01-01', true));
  it('TestSyncBackupDirSuffixOnly', () => backupDirCase('', '.bak', false));

  it('--backup-dir validation errors are fatal with rclone texts', async () => {
    const world = new FakeWorld();
    const fsrc = new FakeFs({ name: 'local', root: 's', world });
    const fdst = new FakeFs({ name: 'remote', root: 'd', world, ops: ['move'] });
    fsrc.write('a', 'a', t1);
    const cases: [Fs, string][] = [
      [new FakeFs({ name: 'other', root: 'b', world, ops: ['move'] }), 'parameter to --backup-dir has to be on the same remote as destination'],
      [sibling(fdst, 'd/inner'), "destination and parameter to --backup-dir mustn't overlap"],
      [new FakeFs({ name: 'remote', root: 'b', world }), "can't use --backup-dir on a remote which doesn't support server-side move or copy"],
    ];
    for (const [backupDir, message] of cases) {
      const err = await sync({ ctx: makeCtx({ backupDir }), fdst, fsrc }).catch((e: unknown) => e);
      expect((err as Error).message).toBe(message);
      expect(errorClassOf(err)).toBe('fatal');
    }
    const samesrc = new FakeFs({ name: 'remote', root: 's2', world, ops: ['move'] });
    const err = await sync({ ctx: makeCtx({ backupDir: sibling(fdst, 's2/b') }), fdst, fsrc: samesrc }).catch((e: unknown) => e);
    expect((err as Error).message).toBe("source and parameter to --backup-dir mustn't overlap");
  });

  async function suffixCase(suffix: string, keepExt: boolean) {
    const world = new FakeWorld();
    const flocal = new FakeFs({ name: 'local', root: 'l', world });
    const fdst = new FakeFs({ name: 'remote', root: 'dst', world, ops: ['copy', 'move'] });
    fdst.write('one', 'one', t1);
    fdst.write('two', 'two', t1);
    fdst.write('three.txt', 'three', t1);
    flocal.write('two', 'two', t1);
    flocal.write('one', 'oneA', t2);
    flocal.write('three.txt', 'threeA', t1);
    const copyAll = async () => {
      for (const n of ['one', 'two', 'three.txt']) {
        const s = await copyFile({ ctx: makeCtx({ suffix, suffixKeepExtension: keepExt }), fdst, dstFileName: n, fsrc: flocal, srcFileName: n });
        expect(s.errors).toBe(0);
      }
    };
    await copyAll();
    const three = keepExt ? `three${suffix}.txt` : `three.txt${suffix}`;
    expect(contents(fdst)).toEqual([`one oneA`, `one${suffix} one`, 'three.txt threeA', `${three} three`, 'two two'].sort());
    flocal.write('three.txt', 'threeBDifferentSize', t3);
    flocal.write('one', 'oneBB', t3);
    await copyAll();
    expect(contents(fdst)).toEqual([`one oneBB`, `one${suffix} oneA`, 'three.txt threeBDifferentSize', `${three} threeA`, 'two two'].sort());
  }
  it('TestSyncSuffix', () => suffixCase('.bak', false));
  it('TestSyncSuffixKeepExtension', () => suffixCase('-2019-01-01', true));
});

describe('copyFile / moveFile', () => {
  it('copies under a new name and skips an equal destination', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('a.txt', 'hello', t1);
    const first = await copyFile({ ctx: makeCtx(), fdst, dstFileName: 'sub/b.txt', fsrc, srcFileName: 'a.txt' });
    expect(first.transfers).toBe(1);
    const again = await copyFile({ ctx: makeCtx(), fdst, dstFileName: 'sub/b.txt', fsrc, srcFileName: 'a.txt' });
    expect(again.transfers).toBe(0);
    expect(contents(fdst)).toEqual(['sub/b.txt hello']);
    expect(fsrc.files()).toEqual(['a.txt']);
  });

  it('moves under a new name; an equal destination just deletes the source', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('a', 'x', t1);
    await moveFile({ ctx: makeCtx(), fdst, dstFileName: 'b', fsrc, srcFileName: 'a' });
    expect([fsrc.files(), fdst.files()]).toEqual([[], ['b']]);
    fsrc.write('a', 'x', t1);
    const s = await moveFile({ ctx: makeCtx(), fdst, dstFileName: 'b', fsrc, srcFileName: 'a' });
    expect(s).toMatchObject({ transfers: 0, deletes: 1 });
    expect(fsrc.files()).toEqual([]);
  });

  it('a missing source throws (object not found), counted', async () => {
    const { fsrc, fdst } = env();
    const ctx = makeCtx();
    await expect(copyFile({ ctx, fdst, dstFileName: 'x', fsrc, srcFileName: 'nope' })).rejects.toThrow('object not found');
    expect(ctx.stats.errors).toBe(1);
  });

  it('the same path is a no-op', async () => {
    const { fdst, world } = env();
    fdst.write('a', 'x', t1);
    const ctx = makeCtx();
    await moveFile({ ctx, fdst, dstFileName: 'a', fsrc: fdst, srcFileName: 'a' });
    expect(world.log).toEqual([]);
    expect(ctx.logger.lines).toEqual(["DEBUG Fake 'remote:dst': don't need to copy/move a, it is already at target location"]);
  });

  it('a case-only rename on a case-insensitive remote goes through a temporary name', async () => {
    const world = new FakeWorld(true);
    const f = new FakeFs({ name: 'remote', root: 'r', world, ops: ['move'] });
    f.write('hello.txt', 'x', t1);
    await moveFile({ ctx: makeCtx(), fdst: f, dstFileName: 'Hello.txt', fsrc: f, srcFileName: 'hello.txt' });
    expect(f.files()).toEqual(['Hello.txt']);
    expect(world.log).toHaveLength(2);
    expect(world.log[0]).toMatch(/^move remote:r\/Hello\.txt-rclone-move-[A-Za-z0-9]{8}$/);
  });

  it('dry-run copyFile makes no mutating call', async () => {
    const { fsrc, fdst } = env({ dst: { ops: ['move'] } });
    fsrc.write('a', 'x', t1);
    fdst.write('a', 'old', t1);
    const g = mutationGuard(fdst);
    const s = await copyFile({ ctx: makeCtx({ dryRun: true, suffix: '.bak' }), fdst: g, dstFileName: 'a', fsrc, srcFileName: 'a' });
    expect(g.attempts).toEqual([]);
    expect(s.errors).toBe(0);
  });
});
