// Crash safety (users-and-reliability §5 req. 16 and 41): a large local→local `sync` run by the BUILT CLI
// (apps/cli/dist/bin.js — the root `pnpm test` builds first) is killed with SIGKILL at seeded random points and run
// again. After every kill: no file under a final name holds anything but the source version or the destination's
// previous version (no partial file under a final name), no file the sync replaces ever disappears, and no
// destination-only file has been deleted unless every source file was already in place (delete-after). When a run
// completes, the destination equals the source, no `*.partial` is left, and `jsync check` is clean.

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');
/** Development knob: another program to crash instead (`JSYNC_CRASH_BIN=rclone` shows the invariants catching rclone 1.60's in-place writes). */
const OTHER = process.env['JSYNC_CRASH_BIN'];
const command = (args: string[]): [string, string[]] => (OTHER ? [OTHER, ['--config', '/dev/null', ...args]] : [process.execPath, [BIN, '--config', '/dev/null', ...args]]);
const FILES = 2000;
const KILLS = 20;
/** Destination-only files (a longer delete phase makes kills inside it likely). */
const EXTRAS = 400;
const MAX_SPAWNS = 60;
const PARTIAL = /\.[0-9a-f]{8}\.partial$/;

/** mulberry32: a small seeded PRNG in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` deterministic pseudo-random bytes for `seed` (AES-128-CTR keystream: fast for megabytes). */
function seededBytes(size: number, seed: number): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32BE(seed >>> 0, 0);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** Every regular file below `root`, relative path → absolute path. */
function listFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.set(r, path.join(root, r));
    }
  };
  if (existsSync(root)) walk('');
  return out;
}

function writeFile(root: string, rel: string, data: Buffer, mtimeSec: number): void {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, data);
  utimesSync(p, mtimeSec, mtimeSec);
}

/** The generated trees: source, the destination's initial state, and what each path must hold. */
interface Fixture {
  src: string;
  pristine: string;
  dst: string;
  /** path → md5 of the source version. */
  srcSums: Map<string, string>;
  /** path → md5 of the destination's initial version. */
  oldSums: Map<string, string>;
  /** Destination-only paths (sync must delete them). */
  extras: Set<string>;
}

function makeFixture(root: string): Fixture {
  const rand = prng(20240601);
  const fx: Fixture = { src: path.join(root, 'src'), pristine: path.join(root, 'pristine'), dst: path.join(root, 'dst'), srcSums: new Map(), oldSums: new Map(), extras: new Set() };
  const base = 1_000_000_000;
  for (let i = 0; i < FILES; i++) {
    const r = rand();
    // mostly small files, some medium ones, four of a few MB
    const size = i % 600 === 7 ? 1_500_000 + Math.floor(rand() * 2_000_000) : r < 0.05 ? 16_384 + Math.floor(rand() * 131_072) : Math.floor(rand() * 4096);
    const rel = `d${i % 37}/s${i % 5}/f${i}.bin`;
    const data = seededBytes(size, i + 1);
    writeFile(fx.src, rel, data, base + i);
    fx.srcSums.set(rel, md5(data));
    const kind = rand();
    if (kind < 0.7) {
      writeFile(fx.pristine, rel, data, base + i); // already in sync
      fx.oldSums.set(rel, md5(data));
    } else if (kind < 0.8) {
      const old = seededBytes(size === 0 ? 10 : size, 900_000 + i); // same name, older other content
      writeFile(fx.pristine, rel, old, base - 5000 + i);
      fx.oldSums.set(rel, md5(old));
    }
  }
  for (let i = 0; i < EXTRAS; i++) {
    const rel = i < 100 ? `extra-dir/x${i % 7}/e${i}.dat` : `d${i % 37}/extra${i}.dat`;
    const data = seededBytes(100 + i * 37, 500_000 + i);
    writeFile(fx.pristine, rel, data, base + i);
    fx.oldSums.set(rel, md5(data));
    fx.extras.add(rel);
  }
  return fx;
}

function resetDestination(fx: Fixture): void {
  rmSync(fx.dst, { recursive: true, force: true });
  execFileSync('cp', ['-a', fx.pristine, fx.dst]);
}

/** What a look at the destination found. */
interface Inspection {
  violations: string[];
  inPlace: number;
  extrasDeleted: number;
  partials: string[];
}

