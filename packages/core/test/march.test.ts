import { describe, expect, it } from 'vitest';
import { Filter, type DirEntry, type Fs, goToLower, march, matchListings, matchTransforms, jsyncError } from '../src/index.js';
import { FakeFs, FakeWorld } from './helpers/sync-fixtures.js';
import { makeCtx, type TestContext } from './helpers/sync-context.js';

interface Seen {
  srcOnly: string[];
  dstOnly: string[];
  match: string[];
  collisions: string[][];
}

async function run(
  ctx: TestContext, fsrc: Fs, fdst: Fs, extra: Partial<Parameters<typeof march>[0]> = {},
): Promise<Seen & { error?: unknown }> {
  const seen: Seen = { srcOnly: [], dstOnly: [], match: [], collisions: [] };
  let error: unknown;
  try {
    await march({
      ctx, fsrc, fdst,
      srcOnly: async (e) => (seen.srcOnly.push(e.remote + (e.isDir ? '/' : '')), e.isDir),
      dstOnly: async (e) => (seen.dstOnly.push(e.remote + (e.isDir ? '/' : '')), e.isDir),
      match: async (s, d) => (seen.match.push(`${s.remote}${s.isDir ? '/' : ''}=${d.remote}${d.isDir ? '/' : ''}`), s.isDir && d.isDir),
      collision: (g) => seen.collisions.push(g.map((e) => e.remote)),
      ...extra,
    });
  } catch (err) {
    error = err;
  }
  for (const k of ['srcOnly', 'dstOnly', 'match'] as const) seen[k].sort();
  return error === undefined ? seen : { ...seen, error };
}

function pair(opts: { ci?: boolean } = {}) {
  const fsrc = new FakeFs({ name: 'src' });
  const fdst = new FakeFs({ name: 'dst', world: new FakeWorld(opts.ci ?? false) });
  return { fsrc, fdst };
}

