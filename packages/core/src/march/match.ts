// Pairing one directory's source and destination listings by transformed leaf name (rclone matchListings).

import type { DirEntry } from '../fs/types.js';
import { compareEntries, compareRemotes, leafOf } from '../list/list.js';
import { transformName, type NameTransform } from './transform.js';

/** A source and a destination entry with the same (transformed) name. */
export interface MatchedPair {
  src: DirEntry;
  dst: DirEntry;
}

/** The outcome of pairing one directory's listings. */
export interface MatchedListings {
  /** Entries only in the source, in name order. */
  srcOnly: DirEntry[];
  /** Entries only in the destination, in name order. */
  dstOnly: DirEntry[];
  /** Pairs present on both sides, in name order. */
  matches: MatchedPair[];
  /**
   * Groups of source entries with different leaves that map to one destination name (`A.txt` and `a.txt` on a
   * case-insensitive destination, NFC and NFD spellings). None of them is passed on, nor any destination entry of
   * that name.
   */
  collisions: DirEntry[][];
  /** Exact duplicates (same leaf and type) ignored after the first, per side (rclone's NOTICE). */
  duplicates: { side: 'source' | 'destination'; entry: DirEntry }[];
}

/** Options for {@link matchListings}. */
export interface MatchOptions {
  /** Pair a file with a directory of the same name (so the caller can report the clash) instead of keeping them apart. */
  pairTypeClashes?: boolean;
}

interface Keyed {
  entry: DirEntry;
  leaf: string;
  name: string;
}

interface Slot {
  dir?: DirEntry;
  file?: DirEntry;
}

function keyed(entries: readonly DirEntry[], transforms: readonly NameTransform[]): Keyed[] {
  const out = entries.map((entry) => {
    const leaf = leafOf(entry.remote);
    return { entry, leaf, name: transformName(leaf, transforms) };
  });
  // Stable sort by (name, leaf, entry order): the first of true duplicates is the one the backend listed first.
  return out.sort((a, b) => compareRemotes(a.name, b.name) || compareRemotes(a.leaf, b.leaf) || compareEntries(a.entry, b.entry));
}

/** Groups by name and type; duplicates and (source) collisions are split off. */
function slots(
  list: Keyed[], side: 'source' | 'destination', out: MatchedListings, collided: Set<string>,
): Map<string, Slot> {
  const map = new Map<string, Slot>();
  for (let i = 0; i < list.length;) {
    let j = i;
    while (j < list.length && list[j]!.name === list[i]!.name) j++;
    const name = list[i]!.name;
    const run = list.slice(i, j);
    i = j;
    const groups = [run.filter((k) => k.entry.isDir), run.filter((k) => !k.entry.isDir)];
    if (side === 'source' && groups.some((g) => new Set(g.map((k) => k.leaf)).size > 1)) {
      // Two spellings of one destination name: neither may win silently (users-and-reliability req. 22)
      out.collisions.push(run.map((k) => k.entry));
      collided.add(name);
      continue;
    }
    const slot: Slot = {};
    for (const group of groups) {
      if (group.length === 0) continue;
      const isDir = group[0]!.entry.isDir;
      for (const dup of group.slice(1)) out.duplicates.push({ side, entry: dup.entry });
      if (isDir) slot.dir = group[0]!.entry;
      else slot.file = group[0]!.entry;
    }
    map.set(name, slot);
  }
  return map;
}

/**
 * Pairs `src` and `dst` (one directory each) by leaf name after `transforms`. A destination entry whose name
 * differs only by the transforms is paired, so the existing destination name is kept.
 */
export function matchListings(
  src: readonly DirEntry[], dst: readonly DirEntry[], transforms: readonly NameTransform[], opts: MatchOptions = {},
): MatchedListings {
  const out: MatchedListings = { srcOnly: [], dstOnly: [], matches: [], collisions: [], duplicates: [] };
  const collided = new Set<string>();
  const srcSlots = slots(keyed(src, transforms), 'source', out, collided);
  const dstSlots = slots(keyed(dst, transforms), 'destination', out, new Set());
  const names = [...new Set([...srcSlots.keys(), ...dstSlots.keys()])].sort(compareRemotes);
  for (const name of names) {
    const s = srcSlots.get(name) ?? {};
    const d = collided.has(name) ? {} : (dstSlots.get(name) ?? {});
    if (opts.pairTypeClashes) {
      if (s.file && !s.dir && d.dir && !d.file) {
        out.matches.push({ src: s.file, dst: d.dir });
        continue;
      }
      if (s.dir && !s.file && d.file && !d.dir) {
        out.matches.push({ src: s.dir, dst: d.file });
        continue;
      }
    }
    for (const kind of ['dir', 'file'] as const) {
      const se = s[kind];
      const de = d[kind];
      if (se && de) out.matches.push({ src: se, dst: de });
      else if (se) out.srcOnly.push(se);
      else if (de) out.dstOnly.push(de);
    }
  }
  return out;
}
