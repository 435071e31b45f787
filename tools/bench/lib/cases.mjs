// The benchmark cases: what each tool runs, how the destination is reset between runs, and how a run is verified.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { treeStats } from './data.mjs';

/** Flags given to both jsync and rclone on every run (rclone's defaults, stated explicitly). */
export const COMMON_FLAGS = ['--config', '/dev/null', '--transfers', '4', '--checkers', '8'];

/** The case ids in run order. */
export const CASE_IDS = ['copy-small', 'sync-noop', 'sync-checksum', 'copy-big', 'md5sum-big'];

/**
 * Builds the case list for a data set and a scratch dir. Each case: { id, title, big, warm: dirs read before each run,
 * tools: { name: () => argv-tail },
 * prepare(), reset() (before every run; the argv is taken after it), verify(tool, result) → problem or undefined }.
 */
export function buildCases({ data, work }) {
  const small = data.small;
  const dstSynced = join(work, 'synced');
  // Copies go to a fresh directory per run, removed only at the end: deleting 10,000 files and at once creating
  // 10,000 new ones makes ext4's inode allocator scan its recently-deleted inodes, which would time the file
  // system's housekeeping rather than the tools.
  let runNo = 0;
  let dstCopy = '';
  let dstBig = '';
  const freshCopy = () => { dstCopy = join(work, `copy-small-${++runNo}`); };
  const freshBig = () => { dstBig = join(work, `copy-big-${++runNo}`); };
  const want = data.manifest.small;
  const sameTree = (dir) => {
    const s = treeStats(dir);
    return s.files === want.files && s.bytes === want.bytes ? undefined : `destination has ${s.files} files / ${s.bytes} bytes, want ${want.files} / ${want.bytes}`;
  };
  const syncTools = (extra) => ({ jsync: () => ['sync', ...extra, small, dstSynced], rclone: () => ['sync', ...extra, small, dstSynced] });
  let synced = false;
  const prepareSynced = () => {
    if (synced) return;
    // The synced destination is made once by rclone (the reference) and then only ever no-op synced.
    rmSync(dstSynced, { recursive: true, force: true });
    const r = spawnSync('rclone', [...COMMON_FLAGS, 'copy', small, dstSynced], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`preparing ${dstSynced} with rclone failed: ${r.stderr}`);
    synced = true;
  };
  return [
    {
      id: 'copy-small', title: `copy ${want.files} small files`, big: false, warm: [small],
      tools: { jsync: () => ['copy', small, dstCopy], rclone: () => ['copy', small, dstCopy] },
      prepare: () => {}, reset: freshCopy,
      verify: (_tool, r) => r.code === 0 ? sameTree(dstCopy) : undefined,
    },
    {
      id: 'sync-noop', title: `sync (no-op) ${want.files} files`, big: false, warm: [small, dstSynced],
      tools: syncTools([]), prepare: prepareSynced, reset: () => {},
      verify: (_tool, r) => r.code === 0 ? sameTree(dstSynced) : undefined,
    },
    {
      id: 'sync-checksum', title: `sync --checksum (no-op) ${want.files}`, big: false, warm: [small, dstSynced],
      tools: syncTools(['--checksum']), prepare: prepareSynced, reset: () => {},
      verify: (_tool, r) => r.code === 0 ? sameTree(dstSynced) : undefined,
    },
    {
      id: 'copy-big', title: `copy 1 file of ${formatBytes(data.manifest.big.bytes)}`, big: true, warm: [data.big],
      tools: { jsync: () => ['copy', data.big, dstBig], rclone: () => ['copy', data.big, dstBig] },
      prepare: () => {}, reset: freshBig,
      verify: (_tool, r) => {
        if (r.code !== 0) return undefined;
        const s = treeStats(dstBig);
        return s.files === 1 && s.bytes === data.manifest.big.bytes ? undefined : `destination has ${s.files} files / ${s.bytes} bytes`;
      },
    },
    {
      id: 'md5sum-big', title: `md5sum of ${formatBytes(data.manifest.big.bytes)}`, big: true, warm: [data.big],
      tools: { jsync: () => ['md5sum', data.big], rclone: () => ['md5sum', data.big], md5sum: () => [data.bigFile] },
      prepare: () => {}, reset: () => {},
      verify: (_tool, r) => r.code !== 0 || r.stdout.startsWith(`${data.manifest.big.md5}  `) ? undefined : `unexpected output ${JSON.stringify(r.stdout.slice(0, 80))}`,
    },
  ];
}

/** Human-readable binary size (1 GiB, 64 MiB, …). */
export function formatBytes(n) {
  if (n === undefined || n === null) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}
