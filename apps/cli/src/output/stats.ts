// Periodic and final stats log lines (rclone cmd.StartStats and the end of cmd.Run).

import type { LogLevel, Logger, StatsFormatOptions, StatsSnapshot } from '@jsync/core';
import { logStats } from './json-log.js';

/** What the printer reads: a Stats (or anything giving snapshots and the error state). */
export interface StatsSource {
  snapshot(): StatsSnapshot;
  errored(): boolean;
}

/** Options for {@link StatsPrinter}. */
export interface StatsPrinterOptions {
  stats: StatsSource;
  /** The CLI logger (text or JSON; its level filters the stats lines). */
  logger: Logger;
  /** `--stats` in ms: the period of the periodic block; 0 disables it (and the final block unless errors). @default 60000 */
  intervalMs?: number;
  /** `--stats-log-level` (rclone lowers INFO to NOTICE for --dry-run/--interactive; the caller decides). @default 'INFO' */
  level?: LogLevel;
  /** `--use-json-log`. @default false */
  json?: boolean;
  /** `--stats-one-line[-date[-format]]`, `--stats-unit`, `--stats-file-name-length`. */
  format?: StatsFormatOptions;
}

/**
 * Logs the stats block every `intervalMs` while a command runs and once at the end. With `-P` the progress
 * renderer replaces the periodic lines, but {@link StatsPrinter.finish} still logs the final block, as rclone does.
 */
export class StatsPrinter {
  private readonly opts: StatsPrinterOptions;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(opts: StatsPrinterOptions) {
    this.opts = opts;
  }

  private get intervalMs(): number {
    return this.opts.intervalMs ?? 60_000;
  }

  /** Starts the periodic block (no-op when the interval is 0); the timer never keeps the process alive. */
  start(): void {
    if (this.timer !== undefined || this.intervalMs <= 0) return;
    this.timer = setInterval(() => this.log(), this.intervalMs);
    this.timer.unref?.();
  }

  /** Logs one block now. */
  log(): void {
    logStats(this.opts.logger, this.opts.stats.snapshot(), {
      level: this.opts.level ?? 'INFO',
      json: this.opts.json ?? false,
      format: this.opts.format,
    });
  }

  /** Stops the periodic block. Idempotent. */
  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Stops, then logs the final block when rclone would: `--stats` > 0 or any error counted. */
  finish(): void {
    this.stop();
    if (this.intervalMs > 0 || this.opts.stats.errored()) this.log();
  }
}
