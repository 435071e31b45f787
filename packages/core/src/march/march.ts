// Lock-step traversal of a source and a destination tree, one directory pair at a time (rclone fs/march).

import { isJsyncError, noRetryError, jsyncError } from '../fs/errors.js';
import type { DirEntry, Fs } from '../fs/types.js';
import { leafOf } from '../list/list.js';
import { goQuote } from '../util/go-text.js';
import type { OperationContext } from '../sync/options.js';
import { findObject, makeListDir, type ListDirFn } from './list-dir.js';
import { matchListings, type MatchedListings } from './match.js';
import { matchTransforms, type NameTransform } from './transform.js';

/** Arguments of {@link march}. Callbacks resolve to whether to recurse into a directory entry. */
export interface MarchArgs {
  ctx: OperationContext;
  fsrc: Fs;
  fdst: Fs;
  /** Directory to start in on the source (`""` = root). @default '' */
  dir?: string;
  /** Directory to start in on the destination. @default dir */
  dstDir?: string;
  /** An entry only in the source; for a directory, true = list it (the destination side is known absent). */
  srcOnly(entry: DirEntry): Promise<boolean>;
  /** An entry only in the destination; for a directory, true = list it. */
  dstOnly(entry: DirEntry): Promise<boolean>;
  /** Entries on both sides with the same name (types differ only with `pairTypeClashes`); true = recurse. */
  match(src: DirEntry, dst: DirEntry): Promise<boolean>;
  /** Source entries colliding on one destination name, after they were logged and counted as errors. */
  collision?(entries: readonly DirEntry[]): void;
  /** Do not list the destination; look each source file up with NewObject (--no-traverse). @default false */
  noTraverse?: boolean;
  /** Never look at the destination at all (--no-check-dest). @default false */
  noCheckDest?: boolean;
  /** Whole-tree ListR listings per side. @default ctx.options.fastList */
  fastList?: boolean;
  /** List the source unfiltered. @default false */
  srcIncludeAll?: boolean;
  /** List the destination unfiltered (--delete-excluded). @default false */
  dstIncludeAll?: boolean;
  /** Pair a file with a same-named directory (reported by the caller) instead of treating them as unrelated. */
  pairTypeClashes?: boolean;
  /** Stops the traversal (between directories and callbacks). @default ctx.signal */
  signal?: AbortSignal;
}

interface Job {
  src: string;
  dst: string;
  srcDepth: number;
  dstDepth: number;
  noSrc: boolean;
  noDst: boolean;
}

/** rclone fs.MaxLevel: no depth limit. */
const unlimited = Number.MAX_SAFE_INTEGER;

/**
 * Walks both trees in lock step with `ctx.options.checkers` directories listed concurrently, calling the callbacks
 * for every entry pair (rclone March.Run). Memory is bounded by the largest directory unless fast-list is used.
 * Listing errors are logged and counted (the subtree is skipped); a missing destination directory counts as empty.
 * Resolves when everything was visited; rejects afterwards with the (already counted) listing error if there was
 * one, or with the abort reason when cancelled.
 */
export async function march(args: MarchArgs): Promise<void> {
  const { ctx, fsrc, fdst } = args;
  const o = ctx.options;
  const signal = args.signal ?? ctx.signal;
  const dir = args.dir ?? '';
  const dstRoot = args.dstDir ?? dir;
  const deleteExcluded = o.deleteExcluded || ctx.filter?.deleteExcluded === true;
  const common = { fastList: args.fastList ?? o.fastList, noTraverse: o.noTraverse, maxDepth: o.maxDepth, checkers: o.checkers, ...(signal ? { signal } : {}) };
  const srcList = makeListDir(fsrc, { ...common, filter: args.srcIncludeAll ? undefined : ctx.filter, root: dir });
  const dstList = args.noTraverse ? undefined : makeListDir(fdst, { ...common, filter: args.dstIncludeAll ? undefined : ctx.filter, root: dstRoot });
  const transforms = matchTransforms({
    noUnicodeNormalization: o.noUnicodeNormalization,
    caseInsensitive: fdst.features.caseInsensitive || o.ignoreCaseSync,
  });
  const srcDepth = o.maxDepth < 0 ? unlimited : o.maxDepth;
  const dstDepth = deleteExcluded ? unlimited : srcDepth;
  const state = { errors: 0, first: undefined as unknown };
  const root: Job = { src: dir, dst: dstRoot, srcDepth: srcDepth - 1, dstDepth: dstDepth - 1, noSrc: false, noDst: args.noCheckDest === true };
  const env: Env = { args, srcList, dstList, transforms, signal };
  await pool(root, Math.max(1, o.checkers), signal, async (job) => {
    try {
      return await processJob(env, job);
    } catch (err) {
      if (signal?.aborted) return [];
      state.errors++;
      state.first ??= err;
      return [];
    }
  });
  if (signal?.aborted) throw signal.reason ?? jsyncError('LIST_ABORTED');
  if (state.errors > 1) {
    throw new Error(`march failed with ${state.errors} error(s): first error: ${errText(state.first)}`, { cause: state.first });
  }
  if (state.errors === 1) throw state.first;
}

