// rclone check semantics (§5.10, §7.9): log lines, summary, report lines, --one-way, --size-only, --download.
import { describe, expect, it } from 'vitest';
import { check, streamsDiffer, type CheckReport } from '../src/index.js';
import { FakeFs, FakeWorld } from './helpers/sync-fixtures.js';
import { makeCtx } from './helpers/sync-context.js';
import { env, t1 } from './helpers/sync-env.js';

type Lines = Record<'combined' | 'differ' | 'missingOnSrc' | 'missingOnDst' | 'match' | 'error', string[]>;
function collect(): { report: CheckReport; lines: Lines } {
  const lines: Lines = { combined: [], differ: [], missingOnSrc: [], missingOnDst: [], match: [], error: [] };
  const report: CheckReport = {};
  for (const k of Object.keys(lines) as (keyof Lines)[]) report[k] = (l) => void lines[k].push(l);
  return { report, lines };
}

/** The §7.9 fixture: a.txt differs in size, dir1/b.txt missing on dst, extra.txt only on dst. */
function fixture() {
  const e = env();
  e.fsrc.write('a.txt', 'hello', t1);
  e.fdst.write('a.txt', 'hello!', t1);
  e.fsrc.write('dir1/b.txt', 'b', t1);
  e.fdst.write('extra.txt', 'x', t1);
  for (const f of [e.fsrc, e.fdst]) {
    f.write('dir2/empty.txt', '', t1);
    f.write('dir1/sub/c.bin', 'ccc', t1);
  }
  return e;
}

