// Fixture and inspection for the crash-safety test (apps/cli/test/crash.test.ts): a generated source tree, the
// destination's initial state, and the invariants checked on the destination after every kill.

import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The local backend's temp-file names: `<leaf>.<8 hex>.partial`. */
const PARTIAL = /\.[0-9a-f]{8}\.partial$/;

/** mulberry32: a small seeded PRNG in [0, 1). */
export function prng(seed: number): () => number {
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
function aesBytes(size: number, seed: number): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32BE(seed >>> 0, 0);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

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
export interface Fixture {
  src: string;
  pristine: string;
  dst: string;
  /** path → md5 of the source version. */
  srcSums: Map<string, string>;
  /** path → md5 of the destination's initial version. */
  oldSums: Map<string, string>;
  /** Destination-only paths (sync must delete them). */
  extras: Set<string>;
  /** md5 by (path, inode, size, ctime): any write or rename-over changes the key, so a cached sum is never stale. */
  sums: Map<string, string>;
}

/** Sizes of a fixture. */
export interface FixtureSize {
  /** Source files. */
  files: number;
  /** Destination-only files. */
  extras: number;
}

/** Generates the source and the initial destination (`pristine`) below `root`, with fixed modtimes. */
export function makeFixture(root: string, size: FixtureSize): Fixture {
  const rand = prng(20240601);
  const fx: Fixture = { src: path.join(root, 'src'), pristine: path.join(root, 'pristine'), dst: path.join(root, 'dst'), srcSums: new Map(), oldSums: new Map(), extras: new Set(), sums: new Map() };
  const base = 1_000_000_000;
  for (let i = 0; i < size.files; i++) {
    const r = rand();
    // mostly small files, some medium ones, four of a few MB
    const size = i % 600 === 7 ? 1_500_000 + Math.floor(rand() * 2_000_000) : r < 0.05 ? 16_384 + Math.floor(rand() * 131_072) : Math.floor(rand() * 4096);
    const rel = `d${i % 37}/s${i % 5}/f${i}.bin`;
    const data = aesBytes(size, i + 1);
    writeFile(fx.src, rel, data, base + i);
    fx.srcSums.set(rel, md5(data));
    const kind = rand();
    if (kind < 0.7) {
      writeFile(fx.pristine, rel, data, base + i); // already in sync
      fx.oldSums.set(rel, md5(data));
    } else if (kind < 0.8) {
      const old = aesBytes(size === 0 ? 10 : size, 900_000 + i); // same name, older other content
      writeFile(fx.pristine, rel, old, base - 5000 + i);
      fx.oldSums.set(rel, md5(old));
    }
  }
  for (let i = 0; i < size.extras; i++) {
    const rel = i < 100 ? `extra-dir/x${i % 7}/e${i}.dat` : `d${i % 37}/extra${i}.dat`;
    const data = aesBytes(100 + i * 37, 500_000 + i);
    writeFile(fx.pristine, rel, data, base + i);
    fx.oldSums.set(rel, md5(data));
    fx.extras.add(rel);
  }
  return fx;
}

/** Replaces the destination by a copy of its initial state. */
export function resetDestination(fx: Fixture): void {
  rmSync(fx.dst, { recursive: true, force: true });
  execFileSync('cp', ['-a', fx.pristine, fx.dst]);
}

/** What a look at the destination found. */
export interface Inspection {
  violations: string[];
  inPlace: number;
  extrasDeleted: number;
  partials: string[];
}

function contentSum(fx: Fixture, abs: string): string {
  const st = statSync(abs, { bigint: true });
  const key = `${abs}\0${st.ino}\0${st.size}\0${st.ctimeNs}`;
  let sum = fx.sums.get(key);
  if (sum === undefined) {
    sum = md5(readFileSync(abs));
    fx.sums.set(key, sum);
  }
  return sum;
}

/**
 * Looks at the destination: every file must be the source version or its previous version (stray
 * `<leaf>.<8 hex>.partial` temp files are listed apart), no replaced file may be missing, and destination-only files
 * may only be gone once every source file is in place.
 */
export function inspect(fx: Fixture): Inspection {
  const files = listFiles(fx.dst);
  const violations: string[] = [];
  const partials: string[] = [];
  let inPlace = 0;
  for (const [rel, abs] of files) {
    if (PARTIAL.test(rel) && !fx.srcSums.has(rel) && !fx.oldSums.has(rel)) {
      partials.push(rel);
      continue;
    }
    const sum = contentSum(fx, abs);
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

/** Where a run was when it stopped, judged from the destination before and after it. */
export type Phase = 'start-up/listing' | 'transfers' | 'deletions' | 'after deletions';

export function phaseOf(before: Inspection, after: Inspection, extras: number): Phase {
  if (after.extrasDeleted === extras && before.extrasDeleted < extras) return 'after deletions';
  if (after.extrasDeleted > before.extrasDeleted) return 'deletions';
  const earlier = new Set(before.partials);
  if (after.inPlace > before.inPlace || after.partials.some((p) => !earlier.has(p))) return 'transfers';
  return 'start-up/listing';
}

/** How many source files are in place before any transfer (the already-synced ones). */
export function calibratedStart(fx: Fixture): number {
  let n = 0;
  for (const [rel, sum] of fx.srcSums) if (fx.oldSums.get(rel) === sum) n++;
  return n;
}
