// Scenario trees: generated contents, building them on disk or in a memory Fs, and snapshotting the result.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Timestamp, isJsyncError, listRecursive } from '@jsync/core';
import type { Fs, FsObject, ObjectInfo } from '@jsync/core';
import type { ResultFile, ResultTree, ScenarioFile, ScenarioTree } from './scenario-types.js';

/** Default modtime of scenario files that give none. */
export const DEFAULT_MTIME = '2001-02-03T04:05:06.123456789Z';

/** Deterministic pseudo-random bytes (xorshift32) for a `size`/`seed` file. */
export function seededBytes(size: number, seed = 1): Buffer {
  const buf = Buffer.alloc(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    buf[i] = x & 255;
  }
  return buf;
}

/** The bytes of a scenario file. */
export function fileBytes(f: ScenarioFile): Buffer {
  if (f.size !== undefined) return seededBytes(f.size, f.seed ?? 1);
  return Buffer.from(f.text ?? '', 'utf8');
}

/** GNU touch's `@S.N` for a time. */
function touchStamp(mtime: string): string {
  const ns = Timestamp.parse(mtime).ns;
  const abs = ns < 0n ? -ns : ns;
  return `@${ns < 0n ? '-' : ''}${abs / 1_000_000_000n}.${String(abs % 1_000_000_000n).padStart(9, '0')}`;
}

/** Creates `tree` at `root` (created, with parents) and sets every file's nanosecond modtime. */
export function buildLocalTree(tree: ScenarioTree, root: string, defaultMtime = DEFAULT_MTIME): void {
  mkdirSync(root, { recursive: true });
  for (const d of tree.dirs ?? []) mkdirSync(path.join(root, d), { recursive: true });
  const byTime = new Map<string, string[]>();
  for (const f of tree.files) {
    const p = path.join(root, f.path);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, fileBytes(f));
    const stamp = touchStamp(f.mtime ?? defaultMtime);
    byTime.set(stamp, [...(byTime.get(stamp) ?? []), p]);
  }
  // Node's utimes keeps only microseconds; GNU touch sets nanoseconds. One exec per distinct time.
  for (const [stamp, files] of byTime) execFileSync('touch', ['-h', '-d', stamp, '--', ...files]);
}

/** The comparable form of one file's content and time. */
export function resultFile(p: string, data: Buffer, mtime: Timestamp): ResultFile {
  const out: ResultFile = { path: p, size: data.length, md5: createHash('md5').update(data).digest('hex'), mtime: mtime.toRFC3339(9) };
  const text = data.toString('utf8');
  if (data.length <= 64 && Buffer.from(text, 'utf8').equals(data) && /^[\p{L}\p{N}\p{P}\p{Zs} \n]*$/u.test(text)) out.text = text;
  return out;
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Reads a local directory tree (null when `root` does not exist or is not a directory). */
export function snapshotLocalTree(root: string): ResultTree | null {
  let st;
  try {
    st = statSync(root);
  } catch {
    return null;
  }
  if (!st.isDirectory()) return null;
  const files: ResultFile[] = [];
  const dirs: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      const abs = path.join(root, r);
      if (e.isDirectory()) {
        dirs.push(r);
        walk(r);
      } else if (e.isFile()) {
        const s = statSync(abs, { bigint: true });
        files.push(resultFile(r, readFileSync(abs), Timestamp.fromNs(s.mtimeNs)));
      }
    }
  };
  walk('');
  return { files: files.sort(byPath), dirs: dirs.sort() };
}

async function* once(data: Buffer): AsyncGenerator<Uint8Array> {
  yield data;
}

/** Creates `fs`'s root and uploads the files of `tree` (bucket backends have no empty directories: `dirs` are skipped). */
export async function seedFs(fs: Fs, tree: ScenarioTree, defaultMtime = DEFAULT_MTIME): Promise<void> {
  await fs.mkdir(''); // an empty tree still exists (creates the bucket)
  for (const f of tree.files) {
    const data = fileBytes(f);
    const modTime = Timestamp.parse(f.mtime ?? defaultMtime);
    const info: ObjectInfo = {
      isDir: false, remote: f.path, size: data.length, storable: true, fs,
      modTime: () => modTime, hash: async () => '', toString: () => f.path,
    };
    await fs.put(once(data), info);
  }
}

async function readAll(obj: FsObject): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await obj.open()) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** Reads every object below an Fs root (a missing root reads as no files); directories are not reported. */
export async function snapshotFs(fs: Fs): Promise<ResultTree> {
  const files: ResultFile[] = [];
  try {
    for await (const page of listRecursive(fs, '')) {
      for (const e of page) if (!e.isDir) files.push(resultFile(e.remote, await readAll(e), e.modTime()));
    }
  } catch (err) {
    if (!isJsyncError(err, 'DIR_NOT_FOUND')) throw err;
  }
  return { files: files.sort(byPath), dirs: [] };
}

/** A tree reduced to its files (for backends without directories); null counts as empty. */
export function filesOnly(t: ResultTree | null | undefined): ResultFile[] {
  return t?.files ?? [];
}

/** The tree `buildLocalTree(tree)` creates, in result form (every directory, explicit or implied, is listed). */
export function initialResultTree(tree: ScenarioTree | null | undefined, defaultMtime = DEFAULT_MTIME): ResultTree | null {
  if (!tree) return null;
  const dirs = new Set<string>();
  const addParents = (p: string) => {
    for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) dirs.add(p.slice(0, i));
  };
  for (const d of tree.dirs ?? []) {
    addParents(d);
    dirs.add(d);
  }
  const files = tree.files.map((f) => {
    addParents(f.path);
    return resultFile(f.path, fileBytes(f), Timestamp.parse(f.mtime ?? defaultMtime));
  });
  return { files: files.sort(byPath), dirs: [...dirs].sort() };
}
