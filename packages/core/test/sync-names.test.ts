// Names (Unicode normalisation, case, collisions, file/dir clashes), immutability, cancellation, the Pipe.
import { describe, expect, it } from 'vitest';
import { Pipe, copyDir, errorClassOf, fatalError, isJsyncError, jsyncError, sync } from '../src/index.js';
import { FakeFs, FakeWorld } from './helpers/sync-fixtures.js';
import { makeCtx } from './helpers/sync-context.js';
import { contents, env, t1, t2 } from './helpers/sync-env.js';

describe('names', () => {
  it('TestSyncUTFNorm: one transfer, the destination keeps its own normalisation', async () => {
    const { fsrc, fdst } = env();
    const encoding1 = 'Test\u00ea\u00e9';
    const encoding2 = 'Teste\u0302e\u0301';
    fsrc.write(encoding1, 'This is a test', t1);
    fdst.write(encoding2, 'This is a old test', t2);
    const s = await sync({ ctx: makeCtx(), fdst, fsrc });
    expect(s.transfers).toBe(1);
    expect(contents(fdst)).toEqual([`${encoding2} This is a test`]);
  });

  it('TestSyncIgnoreCase: differently-cased but identical files are not copied', async () => {
    const { fsrc, fdst, world } = env();
    fsrc.write('existing', 'potato', t1);
    fdst.write('EXISTING', 'potato', t1);
    const s = await sync({ ctx: makeCtx({ ignoreCaseSync: true }), fdst, fsrc });
    expect(fdst.files()).toEqual(['EXISTING']);
    expect(world.log).toEqual([]);
    expect(s.transfers).toBe(0);
  });

  it('case collision in the source: both reported, neither copied, the rest synced, nothing deleted', async () => {
    const fsrc = new FakeFs({ name: 'local', root: 'src' });
    const fdst = new FakeFs({ name: 'remote', root: 'dst', world: new FakeWorld(true) });
    fsrc.write('A.txt', 'upper', t1);
    fsrc.write('a.txt', 'lower', t1);
    fsrc.write('other', 'o', t1);
    fdst.write('a.txt', 'old', t1);
    fdst.write('stale', 's', t1);
    const ctx = makeCtx();
    const s = await sync({ ctx, fdst, fsrc });
    expect(contents(fdst)).toEqual(['a.txt old', 'other o', 'stale s']);
    expect(s.errors).toBe(2);
    expect(s.error).toBeDefined();
    expect(ctx.logger.at('ERROR').slice(0, 2)).toEqual([
      'ERROR A.txt: name collides with "a.txt" on the destination (same name after case folding or Unicode normalisation) - skipping all of them',
      'ERROR a.txt: name collides with "A.txt" on the destination (same name after case folding or Unicode normalisation) - skipping all of them',
    ]);
    expect(ctx.logger.lines).toContain("ERROR Fake 'remote:dst': not deleting files as there were IO errors");
  });

  it('a file and a directory of the same name are not paired (as rclone): the backend refuses, nothing is deleted', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('y', 'file', t1);
    fdst.write('y/g', 'inner', t1);
    fsrc.write('x/f', 'inner', t1);
    fdst.write('x', 'file', t1);
    const ctx = makeCtx();
    const s = await sync({ ctx, fdst, fsrc });
    expect(s.errors).toBe(2);
    expect(contents(fdst)).toEqual(['x file', 'y/g inner']);
    expect(ctx.logger.at('ERROR').slice(0, 2).sort()).toEqual([
      'ERROR x/f: Failed to copy: mkdir dst/x: not a directory',
      'ERROR y: Failed to copy: open dst/y: is a directory',
    ]);
  });

  it('an empty source directory over a destination file: sync just deletes the file (as rclone)', async () => {
    const { fsrc, fdst } = env();
    fsrc.writeDir('c/c/c');
    fdst.write('c/c', 'file', t1);
    const s = await sync({ ctx: makeCtx(), fdst, fsrc });
    expect(s.errors).toBe(0);
    expect(fdst.files()).toEqual([]);
  });

  it('TestSyncImmutable: a changed immutable file is an error and nothing is modified', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('existing', 'potato', t1);
    await sync({ ctx: makeCtx({ immutable: true }), fdst, fsrc });
    fsrc.write('existing', 'tomatoes', t2);
    const s = await sync({ ctx: makeCtx({ immutable: true }), fdst, fsrc });
    expect(isJsyncError(s.error, 'IMMUTABLE_MODIFIED')).toBe(true);
    expect(errorClassOf(s.error)).toBe('noRetry');
    expect(contents(fdst)).toEqual(['existing potato']);
  });

  it('--no-check-dest: rejected with sync and --immutable; copy transfers everything without looking', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('a', 'a', t1);
    fdst.write('a', 'a', t1);
    await expect(sync({ ctx: makeCtx({ noCheckDest: true }), fdst, fsrc })).rejects.toThrow("can't use --no-check-dest with sync: use copy instead");
    await expect(copyDir({ ctx: makeCtx({ noCheckDest: true, immutable: true }), fdst, fsrc })).rejects.toThrow("can't use --no-check-dest with --immutable");
    const s = await copyDir({ ctx: makeCtx({ noCheckDest: true }), fdst, fsrc });
    expect(s.transfers).toBe(1);
    expect(fdst.listCalls).toBe(0);
  });
});

