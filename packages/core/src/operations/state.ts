// Per-run state of the single-object operations, keyed by the OperationContext (never a module global).

import type { OperationContext } from '../sync/options.js';

/** Mutable bookkeeping one run needs: once-only notices, delete limits, the interactive prompt queue. */
export interface RunState {
  /** The `--checksum … no hashes in common` NOTICE was logged. */
  checksumNoticeDone: boolean;
  /** The `Forced to upload files to set modification times` NOTICE was logged. */
  modTimeUploadNoticeDone: boolean;
  /** Deletes accepted so far (for `--max-delete`). */
  deletes: number;
  /** Bytes of accepted deletes so far (for `--max-delete-size`). */
  deletedBytes: number;
  /** Serialises `-i` questions so two workers never prompt at once. */
  confirmQueue: Promise<unknown>;
}

const states = new WeakMap<OperationContext, RunState>();

/** The run state of `ctx`, created on first use. */
export function runState(ctx: OperationContext): RunState {
  let s = states.get(ctx);
  if (s === undefined) {
    s = { checksumNoticeDone: false, modTimeUploadNoticeDone: false, deletes: 0, deletedBytes: 0, confirmQueue: Promise.resolve() };
    states.set(ctx, s);
  }
  return s;
}
