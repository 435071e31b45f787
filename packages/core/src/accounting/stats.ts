// rclone's StatsInfo: counters, errors and their retry class, items in progress, speed/ETA, plain-data snapshots.

import type { Logger } from '../util/logger.js';
import { type Clock, systemClock } from './clock.js';
import { MovingAverage } from './average.js';
import type { BwTimetable } from './bwlimit.js';
import type { BandwidthLimiter } from './limits.js';
import { type AccountHost, TransferItem, type TransferItemSnapshot, etaSeconds } from './account.js';
import type { StatsRecorder } from './types.js';
import { ErrorTally } from './error-tally.js';

/** How long the overall speed average keeps ticking once nothing is transferring (rclone averageStopAfter). */
const AVERAGE_STOP_AFTER_MS = 60_000;

/** Options for {@link Stats}. */
export interface StatsOptions {
  /** Time source (inject a ManualClock in tests). @default systemClock */
  clock?: Clock;
  /** The global `--bwlimit` limiter applied to transfer streams. */
  bwLimit?: BandwidthLimiter;
  /** `--bwlimit-file`: the per-transfer limit. */
  bwLimitFile?: BwTimetable;
  /** `--max-transfer` bytes enforced inside reads (rclone's HARD cut-off mode); −1 off. @default -1 */
  maxTransfer?: number;
  /** For rclone's DEBUG `Limiting file transfer to …` lines. */
  logger?: Logger;
  /** Default cancellation for wrapped streams. */
  signal?: AbortSignal;
  /** Stats group name reported per transfer in JSON. @default 'global_stats' */
  group?: string;
}

/** Everything the stats block and the JSON `stats` object show, as plain data. */
export interface StatsSnapshot {
  bytes: number;
  /** Bytes done + in progress + queued (rclone totalBytes; items not yet reading do not count). */
  totalBytes: number;
  checks: number;
  totalChecks: number;
  transfers: number;
  totalTransfers: number;
  deletes: number;
  deletedDirs: number;
  renames: number;
  errors: number;
  fatalError: boolean;
  retryError: boolean;
  /** Message of the last counted error, when errors > 0. */
  lastError: string | undefined;
  elapsedMs: number;
  /** Moving-average speed in bytes/s. */
  speed: number;
  /** Whole seconds left, or null when unknown. */
  etaSeconds: number | null;
  /** Seconds during which at least one check or transfer was running. */
  transferTime: number;
  checkQueue: number;
  transferQueue: number;
  serverSideCopies: number;
  serverSideCopyBytes: number;
  serverSideMoves: number;
  serverSideMoveBytes: number;
  /** Checks in progress, oldest first. */
  checking: TransferItemSnapshot[];
  /** Transfers in progress, oldest first. */
  transferring: TransferItemSnapshot[];
  group: string;
  /** Wall-clock time of the snapshot. */
  date: Date;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const byStart = (a: TransferItem, b: TransferItem): number =>
  a.startedAt - b.startedAt || (a.remote < b.remote ? -1 : a.remote > b.remote ? 1 : 0);

/** Accounting for one command run (rclone accounting.StatsInfo); the engine reports, the CLI renders snapshots. */
export class Stats implements StatsRecorder {
  private readonly host: AccountHost;
  private readonly clock: Clock;
  private readonly group: string;
  private readonly startTime: number;
  private readonly checking = new Map<string, TransferItem>();
  private readonly transferring = new Map<string, TransferItem>();
  private readonly average = new MovingAverage();
  private idleSince: number | undefined;
  private busy = 0;
  private busySince = 0;
  private busyMs = 0;
  private c = { bytes: 0, checks: 0, transfers: 0, deletes: 0, deletedDirs: 0, renames: 0 };
  private ss = { copies: 0, copyBytes: 0, moves: 0, moveBytes: 0 };
  private queue = { checks: 0, transfers: 0, transferBytes: 0 };
  private readonly errs = new ErrorTally();

  constructor(opts: StatsOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.group = opts.group ?? 'global_stats';
    this.startTime = this.clock.now();
    const self = this;
    this.host = {
      clock: this.clock,
      signal: opts.signal,
      maxTransfer: opts.maxTransfer ?? -1,
      bwLimit: opts.bwLimit,
      bwLimitFile: opts.bwLimitFile,
      logger: opts.logger,
      get bytes() {
        return self.c.bytes;
      },
      countBytes: (n) => this.countBytes(n),
      finish: (item, err) => this.finish(item, err),
    };
  }

  get errors(): number { return this.errs.count; }
  get lastError(): unknown { return this.errs.last; }
  get transfers(): number { return this.c.transfers; }
  get bytes(): number { return this.c.bytes; }
  get checks(): number { return this.c.checks; }
  get deletes(): number { return this.c.deletes; }
  get deletedDirs(): number { return this.c.deletedDirs; }
  get renames(): number { return this.c.renames; }
  /** Time to wait until before retrying, from the latest retry-after error (undefined when none). */
  get retryAfter(): Date | undefined { return this.errs.retryAt; }

  error(err: unknown): void {
    this.errs.add(err, this.clock.date());
  }

