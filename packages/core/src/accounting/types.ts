// The accounting contract the engine reports to (rclone accounting.StatsInfo); implemented by accounting/stats.ts.

/** Byte accounting for one transfer (rclone accounting.Account + Transfer). */
export interface TransferAccount {
  /**
   * Wraps a data stream: counts bytes as they pass (and applies --bwlimit when configured). Wrapping again (a retry)
   * restarts this transfer's own progress, as rclone's UpdateReader does; bytes already counted in the stats stay.
   */
  wrap(input: AsyncIterable<Uint8Array>, signal?: AbortSignal): AsyncIterable<Uint8Array>;
  /** Counts bytes moved without a stream (server-side copies count their size). */
  addBytes(n: number): void;
  /** Ends the transfer: counts it as done (and the error once, if any). Idempotent. */
  done(err?: unknown): void;
}

/** One check in progress (rclone's checking Transfer). */
export interface CheckAccount {
  /** Ends the check: counts it (whatever the outcome) and the error once, if any. Idempotent. */
  done(err?: unknown): void;
  /** Counts data read while checking (`check --download`); absent on recorders that do not account it. */
  wrap?(input: AsyncIterable<Uint8Array>, signal?: AbortSignal): AsyncIterable<Uint8Array>;
}

/** Accounting for one command run. The engine calls these; the CLI renders snapshots of them. */
export interface StatsRecorder {
  /** Counts `err` once (an error object is never counted twice) and remembers it as the last error. */
  error(err: unknown): void;
  /** Number of counted errors. */
  readonly errors: number;
  /** The last counted error. */
  readonly lastError: unknown;
  /** Starts checking `remote` (a pair being compared; `size` when known); call `done()` when decided. */
  startCheck(remote: string, size?: number): CheckAccount;
  /**
   * Starts transferring `remote` of `size` bytes (-1 unknown); `serverSide` for server-side copies (`true` or
   * `'copy'`) and moves (`'move'`).
   */
  startTransfer(info: { remote: string; size: number; serverSide?: boolean | 'copy' | 'move' }): TransferAccount;
  /** Counts `n` deleted files. */
  deleted(n?: number): void;
  /** Counts a deleted directory. */
  deletedDir(): void;
  /** Counts a server-side rename (track-renames). */
  renamed(): void;
  /** Items queued but not started, for totals/ETA (rclone SetCheckQueue/SetTransferQueue). */
  setQueued(q: { checks?: number; transfers?: number; transferBytes?: number }): void;
  /** Completed transfers so far (for `--error-on-no-transfer`). */
  readonly transfers: number;
  /** Bytes transferred so far (for `--max-transfer`). */
  readonly bytes: number;
}