/** md5 by (inode, size, ctime): any write or rename-over changes the key, so a cached sum is never stale. */
const sums = new Map<string, string>();

function contentSum(abs: string): string {
  const st = statSync(abs, { bigint: true });
  const key = `${abs}\0${st.ino}\0${st.size}\0${st.ctimeNs}`;
  let sum = sums.get(key);
  if (sum === undefined) {
    sum = md5(readFileSync(abs));
    sums.set(key, sum);
  }
  return sum;
}

function inspect(fx: Fixture): Inspection {
  const files = listFiles(fx.dst);
  const violations: string[] = [];
  const partials: string[] = [];
  let inPlace = 0;
  for (const [rel, abs] of files) {
    if (PARTIAL.test(rel) && !fx.srcSums.has(rel) && !fx.oldSums.has(rel)) {
      partials.push(rel);
      continue;
    }
    const sum = contentSum(abs);
    const want = fx.srcSums.get(rel);
    if (sum === want) inPlace++;
    else if (sum !== fx.oldSums.get(rel)) violations.push(`${rel}: content is neither the source nor the previous version (partial write under a final name?)`);
  }
  for (const rel of fx.oldSums.keys()) {
    if (!fx.extras.has(rel) && !files.has(rel)) violations.push(`${rel}: a file the sync replaces disappeared`);
  }
  const extrasDeleted = [...fx.extras].filter((rel) => !files.has(rel)).length;
  if (extrasDeleted > 0 && inPlace < fx.srcSums.size) {
    violations.push(`${extrasDeleted} destination-only files deleted while only ${inPlace}/${fx.srcSums.size} source files were in place`);
  }
  return { violations, inPlace, extrasDeleted, partials };
}

/** Process groups of CLI runs still going (killed in afterAll if a failed assertion left one behind). */
const running = new Set<number>();

/** Runs the CLI; with `killAfterMs` it is SIGKILLed (with its process group) at that time if still running. */
function runCli(args: string[], killAfterMs?: number): Promise<{ code: number | null; killed: boolean; stderr: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const [cmd, argv] = command(args);
    const child = spawn(cmd, argv, { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, TZ: 'UTC' } });
    const err: Buffer[] = [];
    child.stderr.on('data', (c: Buffer) => err.push(c));
    if (child.pid !== undefined) running.add(child.pid);
    let killed = false;
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => {
      killed = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        killed = false; // already gone
      }
    }, killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      if (child.pid !== undefined) running.delete(child.pid);
      resolve({ code, killed, stderr: Buffer.concat(err).toString('utf8'), ms: Date.now() - start });
    });
  });
}