describe('march', () => {
  it('pairs entries per directory and recurses as the callbacks ask', async () => {
    const { fsrc, fdst } = pair();
    fsrc.write('a.txt', 'a');
    fsrc.write('both.txt', 'b');
    fsrc.write('sub/x', 'x');
    fsrc.write('new/deep/y', 'y');
    fdst.write('both.txt', 'B');
    fdst.write('sub/x', 'x');
    fdst.write('old/z', 'z');
    const seen = await run(makeCtx(), fsrc, fdst);
    expect(seen).toEqual({
      srcOnly: ['a.txt', 'new/', 'new/deep/', 'new/deep/y'],
      dstOnly: ['old/', 'old/z'],
      match: ['both.txt=both.txt', 'sub/=sub/', 'sub/x=sub/x'],
      collisions: [],
    });
  });

  it('treats a missing destination as empty', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    const fdst = new FakeFs({ name: 'dst', root: 'nothing/here' });
    fsrc.write('a', 'a');
    const ctx = makeCtx();
    const seen = await run(ctx, fsrc, fdst);
    expect(seen.srcOnly).toEqual(['a']);
    expect(ctx.stats.errors).toBe(0);
  });

  it('counts a source listing error, skips that subtree and rejects at the end', async () => {
    const fsrc = new FakeFs({ name: 'src', fault: (op, p) => (op === 'list' && p === 'bad' ? new Error('boom') : undefined) });
    const fdst = new FakeFs({ name: 'dst' });
    fsrc.write('bad/a', 'a');
    fsrc.write('good/b', 'b');
    fdst.write('bad/old', 'o');
    const ctx = makeCtx();
    const seen = await run(ctx, fsrc, fdst);
    expect(seen.srcOnly).toEqual(['good/', 'good/b']);
    expect(seen.match).toEqual(['bad/=bad/']);
    expect(seen.dstOnly).toEqual([]); // nothing inside bad/ was visited
    expect(ctx.stats.errors).toBe(1);
    expect((seen.error as Error).message).toBe('boom');
    expect(ctx.logger.at('ERROR')).toEqual(['ERROR bad: error reading source directory: boom']);
  });

  it('reports the source root listing error with the Fs as subject, and several errors together', async () => {
    const fsrc = new FakeFs({ name: 'src', root: 'missing' });
    const ctx = makeCtx();
    const seen = await run(ctx, fsrc, new FakeFs({ name: 'dst' }));
    expect(ctx.logger.at('ERROR')).toEqual([`ERROR Fake 'src:missing': error reading source root directory: directory not found`]);
    expect(ctx.stats.errors).toBe(1);
    const bad = new FakeFs({ name: 'src', fault: (op, p) => (op === 'list' && p !== '' ? new Error(`no ${p}`) : undefined) });
    bad.write('a/1', '1');
    bad.write('b/2', '2');
    const r2 = await run(makeCtx(), bad, new FakeFs({ name: 'dst' }));
    expect((r2.error as Error).message).toMatch(/^march failed with 2 error\(s\): first error: no [ab]$/);
    expect(seen.error).toBeDefined();
  });

  it('a destination listing error (other than not found) is counted and the directory is skipped', async () => {
    const { fsrc } = pair();
    const fdst = new FakeFs({ name: 'dst', fault: (op, p) => (op === 'list' && p === 'd' ? new Error('denied') : undefined) });
    fsrc.write('d/a', 'a');
    fdst.write('d/b', 'b');
    const ctx = makeCtx();
    const seen = await run(ctx, fsrc, fdst);
    expect(seen.match).toEqual(['d/=d/']);
    expect(seen.srcOnly).toEqual([]);
    expect(ctx.logger.at('ERROR')).toEqual(['ERROR d: error reading destination directory: denied']);
  });

  it('applies filters to both sides, and not to the destination with dstIncludeAll', async () => {
    const { fsrc, fdst } = pair();
    fsrc.write('keep.txt', '1');
    fsrc.write('skip.bak', '2');
    fdst.write('old.bak', '3');
    fdst.write('dir/x.bak', '4');
    const filter = new Filter({ exclude: ['*.bak'] });
    const seen = await run(makeCtx({}, { filter }), fsrc, fdst);
    expect(seen.srcOnly).toEqual(['keep.txt']);
    expect(seen.dstOnly).toEqual(['dir/']);
    const all = await run(makeCtx({}, { filter }), fsrc, fdst, { dstIncludeAll: true });
    expect(all.dstOnly).toEqual(['dir/', 'dir/x.bak', 'old.bak']);
  });

  it('does not enter directories excluded by directory rules or --exclude-if-present', async () => {
    const { fsrc, fdst } = pair();
    fsrc.write('a/1', '1');
    fsrc.write('b/2', '2');
    fsrc.write('c/.ignore', '');
    fsrc.write('c/3', '3');
    const filter = new Filter({ exclude: ['a/**'], excludeIfPresent: ['.ignore'] });
    const seen = await run(makeCtx({}, { filter }), fsrc, fdst);
    expect(seen.srcOnly).toEqual(['b/', 'b/2']);
  });

  it('SyncUTFNorm: NFD and NFC spellings pair, keeping the destination name; not with noUnicodeNormalization', async () => {
    const { fsrc, fdst } = pair();
    const nfd = 'Normal e\u0301';
    const nfcName = 'Normal \u00e9';
    fsrc.write(nfd, 'x');
    fdst.write(nfcName, 'x');
    const seen = await run(makeCtx(), fsrc, fdst);
    expect(seen.match).toEqual([`${nfd}=${nfcName}`]);
    const raw = await run(makeCtx({ noUnicodeNormalization: true }), fsrc, fdst);
    expect(raw.srcOnly).toEqual([nfd]);
    expect(raw.dstOnly).toEqual([nfcName]);
  });

  it('SyncIgnoreCase: pairs case-insensitively with --ignore-case-sync or a case-insensitive destination', async () => {
    const { fsrc, fdst } = pair();
    fsrc.write('Hello.TXT', 'x');
    fdst.write('hello.txt', 'x');
    expect((await run(makeCtx(), fsrc, fdst)).match).toEqual([]);
    expect((await run(makeCtx({ ignoreCaseSync: true }), fsrc, fdst)).match).toEqual(['Hello.TXT=hello.txt']);
    const ci = pair({ ci: true });
    ci.fsrc.write('Hello.TXT', 'x');
    ci.fdst.write('hello.txt', 'x');
    expect((await run(makeCtx(), ci.fsrc, ci.fdst)).match).toEqual(['Hello.TXT=hello.txt']);
  });

  it('source case collisions on a case-insensitive destination: both reported as errors, neither passed on', async () => {
    const { fsrc, fdst } = pair({ ci: true });
    fsrc.write('A.txt', '1');
    fsrc.write('a.txt', '2');
    fsrc.write('other', '3');
    fdst.write('a.txt', 'old');
    const ctx = makeCtx();
    const seen = await run(ctx, fsrc, fdst);
    expect(seen.srcOnly).toEqual(['other']);
    expect(seen.match).toEqual([]);
    expect(seen.dstOnly).toEqual([]); // the destination file of that name is left alone
    expect(seen.collisions).toEqual([['A.txt', 'a.txt']]);
    expect(ctx.stats.errors).toBe(2);
    expect(ctx.logger.at('ERROR')).toEqual([
      'ERROR A.txt: name collides with "a.txt" on the destination (same name after case folding or Unicode normalisation) - skipping all of them',
      'ERROR a.txt: name collides with "A.txt" on the destination (same name after case folding or Unicode normalisation) - skipping all of them',
    ]);
  });

  it('colliding source directories are skipped whole, the destination directory of that name left alone', async () => {
    const { fsrc, fdst } = pair({ ci: true });
    fsrc.write('Dir/a', '1');
    fsrc.write('dir/b', '2');
    fsrc.write('ok/c', '3');
    fdst.write('DIR/old', 'o');
    const ctx = makeCtx();
    const seen = await run(ctx, fsrc, fdst);
    expect(seen).toMatchObject({ srcOnly: ['ok/', 'ok/c'], dstOnly: [], match: [], collisions: [['Dir', 'dir']] });
    expect(ctx.stats.errors).toBe(2);
  });

  it('NFC/NFD spellings of one name in the source collide too', async () => {
    const { fsrc, fdst } = pair();
    fsrc.write('caf\u00e9', '1');
    fsrc.write('cafe\u0301', '2');
    const ctx = makeCtx();
    const seen = await run(ctx, fsrc, fdst);
    expect(seen.srcOnly).toEqual([]);
    expect(seen.collisions).toHaveLength(1);
    expect(ctx.stats.errors).toBe(2);
  });

  it('exact duplicates keep the first and log rclone NOTICE lines', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    fsrc.write('dup', 'first');
    const dupFs = Object.create(fsrc) as Fs;
    dupFs.list = async function* (dir: string) {
      for await (const page of fsrc.list(dir)) yield [...page, ...page];
    };
    const fdst = new FakeFs({ name: 'dst' });
    const ctx = makeCtx();
    const seen = await run(ctx, dupFs, fdst);
    expect(seen.srcOnly).toEqual(['dup']);
    expect(ctx.logger.at('NOTICE')).toEqual(['NOTICE dup: Duplicate object found in source - ignoring']);
    expect(ctx.stats.errors).toBe(0);
  });

  it('keeps a file and a same-named directory apart unless pairTypeClashes', async () => {
    const { fsrc, fdst } = pair();
    fsrc.write('x', 'file');
    fdst.write('x/inner', 'dir');
    const apart = await run(makeCtx(), fsrc, fdst);
    expect(apart.srcOnly).toEqual(['x']);
    expect(apart.dstOnly).toEqual(['x/', 'x/inner']);
    const paired = await run(makeCtx(), fsrc, fdst, { pairTypeClashes: true });
    expect(paired.match).toEqual(['x=x/inner'.replace('/inner', '/')]);
  });

  it('honours --max-depth (and lists the destination deeper with --delete-excluded)', async () => {
    const { fsrc, fdst } = pair();
    fsrc.write('a', '1');
    fsrc.write('d/b', '2');
    fdst.write('e/f/g', '3');
    const seen = await run(makeCtx({ maxDepth: 1 }), fsrc, fdst);
    expect(seen.srcOnly).toEqual(['a', 'd/']);
    expect(seen.dstOnly).toEqual(['e/']);
    const deep = await run(makeCtx({ maxDepth: 1, deleteExcluded: true }), fsrc, fdst);
    expect(deep.dstOnly).toEqual(['e/', 'e/f/', 'e/f/g']);
  });

  it('--fast-list uses one ListR per side instead of per-directory listings', async () => {
    const fsrc = new FakeFs({ name: 'src', ops: ['listR'] });
    const fdst = new FakeFs({ name: 'dst', ops: ['listR'] });
    fsrc.write('a/b/c', '1');
    fsrc.write('a/d', '2');
    fdst.write('a/d', '2');
    fdst.write('z/y', '3');
    const seen = await run(makeCtx({ fastList: true }), fsrc, fdst);
    expect(seen).toEqual({
      srcOnly: ['a/b/', 'a/b/c'], dstOnly: ['z/', 'z/y'], match: ['a/=a/', 'a/d=a/d'], collisions: [],
    });
    expect([fsrc.listRCalls, fdst.listRCalls, fsrc.listCalls, fdst.listCalls]).toEqual([1, 1, 0, 0]);
    const plain = await run(makeCtx(), fsrc, fdst);
    expect(plain.match).toEqual(seen.match);
    expect(fsrc.listCalls).toBeGreaterThan(1);
  });

  it('--no-traverse looks destination files up instead of listing', async () => {
    const { fsrc, fdst } = pair();
    fsrc.write('a', '1');
    fsrc.write('d/b', '2');
    fdst.write('a', '1');
    fdst.write('d/b', '2');
    fdst.write('extra', '3');
    const seen = await run(makeCtx(), fsrc, fdst, { noTraverse: true });
    expect(seen.match).toEqual(['a=a', 'd/b=d/b']);
    expect(seen.dstOnly).toEqual([]);
    expect(fdst.listCalls).toBe(0);
    const none = await run(makeCtx(), fsrc, fdst, { noCheckDest: true, noTraverse: true });
    expect(none.srcOnly).toEqual(['a', 'd/', 'd/b']);
  });

  it('--files-from with --no-traverse builds the source from NewObject lookups', async () => {
    const { fsrc, fdst } = pair();
    fsrc.write('a', '1');
    fsrc.write('d/b', '2');
    fsrc.write('d/c', '3');
    const filter = new Filter({ filesFrom: ['d/b', 'missing'] });
    const seen = await run(makeCtx({ noTraverse: true }, { filter }), fsrc, fdst, { noTraverse: true });
    expect(seen.srcOnly).toEqual(['d/', 'd/b']);
    expect(fsrc.listCalls).toBe(0);
  });

  it('lists up to --checkers directories concurrently', async () => {
    let inFlight = 0;
    let peak = 0;
    const fsrc = new FakeFs({ name: 'src' });
    for (let i = 0; i < 12; i++) fsrc.write(`d${i}/f`, 'x');
    const slow = Object.create(fsrc) as Fs;
    slow.list = async function* (dir: string) {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      yield* fsrc.list(dir);
    };
    const seen = await run(makeCtx({ checkers: 4 }), slow, new FakeFs({ name: 'dst' }));
    expect(seen.srcOnly).toHaveLength(24);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(4);
  });

  it('does not list ahead of slow callbacks: at most --checkers directories are held at once', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    for (let i = 0; i < 30; i++) fsrc.write(`d${i}/f`, 'x');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let callbacks = 0;
    const p = march({
      ctx: makeCtx({ checkers: 3 }), fsrc, fdst: new FakeFs({ name: 'dst' }),
      srcOnly: async (e) => {
        callbacks++;
        if (!e.isDir) await gate;
        return e.isDir;
      },
      dstOnly: async () => false,
      match: async () => false,
    });
    await new Promise((r) => setTimeout(r, 20));
    // root + the 3 directories whose file callbacks are blocked; nothing else was listed
    expect(fsrc.listCalls).toBe(4);
    release();
    await p;
    expect(fsrc.listCalls).toBe(31);
    expect(callbacks).toBe(60);
  });

  it('stops when aborted and rejects with the reason', async () => {
    const fsrc = new FakeFs({ name: 'src' });
    for (let i = 0; i < 5; i++) fsrc.write(`d${i}/f`, 'x');
    const ac = new AbortController();
    const reason = jsyncError('LIST_ABORTED');
    const seen: string[] = [];
    const p = march({
      ctx: makeCtx({}, { signal: ac.signal }), fsrc, fdst: new FakeFs({ name: 'dst' }),
      srcOnly: async (e) => {
        seen.push(e.remote);
        if (seen.length === 2) ac.abort(reason);
        return true;
      },
      dstOnly: async () => false,
      match: async () => false,
    });
    await expect(p).rejects.toBe(reason);
    expect(seen).toHaveLength(2);
  });
});