describe('check', () => {
  it('reports like rclone: ERROR per problem, NOTICE summary with the Fs as subject, N differences found', async () => {
    const { fsrc, fdst } = fixture();
    const ctx = makeCtx();
    const { report, lines } = collect();
    const r = await check({ ctx, fsrc, fdst, report });
    expect(ctx.logger.lines.filter((l) => !l.startsWith('DEBUG'))).toEqual([
      'INFO Using md5 for hash comparisons',
      "ERROR extra.txt: file not in Fake 'local:src'",
      'ERROR a.txt: sizes differ',
      "ERROR dir1/b.txt: file not in Fake 'remote:dst'",
      "NOTICE Fake 'remote:dst': 1 files missing",
      "NOTICE Fake 'local:src': 1 files missing",
      "NOTICE Fake 'remote:dst': 3 differences found",
      "NOTICE Fake 'remote:dst': 3 errors while checking",
      "NOTICE Fake 'remote:dst': 2 matching files",
    ]);
    expect((r.error as Error).message).toBe('3 differences found');
    expect(ctx.stats.errors).toBe(3);
    expect(r).toMatchObject({ differences: 3, missingOnSrc: 1, missingOnDst: 1, matches: 2, noHashes: 0 });
    expect(lines.combined.slice(0, 3)).toEqual(['- extra.txt', '* a.txt', '+ dir1/b.txt']);
    expect(lines.combined.slice(3).sort()).toEqual(['= dir1/sub/c.bin', '= dir2/empty.txt']);
    expect(lines).toMatchObject({
      differ: ['a.txt'], missingOnSrc: ['extra.txt'], missingOnDst: ['dir1/b.txt'], error: [],
    });
    expect(ctx.stats.checks).toBe(3);
  });

  it('identical trees: 0 differences found, N matching files, no error', async () => {
    const { fsrc, fdst } = env();
    for (const f of [fsrc, fdst]) for (const n of ['a', 'b/c', 'b/d', 'e']) f.write(n, n, t1);
    const ctx = makeCtx();
    const r = await check({ ctx, fsrc, fdst });
    expect(r.error).toBeUndefined();
    expect(ctx.logger.at('NOTICE')).toEqual(["NOTICE Fake 'remote:dst': 0 differences found", "NOTICE Fake 'remote:dst': 4 matching files"]);
    expect(ctx.logger.at('DEBUG')).toContain('DEBUG a: OK');
  });

  it('same size, different content: md5 differ', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('a.txt', 'aaa', t1);
    fdst.write('a.txt', 'bbb', t1);
    const ctx = makeCtx();
    const { report, lines } = collect();
    await check({ ctx, fsrc, fdst, report });
    expect(ctx.logger.at('ERROR')).toEqual(['ERROR a.txt: md5 differ']);
    expect(lines.combined).toEqual(['* a.txt']);
  });

  it('--one-way ignores destination-only files; --size-only ignores content', async () => {
    const { fsrc, fdst } = fixture();
    fsrc.write('same-size', 'aaa', t1);
    fdst.write('same-size', 'bbb', t1);
    const ctx = makeCtx();
    const r = await check({ ctx, fsrc, fdst, oneWay: true, sizeOnly: true });
    expect(r).toMatchObject({ differences: 2, missingOnSrc: 0, matches: 3 });
    expect(ctx.logger.at('ERROR')).toEqual(['ERROR a.txt: sizes differ', "ERROR dir1/b.txt: file not in Fake 'remote:dst'"]);
    expect(ctx.logger.lines).toContain('INFO Using md5 for hash comparisons');
  });

  it('--download compares bytes (no hash message, no per-file log for a content difference)', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('a', 'hello\n', t1);
    fdst.write('a', 'hellO\n', t1);
    fsrc.write('same', 'same\n', t1);
    fdst.write('same', 'same\n', t1);
    const ctx = makeCtx();
    const { report, lines } = collect();
    const r = await check({ ctx, fsrc, fdst, download: true, report });
    expect(r).toMatchObject({ differences: 1, matches: 1 });
    expect(ctx.logger.lines.filter((l) => !l.startsWith('NOTICE'))).toEqual([
      "DEBUG Fake 'remote:dst': Waiting for checks to finish",
      'DEBUG same: OK',
    ]);
    expect(lines.combined.sort()).toEqual(['* a', '= same']);
    expect(ctx.stats.transferred).toEqual(['a', 'a', 'same', 'same']);
    expect(ctx.stats.bytes).toBe(22);
  });

  it('--download read errors are reported as errors (!), not differences', async () => {
    const { fsrc, fdst } = env({ dst: { fault: (op) => (op === 'open' ? new Error('gone') : undefined) } });
    fsrc.write('a', 'x', t1);
    fdst.write('a', 'x', t1);
    const ctx = makeCtx();
    const { report, lines } = collect();
    const r = await check({ ctx, fsrc, fdst, download: true, report });
    expect(ctx.logger.at('ERROR')).toEqual(['ERROR a: failed to download: failed to open "a": gone']);
    expect(lines.combined).toEqual(['! a']);
    expect(r).toMatchObject({ differences: 0, errors: 1 });
    expect(r.error).toBeUndefined();
  });

  it('no common hash: ERROR at the start, files count as hashes that could not be checked', async () => {
    const world = new FakeWorld();
    const fsrc = new FakeFs({ name: 'a', root: 's', world, hashes: [] });
    const fdst = new FakeFs({ name: 'b', root: 'd', world });
    fsrc.write('f', 'x', t1);
    fdst.write('f', 'x', t1);
    const ctx = makeCtx();
    const r = await check({ ctx, fsrc, fdst });
    expect(ctx.logger.lines[0]).toBe('ERROR No common hash found - not using a hash for checks');
    expect(r).toMatchObject({ noHashes: 1, matches: 1 });
    expect(ctx.logger.at('NOTICE')).toEqual([
      "NOTICE Fake 'b:d': 0 differences found", "NOTICE Fake 'b:d': 1 hashes could not be checked", "NOTICE Fake 'b:d': 1 matching files",
    ]);
    expect(ctx.logger.at('DEBUG')).toContain('DEBUG f: OK - could not check hash');
  });

  it('a hash read error is an error line and a ! report', async () => {
    const { fsrc, fdst } = env({ src: { fault: (op) => (op === 'hash' ? new Error('io') : undefined) } });
    fsrc.write('f', 'x', t1);
    fdst.write('f', 'x', t1);
    const ctx = makeCtx();
    const { report, lines } = collect();
    const r = await check({ ctx, fsrc, fdst, report });
    expect(ctx.logger.at('ERROR')).toEqual(['ERROR f: Failed to calculate src hash: io', 'ERROR f: io']);
    expect(lines.error).toEqual(['f']);
    expect(ctx.stats.errors).toBe(1);
    expect(r.matches).toBe(0);
  });

  it('a source listing error is the returned error', async () => {
    const { fsrc, fdst } = env({ src: { fault: (op, p) => (op === 'list' && p === 'bad' ? new Error('denied') : undefined) } });
    fsrc.write('bad/x', 'x', t1);
    fdst.write('bad/x', 'x', t1);
    const r = await check({ ctx: makeCtx(), fsrc, fdst });
    expect((r.error as Error).message).toBe('denied');
  });

  it('dry-run skips the comparisons with rclone NOTICE', async () => {
    const { fsrc, fdst } = env();
    fsrc.write('a', 'abc', t1);
    fdst.write('a', 'xyz', t1);
    const ctx = makeCtx({ dryRun: true });
    const r = await check({ ctx, fsrc, fdst });
    expect(ctx.logger.at('NOTICE')[0]).toBe('NOTICE a: Skipped check as --dry-run is set (size 3)');
    expect(r.differences).toBe(0);
  });

  it('case collisions in the source are errors and differences', async () => {
    const fsrc = new FakeFs({ name: 'a', root: 's' });
    const fdst = new FakeFs({ name: 'b', root: 'd', world: new FakeWorld(true) });
    fsrc.write('X', '1', t1);
    fsrc.write('x', '2', t1);
    const { report, lines } = collect();
    const r = await check({ ctx: makeCtx(), fsrc, fdst, report });
    expect(lines.error).toEqual(['X', 'x']);
    expect((r.error as Error).message).toBe('2 differences found');
  });

  it('checks pairs concurrently up to --checkers', async () => {
    const { fsrc, fdst } = env();
    for (let i = 0; i < 12; i++) {
      fsrc.write(`f${i}`, `${i}`, t1);
      fdst.write(`f${i}`, `${i}`, t1);
    }
    let inFlight = 0;
    let peak = 0;
    const slow = Object.create(fdst) as FakeFs;
    slow.list = async function* (dir: string) {
      for await (const page of fdst.list(dir)) {
        yield page.map((e) => {
          if (e.isDir) return e;
          const o = Object.create(e) as typeof e;
          o.hash = async (t) => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            await new Promise((r) => setTimeout(r, 3));
            inFlight--;
            return e.hash(t);
          };
          return o;
        });
      }
    };
    const r = await check({ ctx: makeCtx({ checkers: 4 }), fsrc, fdst: slow });
    expect(r.matches).toBe(12);
    expect(peak).toBe(4);
  });
});

describe('streamsDiffer', () => {
  const chunks = async function* (...parts: string[]) {
    for (const p of parts) yield Buffer.from(p);
  };
  it('ignores chunk boundaries and spots any difference, including length', async () => {
    expect(await streamsDiffer(chunks('ab', 'cdef'), chunks('abc', 'd', 'ef'))).toBe(false);
    expect(await streamsDiffer(chunks('abcdef'), chunks('abcdeg'))).toBe(true);
    expect(await streamsDiffer(chunks('abc'), chunks('abc', 'd'))).toBe(true);
    const big = 'z'.repeat(200_000);
    expect(await streamsDiffer(chunks(big), chunks(big.slice(0, 70_000), big.slice(70_000)))).toBe(false);
    expect(await streamsDiffer(chunks(), chunks())).toBe(false);
  });
});
