// A `flaky` test backend: the memory backend whose uploads fail on demand (retry/exit-code tests of the CLI).

import type { BackendDefinition, Fs, NewFsResult } from '@jsync/core';
import { createMemoryBackend } from '@jsync/backend-memory';

/** Decides whether one upload of `remote` fails: return the error to throw, or undefined to let it through. */
export type FailPlan = (remote: string, call: number) => Error | undefined;

/** The flaky backend plus the memory store it writes to and a log of upload attempts. */
export interface FlakyBackend {
  definition: BackendDefinition;
  /** Every `put` call as `remote` in call order (failed ones included). */
  puts: string[];
}

/**
 * A backend called `flaky` (use `:flaky:bucket/dir`) storing in its own memory store; `plan` is asked before every
 * `put` with the remote and how many times that remote was put before (0-based).
 */
export function createFlakyBackend(plan: FailPlan): FlakyBackend {
  const inner = createMemoryBackend();
  const puts: string[] = [];
  const calls = new Map<string, number>();
  const wrap = (fs: Fs): Fs => new Proxy(fs, {
    get(target, prop) {
      if (prop === 'put') {
        return async (...args: Parameters<Fs['put']>) => {
          const remote = args[1].remote;
          const n = calls.get(remote) ?? 0;
          calls.set(remote, n + 1);
          puts.push(remote);
          const err = plan(remote, n);
          if (err) {
            // consume the input like a real upload that failed midway
            for await (const _chunk of args[0]) break;
            throw err;
          }
          return target.put(...args);
        };
      }
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const definition: BackendDefinition = {
    name: 'flaky',
    description: 'memory backend with failing uploads (tests)',
    options: [],
    async newFs(args): Promise<NewFsResult> {
      const made = await inner.newFs({ ...args, options: {} });
      return { ...made, fs: wrap(made.fs) };
    },
  };
  return { definition, puts };
}
