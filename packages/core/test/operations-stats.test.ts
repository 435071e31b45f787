import { describe, expect, it } from 'vitest';
import {
  type OperationContext, type TransferOptions, Stats, copyObject, deleteFile, moveObject, nullLogger, resolveTransferOptions,
} from '../src/index.js';
import { FakeFs } from './helpers/fake-fs.js';

const T0 = '2001-02-03T04:05:06Z';

function ctxWith(opts: Partial<TransferOptions> = {}): { ctx: OperationContext; stats: Stats } {
  const stats = new Stats();
  return { ctx: { options: resolveTransferOptions(opts), stats, logger: nullLogger }, stats };
}

// The counters rclone v1.60.1 prints for the same single-object operations (see the -vv captures in the report).
describe('operations against the real Stats', () => {
  it('a streamed copy is one transfer of its bytes', async () => {
    const { ctx, stats } = ctxWith();
    await copyObject(ctx, { fdst: new FakeFs({ name: 'b' }), remote: 'a', src: new FakeFs({ name: 'a' }).seed('a', 'hello', T0) });
    expect([stats.transfers, stats.bytes, stats.checks, stats.errors]).toEqual([1, 5, 0, 0]);
  });

  it('a dry-run copy counts as a transfer with its size', async () => {
    const { ctx, stats } = ctxWith({ dryRun: true });
    await copyObject(ctx, { fdst: new FakeFs({ name: 'b' }), remote: 'a', src: new FakeFs({ name: 'a' }).seed('a', 'hello', T0) });
    expect([stats.transfers, stats.bytes]).toEqual([1, 5]);
  });

  it('a server-side move is a check and a rename, not a transfer', async () => {
    const f = new FakeFs({ name: 'r', move: true });
    const { ctx, stats } = ctxWith();
    await moveObject(ctx, { fdst: f, remote: 'b', src: f.seed('a', 'hello', T0) });
    expect([stats.transfers, stats.checks, stats.renames, stats.deletes]).toEqual([0, 1, 1, 0]);
  });

  it('a move across remotes is a transfer, a delete, two checks and a rename', async () => {
    const { ctx, stats } = ctxWith();
    await moveObject(ctx, { fdst: new FakeFs({ name: 'b' }), remote: 'a', src: new FakeFs({ name: 'a' }).seed('a', 'hello', T0) });
    expect([stats.transfers, stats.checks, stats.renames, stats.deletes, stats.bytes]).toEqual([1, 2, 1, 1, 5]);
  });

  it('a failed copy counts one error; a delete counts a check and a delete', async () => {
    const { ctx, stats } = ctxWith();
    const fdst = new FakeFs({ name: 'b' });
    fdst.faults.failUpload = { afterBytes: 0, times: 1, error: () => new Error('disk full') };
    await copyObject(ctx, { fdst, remote: 'a', src: new FakeFs({ name: 'a' }).seed('a', 'hello', T0) }).catch(() => undefined);
    expect([stats.transfers, stats.errors]).toEqual([0, 1]);
    await deleteFile(ctx, fdst.seed('x', 'y', T0));
    expect([stats.checks, stats.deletes, stats.errors]).toEqual([1, 1, 1]);
  });
});
