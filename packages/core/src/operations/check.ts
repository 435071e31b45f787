// `check`: compare two trees without changing them (rclone operations.Check / CheckDownload / CheckFn).

import type { DirEntry, Fs, FsObject } from '../fs/types.js';
import { march } from '../march/march.js';
import type { OperationContext } from '../sync/options.js';
import { checkIdenticalDownload } from './check-download.js';
import { sizeDiffers } from './equal.js';
import { checkCommonHash, firstCommonHash } from './hashes.js';
import { errText, skipDestructive } from './skip.js';

/** Receivers of the report lines (`--combined`, `--differ`, …): one path per call, without a newline. */
export interface CheckReport {
  /** Every path with a sigil: `= ` identical, `- ` only in the destination, `+ ` only in the source, `* ` differs, `! ` error. */
  combined?(line: string): void;
  /** Paths that differ. */
  differ?(line: string): void;
  /** Paths only in the destination. */
  missingOnSrc?(line: string): void;
  /** Paths only in the source. */
  missingOnDst?(line: string): void;
  /** Identical paths. */
  match?(line: string): void;
  /** Paths that could not be checked. */
  error?(line: string): void;
}

/** Arguments of {@link check}. */
export interface CheckArgs {
  ctx: OperationContext;
  fsrc: Fs;
  fdst: Fs;
  /** `--one-way`: ignore files only in the destination. @default false */
  oneWay?: boolean;
  /** `--download`: compare contents byte by byte instead of hashes. @default false */
  download?: boolean;
  /** `--size-only`: compare sizes only. @default ctx.options.sizeOnly */
  sizeOnly?: boolean;
  /** Report line receivers. */
  report?: CheckReport;
}

/** Counts of a check run. */
export interface CheckResult {
  /** Files missing in the source, in the destination, differing. */
  differences: number;
  /** Files only in the destination. */
  missingOnSrc: number;
  /** Files only in the source. */
  missingOnDst: number;
  /** Identical files. */
  matches: number;
  /** Identical by size only because no hash could be compared. */
  noHashes: number;
  /** Counted errors (all of `ctx.stats`, as rclone reports them). */
  errors: number;
  /**
   * The command's error, undefined when clean: the listing error, or `N differences found`. Already accounted for:
   * every difference was counted in `ctx.stats`, so this one must not be counted again.
   */
  error?: unknown;
}

type Verdict = { differ: boolean; noHash: boolean; err?: unknown };

/**
 * Compares `fsrc` with `fdst` as rclone's check: sizes, then the first common hash (or the bytes with `download`),
 * logging each problem at ERROR, writing report lines, and closing with the NOTICE summary whose subject is the Fs.
 * Differences make `error` the counted `N differences found`; it never throws for them.
 */