describe('crash safety: kill -9 during a large local→local sync', () => {
  let root = '';
  let fx: Fixture;

  beforeAll(() => {
    if (!OTHER && !existsSync(BIN)) throw new Error(`${BIN} is missing: build the CLI first (\`pnpm build\`; the root \`pnpm test\` builds before testing)`);
    const help = spawnSync(...command(['sync', '--help']), { encoding: 'utf8' });
    if (help.status !== 0) throw new Error(`the built CLI has no working \`sync\` command (stale dist? run \`pnpm build\`): ${help.stderr}`);
    root = mkdtempSync(path.join(tmpdir(), 'jsync-crash-'));
    fx = makeFixture(root);
  }, 60_000);

  afterAll(() => {
    for (const pid of running) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('holds its invariants across 20 seeded kills and ends with a clean check', async () => {
    const rand = prng(424242);
    const debug = process.env['JSYNC_CRASH_DEBUG'] ? (m: string) => console.log(m) : () => {};
    resetDestination(fx);
    // Calibration: a full run from the initial state and a no-op run give the time scale of the kill points.
    const full = await runCli(['sync', fx.src, fx.dst]);
    expect(full.code, full.stderr).toBe(0);
    expect(inspect(fx)).toEqual({ violations: [], inPlace: FILES, extrasDeleted: fx.extras.size, partials: [] });
    const noop = await runCli(['sync', fx.src, fx.dst]);
    expect(noop.code, noop.stderr).toBe(0);
    const start = calibratedStart(fx);
    debug(`calibration: full run ${full.ms} ms, no-op run ${noop.ms} ms`);

    resetDestination(fx);
    const kills: { delay: number; phase: Phase; inPlace: number; extrasDeleted: number; partials: number }[] = [];
    let completions = 0;
    const partialsSeen = new Set<string>();
    let last: Inspection = { violations: [], inPlace: start, extrasDeleted: 0, partials: [] };
    let scale = 1;
    for (let spawns = 0; kills.length < KILLS && spawns < MAX_SPAWNS; spawns++) {
      // A kill point in what is left of this sync. Start-up, listing and checks take about a no-op run (one kill
      // in five lands there); the transfers still to do add their share of a full run and the deletions come right
      // after them, so the other kills fall from late in the checks to a little past the transfers. `scale` adapts
      // the window to the machine's speed: it shrinks when runs finish before their kill point.
      const remaining = (FILES - last.inPlace) / (FILES - start);
      const window = scale * ((full.ms - noop.ms) * remaining + noop.ms * 0.5);
      const delay = Math.floor(rand() < 0.2 ? rand() * noop.ms : noop.ms * 0.8 + rand() * window);
      const run = await runCli(['sync', fx.src, fx.dst], delay);
      const seen = inspect(fx);
      const complete = seen.inPlace === FILES && seen.extrasDeleted === fx.extras.size;
      const phase = phaseOf(last, seen, fx.extras.size);
      debug(`spawn ${spawns}: delay ${delay} ms, ${run.killed ? 'killed' : `exited ${run.code}`} (${phase}), ${seen.inPlace} in place, ${seen.extrasDeleted} extras deleted, ${seen.partials.length} partials`);
      expect(seen.violations, `after a kill at ${delay} ms`).toEqual([]);
      if (run.killed) {
        kills.push({ delay, phase, inPlace: seen.inPlace, extrasDeleted: seen.extrasDeleted, partials: seen.partials.length });
        for (const p of seen.partials) partialsSeen.add(p);
        scale = Math.min(1, scale * 1.1);
      } else {
        scale *= 0.7;
        // The run finished before its kill point: the sync is complete and stray partials are gone.
        expect(run.code, run.stderr).toBe(0);
        expect(seen).toEqual({ violations: [], inPlace: FILES, extrasDeleted: fx.extras.size, partials: [] });
        completions++;
      }
      last = seen;
      if (complete) {
        resetDestination(fx); // nothing left to interrupt: start over from the initial destination
        last = { violations: [], inPlace: start, extrasDeleted: 0, partials: [] };
      }
    }
    expect(kills.length).toBe(KILLS);

    // Final uninterrupted rerun, then the CLI's own check.
    const final = await runCli(['sync', fx.src, fx.dst]);
    expect(final.code, final.stderr).toBe(0);
    expect(inspect(fx)).toEqual({ violations: [], inPlace: FILES, extrasDeleted: fx.extras.size, partials: [] });
    const check = await runCli(['check', fx.src, fx.dst]);
    expect(check.code, check.stderr).toBe(0);

    // The kills must have landed in different phases to mean something.
    expect(kills.some((k) => k.phase === 'transfers')).toBe(true);
    const phases = kills.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k.phase]: (acc[k.phase] ?? 0) + 1 }), {});
    console.log(`crash loop: ${kills.length} kills by phase ${JSON.stringify(phases)}, ${completions} runs completed before their kill point, ` +
      `${partialsSeen.size} distinct stray *.partial files seen after kills (each completed sync deleted them as destination-only files); ` +
      `kill points (ms / source files in place / extras deleted / partials): ` +
      kills.map((k) => `${k.delay}/${k.inPlace}/${k.extrasDeleted}/${k.partials}`).join(' '));
  }, 180_000);
});

/** Where a run was when it stopped, judged from the destination before and after it. */
type Phase = 'start-up/listing' | 'transfers' | 'deletions' | 'after deletions';

function phaseOf(before: Inspection, after: Inspection, extras: number): Phase {
  if (after.extrasDeleted === extras && before.extrasDeleted < extras) return 'after deletions';
  if (after.extrasDeleted > before.extrasDeleted) return 'deletions';
  const earlier = new Set(before.partials);
  if (after.inPlace > before.inPlace || after.partials.some((p) => !earlier.has(p))) return 'transfers';
  return 'start-up/listing';
}

/** How many source files are in place before any transfer (the already-synced ones). */
function calibratedStart(fx: Fixture): number {
  let n = 0;
  for (const [rel, sum] of fx.srcSums) if (fx.oldSums.get(rel) === sum) n++;
  return n;
}
