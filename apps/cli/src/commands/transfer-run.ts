// rclone's cmd.Run around one engine call: -P/--stats display, -i questions, the retry loop and the final stats.

import type { Fs, Logger, OperationContext, StatsFormatOptions, TransferOptions } from '@jsync/core';
import { fatalError, goQuote } from '@jsync/core';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { applyEnvToGlobals } from '../flags/global-flags.js';
import { InteractiveConfirm } from '../interactive.js';
import { DEFAULT_PROGRESS_INTERVAL_MS, ProgressRenderer } from '../output/progress.js';
import { StatsPrinter } from '../output/stats.js';
import { runWithRetries } from './retry.js';

/** How a command runs (rclone's `cmd.Run(Retry, showStats, …)`). */
export interface CommandRunOptions {
  /** Retry the whole command on retryable errors (false for check). @default true */
  retry?: boolean;
  /** Print the stats block at the end (copy/sync/move/check; others only with an explicit `--stats`). @default true */
  showStats?: boolean;
  /** Command-specific TransferOptions (`--create-empty-src-dirs`, `--delete-empty-src-dirs`). */
  options?: Partial<TransferOptions>;
  /** Open `--backup-dir` for this command. @default true */
  backupDir?: boolean;
}

/** The stats text flags of this invocation. */
export function statsFormat(ctx: CliContext): StatsFormatOptions {
  const g = ctx.globals;
  return {
    oneLine: g.statsOneLine,
    ...(g.statsOneLineDate ? { oneLineDateFormat: g.statsOneLineDateFormat } : {}),
    unit: g.statsUnit === 'bits' ? 'bits' : 'bytes',
    fileNameLength: g.statsFileNameLength,
  };
}

/** rclone operations.BackupDir's first step: the `--backup-dir` Fs (a fatal error when it cannot be made). */
async function openBackupDir(ctx: CliContext): Promise<Fs | undefined> {
  const path = ctx.globals.transfer.backupDir;
  if (path === undefined) return undefined;
  try {
    return (await ctx.newFs(path)).fs;
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause ?? err;
    throw fatalError(new Error(`failed to make fs for --backup-dir ${goQuote(path)}: ${(cause as Error).message}`, { cause }));
  }
}

/**
 * Runs `fn` (one engine call) like rclone's cmd.Run: starts `-P` or the periodic `--stats` block, builds the
 * OperationContext (options, the invocation's stats, filter, cancellation, `-i` questions), retries, then logs the
 * final stats block (at `--stats-log-level`; NOTICE for dry-run/interactive). Leaves the final error in
 * `ctx.lastError` for main. After an `-i` quit nothing more is printed and jsync exits 0; a failed `-i` read is
 * rethrown (fatal).
 */
export async function runCommand(ctx: CliContext, opts: CommandRunOptions, fn: (octx: OperationContext) => Promise<void>): Promise<void> {
  const g = ctx.globals;
  const showStats = (opts.showStats ?? true) || g.statsSet;
  const format = statsFormat(ctx);
  let logger: Logger = ctx.logger;
  let progress: ProgressRenderer | undefined;
  let printer: StatsPrinter | undefined;
  if (g.progress) {
    const intervalMs = g.statsSet && g.statsIntervalMs > 0 ? g.statsIntervalMs : DEFAULT_PROGRESS_INTERVAL_MS;
    progress = new ProgressRenderer({ stats: ctx.stats, out: ctx.io.stdout, intervalMs, format });
    // rclone sends log lines through the progress display unless they go to a file or are JSON.
    if (!g.logFile && !g.useJsonLog) logger = progress.wrapLogger(ctx.logger);
    progress.start();
  }
  if (showStats) {
    printer = new StatsPrinter({ stats: ctx.stats, logger: ctx.logger, intervalMs: g.statsIntervalMs, level: g.statsLogLevel, json: g.useJsonLog, format });
    if (!progress) printer.start();
  }
  const confirm = g.interactive ? new InteractiveConfirm(ctx) : undefined;
  try {
    await runWithRetries(ctx, async () => {
      const backupDir = opts.backupDir === false ? undefined : await openBackupDir(ctx);
      const octx: OperationContext = {
        options: ctx.transferOptions({ ...opts.options, ...(backupDir ? { backupDir } : {}) }),
        stats: ctx.stats, logger, filter: ctx.filter, signal: ctx.abort.signal,
        ...(confirm ? { confirm: (action: string, subject: string) => confirm.confirm(action, subject) } : {}),
      };
      await fn(octx);
    }, { retry: opts.retry !== false, logger });
  } finally {
    printer?.stop();
    progress?.stop();
  }
  if (ctx.fatal) throw ctx.fatal;
  if (ctx.quitRequested) {
    // rclone exits on the spot: no stats, no final error line, exit code 0.
    ctx.stats.resetErrors();
    ctx.lastError = undefined;
    return;
  }
  printer?.finish();
}

/** Throws the error an engine run ended with (already counted), so it becomes the command's error. */
export function throwRunError(summary: { error?: unknown }): void {
  if (summary.error !== undefined) throw summary.error;
}

/** rclone also reads a command's own flags from `RCLONE_<FLAG>`/`JSYNC_<FLAG>` when not given: apply them before the action. */
export function withEnvFlags(cmd: Command, ctx: CliContext): Command {
  return cmd.hook('preAction', () => applyEnvToGlobals(cmd, ctx.io.env));
}