export async function check(args: CheckArgs): Promise<CheckResult> {
  const { ctx, fsrc, fdst } = args;
  const report = args.report ?? {};
  const sizeOnly = args.sizeOnly ?? ctx.options.sizeOnly;
  const counts = { differences: 0, missingOnSrc: 0, missingOnDst: 0, matches: 0, noHashes: 0 };
  const emit = (name: string, out: ((l: string) => void) | undefined, sigil: string) => {
    out?.(name);
    report.combined?.(`${sigil} ${name}`);
  };
  const countedError = (subject: string, message: string) => {
    const err = new Error(message);
    ctx.logger.log('ERROR', subject, message);
    ctx.stats.error(err);
  };
  if (!args.download) {
    const ht = firstCommonHash(fsrc, fdst);
    if (ht === undefined) ctx.logger.log('ERROR', undefined, 'No common hash found - not using a hash for checks');
    else ctx.logger.log('INFO', undefined, `Using ${ht} for hash comparisons`);
  }
  const compare = async (src: FsObject, dst: FsObject): Promise<Verdict> => {
    const tr = ctx.stats.startCheck(src.remote);
    try {
      if (sizeDiffers(ctx, src, dst)) {
        ctx.logger.log('ERROR', src.remote, 'sizes differ');
        return { differ: true, noHash: false };
      }
      if (sizeOnly) return { differ: false, noHash: false };
      if (args.download) {
        try {
          return { differ: await checkIdenticalDownload(ctx, dst, src), noHash: false };
        } catch (err) {
          return { differ: true, noHash: true, err: new Error(`failed to download: ${errText(err)}`, { cause: err }) };
        }
      }
      const h = await checkCommonHash(ctx, src, dst);
      if (h.error !== undefined) return { differ: true, noHash: false, err: h.error };
      if (h.type === undefined) return { differ: false, noHash: true };
      if (!h.equal) {
        ctx.logger.log('ERROR', src.remote, `${h.type} differ`);
        return { differ: true, noHash: false };
      }
      return { differ: false, noHash: false };
    } finally {
      tr.done();
    }
  };
  const pending = new Set<Promise<void>>();
  const limit = Math.max(1, ctx.options.checkers);
  const checkPair = async (src: FsObject, dst: FsObject) => {
    const v = await compare(src, dst);
    if (v.err !== undefined) {
      ctx.logger.log('ERROR', src.remote, errText(v.err));
      ctx.stats.error(v.err);
      emit(src.remote, report.error, '!');
    } else if (v.differ) {
      counts.differences++;
      ctx.stats.error(new Error('files differ'));
      emit(src.remote, report.differ, '*');
    } else {
      counts.matches++;
      emit(src.remote, report.match, '=');
      if (v.noHash) counts.noHashes++;
      ctx.logger.log('DEBUG', dst.remote, v.noHash ? 'OK - could not check hash' : 'OK');
    }
  };
  const srcMissing = (e: DirEntry) => {
    countedError(e.remote, `file not in ${fsrc.toString()}`);
    counts.differences++;
    counts.missingOnSrc++;
    emit(e.remote, report.missingOnSrc, '-');
  };
  const dstMissing = (e: DirEntry) => {
    countedError(e.remote, `file not in ${fdst.toString()}`);
    counts.differences++;
    counts.missingOnDst++;
    emit(e.remote, report.missingOnDst, '+');
  };
  ctx.logger.log('DEBUG', fdst.toString(), 'Waiting for checks to finish');
  let marchError: unknown;
  try {
    await march({
      ctx, fsrc, fdst, noTraverse: ctx.options.noTraverse,
      srcOnly: async (e) => (e.isDir ? true : (dstMissing(e), false)),
      dstOnly: async (e) => (args.oneWay ? false : e.isDir ? true : (srcMissing(e), false)),
      match: async (src, dst) => {
        if (src.isDir && dst.isDir) return true;
        if (src.isDir !== dst.isDir) return false; // not paired by march (rclone keeps types apart)
        if (await skipDestructive(ctx, src, 'check')) return false;
        while (pending.size >= limit) await Promise.race(pending);
        const p = checkPair(src as FsObject, dst as FsObject).finally(() => pending.delete(p));
        pending.add(p);
        return false;
      },
      collision: (group) => {
        counts.differences += group.length;
        for (const e of group) emit(e.remote, report.error, '!');
      },
    });
  } catch (err) {
    marchError = err;
  }
  await Promise.all(pending);
  return summarise(ctx, fsrc, fdst, counts, marchError);
}

function summarise(
  ctx: OperationContext, fsrc: Fs, fdst: Fs, counts: Omit<CheckResult, 'errors' | 'error'>, marchError: unknown,
): CheckResult {
  const notice = (f: Fs, msg: string) => ctx.logger.log('NOTICE', f.toString(), msg);
  if (counts.missingOnDst > 0) notice(fdst, `${counts.missingOnDst} files missing`);
  if (counts.missingOnSrc > 0) notice(fsrc, `${counts.missingOnSrc} files missing`);
  const errors = ctx.stats.errors;
  notice(fdst, `${errors} differences found`);
  if (errors > 0) notice(fdst, `${errors} errors while checking`);
  if (counts.noHashes > 0) notice(fdst, `${counts.noHashes} hashes could not be checked`);
  if (counts.matches > 0) notice(fdst, `${counts.matches} matching files`);
  // As rclone, `N differences found` is not counted again: each difference already was.
  const error = marchError ?? (counts.differences > 0 ? new Error(`${counts.differences} differences found`) : undefined);
  return { ...counts, errors: ctx.stats.errors, ...(error !== undefined ? { error } : {}) };
}
