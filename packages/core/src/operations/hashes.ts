// Choosing the hash two Fs share and comparing one object pair by it (rclone CommonHash / checkHashes).

import { HashSet, type HashType } from '../hash/hash-type.js';
import type { FsObject, Info, ObjectInfo } from '../fs/types.js';
import type { OperationContext } from '../sync/options.js';
import { errText } from './skip.js';

/** The first hash type (registration order) both Fs support, or undefined. */
export function firstCommonHash(a: Pick<Info, 'hashes'>, b: Pick<Info, 'hashes'>): HashType | undefined {
  return a.hashes.overlap(b.hashes).first();
}

/** rclone CommonHash: the hash to compute while uploading and verify afterwards; none with `--ignore-checksum`. */
export function commonHash(ctx: OperationContext, fdst: Pick<Info, 'hashes'>, fsrc: Pick<Info, 'hashes'>): HashType | undefined {
  return ctx.options.ignoreChecksum ? undefined : firstCommonHash(fdst, fsrc);
}

/** The `hashes` upload option for a chosen hash type (empty set when none). */
export function hashesOption(type: HashType | undefined): HashSet {
  return type === undefined ? HashSet.none() : new HashSet([type]);
}

/** Outcome of {@link checkHashes}. */
export interface HashCheck {
  /** Equal, or not comparable (a hash was empty). False after an error. */
  equal: boolean;
  /** The type compared; undefined when either hash was empty (rclone `hash.None`). */
  type: HashType | undefined;
  srcHash: string;
  dstHash: string;
  /** The counted error when reading a hash failed. */
  error?: unknown;
}

/**
 * Compares `src` and `dst` by `type`, reading both hashes in parallel (rclone checkHashes). An empty hash on
 * either side means "can't tell" → equal with `type` undefined. Read errors are counted and logged
 * (`Failed to calculate src hash: …`) and give equal false. Logs rclone's DEBUG `md5 = <hash> OK` lines.
 */
export async function checkHashes(ctx: OperationContext, src: ObjectInfo, dst: FsObject, type: HashType): Promise<HashCheck> {
  const opts = ctx.signal ? { signal: ctx.signal } : {};
  const [s, d] = await Promise.allSettled([src.hash(type, opts), dst.hash(type, opts)]);
  const srcHash = s.status === 'fulfilled' ? s.value : '';
  const dstHash = d.status === 'fulfilled' ? d.value : '';
  if (s.status === 'fulfilled' && srcHash === '') {
    ctx.logger.log('DEBUG', String(src), 'Src hash empty - aborting Dst hash check');
    return { equal: true, type: undefined, srcHash, dstHash };
  }
  if (d.status === 'fulfilled' && dstHash === '') {
    ctx.logger.log('DEBUG', String(dst), 'Dst hash empty - aborting Src hash check');
    return { equal: true, type: undefined, srcHash, dstHash };
  }
  let error: unknown;
  if (s.status === 'rejected') {
    error = s.reason;
    ctx.stats.error(error);
    ctx.logger.log('ERROR', String(src), `Failed to calculate src hash: ${errText(error)}`);
  }
  if (d.status === 'rejected') {
    error = d.reason;
    ctx.stats.error(error);
    ctx.logger.log('ERROR', String(dst), `Failed to calculate dst hash: ${errText(error)}`);
  }
  if (error !== undefined) return { equal: false, type, srcHash, dstHash, error };
  if (srcHash !== dstHash) {
    ctx.logger.log('DEBUG', String(src), `${type} = ${srcHash} (${src.fs.toString()})`);
    ctx.logger.log('DEBUG', String(dst), `${type} = ${dstHash} (${dst.fs.toString()})`);
  } else {
    ctx.logger.log('DEBUG', String(src), `${type} = ${srcHash} OK`);
  }
  return { equal: srcHash === dstHash, type, srcHash, dstHash };
}

/**
 * rclone CheckHashes: compare by the first common hash of the two Fs; no common hash → equal with `type`
 * undefined.
 */
export async function checkCommonHash(ctx: OperationContext, src: ObjectInfo, dst: FsObject): Promise<HashCheck> {
  const type = firstCommonHash(src.fs, dst.fs);
  if (type === undefined) return { equal: true, type: undefined, srcHash: '', dstHash: '' };
  return checkHashes(ctx, src, dst, type);
}
