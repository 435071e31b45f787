// Logging a stats snapshot as rclone does: the text block, plus the `stats` object under --use-json-log.

import { type LogLevel, type Logger, type StatsFormatOptions, type StatsSnapshot, formatStats, statsJson } from '@jsync/core';

/** rclone's `source` field of stats log lines (the StatsInfo.Log call site in v1.60.1). */
export const STATS_LOG_SOURCE = 'accounting/stats.go:482';

/** Options for {@link logStats}. */
export interface LogStatsOptions {
  /** `--stats-log-level`. */
  level: LogLevel;
  /** `--use-json-log`: attach the `stats` object (and keep the message's trailing newline, as rclone's JSON shows). */
  json: boolean;
  /** Text rendering flags (`--stats-one-line`, `--stats-unit`, …). */
  format?: StatsFormatOptions;
}

/**
 * The extra fields of a JSON stats line: `source` and the `stats` object (rclone RemoteStats).
 * The message itself is {@link statsMessage}.
 */
export function statsLogFields(snapshot: StatsSnapshot): Record<string, unknown> {
  return { source: STATS_LOG_SOURCE, stats: statsJson(snapshot) };
}

/**
 * The message rclone logs (`"%v\n"` of the stats): in text mode the logger's own newline supplies the final `\n`,
 * in JSON mode it is part of `msg`.
 */
export function statsMessage(snapshot: StatsSnapshot, opts: Pick<LogStatsOptions, 'json' | 'format'>): string {
  const text = formatStats(snapshot, opts.format);
  return opts.json ? `${text}\n` : text;
}

/** Logs `snapshot` at `opts.level` (rclone StatsInfo.Log); a logger below that level prints nothing. */
export function logStats(logger: Logger, snapshot: StatsSnapshot, opts: LogStatsOptions): void {
  if (!logger.enabled(opts.level)) return;
  const msg = statsMessage(snapshot, opts);
  if (opts.json) logger.log(opts.level, undefined, msg, statsLogFields(snapshot));
  else logger.log(opts.level, undefined, msg);
}
