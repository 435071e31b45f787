// Deciding when small file-system work runs in place (synchronously) instead of through libuv's thread pool.

import { busyOrBlockedNs, makeSchedClock } from './sched-clock.js';
import type { SchedReading } from './sched-clock.js';

/** Time per syscall (ns) above which a run counts as slow: page-cache hits take a few µs. */
const SLOW_NS_PER_OP = 50_000n;
/** …but never below this (ns): a page fault waiting on the memory map lock or the like can cost a few hundred µs. */
const SLOW_NS_MIN = 1_000_000n;
/** Timed runs in a row that must be slow before everything goes through the thread pool (hiccups do not decide). */
const SLOW_RUNS_TO_SWITCH = 3;
/** Sampled runs are timed once in this many (a schedstat reading costs 5-60 µs itself, depending on the machine). */
const SAMPLE_EVERY = 64;

/**
 * Per-Fs policy: while the file system answers from memory, a thread-pool round trip costs several times more than
 * the syscall it carries, so listings and small-file reads for hashing run in place. A run (I/O only, no hashing)
 * is slow when the thread was switched out during it and, run-queue waits subtracted, it still took long: it slept
 * on storage; a busy machine merely queues it. After a few slow runs in a row (cold disk, network file system) the
 * Fs uses the thread pool for good, so one slow device never stalls the event loop for long. Without Linux
 * schedstat, wall time alone decides.
 */
export class InPlaceIo {
  private slowRuns = 0;
  private runs = 0;
  private inPlace = true;
  private readonly clock: () => SchedReading;

  /** `clock` defaults to the calling thread's schedstat (or plain wall time where there is none). */
  constructor(clock?: () => SchedReading) {
    this.clock = clock ?? makeSchedClock() ?? makeWallClock();
  }

  /** True while small I/O should run in place. */
  get enabled(): boolean {
    return this.inPlace;
  }

  /** Runs `fn` (about `ops` blocking syscalls, little CPU work) in place; `sampled` runs are timed only now and then. */
  run<T>(ops: number, fn: () => T, sampled = false): T {
    if (sampled && this.runs++ % SAMPLE_EVERY !== 0) return fn();
    const a = this.clock();
    try {
      return fn();
    } finally {
      if (busyOrBlockedNs(a, this.clock()) <= max(SLOW_NS_MIN, SLOW_NS_PER_OP * BigInt(ops))) this.slowRuns = 0;
      else if (++this.slowRuns >= SLOW_RUNS_TO_SWITCH) this.inPlace = false;
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
