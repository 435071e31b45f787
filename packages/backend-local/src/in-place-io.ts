// Deciding when small file-system work runs in place (synchronously) instead of through libuv's thread pool.

import { busyOrBlockedNs, makeSchedClock } from './sched-clock.js';
import type { SchedReading } from './sched-clock.js';

/** Time per syscall (ns) above which a run counts as slow: page-cache hits take a few µs. */
const SLOW_NS_PER_OP = 50_000n;
/** …but never below this (ns): a page fault waiting on the memory map lock or the like can cost a few hundred µs. */
const SLOW_NS_MIN = 1_000_000n;
/** Slow runs in a row, confirmed by the scheduler stats, before everything goes through the thread pool. */
const SLOW_RUNS_TO_SWITCH = 3;

/**
 * Per-Fs policy: while the file system answers from memory, a thread-pool round trip costs several times more than
 * the syscall it carries, so listings and small-file I/O run in place. Every run is timed by wall clock (cheap);
 * once one takes long, the following runs are judged by the thread's scheduler stats (a few µs to read): slow
 * means the thread was switched out and, run-queue waits subtracted, still took long, i.e. it slept on storage; a
 * busy machine merely queues it. After a few slow runs in a row (cold disk, network file system) the Fs uses the
 * thread pool for good, so one slow device never stalls the event loop for long. Without Linux schedstat, wall
 * time alone decides.
 */
export class InPlaceIo {
  private slowRuns = 0;
  private suspect = false;
  private inPlace = true;
  private readonly clock: () => SchedReading;
  private readonly now: () => bigint;

  /** `clock` defaults to the calling thread's schedstat (or wall time where there is none), `now` to hrtime. */
  constructor(clock?: () => SchedReading, now?: () => bigint) {
    this.clock = clock ?? makeSchedClock() ?? makeWallClock();
    this.now = now ?? (clock ? () => clock().wallNs : () => process.hrtime.bigint());
  }

  /** True while small I/O should run in place. */
  get enabled(): boolean {
    return this.inPlace;
  }

  /** Runs `fn` (about `ops` blocking syscalls, little CPU work) in place, keeping an eye on how long it blocks. */
  run<T>(ops: number, fn: () => T): T {
    const limit = max(SLOW_NS_MIN, SLOW_NS_PER_OP * BigInt(ops));
    if (!this.suspect) {
      const t0 = this.now();
      try {
        return fn();
      } finally {
        if (this.now() - t0 > limit) this.suspect = true;
      }
    }
    const a = this.clock();
    try {
      return fn();
    } finally {
      if (busyOrBlockedNs(a, this.clock()) <= limit) {
        this.slowRuns = 0;
        this.suspect = false;
      } else if (++this.slowRuns >= SLOW_RUNS_TO_SWITCH) {
        this.inPlace = false;
      }
    }
  }

  /** Stops running in place (tests, or a caller that knows better). */
  disable(): void {
    this.inPlace = false;
  }
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** Without schedstat: every reading counts as a switch, so wall time decides. */
function makeWallClock(): () => SchedReading {
  let switches = 0;
  return () => ({ wallNs: process.hrtime.bigint(), queuedNs: 0n, switches: switches++ });
}
