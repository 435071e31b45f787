// rclone-style log lines (text or --use-json-log) to stderr or --log-file, with level filtering.

import { appendFileSync } from 'node:fs';
import { LOG_LEVELS, type LogLevel, type Logger, encodeUtf8Escaped, redactCredentials } from '@jsync/core';
import type { Sink } from '../io.js';

/** Options for {@link CliLogger}. */
export interface CliLoggerOptions {
  /** Messages at this level or more severe are written. @default 'NOTICE' */
  level?: LogLevel;
  /** Where lines go when no log file is set. */
  stderr: Sink;
  /** Append to this file instead of stderr (`--log-file`). */
  logFile?: string;
  /** One JSON object per line (`--use-json-log`). */
  json?: boolean;
  /** Clock, for tests. */
  now?: () => Date;
  /** Mask credentials (tokens, passwords, Authorization values) in everything written. @default true */
  redact?: boolean;
}

const JSON_LEVEL: Record<LogLevel, string> = {
  EMERGENCY: 'fatal', ALERT: 'fatal', CRITICAL: 'fatal', ERROR: 'error', WARNING: 'warning', NOTICE: 'warning', INFO: 'info', DEBUG: 'debug',
};

/** The CLI's logger: formats like rclone v1.60 (`2026/11/22 01:56:04 INFO  : a.txt: Copied (new)`). */
export class CliLogger implements Logger {
  level: LogLevel;
  private readonly opts: CliLoggerOptions;

  constructor(opts: CliLoggerOptions) {
    this.opts = opts;
    this.level = opts.level ?? 'NOTICE';
  }

  enabled(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(this.level);
  }

  log(level: LogLevel, subject: string | undefined, message: string, fields?: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    const now = (this.opts.now ?? (() => new Date()))();
    if (this.opts.json) {
      const rec: Record<string, unknown> = { level: JSON_LEVEL[level], msg: message, ...fields, time: jsonTime(now) };
      if (subject !== undefined) rec['object'] = subject;
      this.write(JSON.stringify(sortKeys(rec)) + '\n');
      return;
    }
    const prefix = subject === undefined ? '' : `${subject}: `;
    this.write(`${logDate(now)} ${level.padEnd(6)}: ${prefix}${message}\n`);
  }

  /** A line without level, as rclone's final `Failed to …` message. */
  plain(message: string): void {
    const now = (this.opts.now ?? (() => new Date()))();
    if (this.opts.json) {
      this.write(JSON.stringify(sortKeys({ level: 'error', msg: message, time: jsonTime(now) })) + '\n');
      return;
    }
    this.write(`${logDate(now)} ${message}\n`);
  }

  /** Writes raw text to the log destination (stats blocks); credentials are masked unless `redact` is false. */
  write(text: string): void {
    const bytes = encodeUtf8Escaped(this.opts.redact === false ? text : redactCredentials(text));
    if (this.opts.logFile) appendFileSync(this.opts.logFile, bytes);
    else this.opts.stderr.write(bytes);
  }
}

/** `YYYY/MM/DD hh:mm:ss` in local time (Go's log.LstdFlags). */
export function logDate(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getFullYear(), 4)}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function jsonTime(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}000${sign}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
