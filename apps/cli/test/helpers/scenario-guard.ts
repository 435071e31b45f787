// A wrapping backend for --dry-run tests: every Fs and object it hands out records (and fails) any mutating call
// (put, update, remove, mkdir, rmdir, setModTime, copy, move, dirMove, purge, cleanUp, putStream, putUnchecked).

import type { AnyBackendDefinition, DirEntry, Features, Fs, FsObject } from '@jsync/core';

/** Optional Fs operations that change something. */
const MUTATING_FEATURES = new Set(['purge', 'copy', 'move', 'dirMove', 'putStream', 'putUnchecked', 'cleanUp']);
/** Object methods that change something. */
const MUTATING_OBJECT_METHODS = new Set(['setModTime', 'update', 'remove']);

/** One forbidden call: the operation, the Fs it was made on and its first argument. */
export interface Mutation {
  op: string;
  fs: string;
  arg: string;
}

function describeArg(a: unknown): string {
  if (typeof a === 'string') return a;
  if (a && typeof a === 'object' && 'remote' in a) return String((a as { remote: unknown }).remote);
  return String(a);
}

/** Wraps `inner` so that every mutating call is pushed to `log` and rejected. */
export function guardFs(inner: Fs, log: Mutation[]): Fs {
  const forbid = (op: string) => async (...args: unknown[]): Promise<never> => {
    log.push({ op, fs: inner.toString(), arg: describeArg(args[0]) });
    throw new Error(`dry-run guard: ${op} called on ${inner.toString()}`);
  };
  const wrapObject = (obj: FsObject): FsObject =>
    new Proxy(obj, {
      get(target, prop) {
        if (prop === 'fs') return self;
        if (typeof prop === 'string' && MUTATING_OBJECT_METHODS.has(prop)) return forbid(`object.${prop}`);
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  const wrapEntry = (e: DirEntry): DirEntry => (e.isDir ? e : wrapObject(e));
  async function* wrapPages(pages: AsyncIterable<readonly DirEntry[]>): AsyncGenerator<readonly DirEntry[]> {
    for await (const page of pages) yield page.map(wrapEntry);
  }
  const features: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inner.features)) {
    if (typeof v !== 'function') features[k] = v;
    else if (MUTATING_FEATURES.has(k)) features[k] = forbid(k);
    else if (k === 'listR') features[k] = (dir: string, o?: object) => wrapPages((v as Fs['list'])(dir, o));
    else features[k] = v;
  }
  const self: Fs = {
    name: inner.name,
    root: inner.root,
    precision: inner.precision,
    hashes: inner.hashes,
    features: Object.freeze(features) as Features,
    toString: () => inner.toString(),
    list: (dir, o) => wrapPages(inner.list(dir, o)),
    newObject: async (remote, o) => wrapObject(await inner.newObject(remote, o)),
    put: forbid('put'),
    mkdir: forbid('mkdir'),
    rmdir: forbid('rmdir'),
  };
  return self;
}

/** A backend definition with `inner`'s name whose every Fs is guarded by {@link guardFs}. */
export function guardBackend(inner: AnyBackendDefinition, log: Mutation[]): AnyBackendDefinition {
  return {
    name: inner.name,
    description: inner.description,
    options: inner.options,
    async newFs(args) {
      const r = await inner.newFs(args);
      return { ...r, fs: guardFs(r.fs, log) };
    },
  };
}
