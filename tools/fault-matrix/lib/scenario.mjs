// The state each operation starts from and must end in: seeded source content, stale versions of some source files
// and destination-only files at the destination, the jsync command line, the goal trees, and the `check --download`
// that confirms a converged run.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { OPS, prng } from './plan.mjs';
import { OLD_MTIME, idsOf, makeContent, seedServer, seededBytes, writeTree } from './tree.mjs';

/** Name of the remote folder a run works in. */
export const FOLDER = 'run';

/** Stale versions (other content, older modtime) of the first `n` source paths. */
function staleOf(content, seed, n) {
  return new Map([...content.keys()].slice(0, n).map((rel, i) => [rel, seededBytes(seed * 7 + i, 1500 + 111 * i)]));
}

/** Destination-only files (a sync must delete them once every source file is in place; nothing else may). */
function destOnlyOf(seed) {
  return new Map(['only/x0.bin', 'a/only-1.bin', 'only/deep/x2.bin'].map((rel, i) => [rel, seededBytes(seed * 13 + i, 700 + 300 * i)]));
}

/**
 * Prepares a run of `plan` in `world` (fault-free) and returns the scenario: `args` of the faulty command, the local
 * `src`/`dst` directories, the source content, the destination's prior files (`stale`, `destOnly`, `doomed` for
 * delete), the goal trees (`goalServer`/`goalLocal`, identities) and `checkArgs()` (the converged run's check).
 */
export async function prepare(world, plan) {
  const { op, contentSeed } = plan;
  const { cmd, dir } = OPS[op];
  const rnd = prng(contentSeed);
  const base = join(world.dir, 'data');
  rmSync(base, { recursive: true, force: true });
  const src = join(base, 'src');
  const dst = join(base, 'dst');
  const ref = join(base, 'ref');
  const remote = `jc:${FOLDER}`;
  const content = makeContent(contentSeed, { count: 8 + Math.floor(rnd() * 6), bigBytes: (512 + Math.floor(rnd() * 1024)) * 1024 });
  const sc = {
    op, cmd, dir, src, dst, ref, remote, folder: FOLDER, content, ids: idsOf(content),
    stale: new Map(), destOnly: new Map(), doomed: new Map(), goalServer: undefined, goalLocal: undefined, args: [],
  };
  const keepOld = op === 'move-up' || op === 'move-down' ? 1 : 2;
  if (dir === 'up') {
    writeTree(src, content);
    sc.stale = staleOf(content, contentSeed, keepOld);
    if (cmd !== 'move') sc.destOnly = destOnlyOf(contentSeed);
    await seedServer(world.emu, FOLDER, new Map([...sc.stale, ...sc.destOnly]), OLD_MTIME);
    sc.args = [cmd, src, remote];
    sc.goalServer = idsOf(cmd === 'copy' ? new Map([...content, ...sc.destOnly]) : content);
    sc.goalLocal = cmd === 'move' ? new Map() : sc.ids;
  } else if (op === 'check') {
    writeTree(src, content);
    await seedServer(world.emu, FOLDER, content);
    sc.args = ['check', '--download', src, remote];
    sc.goalServer = sc.ids;
    sc.goalLocal = sc.ids;
  } else if (dir === 'down') {
    await seedServer(world.emu, FOLDER, content);
    sc.stale = staleOf(content, contentSeed, keepOld);
    if (cmd !== 'move') sc.destOnly = destOnlyOf(contentSeed);
    writeTree(dst, new Map([...sc.stale, ...sc.destOnly]), OLD_MTIME);
    sc.args = [cmd, remote, dst];
    sc.goalLocal = idsOf(cmd === 'copy' ? new Map([...content, ...sc.destOnly]) : content);
    sc.goalServer = cmd === 'move' ? new Map() : sc.ids;
  } else {
    // delete: `*.tmp` files go, the rest stays; cleanup: files trashed beforehand are purged, live ones stay.
    const extra = new Map([...makeContent(contentSeed + 1, { count: 5, bigBytes: 0, prefix: 'tmp-' })].map(([k, v]) => [k.replace(/\.bin$/, '.tmp'), v]));
    sc.doomed = extra;
    await seedServer(world.emu, FOLDER, new Map([...content, ...extra]));
    if (op === 'cleanup') {
      const trash = await world.jsync(['delete', remote, '--include', '*.tmp']);
      if (trash.code !== 0) throw new Error(`preparing cleanup: jsync delete exited ${trash.code}: ${trash.err.slice(-400)}`);
      sc.args = ['cleanup', 'jc:'];
    } else {
      sc.args = ['delete', remote, '--include', '*.tmp'];
    }
    sc.goalServer = sc.ids;
  }
  sc.staleIds = idsOf(sc.stale);
  sc.destOnlyIds = idsOf(sc.destOnly);
  sc.doomedIds = idsOf(sc.doomed);
  // The reference tree a converged run is checked against with `jsync check --download`.
  writeTree(ref, content);
  if (cmd === 'copy' && dir === 'up') writeTree(ref, sc.destOnly, OLD_MTIME);
  sc.checkArgs = () => {
    if (op === 'check') return sc.args;
    if (dir === 'down' && cmd === 'move') return ['check', '--download', ref, dst];
    if (dir === 'down') return ['check', '--download', remote, dst, ...(cmd === 'copy' ? ['--one-way'] : [])];
    return ['check', '--download', ref, remote];
  };
  return sc;
}
