// A wrapper Fs whose every mutating call (and that of its objects) throws: proves dry-run touches nothing.

import type { Fs, FsObject } from '../../src/index.js';
import { fillFeatures } from '../../src/index.js';

const FS_MUTATIONS = new Set(['put', 'mkdir', 'rmdir', 'purge', 'copy', 'move', 'dirMove', 'putStream', 'putUnchecked', 'cleanUp']);
const OBJECT_MUTATIONS = new Set(['update', 'remove', 'setModTime']);

/** Every mutating call attempted through guarded wrappers, as `method remote`. */
export interface GuardLog {
  attempts: string[];
}

/** Wraps `inner` (and every object it hands out) so mutating methods record the attempt and throw. */
export function guardFs(inner: Fs, log: GuardLog): Fs {
  const wrapObject = (o: FsObject, fs: Fs): FsObject =>
    new Proxy(o, {
      get(target, prop) {
        if (prop === 'fs') return fs;
        const v = Reflect.get(target, prop, target) as unknown;
        if (typeof prop === 'string' && OBJECT_MUTATIONS.has(prop)) {
          return () => {
            log.attempts.push(`${prop} ${target.remote}`);
            throw new Error(`mutating call in dry-run: ${prop} ${target.remote}`);
          };
        }
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  const methods: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(inner.features)) {
    if (typeof fn !== 'function') continue;
    methods[name] = FS_MUTATIONS.has(name)
      ? (...args: unknown[]) => {
        log.attempts.push(`${name} ${String(args[1] ?? args[0])}`);
        throw new Error(`mutating call in dry-run: ${name}`);
      }
      : fn;
  }
  const flags = Object.fromEntries(Object.entries(inner.features).filter(([, v]) => typeof v === 'boolean'));
  const guarded: Fs = {
    name: inner.name, root: inner.root, precision: inner.precision, hashes: inner.hashes,
    features: fillFeatures(methods, { flags }),
    toString: () => inner.toString(),
    async *list(dir, opts) {
      for await (const page of inner.list(dir, opts)) yield page.map((e) => (e.isDir ? e : wrapObject(e, guarded)));
    },
    newObject: async (remote, opts) => wrapObject(await inner.newObject(remote, opts), guarded),
    put: async (_input, src) => {
      log.attempts.push(`put ${src.remote}`);
      throw new Error('mutating call in dry-run: put');
    },
    mkdir: async (dir) => {
      log.attempts.push(`mkdir ${dir}`);
      throw new Error('mutating call in dry-run: mkdir');
    },
    rmdir: async (dir) => {
      log.attempts.push(`rmdir ${dir}`);
      throw new Error('mutating call in dry-run: rmdir');
    },
  };
  return guarded;
}
