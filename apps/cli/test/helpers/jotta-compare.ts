// Comparisons for the jsync ⇄ rclone jottacloud interop tests: sorted output lines, lsjson items, server-side
// trees and the escaped request paths the emulator logged.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { NodeInfo, RequestRecord } from '@jsync/jottacloud-emulator';

/** Output lines without the empty last one, sorted (recursive listings have no defined order across folders). */
export function sortedLines(out: Buffer | string): string[] {
  const lines = out.toString().split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.sort();
}

/** The lines only in `a` and only in `b` (both sorted): `{ onlyA: [], onlyB: [] }` when they agree. */
export function lineDiff(a: readonly string[], b: readonly string[]): { onlyA: string[]; onlyB: string[] } {
  const count = (xs: readonly string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const ca = count(a);
  const cb = count(b);
  const only = (x: Map<string, number>, y: Map<string, number>) => [...x].flatMap(([k, n]) => Array<string>(Math.max(0, n - (y.get(k) ?? 0))).fill(k)).sort();
  return { onlyA: only(ca, cb), onlyB: only(cb, ca) };
}

/** Placeholder for directory modtimes: Jottacloud listings carry none, so both tools show the listing time. */
export const DIR_TIME = '<dir-time>';

const LSD_TIME = /^( *-1) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d /;
const LSF_DIR_TIME = /^(.*\/;-1;)[^;]+(;inode\/directory;.*)$/;

/** Output lines (order kept) with the directory times of `lsd` and `lsf --format pstmh` lines replaced by {@link DIR_TIME}. */
export function maskDirTimes(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(LSD_TIME, `$1 ${DIR_TIME} `).replace(LSF_DIR_TIME, `$1${DIR_TIME}$2`));
}

/** Directory items with `ModTime` replaced by {@link DIR_TIME} (after checking it is a time). */
export function maskLsJsonDirTimes(items: readonly LsJsonItem[]): LsJsonItem[] {
  return items.map((i) => {
    if (!i.IsDir) return i;
    if (Number.isNaN(Date.parse(String(i['ModTime'])))) throw new Error(`directory ${i.Path}: bad ModTime ${String(i['ModTime'])}`);
    return { ...i, ModTime: DIR_TIME };
  });
}

/** One `lsjson` item. */
export type LsJsonItem = Record<string, unknown> & { Path: string; IsDir: boolean };

/** Parses lsjson output, items sorted by Path. */
export function parseLsJson(out: Buffer | string): LsJsonItem[] {
  return (JSON.parse(out.toString()) as LsJsonItem[]).sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
}

/** `items` with only the keys its counterpart in `like` (same Path) has: fields rclone does not emit are dropped. */
export function restrictToKeysOf(items: readonly LsJsonItem[], like: readonly LsJsonItem[]): LsJsonItem[] {
  const keys = new Map(like.map((i) => [i.Path, Object.keys(i)]));
  return items.map((i) => {
    const ks = keys.get(i.Path);
    if (!ks) return i;
    return Object.fromEntries(ks.filter((k) => k in i).map((k) => [k, i[k]])) as LsJsonItem;
  });
}

/** What lsjson of a remote and of the local source must agree on: path, kind, size, md5, modtime to the second. */
export function essentials(items: readonly LsJsonItem[]): string[] {
  return items.filter((i) => !i.IsDir).map((i) => {
    const hashes = (i['Hashes'] ?? {}) as Record<string, string>;
    return JSON.stringify([i.Path, i['Name'], i['Size'], Math.floor(Date.parse(String(i['ModTime'])) / 1000), hashes['md5'] ?? hashes['MD5']]);
  }).sort();
}

/** An entry of a local tree: raw relative path bytes (hex), kind, size, content md5 and whole-second mtime of files. */
export interface LocalEntry {
  /** Relative path as hex of its bytes. */
  hex: string;
  isDir: boolean;
  size: number;
  mtimeSec: number;
  md5?: string;
}

/** Walks a local tree by raw bytes (names are compared as bytes, not as decoded strings). */
export function readLocalTree(root: string): LocalEntry[] {
  const out: LocalEntry[] = [];
  const walk = (rel: Buffer) => {
    const abs = Buffer.concat([Buffer.from(root), Buffer.from('/'), rel]);
    for (const name of readdirSync(abs, { encoding: 'buffer' })) {
      const r = rel.length === 0 ? name : Buffer.concat([rel, Buffer.from('/'), name]);
      const full = Buffer.concat([Buffer.from(root), Buffer.from('/'), r]);
      const st = statSync(full);
      if (st.isDirectory()) {
        out.push({ hex: r.toString('hex'), isDir: true, size: 0, mtimeSec: 0 });
        walk(r);
      } else {
        out.push({ hex: r.toString('hex'), isDir: false, size: st.size, mtimeSec: Math.floor(st.mtimeMs / 1000), md5: createHash('md5').update(readFileSync(full)).digest('hex') });
      }
    }
  };
  walk(Buffer.alloc(0));
  return out.sort((a, b) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : 0));
}

/** One node of an emulator tree, read through `state.stat`. */
export interface ServerEntry {
  /** Raw stored path below the walked folder. */
  path: string;
  kind: 'file' | 'folder';
  size?: number;
  md5?: string;
  modified?: number;
  created?: number;
  revisions?: number;
}

/** Every live node below `base` (`Jotta/Archive/A`), with stored names as they are, sorted by path. */
export function serverTree(stat: (p: string) => NodeInfo | undefined, base: string): ServerEntry[] {
  const out: ServerEntry[] = [];
  const walk = (rel: string) => {
    const node = stat(rel === '' ? base : `${base}/${rel}`);
    for (const child of node?.children ?? []) {
      const r = rel === '' ? child : `${rel}/${child}`;
      const info = stat(`${base}/${r}`);
      if (!info || info.deleted !== null) continue;
      if (info.kind === 'folder') {
        out.push({ path: r, kind: 'folder' });
        walk(r);
      } else {
        const cur = info.current;
        out.push({
          path: r, kind: 'file', revisions: 1 + (info.older?.length ?? 0),
          ...(cur ? { size: cur.size, md5: cur.md5, modified: cur.modified, created: cur.created } : {}),
        });
      }
    }
  };
  walk('');
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The escaped request paths (query dropped) below `/<user>/Jotta/Archive/<top>/`, keyed by their decoded form:
 * decoded path → set of escaped spellings seen. Requests whose path does not decode are keyed by the raw text.
 */
export function escapedPaths(requests: readonly RequestRecord[], user: string, top: string): Map<string, Set<string>> {
  const prefix = `/jfs/${user}/Jotta/Archive/${top}/`;
  const out = new Map<string, Set<string>>();
  for (const r of requests) {
    const p = r.url.split('?')[0] ?? '';
    const at = p.indexOf(prefix);
    if (at < 0) continue;
    const escaped = p.slice(at + prefix.length);
    let decoded: string;
    try {
      decoded = decodeURIComponent(escaped.replaceAll('+', ' '));
    } catch {
      decoded = escaped;
    }
    const set = out.get(decoded) ?? new Set<string>();
    set.add(escaped);
    out.set(decoded, set);
  }
  return out;
}