  /** True when `err` was already counted. */
  isCounted(err: unknown): boolean { return this.errs.has(err); }
  /** True when any error was counted. */
  errored(): boolean { return this.errs.count > 0; }
  /** True when a fatal error was counted (no retries at all). */
  hadFatalError(): boolean { return this.errs.fatal; }
  /** True when an error that retrying may help was counted. */
  hadRetryError(): boolean { return this.errs.retry; }
  /** True when a whole-command retry is worth it: errors, none fatal, at least one retryable. */
  retryable(): boolean { return this.errs.count > 0 && !this.errs.fatal && this.errs.retry; }
  /** Forgets errors between command attempts (rclone ResetErrors); counted error objects stay counted. */
  resetErrors(): void { this.errs.reset(); }

  startCheck(remote: string, size = -1): TransferItem {
    const item = new TransferItem(this.host, { remote, size, kind: 'check' });
    this.begin();
    this.checking.set(remote, item);
    return item;
  }

  startTransfer(info: { remote: string; size: number; serverSide?: boolean | 'copy' | 'move' }): TransferItem {
    const serverSide = info.serverSide === true ? 'copy' : info.serverSide === false ? undefined : info.serverSide;
    const now = this.clock.now();
    this.settleAverage(now);
    this.idleSince = undefined;
    this.average.start(now);
    const item = new TransferItem(this.host, { remote: info.remote, size: info.size, kind: 'transfer', serverSide });
    this.begin();
    this.transferring.set(info.remote, item);
    return item;
  }

  deleted(n = 1): void { this.c.deletes += n; }
  deletedDir(): void { this.c.deletedDirs++; }
  renamed(): void { this.c.renames++; }

  setQueued(q: { checks?: number; transfers?: number; transferBytes?: number }): void {
    if (q.checks !== undefined) this.queue.checks = q.checks;
    if (q.transfers !== undefined) this.queue.transfers = q.transfers;
    if (q.transferBytes !== undefined) this.queue.transferBytes = q.transferBytes;
  }

  private begin(): void {
    if (this.busy++ === 0) this.busySince = this.clock.now();
  }

  private countBytes(n: number): void {
    const now = this.clock.now();
    this.settleAverage(now);
    this.average.add(n, now);
    this.c.bytes += n;
  }

  private finish(item: TransferItem, err: unknown): void {
    const now = item.completedAt ?? this.clock.now();
    if (err !== undefined && err !== null) this.error(err);
    if (--this.busy === 0) this.busyMs += now - this.busySince;
    if (item.kind === 'check') {
      this.checking.delete(item.remote);
      this.c.checks++;
      return;
    }
    const existed = this.transferring.delete(item.remote);
    const ok = err === undefined || err === null;
    if (ok && existed) {
      this.c.transfers++;
      const size = item.snapshot().bytes;
      if (item.serverSide === 'copy') { this.ss.copies++; this.ss.copyBytes += size; }
      if (item.serverSide === 'move') { this.ss.moves++; this.ss.moveBytes += size; }
    }
    if (this.transferring.size === 0) this.idleSince = now;
  }

  /** Stops the overall average a minute after transfers ran out (it resumes with the next transfer). */
  private settleAverage(now: number): void {
    if (this.idleSince !== undefined && now - this.idleSince >= AVERAGE_STOP_AFTER_MS) {
      this.average.stop(this.idleSince + AVERAGE_STOP_AFTER_MS);
    }
  }

  /** The current state as plain data (rclone calculateTransferStats + RemoteStats). */
  snapshot(): StatsSnapshot {
    const now = this.clock.now();
    this.settleAverage(now);
    const transferring = [...this.transferring.values()].sort(byStart).map((t) => t.snapshot());
    const checking = [...this.checking.values()].sort(byStart).map((t) => t.snapshot());
    let doneInFlight = 0;
    let sizeInFlight = 0;
    for (const t of transferring) {
      if (t.started && t.size >= 0) {
        doneInFlight += t.bytes;
        sizeInFlight += t.size;
      }
    }
    const totalBytes = this.queue.transferBytes + this.c.bytes + sizeInFlight - doneInFlight;
    const speed = this.average.value(now);
    return {
      bytes: this.c.bytes,
      totalBytes,
      checks: this.c.checks,
      totalChecks: this.queue.checks + this.c.checks + this.checking.size,
      transfers: this.c.transfers,
      totalTransfers: this.queue.transfers + this.c.transfers + this.transferring.size,
      deletes: this.c.deletes,
      deletedDirs: this.c.deletedDirs,
      renames: this.c.renames,
      errors: this.errs.count,
      fatalError: this.errs.fatal,
      retryError: this.errs.retry,
      lastError: this.errs.count > 0 ? errorText(this.errs.last) : undefined,
      elapsedMs: now - this.startTime,
      speed,
      etaSeconds: etaSeconds(this.c.bytes, totalBytes, speed),
      transferTime: (this.busyMs + (this.busy > 0 ? now - this.busySince : 0)) / 1000,
      checkQueue: this.queue.checks,
      transferQueue: this.queue.transfers,
      serverSideCopies: this.ss.copies,
      serverSideCopyBytes: this.ss.copyBytes,
      serverSideMoves: this.ss.moves,
      serverSideMoveBytes: this.ss.moveBytes,
      checking,
      transferring,
      group: this.group,
      date: this.clock.date(),
    };
  }
}
