// Token-bucket limiters: --bwlimit (with timetables and UP:DOWN slots), --bwlimit-file and --tpslimit.

import type { Logger } from '../util/logger.js';
import { type Clock, systemClock } from './clock.js';
import { BW_OFF, type BwPair, type BwTimetable, bwLimitAt, formatBwPair, isBwSet } from './bwlimit.js';

/** rclone's minimum bucket size for bandwidth limits (bigger than any single read). */
const DEFAULT_MAX_BURST = 4 * 1024 * 1024;

/**
 * A token bucket with Go `x/time/rate.Limiter` semantics: `rate` tokens/s up to `burst`; a wait reserves its tokens
 * at once (the balance may go negative) and sleeps until they are paid for.
 */
export class TokenBucket {
  readonly rate: number;
  readonly burst: number;
  private tokens: number;
  private last: number;
  private readonly clock: Clock;

  /** A bucket that starts full (Go's NewLimiter), or empty with `empty: true` (rclone's bandwidth buckets). */
  constructor(opts: { rate: number; burst: number; clock?: Clock; empty?: boolean }) {
    this.rate = opts.rate;
    this.burst = Math.max(1, Math.floor(opts.burst));
    this.clock = opts.clock ?? systemClock;
    this.tokens = opts.empty ? 0 : this.burst;
    this.last = this.clock.now();
  }

  /** Reserves `n` tokens (n ≤ burst) now; returns the ms to wait before using them. */
  reserve(n: number): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) * this.rate) / 1000);
    this.last = Math.max(this.last, now);
    this.tokens -= n;
    return this.tokens < 0 ? (-this.tokens / this.rate) * 1000 : 0;
  }

  /** Waits until `n` tokens are available (larger requests are taken burst by burst). Aborting returns the tokens. */
  async waitN(n: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    for (let left = n; left > 0; left -= this.burst) {
      const take = Math.min(left, this.burst);
      const wait = this.reserve(take);
      if (wait <= 0) continue;
      try {
        await this.clock.sleep(wait, signal);
      } catch (err) {
        this.tokens = Math.min(this.burst, this.tokens + take);
        throw err;
      }
    }
  }
}

/** rclone newEmptyTokenBucket: the bucket for a `bytesPerSecond` limit (burst ≥ 4 MiB, scaled above 256 MiB/s). */
export function bandwidthBucket(bytesPerSecond: number, clock?: Clock): TokenBucket {
  const burst = Math.max(DEFAULT_MAX_BURST, Math.floor((bytesPerSecond * DEFAULT_MAX_BURST) / (256 * 1024 * 1024)));
  return new TokenBucket({ rate: bytesPerSecond, burst, clock, empty: true });
}

/** Which traffic a bandwidth wait is for: accounted transfer data, or raw upload/download (HTTP transports). */
export type BandwidthSlot = 'accounting' | 'tx' | 'rx';

type Buckets = Partial<Record<BandwidthSlot, TokenBucket>>;

/** rclone newTokenBucket: tx/rx buckets when set, the accounting bucket (max of both) only when both are set. */
function bucketsFor(bw: BwPair, clock: Clock): Buckets {
  const b: Buckets = {};
  if (bw.tx > 0) b.tx = bandwidthBucket(bw.tx, clock);
  if (bw.rx > 0) b.rx = bandwidthBucket(bw.rx, clock);
  if (bw.tx > 0 && bw.rx > 0) b.accounting = bandwidthBucket(Math.max(bw.tx, bw.rx), clock);
  return b;
}

/** Options for {@link BandwidthLimiter}. */
export interface BandwidthLimiterOptions {
  /** The parsed `--bwlimit` value (empty = unlimited). */
  timetable: BwTimetable;
  clock?: Clock;
  /** Receives rclone's `Starting bandwidth limiter …` / `Scheduled bandwidth change …` messages. */
  logger?: Logger;
}

/** The global `--bwlimit` limiter (rclone TokenBucket): follows the timetable, re-checked once a minute. */
export class BandwidthLimiter {
  private readonly timetable: BwTimetable;
  private readonly clock: Clock;
  private readonly logger: Logger | undefined;
  private current: BwPair;
  private buckets: Buckets;
  private nextCheck: number;

