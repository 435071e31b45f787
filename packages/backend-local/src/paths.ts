// OS paths as escaped strings (invalid UTF-8 bytes as lone surrogates) and their byte-exact form for fs calls.

import { resolve } from 'node:path';
import { encodeUtf8Escaped, hasLoneSurrogate } from '@jsync/core';

/**
 * The argument to pass to `node:fs` for an OS path: the string itself when it is valid UTF-8, otherwise its exact
 * bytes (so names with invalid UTF-8 are opened, written and removed byte-for-byte).
 */
export function fsPath(p: string): string | Buffer {
  return hasLoneSurrogate(p) ? encodeUtf8Escaped(p) : p;
}

/** Absolute, cleaned form of a user-supplied root (`path.resolve`: relative to cwd, no trailing slash, no `..`). */
export function cleanRootPath(root: string): string {
  return resolve(root === '' ? '.' : root);
}

/** `dir/name` for OS paths, without doubling the slash after `/`. */
export function joinOs(dir: string, name: string): string {
  if (name === '') return dir;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** Parent directory of an OS path (`/` stays `/`). */
export function parentOs(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

/** Leaf of an OS path. */
export function leafOs(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

/** 8 random hex digits for a temp name (uniqueness, not secrecy: the create is exclusive anyway). */
function randomHex8(): string {
  return Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
}

/** Longest file name most file systems accept, in bytes (NAME_MAX). */
const NAME_MAX = 255;

/**
 * Name of the temporary file a write goes to before it is renamed over `finalPath`: `<leaf>.<8 hex>.partial` in the
 * same directory (rclone's later partial-file pattern). The leaf is shortened, on a character boundary, so the
 * whole name fits in 255 bytes.
 */
export function partialPath(finalPath: string, random: () => string = randomHex8): string {
  const suffix = `.${random()}.partial`;
  let leaf = leafOs(finalPath);
  const room = NAME_MAX - suffix.length;
  if (encodeUtf8Escaped(leaf).length > room) {
    let bytes = 0;
    let cut = 0;
    for (const ch of leaf) {
      const n = encodeUtf8Escaped(ch).length;
      if (bytes + n > room) break;
      bytes += n;
      cut += ch.length;
    }
    leaf = leaf.slice(0, cut);
  }
  return joinOs(parentOs(finalPath), leaf + suffix);
}
