// Identity and overlap rules between two Fs / two objects (rclone SameConfig, SameObject, OverlappingFilterCheck).

import { sep } from 'node:path';
import type { Fs, FsObject, Info } from '../fs/types.js';
import type { OperationContext } from '../sync/options.js';

/** Same config entry: equal config names (rclone SameConfig). */
export function sameConfig(a: Pick<Info, 'name'>, b: Pick<Info, 'name'>): boolean {
  return a.name === b.name;
}

/**
 * Same backend implementation (rclone SameRemoteType, Go's `%T`): both Fs built by the same class. Plain object
 * literals (no class) only count as the same type when their config names are equal.
 */
export function sameRemoteType(a: object, b: object): boolean {
  const pa = Object.getPrototypeOf(a) as unknown;
  const pb = Object.getPrototypeOf(b) as unknown;
  if (pa !== pb) return false;
  if (pa === Object.prototype || pa === null) return (a as Info).name === (b as Info).name;
  return true;
}

/** Same config and same root, ignoring leading/trailing `/` (rclone Same). */
export function sameFs(a: Info, b: Info): boolean {
  return sameConfig(a, b) && trimSlashes(a.root) === trimSlashes(b.root);
}

/** Whether a server-side copy/move from `srcFs` into `fdst` is allowed: same config, or same type across configs. */
export function serverSideAllowed(ctx: OperationContext, srcFs: Info, fdst: Fs): boolean {
  if (sameConfig(srcFs, fdst)) return true;
  return sameRemoteType(srcFs, fdst) && (fdst.features.serverSideAcrossConfigs || ctx.options.serverSideAcrossConfigs);
}

/**
 * True when `src` and `dst` may be the same stored object (rclone SameObject): same config and the same
 * `root/remote` path (compared lower-cased when the destination Fs is case-insensitive); across configs of the
 * same backend type, equal non-empty IDs.
 */
export function sameObject(src: FsObject, dst: FsObject): boolean {
  if (!sameConfig(src.fs, dst.fs)) {
    if (!sameRemoteType(src.fs, dst.fs)) return false;
    const a = src.id?.() ?? '';
    return a !== '' && a === (dst.id?.() ?? '');
  }
  let srcPath = joinPath(src.fs.root, src.remote);
  let dstPath = joinPath(dst.fs.root, dst.remote);
  if (dst.fs.features.caseInsensitive) {
    srcPath = srcPath.toLowerCase();
    dstPath = dstPath.toLowerCase();
  }
  return srcPath === dstPath;
}

/** Same config and the same directory (rclone SameDir). */
export function sameDir(a: Info, b: Info): boolean {
  return sameConfig(a, b) && fixRoot(a) === fixRoot(b);
}

/**
 * Same config and one root is inside (or equal to) the other, compared as `root/` (OS separators as `/`), lower-cased on a
 * case-insensitive Fs (rclone's overlap rule).
 */
export function overlapping(a: Info, b: Info): boolean {
  if (!sameConfig(a, b)) return false;
  const ra = fixRoot(a);
  const rb = fixRoot(b);
  return ra.startsWith(rb) || rb.startsWith(ra);
}

/**
 * rclone v1.60 OverlappingFilterCheck: like {@link overlapping}, but when `fdst` lies strictly inside `fsrc` the
 * overlap is forgiven if `ctx.filter` excludes one of the directories leading to it (so a sync never walks into
 * its own destination). The exclude-if-present probe is not applied here.
 */
export function overlappingFilterCheck(ctx: Pick<OperationContext, 'filter'>, fdst: Info, fsrc: Info): boolean {
  if (!sameConfig(fdst, fsrc)) return false;
  const dstRoot = fixRoot(fdst);
  const srcRoot = fixRoot(fsrc);
  if (dstRoot.startsWith(srcRoot)) {
    const relative = dstRoot.slice(srcRoot.length);
    if (relative === '' || ctx.filter === undefined) return true;
    // Every ancestor of the destination, from the top, must be an included directory for the overlap to count.
    const parts = relative.split('/').filter((p) => p !== '');
    for (let i = 1; i <= parts.length; i++) {
      if (!ctx.filter.includeDirectory(parts.slice(0, i).join('/'))) return false;
    }
    return true;
  }
  return srcRoot.startsWith(dstRoot);
}

/** rclone fixRoot: `root/` (empty for the top), OS separators as `/`, lower-cased for case-insensitive Fs. */
function fixRoot(f: Info): string {
  let s = trimSlashes(sep === '/' ? f.root : f.root.replaceAll(sep, '/'));
  if (s !== '') s += '/';
  if (f.features.caseInsensitive) s = s.toLowerCase();
  return s;
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '');
}

/** Go path.Join of a root and a remote, cleaned of duplicate slashes. */
function joinPath(root: string, remote: string): string {
  const joined = [root, remote].filter((p) => p !== '').join('/');
  return joined.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}