  constructor(opts: BandwidthLimiterOptions) {
    this.timetable = opts.timetable;
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger;
    this.current = bwLimitAt(this.timetable, this.clock.date()).bandwidth;
    this.buckets = isBwSet(this.current) ? bucketsFor(this.current, this.clock) : {};
    this.nextCheck = this.clock.now() + 60_000;
    if (isBwSet(this.current)) this.logger?.log('INFO', undefined, `Starting bandwidth limiter at ${formatBwPair(this.current)} Byte/s`);
  }

  /** The bandwidth in force now. */
  get limit(): BwPair {
    this.refresh();
    return this.current;
  }

  /** Waits until `n` bytes of `slot` traffic may pass (immediately when that slot is unlimited). */
  async waitN(slot: BandwidthSlot, n: number, signal?: AbortSignal): Promise<void> {
    this.refresh();
    const bucket = this.buckets[slot];
    if (bucket !== undefined && n > 0) await bucket.waitN(n, signal);
  }

  /** Replaces the limit now (rclone rc `core/bwlimit`); `BW_OFF` removes it. */
  set(bw: BwPair): void {
    this.current = bw;
    this.buckets = isBwSet(bw) ? bucketsFor(bw, this.clock) : {};
    this.logger?.log('NOTICE', undefined, isBwSet(bw) ? `Bandwidth limit set to ${formatBwPair(bw)}` : 'Bandwidth limit reset to unlimited');
  }

  /** Applies the timetable slot of the current minute (rclone's once-a-minute ticker, evaluated lazily). */
  private refresh(): void {
    if (this.timetable.length <= 1) return;
    const now = this.clock.now();
    if (now < this.nextCheck) return;
    this.nextCheck += Math.ceil((now - this.nextCheck + 1) / 60_000) * 60_000;
    const bw = bwLimitAt(this.timetable, this.clock.date()).bandwidth;
    if (bw.tx === this.current.tx && bw.rx === this.current.rx) return;
    this.current = bw;
    this.buckets = isBwSet(bw) ? bucketsFor(bw, this.clock) : {};
    this.logger?.log('NOTICE', undefined, isBwSet(bw)
      ? `Scheduled bandwidth change. Limit set to ${formatBwPair(bw)} Byte/s`
      : 'Scheduled bandwidth change. Bandwidth limits disabled');
  }
}

/** The per-transfer `--bwlimit-file` bucket in force at `date`, if the accounting slot is limited there. */
export function fileBandwidthBucket(timetable: BwTimetable, date: Date, clock?: Clock): { bucket: TokenBucket; limit: BwPair } | undefined {
  const bw = timetable.length === 0 ? BW_OFF : bwLimitAt(timetable, date).bandwidth;
  if (!isBwSet(bw)) return undefined;
  const bucket = bucketsFor(bw, clock ?? systemClock).accounting;
  return bucket === undefined ? undefined : { bucket, limit: bw };
}

/** Go `%g` for a float64 (shortest representation, exponent form when the exponent is < −4 or ≥ 6). */
export function goFormatG(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [mant = '', expText = '0'] = x.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(x);
}

/** Options for {@link TpsLimiter}. */
export interface TpsLimiterOptions {
  /** `--tpslimit`: transactions per second (≤ 0 = unlimited). */
  tps: number;
  /** `--tpslimit-burst` (values < 1 mean 1). @default 1 */
  burst?: number;
  clock?: Clock;
  /** Receives rclone's `Starting transaction limiter …` message. */
  logger?: Logger;
}

/** `--tpslimit`: call `await tps.take()` once per backend transaction. */
export class TpsLimiter {
  private readonly bucket: TokenBucket | undefined;

  constructor(opts: TpsLimiterOptions) {
    if (opts.tps > 0) {
      const burst = Math.max(1, Math.floor(opts.burst ?? 1));
      this.bucket = new TokenBucket({ rate: opts.tps, burst, clock: opts.clock });
      opts.logger?.log('INFO', undefined, `Starting transaction limiter: max ${goFormatG(opts.tps)} transactions/s with burst ${burst}`);
    }
  }

  /** True when a limit is in force. */
  get enabled(): boolean {
    return this.bucket !== undefined;
  }

  /** Waits for one transaction slot. */
  async take(signal?: AbortSignal): Promise<void> {
    if (this.bucket !== undefined) await this.bucket.waitN(1, signal);
  }
}
