// Telling slow storage from a busy machine: Linux per-thread scheduler stats around a piece of synchronous work.

import { readFileSync } from 'node:fs';

/** `<ns on a CPU> <ns waiting in a run queue> <times switched in>` for the calling thread. */
const SCHEDSTAT = '/proc/thread-self/schedstat';

/** One reading: wall time, the thread's run-queue wait so far and how often it was switched in (all cumulative). */
export interface SchedReading {
  wallNs: bigint;
  queuedNs: bigint;
  switches: number;
}

/**
 * A reader of the calling thread's schedstat plus wall time, or undefined where the kernel does not offer it (a
 * read is a few µs). Between two readings: no switch means the thread neither slept nor was preempted; otherwise
 * wall time minus run-queue wait is time computing or sleeping (waiting for storage).
 */
export function makeSchedClock(): (() => SchedReading) | undefined {
  const read = (): SchedReading => {
    const wallNs = process.hrtime.bigint();
    const [, queued, switches] = readFileSync(SCHEDSTAT, 'latin1').trim().split(' ');
    return { wallNs, queuedNs: BigInt(queued!), switches: Number(switches) };
  };
  try {
    read();
  } catch {
    return undefined;
  }
  return read;
}

/** Wall time of the interval that was not spent queued for a CPU; 0 when the thread was never switched out. */
export function busyOrBlockedNs(a: SchedReading, b: SchedReading): bigint {
  if (b.switches === a.switches) return 0n;
  return b.wallNs - a.wallNs - (b.queuedNs - a.queuedNs);
}
