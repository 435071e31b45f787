// Time sources for accounting and limiters: the system clock and a manually advanced clock for tests.

/** Where accounting and limiters read time and sleep; inject a {@link ManualClock} in tests. */
export interface Clock {
  /** Monotonic milliseconds (arbitrary origin; may be fractional). */
  now(): number;
  /** Wall-clock time (bandwidth timetables, dates in stats lines). */
  date(): Date;
  /** Resolves after `ms`; rejects with the signal's reason when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error('This operation was aborted');
}

/** The real clock: `performance.now()`, `new Date()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => performance.now(),
  date: () => new Date(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

interface Sleeper {
  at: number;
  seq: number;
  resolve(): void;
}

/** A clock that only moves when told to; sleepers wake (in deadline order) as {@link ManualClock.advance} passes them. */
export class ManualClock implements Clock {
  private t: number;
  private readonly epochMs: number;
  private seq = 0;
  private sleepers: Sleeper[] = [];

  /** `startMs` is the monotonic start; `epochMs` the wall-clock time (ms since 1970) that corresponds to it. */
  constructor(opts: { startMs?: number; epochMs?: number } = {}) {
    this.t = opts.startMs ?? 0;
    this.epochMs = opts.epochMs ?? Date.UTC(2026, 0, 5, 12, 0, 0);
  }

  now(): number {
    return this.t;
  }

  date(): Date {
    return new Date(this.epochMs + this.t);
  }

  /** Number of sleepers not yet woken. */
  get pending(): number {
    return this.sleepers.length;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const sleeper: Sleeper = { at: this.t + ms, seq: this.seq++, resolve: () => resolve() };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(abortReason(signal));
      }, { once: true });
    });
  }

  /** Moves time forward by `ms`, waking every sleeper whose deadline is reached (letting each run before the next). */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      const next = this.sleepers.filter((s) => s.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (next === undefined) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.t = Math.max(this.t, next.at);
      next.resolve();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    this.t = target;
    for (let i = 0; i < 10; i++) await Promise.resolve();
  }
}