describe('cancellation', () => {
  it('a fatal transfer error cancels the run and is thrown', async () => {
    const fatal = fatalError(jsyncError('IO', { message: 'quota gone' }));
    const { fsrc, fdst } = env({ dst: { fault: (op) => (op === 'put' ? fatal : undefined) } });
    for (let i = 0; i < 20; i++) fsrc.write(`f${i}`, 'x', t1);
    fdst.write('old', 'o', t1);
    const ctx = makeCtx();
    const err = await sync({ ctx, fdst, fsrc }).catch((e: unknown) => e);
    expect(errorClassOf(err)).toBe('fatal');
    expect(ctx.logger.lines.filter((l) => l.startsWith('ERROR Cancelling sync'))).toEqual(['ERROR Cancelling sync due to fatal error: quota gone']);
    expect(fdst.files()).toEqual(['old']);
    expect(ctx.logger.lines.filter((l) => l.includes('Failed to copy')).length).toBeLessThan(20);
  });

  it('TestMaxTransfer: HARD cutoff is fatal; SOFT stops taking new transfers, lets running ones finish', async () => {
    const mk = () => {
      const e = env();
      for (let i = 1; i <= 5; i++) e.fsrc.write(`f${i}`, 'x'.repeat(1000), t1);
      return e;
    };
    const hard = mk();
    const err = await copyDir({ ctx: makeCtx({ maxTransfer: 2500 }), fdst: hard.fdst, fsrc: hard.fsrc }).catch((e: unknown) => e);
    expect(isJsyncError(err, 'MAX_TRANSFER_REACHED')).toBe(true);
    expect(errorClassOf(err)).toBe('fatal');
    expect(hard.fdst.files()).toEqual(['f1', 'f2']);
    const soft = mk();
    const ctx = makeCtx({ maxTransfer: 2500, cutoffMode: 'SOFT' });
    const s = await copyDir({ ctx, fdst: soft.fdst, fsrc: soft.fsrc });
    expect(soft.fdst.files()).toEqual(['f1', 'f2', 'f3']);
    expect(isJsyncError(s.error, 'MAX_TRANSFER_REACHED')).toBe(true);
    expect(errorClassOf(s.error)).toBe('noRetry');
    expect(ctx.logger.at('NOTICE')).toEqual(['NOTICE max transfer limit reached as set by --max-transfer - stopping transfers']);
  });

  it("the caller's abort stops the run and rejects with its reason", async () => {
    const { fsrc, fdst } = env();
    for (let i = 0; i < 50; i++) fsrc.write(`d${i % 5}/f${i}`, 'x', t1);
    fdst.write('old', 'o', t1);
    const ac = new AbortController();
    const reason = new Error('interrupted');
    let puts = 0;
    const slow = Object.create(fdst) as FakeFs;
    slow.put = async (input, src) => {
      if (++puts === 3) ac.abort(reason);
      return fdst.put(input, src);
    };
    await expect(sync({ ctx: makeCtx({}, { signal: ac.signal }), fdst: slow, fsrc })).rejects.toBe(reason);
    expect(fdst.files()).toContain('old');
    expect(fdst.files().length).toBeLessThan(20);
  });
});

describe('Pipe', () => {
  it('blocks producers at the backlog and hands items over in FIFO order', async () => {
    const p = new Pipe<number>(2);
    const events: string[] = [];
    const producer = (async () => {
      for (let i = 0; i < 5; i++) {
        await p.put(i);
        events.push(`put${i}`);
      }
      p.close();
    })();
    await new Promise((r) => setTimeout(r, 5));
    expect(events).toEqual(['put0', 'put1']);
    const got: number[] = [];
    for (let n = await p.get(); n !== undefined; n = await p.get()) got.push(n.item);
    await producer;
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  it('an unbounded pipe never blocks; cancellation releases everyone', async () => {
    const free = new Pipe<number>(-1);
    for (let i = 0; i < 100; i++) expect(await free.put(i)).toBe(true);
    expect(free.length).toBe(100);
    const ac = new AbortController();
    const p = new Pipe<number>(1, ac.signal);
    await p.put(1);
    const blocked = p.put(2);
    const empty = new Pipe<number>(1, ac.signal);
    const waiting = empty.get();
    ac.abort();
    expect(await blocked).toBe(false);
    expect(await waiting).toBeUndefined();
  });

  it('many producers and consumers with backlog 1 never deadlock', async () => {
    const p = new Pipe<number>(1);
    const got: number[] = [];
    const consumers = [0, 1, 2].map(async () => {
      for (let n = await p.get(); n !== undefined; n = await p.get()) {
        got.push(n.item);
        if (n.item % 3 === 0) await new Promise((r) => setTimeout(r, 0));
      }
    });
    await Promise.all([0, 1, 2, 3].map(async (k) => {
      for (let i = 0; i < 25; i++) await p.put(k * 100 + i);
    }));
    p.close();
    await Promise.all(consumers);
    expect(got).toHaveLength(100);
  });
});