interface Env {
  args: MarchArgs;
  srcList: ListDirFn;
  dstList: ListDirFn | undefined;
  transforms: NameTransform[];
  signal: AbortSignal | undefined;
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Runs jobs (and the jobs they return) with at most `limit` in flight. */
async function pool<J>(first: J, limit: number, signal: AbortSignal | undefined, run: (job: J) => Promise<J[]>): Promise<void> {
  const queue: J[] = [first];
  let running = 0;
  await new Promise<void>((resolve) => {
    const pump = () => {
      if (signal?.aborted) queue.length = 0;
      while (running < limit && queue.length > 0) {
        const job = queue.shift()!;
        running++;
        void run(job).then((more) => {
          running--;
          if (!signal?.aborted) queue.push(...more);
          if (running === 0 && queue.length === 0) resolve();
          else pump();
        });
      }
      if (running === 0 && queue.length === 0) resolve();
    };
    pump();
  });
}

/** Joins a destination path for a source entry's leaf. */
const under = (dir: string, leaf: string): string => (dir === '' ? leaf : `${dir}/${leaf}`);

async function listBoth(env: Env, job: Job): Promise<[DirEntry[], DirEntry[]]> {
  const { fsrc, fdst, ctx } = env.args;
  const [s, d] = await Promise.allSettled([
    job.noSrc ? Promise.resolve([]) : env.srcList(job.src),
    job.noDst || !env.dstList ? Promise.resolve([]) : env.dstList(job.dst),
  ]);
  if (s.status === 'rejected') {
    const err = s.reason;
    if (job.src !== '') ctx.logger.log('ERROR', job.src, `error reading source directory: ${errText(err)}`);
    else ctx.logger.log('ERROR', fsrc.toString(), `error reading source root directory: ${errText(err)}`);
    ctx.stats.error(err);
    throw err;
  }
  let dstEntries: DirEntry[] = [];
  if (d.status === 'rejected') {
    const err = d.reason;
    if (!isJsyncError(err, 'DIR_NOT_FOUND')) {
      if (job.dst !== '') ctx.logger.log('ERROR', job.dst, `error reading destination directory: ${errText(err)}`);
      else ctx.logger.log('ERROR', fdst.toString(), `error reading destination root directory: ${errText(err)}`);
      ctx.stats.error(err);
      throw err;
    }
  } else dstEntries = d.value;
  return [s.value, dstEntries];
}

/** Lists one directory pair, calls the callbacks, and returns the subdirectory jobs (rclone processJob). */
async function processJob(env: Env, job: Job): Promise<Job[]> {
  const { args } = env;
  const [srcEntries, listed] = await listBoth(env, job);
  let dstEntries = listed;
  if (args.noTraverse && !args.noCheckDest) dstEntries = await lookupDst(env, job, srcEntries);
  const m = matchListings(srcEntries, dstEntries, env.transforms, { pairTypeClashes: args.pairTypeClashes === true });
  report(env, m);
  const jobs: Job[] = [];
  const aborting = () => env.signal?.aborted === true;
  for (const e of m.srcOnly) {
    if (aborting()) return [];
    if ((await args.srcOnly(e)) && job.srcDepth > 0) {
      jobs.push({ src: e.remote, dst: under(job.dst, leafOf(e.remote)), srcDepth: job.srcDepth - 1, dstDepth: 0, noSrc: false, noDst: true });
    }
  }
  for (const e of m.dstOnly) {
    if (aborting()) return [];
    if ((await args.dstOnly(e)) && job.dstDepth > 0) {
      jobs.push({ src: e.remote, dst: e.remote, srcDepth: 0, dstDepth: job.dstDepth - 1, noSrc: true, noDst: false });
    }
  }
  for (const { src, dst } of m.matches) {
    if (aborting()) return [];
    if ((await args.match(src, dst)) && job.srcDepth > 0 && job.dstDepth > 0) {
      jobs.push({ src: src.remote, dst: dst.remote, srcDepth: job.srcDepth - 1, dstDepth: job.dstDepth - 1, noSrc: false, noDst: job.noDst });
    }
  }
  return jobs;
}

/** --no-traverse: the destination objects named like the source's files, found with NewObject. */
async function lookupDst(env: Env, job: Job, srcEntries: DirEntry[]): Promise<DirEntry[]> {
  const { fdst, ctx } = env.args;
  const files = srcEntries.filter((e) => !e.isDir);
  const out: DirEntry[] = [];
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const leaf = leafOf(files[next++]!.remote);
      try {
        const found = await findObject(fdst, under(job.dst, leaf), env.signal);
        if (found) out.push(found);
      } catch {
        // rclone ignores lookup errors here: the file is treated as absent
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(ctx.options.checkers, files.length)) }, worker));
  return out;
}

/** Logs duplicates (NOTICE, as rclone) and counts collisions as errors. */
function report(env: Env, m: MatchedListings): void {
  const { ctx } = env.args;
  for (const d of m.duplicates) {
    ctx.logger.log('NOTICE', d.entry.remote, `Duplicate ${d.entry.isDir ? 'directory' : 'object'} found in ${d.side} - ignoring`);
  }
  for (const group of m.collisions) {
    for (const e of group) {
      const others = group.filter((x) => x !== e).map((x) => goQuote(leafOf(x.remote))).join(', ');
      const err = noRetryError(new Error(`name collides with ${others} on the destination (same name after case folding or Unicode normalisation) - skipping all of them`));
      ctx.logger.log('ERROR', e.remote, err.message);
      ctx.stats.error(err);
    }
    env.args.collision?.(group);
  }
}