describe('matchListings', () => {
  const f = (remote: string): DirEntry => ({ isDir: false, remote, size: 0 }) as unknown as DirEntry;
  const d = (remote: string): DirEntry => ({ isDir: true, remote, size: -1 }) as unknown as DirEntry;
  const names = (es: DirEntry[]) => es.map((e) => e.remote);

  it('pairs by transformed name and keeps name order', () => {
    const t = matchTransforms({ noUnicodeNormalization: false, caseInsensitive: true });
    const m = matchListings([f('B'), f('a'), d('c')], [f('b'), f('C'), f('z')], t);
    expect(m.matches.map((p) => `${p.src.remote}=${p.dst.remote}`)).toEqual(['B=b']);
    expect(names(m.srcOnly)).toEqual(['a', 'c']);
    expect(names(m.dstOnly)).toEqual(['C', 'z']);
  });

  it('destination duplicates after transforms: the first wins, the others are ignored with a NOTICE', () => {
    const t = matchTransforms({ noUnicodeNormalization: false, caseInsensitive: true });
    const m = matchListings([f('x')], [f('X'), f('x')], t);
    expect(m.matches.map((p) => p.dst.remote)).toEqual(['X']);
    expect(m.duplicates.map((x) => `${x.side}:${x.entry.remote}`)).toEqual(['destination:x']);
  });
});

describe('goToLower', () => {
  it('lower-cases like Go strings.ToLower', () => {
    expect(goToLower('ABC.txt')).toBe('abc.txt');
    expect(goToLower('ÄÖÜ ΣΑΣ')).toBe('äöü σασ');
    expect(goToLower('\u0130x')).toBe('ix');
    // Invalid bytes stay distinct (Go would map both to U+FFFD and pair them as one name).
    expect(goToLower('a\udcffB')).toBe('a\udcffb');
    expect(goToLower('\udc80\udc81')).not.toBe(goToLower('\udced\udca0'));
  });
});
