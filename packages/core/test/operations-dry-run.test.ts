import { describe, expect, it } from 'vitest';
import {
  type Fs, cleanUp, copyObject, deleteFile, deleteFiles, deleteTree, equal, mkdirIfNeeded, moveObject, moveToBackupDir,
  needTransfer, purge, rmdirs, tryRmdir,
} from '../src/index.js';
import { FakeFs } from './helpers/fake-fs.js';
import { guardFs, type GuardLog } from './helpers/guard-fs.js';
import { makeCtx } from './helpers/context.js';

const T0 = '2001-02-03T04:05:06.499999999Z';
const T1 = '2001-02-03T05:05:06.499999999Z';

function setup(): { src: Fs; dst: Fs; bk: Fs; log: GuardLog; raw: FakeFs[] } {
  const log: GuardLog = { attempts: [] };
  const all = { copy: true, move: true, purge: true, putStream: true, cleanUp: true };
  const s = new FakeFs({ name: 'r', root: 'src', ...all });
  const d = new FakeFs({ name: 'r', root: 'dst', ...all });
  const b = new FakeFs({ name: 'r', root: 'bk', ...all });
  s.seed('same.txt', 'hello', T0);
  d.seed('same.txt', 'hello', T1); // modtime differs only → would be a setModTime
  s.seed('new.txt', 'new', T0);
  s.seed('changed.txt', 'changed!', T0);
  d.seed('changed.txt', 'old', T1);
  d.seed('extra/gone.txt', 'bye', T0);
  d.seedDir('empty/deeper');
  b.seed('changed.txt', 'previous backup', T0);
  return { src: guardFs(s, log), dst: guardFs(d, log), bk: guardFs(b, log), log, raw: [s, d, b] };
}

describe('--dry-run makes zero mutating calls', () => {
  it('across every operation, on server-side capable and plain remotes', async () => {
    const { src, dst, bk, log, raw } = setup();
    const before = raw.map((f) => JSON.stringify([...f.files].map(([k, v]) => [k, v.data.toString(), v.modTime.toString()])));
    const { ctx, logger, stats } = makeCtx({ dryRun: true, suffix: '.old' });
    const same = await src.newObject('same.txt');
    const dstSame = await dst.newObject('same.txt');
    expect(await equal(ctx, same, dstSame)).toBe(true);
    expect(await needTransfer(ctx, same, dstSame)).toBe(false);
    const changed = await src.newObject('changed.txt');
    const dstChanged = await dst.newObject('changed.txt');
    expect(await needTransfer(ctx, changed, dstChanged)).toBe(true);
    await copyObject(ctx, { fdst: dst, dst: dstChanged, remote: 'changed.txt', src: changed });
    await copyObject(ctx, { fdst: dst, remote: 'new.txt', src: await src.newObject('new.txt') });
    await moveObject(ctx, { fdst: dst, dst: dstChanged, remote: 'changed.txt', src: changed });
    await moveToBackupDir(ctx, dstChanged, bk);
    await deleteFile(ctx, await dst.newObject('extra/gone.txt'));
    await deleteFile(ctx, await dst.newObject('extra/gone.txt'), { backupDir: bk });
    await deleteFiles(ctx, [await dst.newObject('extra/gone.txt')]);
    await deleteTree(ctx, dst, '');
    await mkdirIfNeeded(ctx, dst, 'made');
    await tryRmdir(ctx, dst, 'empty/deeper');
    await rmdirs(ctx, dst, '', { leaveRoot: true });
    await purge(ctx, dst, 'extra');
    await cleanUp(ctx, dst);
    expect(log.attempts).toEqual([]);
    expect(raw.map((f) => JSON.stringify([...f.files].map(([k, v]) => [k, v.data.toString(), v.modTime.toString()])))).toEqual(before);
    expect(raw.flatMap((f) => f.calls)).toEqual([]);
    expect(stats.errors).toBe(0);
    const notices = logger.text('NOTICE');
    expect(notices).toEqual(expect.arrayContaining([
      'NOTICE same.txt: Skipped update modification time as --dry-run is set (size 5)',
      'NOTICE changed.txt: Skipped copy as --dry-run is set (size 8)',
      'NOTICE new.txt: Skipped copy as --dry-run is set (size 3)',
      'NOTICE changed.txt: Skipped move as --dry-run is set (size 8)',
      'NOTICE changed.txt: Skipped move as --dry-run is set (size 3)',
      'NOTICE extra/gone.txt: Skipped delete as --dry-run is set (size 3)',
      'NOTICE extra/gone.txt: Skipped move into backup dir as --dry-run is set (size 3)',
      'NOTICE made: Skipped make directory as --dry-run is set',
      'NOTICE empty/deeper: Skipped remove directory as --dry-run is set',
      'NOTICE extra: Skipped purge directory as --dry-run is set',
      "NOTICE Fake root 'dst': Skipped clean up old files as --dry-run is set",
    ]));
  });

  it('the plain (no optional features) fallbacks are dry-run safe too', async () => {
    const log: GuardLog = { attempts: [] };
    const s = new FakeFs({ name: 'a' });
    const d = new FakeFs({ name: 'b' });
    s.seed('big', Buffer.alloc(200 * 1024, 1), T0, { unknownSize: true });
    d.seed('x/y', 'z', T0);
    const src = guardFs(s, log);
    const dst = guardFs(d, log);
    const { ctx } = makeCtx({ dryRun: true });
    await copyObject(ctx, { fdst: dst, remote: 'big', src: await src.newObject('big') });
    await moveObject(ctx, { fdst: dst, remote: 'big', src: await src.newObject('big') });
    await purge(ctx, dst, 'x');
    expect(log.attempts).toEqual([]);
    expect([s.calls, d.calls]).toEqual([[], []]);
  });

  it('the guard itself catches a mutation (sanity check of the harness)', async () => {
    const { src, dst, log } = setup();
    const { ctx } = makeCtx();
    await copyObject(ctx, { fdst: dst, remote: 'new.txt', src: await src.newObject('new.txt') }).catch(() => undefined);
    expect(log.attempts).toEqual(['copy new.txt']);
  });
});
