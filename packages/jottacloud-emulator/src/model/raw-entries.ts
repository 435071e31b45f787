// Hostile entries for client tests: names served verbatim in XML (`../x`, `a/b`, `/abs`, `&#0;`), kept beside the
// tree (never persisted, never counted in usage) and attached to their folder node, so they follow moves.

import type { Account } from './account.js';
import { walkTree } from './tree.js';
import { fold, type Device, type FolderNode, type MountPoint, type Revision } from './types.js';

/** One injected entry of a folder. */
export interface RawEntry {
  kind: 'file' | 'folder';
  /** The name exactly as written into XML (`name="…"`, `<filename>`): never escaped by the emulator. */
  rawName: string;
  /** The name a client gets after XML decoding of `rawName` (what it would request back). */
  name: string;
  /** Liststream `<path>` written verbatim instead of the real one (e.g. `/Archive/../../etc`). */
  rawPath: string | undefined;
  uuid: string;
  /** File content served by `mode=bin` (empty for folders). */
  content: Buffer;
  /** The revision shown in listings (files). */
  revision: Revision;
}

// Keyed by folder node: entries follow the folder through moves and vanish with it; several emulators never collide.
const byFolder = new WeakMap<FolderNode, RawEntry[]>();

/** The raw entries injected into `folder` (empty for most folders). */
export function rawEntriesOf(folder: FolderNode): readonly RawEntry[] {
  return byFolder.get(folder) ?? [];
}

/** Adds a raw entry to `folder`. */
export function addRawEntry(folder: FolderNode, entry: RawEntry): void {
  const list = byFolder.get(folder) ?? [];
  list.push(entry);
  byFolder.set(folder, list);
}

/** Removes every raw entry of `folder`. */
export function clearRawEntries(folder: FolderNode): void {
  byFolder.delete(folder);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Resolves XML character and entity references the way a lenient parser would (`&#0;` → NUL); others stay as is. */
export function decodeXmlText(raw: string): string {
  return raw.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return NAMED[ref] ?? m;
  });
}

/** Where a folder node currently lives, or undefined when it left the tree. */
export function locateFolder(account: Account, folder: FolderNode): { device: Device; mp: MountPoint; names: string[] } | undefined {
  for (const device of account.devices.values()) {
    for (const mp of device.mountpoints.values()) {
      if (mp.root === folder) return { device, mp, names: [] };
      for (const e of walkTree(mp.root)) if (e.node === folder) return { device, mp, names: [...e.path] };
    }
  }
  return undefined;
}

/** A raw entry found for a request path, with where its folder is. */
export interface RawHit {
  entry: RawEntry;
  device: Device;
  mp: MountPoint;
  /** Path of the folder below the mountpoint. */
  names: string[];
}

/**
 * Finds the raw entry a decoded request path (`<user>/<device>/<mountpoint>/<folder…>/<name>`, segments already
 * percent-decoded and joined with `/`, so `..%2Fx` and `../x` both arrive as `../x`) addresses.
 */
export function findRawEntry(account: Account, folders: Iterable<FolderNode>, decodedPath: string): RawHit | undefined {
  for (const folder of folders) {
    const loc = locateFolder(account, folder);
    if (!loc) continue;
    const prefix = fold([account.info.username, loc.device.name, loc.mp.name, ...loc.names].join('/')) + '/';
    if (fold(decodedPath.slice(0, prefix.length)) !== prefix) continue;
    const rest = decodedPath.slice(prefix.length);
    const entry = rawEntriesOf(folder).find((e) => e.name === rest || `${e.name}/` === rest);
    if (entry) return { entry, ...loc };
  }
  return undefined;
}
