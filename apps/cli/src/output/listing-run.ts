// Shared plumbing of the listing commands: recursive listing with rclone's error accounting, byte-exact stdout.

import { type DirEntry, type Filter, type FsObject, type ListType, encodeUtf8Escaped, listRecursive } from '@jsync/core';
import type { CliContext, OpenedFs } from '../context.js';

/** The message of any thrown value. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Writes text to stdout as bytes (escaped invalid-UTF-8 bytes become raw bytes again). */
export function writeOut(ctx: CliContext, text: string): void {
  if (text !== '') ctx.io.stdout.write(encodeUtf8Escaped(text));
}

/** Writes bytes to stdout, waiting for 'drain' when the sink is a stream whose buffer is full (large `cat`s). */
export async function writeOutBytes(ctx: CliContext, bytes: Uint8Array): Promise<void> {
  const sink = ctx.io.stdout as { write(c: Uint8Array): unknown; once?: (ev: string, fn: () => void) => unknown };
  if (sink.write(bytes) === false && typeof sink.once === 'function') {
    await new Promise<void>((resolve) => sink.once!('drain', resolve));
  }
}

/** Options for {@link listSource}. */
export interface ListSourceOptions {
  listType: ListType;
  /** rclone maxLevel: −1 unlimited, 0 unlimited without ListR, n levels. */
  maxDepth: number;
}

/**
 * rclone `walk.ListR` over an opened source: only the named file when the path was a file; otherwise a recursive
 * listing where each failed directory is logged (`ERROR : dir: error listing: …`) and counted, then the last
 * failure is thrown once the walk ends.
 */
export async function* listSource(ctx: CliContext, src: OpenedFs, opts: ListSourceOptions): AsyncGenerator<DirEntry[]> {
  if (src.file !== undefined) {
    if (opts.listType === 'dirs') return;
    yield [await src.fs.newObject(src.file)];
    return;
  }
  // The active rclone filters, once the CLI context carries them (--include & co).
  const filter = (ctx as { filter?: Filter }).filter;
  yield* listRecursive(src.fs, '', {
    ...(filter ? { filter } : {}),
    maxDepth: opts.maxDepth,
    listType: opts.listType,
    fastList: ctx.globals.fastList,
    checkers: ctx.globals.checkers,
    onError: (dir, err) => {
      ctx.countError(err);
      ctx.logger.log('ERROR', dir, `error listing: ${errorMessage(err)}`);
    },
  });
}

/** rclone `ConfigMaxDepth`: --max-depth, or 1 for a non-recursive listing when it is unset (negative). */
export function configMaxDepth(ctx: CliContext, recursive: boolean): number {
  const depth = ctx.globals.maxDepth;
  return !recursive && depth < 0 ? 1 : depth;
}

/** rclone `ListFn`: every object below the source, honouring --max-depth. */
export async function* listObjects(ctx: CliContext, src: OpenedFs): AsyncGenerator<FsObject[]> {
  for await (const batch of listSource(ctx, src, { listType: 'objects', maxDepth: ctx.globals.maxDepth })) {
    yield batch.filter((e): e is FsObject => !e.isDir);
  }
}

/**
 * Runs `fn` over `items` with at most `limit` in flight, emitting results in input order through `emit`
 * (rclone runs these on --transfers goroutines; jsync keeps the listing order for stable output).
 */
export async function mapOrdered<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>, emit: (r: R) => void): Promise<void> {
  const results: Promise<R>[] = [];
  let next = 0;
  const n = Math.max(1, limit);
  const start = () => {
    if (next >= items.length) return;
    const p = fn(items[next++]!);
    p.catch(() => {}); // rejections surface when awaited in order
    results.push(p);
  };
  for (let i = 0; i < n; i++) start();
  for (let i = 0; i < items.length; i++) {
    const r = await results[i]!;
    start();
    emit(r);
  }
}
