// Error bookkeeping of one copy/sync/move run: classification, fatal cancellation, the error to return
// (rclone syncCopyMove.processError / currentError).

import { setMaxListeners } from 'node:events';
import { errorClassOf, isJsyncError } from '../fs/errors.js';
import type { OperationContext } from './options.js';

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Tracks a run's errors and owns its cancellation: a fatal error aborts everything still running. */
export class RunErrors {
  /** Aborted on a fatal error or when the caller's signal aborts. */
  readonly controller = new AbortController();
  /** Stops taking new work (march, queues) while transfers in flight finish: a graceful --max-transfer stop. */
  private readonly input = new AbortController();
  private fatal: unknown;
  private normal: unknown;
  private noRetry: unknown;

  constructor(private readonly ctx: OperationContext) {
    // every operation in flight listens on these: no "possible leak" warning for many parallel transfers
    setMaxListeners(0, this.controller.signal, this.input.signal);
    this.controller.signal.addEventListener('abort', () => this.input.abort(this.controller.signal.reason), { once: true });
    const outer = ctx.signal;
    if (outer?.aborted) this.controller.abort(outer.reason);
    else outer?.addEventListener('abort', () => this.controller.abort(outer.reason), { once: true });
  }

  /** The run's signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The signal of the march and the queues: aborted with the run, or alone for a graceful stop. */
  get inputSignal(): AbortSignal {
    return this.input.signal;
  }

  /** True once cancelled (fatal error or outer abort). */
  get aborting(): boolean {
    return this.controller.signal.aborted;
  }

  /** The fatal error that cancelled the run, if any. */
  get fatalError(): unknown {
    return this.fatal;
  }

  /** True when the caller's own signal aborted the run. */
  get abortedByCaller(): boolean {
    return this.ctx.signal?.aborted === true;
  }

  /**
   * Records `err` (already counted where it happened). A fatal error logs rclone's
   * `Cancelling sync due to fatal error: …` once and cancels the run; the abort reason of our own cancellation is
   * ignored.
   */
  process(err: unknown): void {
    if (err === undefined || err === null) return;
    if (this.aborting && (err === this.controller.signal.reason || isAbortError(err)) && this.fatal !== undefined) return;
    const cls = errorClassOf(err);
    if (cls !== 'fatal' && isJsyncError(err, 'MAX_TRANSFER_REACHED') && !this.input.signal.aborted) {
      // rclone's graceful cutoff (--cutoff-mode soft/cautious): no new work, running transfers finish
      this.ctx.logger.log('NOTICE', undefined, `${errText(err)} - stopping transfers`);
      this.input.abort(err);
    }
    switch (cls) {
      case 'fatal':
        if (!this.aborting) {
          this.ctx.logger.log('ERROR', undefined, `Cancelling sync due to fatal error: ${errText(err)}`);
          this.controller.abort(err);
        }
        this.fatal ??= err;
        break;
      case 'noRetry':
      case 'noLowLevelRetry':
        this.noRetry = err;
        break;
      default:
        if (this.abortedByCaller && (err === this.ctx.signal?.reason || isAbortError(err))) return;
        this.normal = err;
    }
  }

  /** The error the run returns, by precedence fatal, normal, no-retry (rclone currentError). */
  current(): unknown {
    return this.fatal ?? this.normal ?? this.noRetry;
  }
}

/** True for AbortError-like errors (DOMException name AbortError or code ABORT_ERR). */
export function isAbortError(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown } | null;
  return typeof e === 'object' && e !== null && (e.name === 'AbortError' || e.code === 'ABORT_ERR');
}
