// Options and the per-run context shared by operations, march, sync and the CLI (rclone fs.ConfigInfo subset).

import type { Filter } from '../filter/filter.js';
import type { Fs } from '../fs/types.js';
import type { Logger } from '../util/logger.js';
import type { StatsRecorder } from '../accounting/types.js';

/** Which deletion mode `sync` uses (`--delete-after` is the default). */
export type DeleteMode = 'after' | 'during' | 'before';

/** rclone's transfer/sync flags as one options object; {@link resolveTransferOptions} applies the defaults. */
export interface TransferOptions {
  /** `-n/--dry-run`: no mutating call on any backend. @default false */
  dryRun: boolean;
  /** `-c/--checksum`: compare size + hash instead of size + modtime. @default false */
  checksum: boolean;
  /** `--size-only`. @default false */
  sizeOnly: boolean;
  /** `-I/--ignore-times`: always transfer. @default false */
  ignoreTimes: boolean;
  /** `--ignore-size`. @default false */
  ignoreSize: boolean;
  /** `--ignore-existing`: never touch existing destination files. @default false */
  ignoreExisting: boolean;
  /** `--ignore-checksum`: skip post-transfer hash verification. @default false */
  ignoreChecksum: boolean;
  /** `-u/--update`: skip files that are newer on the destination. @default false */
  update: boolean;
  /** `--no-update-modtime`. @default false */
  noUpdateModTime: boolean;
  /** `--refresh-times`. @default false */
  refreshTimes: boolean;
  /** `--no-check-dest`: never look at the destination, always transfer. @default false */
  noCheckDest: boolean;
  /** `--no-traverse`: look destination files up one by one instead of listing. @default false */
  noTraverse: boolean;
  /** `--immutable`. @default false */
  immutable: boolean;
  /** `--modify-window` in ns. @default 1n */
  modifyWindowNs: bigint;
  /** `--checkers`. @default 8 */
  checkers: number;
  /** `--transfers`. @default 4 */
  transfers: number;
  /** `--check-first`. @default false */
  checkFirst: boolean;
  /** `--fast-list`: use ListR when the backend has it. @default false */
  fastList: boolean;
  /** `--max-depth` (-1 unlimited). @default -1 */
  maxDepth: number;
  /** `--delete-before/during/after`. @default 'after' */
  deleteMode: DeleteMode;
  /** `--delete-excluded`. @default false */
  deleteExcluded: boolean;
  /** `--max-delete` (-1 unlimited). @default -1 */
  maxDelete: number;
  /** `--max-delete-size` in bytes (-1 unlimited). @default -1 */
  maxDeleteSize: number;
  /** `--max-transfer` in bytes (-1 unlimited). @default -1 */
  maxTransfer: number;
  /** `--cutoff-mode`. @default 'HARD' */
  cutoffMode: 'HARD' | 'SOFT' | 'CAUTIOUS';
  /** `--ignore-errors`: delete even after errors. @default false */
  ignoreErrors: boolean;
  /** `--backup-dir` opened as an Fs (same remote as the destination), or undefined. */
  backupDir?: Fs;
  /** `--suffix`. @default '' */
  suffix: string;
  /** `--suffix-keep-extension`. @default false */
  suffixKeepExtension: boolean;
  /** `--create-empty-src-dirs`. @default false */
  createEmptySrcDirs: boolean;
  /** `--delete-empty-src-dirs` (move). @default false */
  deleteEmptySrcDirs: boolean;
  /** Beyond rclone: allow `sync` from a missing/empty source into a non-empty destination. @default false */
  allowEmptySource: boolean;
  /** `--ignore-case-sync`. @default false */
  ignoreCaseSync: boolean;
  /** `--no-unicode-normalization`. @default false */
  noUnicodeNormalization: boolean;
  /** `--server-side-across-configs`. @default false */
  serverSideAcrossConfigs: boolean;
  /** `--low-level-retries`. @default 10 */
  lowLevelRetries: number;
  /** `--max-backlog`. @default 10000 */
  maxBacklog: number;
  /** `--error-on-no-transfer`. @default false */
  errorOnNoTransfer: boolean;
}

/** Fills every unset field of {@link TransferOptions} with rclone v1.60's default. */
export function resolveTransferOptions(partial: Partial<TransferOptions> = {}): TransferOptions {
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<TransferOptions>;
  return {
    dryRun: false, checksum: false, sizeOnly: false, ignoreTimes: false, ignoreSize: false, ignoreExisting: false,
    ignoreChecksum: false, update: false, noUpdateModTime: false, refreshTimes: false, noCheckDest: false,
    noTraverse: false, immutable: false, modifyWindowNs: 1n, checkers: 8, transfers: 4, checkFirst: false,
    fastList: false, maxDepth: -1, deleteMode: 'after', deleteExcluded: false, maxDelete: -1, maxDeleteSize: -1,
    maxTransfer: -1, cutoffMode: 'HARD', ignoreErrors: false, suffix: '', suffixKeepExtension: false,
    createEmptySrcDirs: false, deleteEmptySrcDirs: false, allowEmptySource: false, ignoreCaseSync: false,
    noUnicodeNormalization: false, serverSideAcrossConfigs: false, lowLevelRetries: 10, maxBacklog: 10000,
    errorOnNoTransfer: false,
    ...defined,
  };
}

/** What `-i/--interactive` may answer for one destructive action. */
export type ConfirmAnswer = 'yes' | 'no' | 'skip-all' | 'do-all' | 'quit';

/** Everything one engine run needs besides the two Fs: options, accounting, logging, filters, cancellation. */
export interface OperationContext {
  readonly options: TransferOptions;
  /** Accounting for this run (counts errors, checks, transfers, deletes, bytes). */
  readonly stats: StatsRecorder;
  readonly logger: Logger;
  /** Active filters; absent = include everything. */
  readonly filter?: Filter;
  /** Aborts the run (SIGINT, fatal error). */
  readonly signal?: AbortSignal;
  /**
   * `-i/--interactive`: asked before each destructive action (`copy`, `delete`, `move`, `remove directory`, …) with
   * the subject path; resolves to proceed (true) or skip (false). Absent = always proceed.
   */
  confirm?(action: string, subject: string): Promise<boolean>;
}
