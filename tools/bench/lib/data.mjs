// Benchmark data: a seeded, deterministic tree of small files and one big file, cached under os.tmpdir().
import { createCipheriv, createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bumped whenever the generated layout or content changes, so stale caches are never reused. */
export const DATA_VERSION = 2;

/** Default parameters of the data set (overridable from the command line). */
export const DEFAULT_DATA = Object.freeze({ seed: 1, files: 10_000, maxFileBytes: 64 * 1024, bigBytes: 1024 * 1024 * 1024 });

/** mulberry32: a small seeded 32-bit PRNG returning floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic AES-128-CTR keystream: `next(n)` returns the next n pseudo-random bytes for this seed and label. */
export function keystream(seed, label) {
  const key = createHash('sha256').update(`jsync-bench:${seed}:${label}`).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  return { next: (n) => cipher.update(Buffer.alloc(n)) };
}

/**
 * The small-file plan (no I/O): directories and files with their sizes and modtimes.
 * 1 root + 20 dirs + 100 subdirs; ~1% empty files, the rest skewed towards small sizes, up to maxFileBytes inclusive.
 */
export function planSmallTree({ seed, files, maxFileBytes }) {
  const rand = prng(seed);
  const dirs = [''];
  for (let i = 0; i < 20; i++) {
    const top = `d${String(i).padStart(2, '0')}`;
    dirs.push(top);
    for (let j = 0; j < 5; j++) dirs.push(`${top}/s${j}`);
  }
  const baseSec = 1_700_000_000;
  const out = [];
  for (let i = 0; i < files; i++) {
    const dir = dirs[Math.floor(rand() * dirs.length)];
    const r = rand();
    const u = rand();
    let size = r < 0.01 ? 0 : Math.min(maxFileBytes, Math.floor(u * u * (maxFileBytes + 1)));
    if (i === 1) size = maxFileBytes; // the maximum is always present
    const name = `f${String(i).padStart(5, '0')}.bin`;
    // Sub-second parts in 1/64 s: exact as a double of seconds (what utimes takes) and in libuv's microseconds.
    const frac64 = Math.floor(rand() * 64);
    out.push({ path: dir === '' ? name : `${dir}/${name}`, size, mtimeSec: baseSec + i * 37 + frac64 / 64, mtimeNs: BigInt(baseSec + i * 37) * 1_000_000_000n + BigInt(frac64 * 15_625_000) });
  }
  return { dirs, files: out, totalBytes: out.reduce((s, f) => s + f.size, 0) };
}

/** Where the cached data set for these parameters lives. */
export function dataDir(params, base = tmpdir()) {
  const p = { ...DEFAULT_DATA, ...params };
  return join(base, `jsync-bench-data-v${DATA_VERSION}-s${p.seed}-n${p.files}-m${p.maxFileBytes}-b${p.bigBytes}`);
}

/** Counts regular files and their bytes below dir (used to validate caches and copies). */
export function treeStats(dir) {
  let files = 0, bytes = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) { files++; bytes += statSync(p).size; }
    }
  }
  return { files, bytes };
}

function writeSmallTree(root, params) {
  const plan = planSmallTree(params);
  const ks = keystream(params.seed, 'small');
  for (const d of plan.dirs) mkdirSync(join(root, d), { recursive: true });
  for (const f of plan.files) {
    const p = join(root, f.path);
    writeFileSync(p, ks.next(f.size));
    utimesSync(p, f.mtimeSec, f.mtimeSec);
  }
  return plan;
}

/** Streams bigBytes of keystream into path in 4 MiB chunks (never the whole file in memory); returns its MD5. */
function writeBigFile(path, params) {
  const ks = keystream(params.seed, 'big');
  const md5 = createHash('md5');
  const fd = openSync(path, 'w');
  try {
    const chunk = 4 * 1024 * 1024;
    for (let done = 0; done < params.bigBytes; ) {
      const buf = ks.next(Math.min(chunk, params.bigBytes - done));
      md5.update(buf);
      for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
      done += buf.length;
    }
  } finally {
    closeSync(fd);
  }
  const t = 1_700_000_000;
  utimesSync(path, t, t);
  return md5.digest('hex');
}

function readManifest(dir) {
  try {
    return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when a cached data set is complete and still looks like its manifest (counts and sizes). */
function cacheValid(dir, params) {
  const m = readManifest(dir);
  if (!m || m.version !== DATA_VERSION) return false;
  for (const k of Object.keys(DEFAULT_DATA)) if (m.params[k] !== params[k]) return false;
  try {
    if (statSync(join(dir, 'big', 'big.bin')).size !== params.bigBytes) return false;
    const s = treeStats(join(dir, 'small'));
    return s.files === m.small.files && s.bytes === m.small.bytes;
  } catch {
    return false;
  }
}

/**
 * Returns the data set, generating it when no valid cache exists: { dir, small, big, bigFile, manifest, cached }.
 * Generation happens in a sibling temp dir renamed into place, so an interrupted run never leaves a half cache.
 */
export function ensureData(params = {}, { base = tmpdir(), regen = false, log = () => {} } = {}) {
  const p = { ...DEFAULT_DATA, ...params };
  const dir = dataDir(p, base);
  if (!regen && cacheValid(dir, p)) return { ...paths(dir), manifest: readManifest(dir), cached: true };
  rmSync(dir, { recursive: true, force: true });
  const tmp = `${dir}.partial-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'small'), { recursive: true });
  mkdirSync(join(tmp, 'big'), { recursive: true });
  log(`generating ${p.files} small files…`);
  const plan = writeSmallTree(join(tmp, 'small'), p);
  log(`generating a ${p.bigBytes}-byte file…`);
  const bigMd5 = writeBigFile(join(tmp, 'big', 'big.bin'), p);
  const manifest = {
    version: DATA_VERSION,
    params: p,
    small: { files: plan.files.length, bytes: plan.totalBytes, dirs: plan.dirs.length },
    big: { bytes: p.bigBytes, md5: bigMd5 },
  };
  writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  renameSync(tmp, dir);
  return { ...paths(dir), manifest, cached: false };
}

function paths(dir) {
  return { dir, small: join(dir, 'small'), big: join(dir, 'big'), bigFile: join(dir, 'big', 'big.bin') };
}

/**
 * Reads every file below `dirs` once (1 MiB at a time, one reused buffer) so the next run finds them in the page
 * cache whatever the previous run did: rclone's local backend drops what it read from the cache
 * (posix_fadvise DONTNEED), which would otherwise leave the tool that runs after it reading from disk.
 */
export function warmPageCache(dirs) {
  const buf = Buffer.allocUnsafe(1024 * 1024);
  let bytes = 0;
  const stack = [...dirs];
  while (stack.length > 0) {
    const d = stack.pop();
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) {
        const fd = openSync(p, 'r');
        try {
          for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) bytes += n;
        } finally {
          closeSync(fd);
        }
      }
    }
  }
  return bytes;
}

/** True if path exists (tiny helper shared by the runner). */
export function exists(path) {
  return existsSync(path);
}
