// Scaffolding shared by the public copy/sync/move entry points: a run context (cancellable, counting stats), the
// summary they resolve to, and the rule that only fatal errors and aborts are thrown.

import type { StatsRecorder, TransferAccount } from '../accounting/types.js';
import type { OperationContext } from './options.js';
import { RunErrors } from './run-errors.js';

/** What a copy/sync/move run did; every error in it was already counted in `ctx.stats`. */
export interface SyncSummary {
  /** Files transferred (copied or moved; dry-run "would transfer" included). */
  transfers: number;
  /** Checks done (pairs compared, deletions and moves count as checks, as in rclone's stats). */
  checks: number;
  /** Files deleted (or moved into the backup dir), in the destination and, for move, in the source. */
  deletes: number;
  /** Errors counted during the run. */
  errors: number;
  /**
   * The error rclone's command would return (precedence: fatal, ordinary, no-retry), already counted and logged;
   * undefined on success. The CLI prints it as `Failed to …` and derives the exit code from it.
   */
  error?: unknown;
}

/** Forwards to the caller's stats, counting what this run reports. */
class CountingStats implements StatsRecorder {
  checks = 0;
  deletes = 0;
  constructor(private readonly inner: StatsRecorder) {}
  error(err: unknown): void {
    this.inner.error(err);
  }
  get errors(): number {
    return this.inner.errors;
  }
  get lastError(): unknown {
    return this.inner.lastError;
  }
  get transfers(): number {
    return this.inner.transfers;
  }
  get bytes(): number {
    return this.inner.bytes;
  }
  startCheck(remote: string): { done(): void } {
    const c = this.inner.startCheck(remote);
    let done = false;
    return {
      done: () => {
        if (!done) this.checks++;
        done = true;
        c.done();
      },
    };
  }
  startTransfer(info: { remote: string; size: number; serverSide?: boolean }): TransferAccount {
    return this.inner.startTransfer(info);
  }
  deleted(n = 1): void {
    this.deletes += n;
    this.inner.deleted(n);
  }
  deletedDir(): void {
    this.inner.deletedDir();
  }
  renamed(): void {
    this.inner.renamed();
  }
  setQueued(q: { checks?: number; transfers?: number; transferBytes?: number }): void {
    this.inner.setQueued(q);
  }
}

/** One run: its context for the engine and operations, its error tracker, and the summary at the end. */
export class Run {
  readonly errors: RunErrors;
  readonly ctx: OperationContext;
  private readonly stats: CountingStats;
  private readonly start: { transfers: number; errors: number };

  constructor(callerCtx: OperationContext) {
    this.errors = new RunErrors(callerCtx);
    this.stats = new CountingStats(callerCtx.stats);
    this.start = { transfers: callerCtx.stats.transfers, errors: callerCtx.stats.errors };
    const confirm = callerCtx.confirm?.bind(callerCtx);
    this.ctx = { ...callerCtx, stats: this.stats, signal: this.errors.signal, ...(confirm ? { confirm } : {}) };
  }

  /** Transfers since the run started. */
  get transfers(): number {
    return this.stats.transfers - this.start.transfers;
  }

  /** rclone's closing INFO when nothing was transferred and nothing failed. */
  logNothingToTransfer(): void {
    if (this.transfers === 0 && this.errors.current() === undefined) {
      this.ctx.logger.log('INFO', undefined, 'There was nothing to transfer');
    }
  }

  /** The summary; throws the fatal error, or the abort reason when the caller cancelled. */
  finish(): SyncSummary {
    if (this.errors.fatalError !== undefined) throw this.errors.fatalError;
    if (this.errors.abortedByCaller) throw this.errors.signal.reason;
    const error = this.errors.current();
    return {
      transfers: this.transfers,
      checks: this.stats.checks,
      deletes: this.stats.deletes,
      errors: this.stats.errors - this.start.errors,
      ...(error !== undefined ? { error } : {}),
    };
  }
}
