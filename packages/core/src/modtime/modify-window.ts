// Precision and rclone's modify-window rule for comparing modification times.

import type { Timestamp } from './timestamp.js';

/** Nanoseconds in one second. */
export const SECOND_NS = 1_000_000_000n;

/** rclone's ModTimeNotSupported: 100 × 365 × 24 h, meaning "modtimes are not meaningful". */
export const MODTIME_NOT_SUPPORTED: bigint = 100n * 365n * 24n * 3600n * SECOND_NS;

/** Anything with a modtime precision in nanoseconds (an Fs or its Info). */
export interface HasPrecision {
  readonly precision: bigint;
}

/**
 * rclone's GetModifyWindow: the max of `modifyWindowNs` (default 1 ns) and each Fs precision;
 * MODTIME_NOT_SUPPORTED if any Fs does not support modtimes.
 */
export function getModifyWindow(fss: readonly HasPrecision[], modifyWindowNs = 1n): bigint {
  let window = modifyWindowNs;
  for (const f of fss) {
    if (f.precision >= MODTIME_NOT_SUPPORTED) return MODTIME_NOT_SUPPORTED;
    if (f.precision > window) window = f.precision;
  }
  return window;
}

/** True when `|a − b| < windowNs` (strictly less, as rclone). */
export function modTimesEqual(a: Timestamp, b: Timestamp, windowNs: bigint): boolean {
  const d = a.ns - b.ns;
  return (d < 0n ? -d : d) < windowNs;
}
