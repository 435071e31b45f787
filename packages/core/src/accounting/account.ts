// One check or transfer in progress: its bytes, speed, ETA, per-file bandwidth and --max-transfer cut-off.

import { fatalError, jsyncError } from '../fs/errors.js';
import type { Logger } from '../util/logger.js';
import type { Clock } from './clock.js';
import { MovingAverage } from './average.js';
import type { BwTimetable } from './bwlimit.js';
import { formatBwPair } from './bwlimit.js';
import { type BandwidthLimiter, type TokenBucket, fileBandwidthBucket } from './limits.js';
import type { CheckAccount, TransferAccount } from './types.js';

/** What an item needs from the stats that own it (package-internal). */
export interface AccountHost {
  readonly clock: Clock;
  readonly signal: AbortSignal | undefined;
  /** `--max-transfer` in bytes for the HARD cut-off inside reads (−1 off). */
  readonly maxTransfer: number;
  readonly bwLimit: BandwidthLimiter | undefined;
  readonly bwLimitFile: BwTimetable | undefined;
  readonly logger: Logger | undefined;
  /** Stats bytes so far. */
  readonly bytes: number;
  /** Adds `n` to the stats byte count (and its speed average). */
  countBytes(n: number): void;
  /** Called once when the item ends. */
  finish(item: TransferItem, err: unknown): void;
}

/** Plain data about one item in progress (rclone's per-transfer rc stats). */
export interface TransferItemSnapshot {
  /** Remote path. */
  name: string;
  /** Size in bytes (−1 unknown). */
  size: number;
  /** `check` or `transfer`. */
  kind: 'check' | 'transfer';
  /** True once data accounting began (rclone: the item has an Account); else it shows as `transferring`/`checking`. */
  started: boolean;
  /** Bytes of this item so far. */
  bytes: number;
  /** Mean speed since the first read, bytes/s. */
  speed: number;
  /** Moving-average speed, bytes/s (what the text stats show). */
  speedAvg: number;
  /** Whole seconds left at `speedAvg`, or null when unknown. */
  etaSeconds: number | null;
  /** Truncated percentage done (0 when the size is unknown). */
  percentage: number;
  /** Clock ms when the item started. */
  startedAt: number;
}

/** rclone `eta`: whole seconds to move `total − done` at `rate`, or null when that cannot be known. */
export function etaSeconds(done: number, total: number, rate: number): number | null {
  if (total <= 0 || done < 0 || rate <= 0) return null;
  const remaining = total - done;
  if (remaining < 0) return null;
  return Math.trunc(remaining / rate);
}

/** A check or transfer registered with a {@link Stats}; implements the engine-facing account contracts. */
export class TransferItem implements TransferAccount, CheckAccount {
  readonly remote: string;
  readonly size: number;
  readonly kind: 'check' | 'transfer';
  readonly serverSide: 'copy' | 'move' | undefined;
  readonly startedAt: number;
  /** Set when the item ended. */
  completedAt: number | undefined;
  private readonly host: AccountHost;
  private started = false;
  private itemBytes = 0;
  private firstReadAt: number | undefined;
  private readonly average = new MovingAverage();
  private fileBucket: TokenBucket | undefined;

  constructor(host: AccountHost, info: { remote: string; size: number; kind: 'check' | 'transfer'; serverSide?: 'copy' | 'move' }) {
    this.host = host;
    this.remote = info.remote;
    this.size = info.size;
    this.kind = info.kind;
    this.serverSide = info.serverSide;
    this.startedAt = host.clock.now();
    if (this.serverSide !== undefined) this.open();
  }

  /** True once data accounting began. */
  get isStarted(): boolean {
    return this.started;
  }

  /** True once {@link done} ran. */
  get isDone(): boolean {
    return this.completedAt !== undefined;
  }

  /** Begins data accounting (rclone Transfer.Account / ServerSideCopyStart); a second call restarts the progress. */
  private open(): void {
    const now = this.host.clock.now();
    if (this.started) {
      this.itemBytes = 0;
      return;
    }
    this.started = true;
    this.average.start(now);
    const file = this.host.bwLimitFile && fileBandwidthBucket(this.host.bwLimitFile, this.host.clock.date(), this.host.clock);
    if (file !== undefined) {
      this.fileBucket = file.bucket;
      this.host.logger?.log('DEBUG', this.remote, `Limiting file transfer to ${formatBwPair(file.limit)}`);
    }
  }

  async *wrap(input: AsyncIterable<Uint8Array>, signal?: AbortSignal): AsyncIterable<Uint8Array> {
    const sig = signal ?? this.host.signal;
    this.open();
    const max = this.host.maxTransfer;
    // rclone stamps the start before the first read.
    this.firstReadAt ??= this.host.clock.now();
    for await (const chunk of input) {
      sig?.throwIfAborted();
      const untilLimit = max >= 0 ? max - this.host.bytes : Number.POSITIVE_INFINITY;
      if (untilLimit < 0) throw fatalError(jsyncError('MAX_TRANSFER_REACHED'));
      this.count(chunk.length, true);
      await this.host.bwLimit?.waitN('accounting', chunk.length, sig);
      await this.fileBucket?.waitN(chunk.length, sig);
      if (chunk.length > untilLimit) {
        if (untilLimit > 0) yield chunk.subarray(0, untilLimit);
        throw fatalError(jsyncError('MAX_TRANSFER_REACHED'));
      }
      yield chunk;
    }
  }

  addBytes(n: number): void {
    this.open();
    this.firstReadAt ??= this.host.clock.now();
    this.count(n, false);
  }

  done(err?: unknown): void {
    if (this.completedAt !== undefined) return;
    this.completedAt = this.host.clock.now();
    this.average.stop(this.completedAt);
    this.host.finish(this, err);
  }

  private count(n: number, streamed: boolean): void {
    this.itemBytes += n;
    if (streamed) this.average.add(n, this.host.clock.now());
    this.host.countBytes(n);
  }

  /** This item's progress as plain data. */
  snapshot(): TransferItemSnapshot {
    const now = this.host.clock.now();
    const avg = this.started ? this.average.value(now) : 0;
    let speed = 0;
    if (this.itemBytes > 0 && this.firstReadAt !== undefined && now > this.firstReadAt) {
      speed = this.itemBytes / ((now - this.firstReadAt) / 1000);
    }
    return {
      name: this.remote,
      size: this.size,
      kind: this.kind,
      started: this.started,
      bytes: this.itemBytes,
      speed,
      speedAvg: this.itemBytes === 0 ? 0 : avg,
      etaSeconds: etaSeconds(this.itemBytes, this.size, avg),
      percentage: this.size > 0 ? Math.trunc((100 * this.itemBytes) / this.size) : 0,
      startedAt: this.startedAt,
    };
  }
}
