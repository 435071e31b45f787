// Trees of files for the fault matrix: seeded content (unique bytes per run, so the emulator cannot deduplicate one
// run's files from another's), local trees written and read back, and the emulator's view of a folder (current
// content, older revisions and trashed files).
import { createCipheriv, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { prng } from './plan.mjs';

/** The emulator mountpoint remotes configured with defaults point at. */
export const MOUNT = 'Jotta/Archive';
/** Modification time of every seeded file (whole seconds). */
export const MTIME = new Date('2024-05-06T07:08:09Z');
/** Older modification time of stale destination versions. */
export const OLD_MTIME = new Date('2023-01-02T03:04:05Z');
/** The local backend's temporary names: `<leaf>.<8 hex>.partial`. */
export const PARTIAL = /\.[0-9a-f]{8}\.partial$/;

/** md5 hex of bytes. */
export const md5 = (data) => createHash('md5').update(data).digest('hex');

/** `size` pseudo-random bytes for `seed` (AES-128-CTR keystream). */
export function seededBytes(seed, size) {
  const key = Buffer.alloc(16);
  key.writeUInt32BE(seed >>> 0, 0);
  key.writeUInt32BE(0x6a6f7474, 4);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

/** `count` small files (1–6 KiB) in a few folders plus one file of `bigBytes`: relative path → bytes. */
export function makeContent(seed, { count = 10, bigBytes = 768 * 1024, prefix = '' } = {}) {
  const rnd = prng(seed);
  const out = new Map();
  for (let i = 0; i < count; i++) {
    const dir = ['', 'a/', 'a/b/', 'c d/'][i % 4];
    out.set(`${dir}${prefix}f${String(i).padStart(2, '0')}.bin`, seededBytes(seed * 31 + i, 1024 + Math.floor(rnd() * 5 * 1024)));
  }
  if (bigBytes > 0) out.set(`big/${prefix}large.bin`, seededBytes(seed * 31 + 997, bigBytes));
  return out;
}

/** Identities (`{ size, md5 }`) of a content map. */
export function idsOf(content) {
  return new Map([...content].map(([k, v]) => [k, { size: v.length, md5: md5(v) }]));
}

/** Writes `content` below `dir` with modtime `mtime` (the directory exists afterwards even when empty). */
export function writeTree(dir, content, mtime = MTIME) {
  mkdirSync(dir, { recursive: true });
  for (const [rel, data] of content) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, data);
    utimesSync(p, mtime, mtime);
  }
}

/** The regular files below a local directory: `{ files: path → id, partials: [path] }` (`*.partial` apart). */
export function readLocal(dir) {
  const files = new Map();
  const partials = [];
  const walk = (abs, rel) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(join(abs, e.name), r);
      else if (e.isFile()) {
        if (PARTIAL.test(e.name)) partials.push(r);
        else {
          const data = readFileSync(join(abs, e.name));
          files.set(r, { size: data.length, md5: md5(data) });
        }
      }
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return { files, partials };
}

/**
 * The emulator's view of `Jotta/Archive/<folder>`: `live` (current COMPLETED content of live files), `trashed`
 * (current content of trashed files), `history` (path → every md5 held anywhere: current, older revisions, trash)
 * and `pending` (paths whose newest revision is INCOMPLETE or CORRUPT).
 */
export function readServer(emu, folder) {
  const live = new Map();
  const trashed = new Map();
  const history = new Map();
  const pending = [];
  const walk = (path, rel, inTrash) => {
    const node = emu.state.stat(path);
    if (!node) return;
    const gone = inTrash || node.deleted !== null;
    if (node.kind === 'file') {
      const sums = new Set([node.current?.md5, ...(node.older ?? []).map((r) => r.md5)].filter(Boolean));
      history.set(rel, sums);
      if (node.latest) pending.push(`${rel} (${node.latest.state})`);
      if (node.current) (gone ? trashed : live).set(rel, { size: node.current.size, md5: node.current.md5 });
      return;
    }
    for (const child of node.children ?? []) walk(`${path}/${child}`, rel ? `${rel}/${child}` : child, gone);
  };
  walk(`${MOUNT}/${folder}`, '', false);
  return { live, trashed, history, pending };
}

/** Seeds `content` into `Jotta/Archive/<folder>` directly (no protocol, no faults). */
export async function seedServer(emu, folder, content, mtime = MTIME) {
  for (const [rel, data] of content) await emu.state.putFile(`${MOUNT}/${folder}/${rel}`, data, { modified: mtime.getTime() / 1000 });
}

/** Differences between two id maps (`missing`/`differs`/`extra` relative to `want`), empty when equal. */
export function diffTrees(want, got) {
  const out = [];
  for (const [k, v] of want) {
    const w = got.get(k);
    if (!w) out.push(`missing ${k}`);
    else if (w.md5 !== v.md5 || w.size !== v.size) out.push(`differs ${k}`);
  }
  for (const k of got.keys()) if (!want.has(k)) out.push(`extra ${k}`);
  return out;
}
