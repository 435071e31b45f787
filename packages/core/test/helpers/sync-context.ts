// Test context for march/sync/check: recording stats and logger, option defaults, and a mutation guard wrapper.

import {
  type DirEntry, type Features, type Filter, type Fs, type FsObject, type LogLevel, type Logger, type OperationContext,
  type StatsRecorder, type TransferAccount, type TransferOptions, fillFeatures, resolveTransferOptions,
} from '../../src/index.js';

/** A StatsRecorder that counts everything (idempotent error counting as the contract says). */
export class TestStats implements StatsRecorder {
  private readonly seen = new Set<unknown>();
  errors = 0;
  lastError: unknown;
  checks = 0;
  transfers = 0;
  bytes = 0;
  deletes = 0;
  deletedDirs = 0;
  renames = 0;
  transferred: string[] = [];
  error(err: unknown): void {
    if (typeof err === 'object' && err !== null) {
      if (this.seen.has(err)) return;
      this.seen.add(err);
    }
    this.errors++;
    this.lastError = err;
  }
  startCheck(): { done(): void } {
    return { done: () => void this.checks++ };
  }
  startTransfer(info: { remote: string; size: number }): TransferAccount {
    let finished = false;
    return {
      wrap: (input) => this.count(input),
      addBytes: (n) => void (this.bytes += n),
      done: (err) => {
        if (finished) return;
        finished = true;
        if (err !== undefined && err !== null) this.error(err);
        else {
          this.transfers++;
          this.transferred.push(info.remote);
        }
      },
    };
  }
  private async *count(input: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    for await (const c of input) {
      this.bytes += c.length;
      yield c;
    }
  }
  deleted(n = 1): void {
    this.deletes += n;
  }
  deletedDir(): void {
    this.deletedDirs++;
  }
  renamed(): void {
    this.renames++;
  }
  setQueued(): void {}
}

/** A logger keeping `LEVEL subject: message` lines. */
export class TestLogger implements Logger {
  readonly lines: string[] = [];
  log(level: LogLevel, subject: string | undefined, message: string): void {
    this.lines.push(subject === undefined ? `${level} ${message}` : `${level} ${subject}: ${message}`);
  }
  enabled(): boolean {
    return true;
  }
  /** Lines at `level`. */
  at(level: LogLevel): string[] {
    return this.lines.filter((l) => l.startsWith(level + ' '));
  }
}

/** A context with test stats and logger. */
export interface TestContext extends OperationContext {
  readonly stats: TestStats;
  readonly logger: TestLogger;
}

/** Builds a context; `checkers`/`transfers` default to 1 for deterministic order unless given. */
export function makeCtx(opts: Partial<TransferOptions> = {}, extra: { filter?: Filter; confirm?: OperationContext['confirm']; signal?: AbortSignal } = {}): TestContext {
  return {
    options: resolveTransferOptions({ checkers: 1, transfers: 1, ...opts }),
    stats: new TestStats(),
    logger: new TestLogger(),
    ...(extra.filter ? { filter: extra.filter } : {}),
    ...(extra.confirm ? { confirm: extra.confirm } : {}),
    ...(extra.signal ? { signal: extra.signal } : {}),
  };
}

const MUTATING_FS = ['put', 'mkdir', 'rmdir'] as const;
const MUTATING_FEATURES = ['purge', 'copy', 'move', 'dirMove', 'putStream', 'putUnchecked', 'cleanUp'] as const;
const MUTATING_OBJ = ['setModTime', 'update', 'remove'] as const;

/** Wraps `fs` so that every mutating call (Fs, feature or object method) throws and is recorded in `attempts`. */
export function mutationGuard(fs: Fs): Fs & { attempts: string[] } {
  const attempts: string[] = [];
  const deny = (what: string) => () => {
    attempts.push(what);
    throw new Error(`mutation attempted in a read-only run: ${what}`);
  };
  const wrapObj = (o: FsObject): FsObject => {
    const w = Object.create(o) as FsObject & Record<string, unknown>;
    for (const m of MUTATING_OBJ) w[m] = deny(`${m} ${o.remote}`);
    Object.defineProperty(w, 'fs', { value: guarded });
    return w;
  };
  const wrapEntry = (e: DirEntry): DirEntry => (e.isDir ? e : wrapObj(e));
  const featureMethods: Record<string, unknown> = {};
  const f = fs.features as Features & Record<string, unknown>;
  for (const m of MUTATING_FEATURES) if (typeof f[m] === 'function') featureMethods[m] = deny(m);
  if (f.listR) {
    featureMethods.listR = async function* (dir: string) {
      for await (const page of f.listR!(dir)) yield page.map(wrapEntry);
    };
  }
  const flags = Object.fromEntries(Object.entries(f).filter(([, v]) => typeof v === 'boolean'));
  const guarded = Object.create(fs) as Fs & { attempts: string[] } & Record<string, unknown>;
  Object.defineProperty(guarded, 'features', { value: fillFeatures(featureMethods, { flags }) });
  guarded.attempts = attempts;
  for (const m of MUTATING_FS) guarded[m] = deny(m);
  guarded.list = async function* (dir: string) {
    for await (const page of fs.list(dir)) yield page.map(wrapEntry);
  };
  guarded.newObject = async (remote: string) => wrapObj(await fs.newObject(remote));
  guarded.toString = () => fs.toString();
  return guarded;
}
