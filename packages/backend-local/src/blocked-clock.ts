// Telling slow storage from a busy machine: the time a thread spent blocked, i.e. neither running nor runnable.

import { readFileSync } from 'node:fs';

/** Linux per-thread scheduler stats: nanoseconds on a CPU, nanoseconds waiting for one, time slices. */
const SCHEDSTAT = '/proc/thread-self/schedstat';

/**
 * A clock of the calling thread's blocked time in ns (wall time minus time on a CPU and time queued for one, from
 * Linux schedstat), so a batch of synchronous syscalls can be judged slow only when the storage was slow, not when
 * other processes held the CPUs. Where schedstat is missing it is plain wall time.
 */
export function makeBlockedClock(): () => bigint {
  const read = (): bigint => {
    const [run, wait] = readFileSync(SCHEDSTAT, 'latin1').split(' ');
    return BigInt(run!) + BigInt(wait!);
  };
  try {
    read();
  } catch {
    return () => process.hrtime.bigint();
  }
  return () => {
    const wall = process.hrtime.bigint();
    return wall - read();
  };
}
