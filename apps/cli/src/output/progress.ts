// -P/--progress: the stats block redrawn in place on a terminal (rclone cmd/progress.go), plain frames otherwise.

import { type LogLevel, type Logger, type StatsFormatOptions, type StatsSnapshot, encodeUtf8Escaped, formatReadableDuration, formatStats } from '@jsync/core';
import type { Sink } from '../io.js';

/** VT100 codes rclone uses (lib/terminal). */
export const ERASE_LINE = '\x1b[2K';
export const MOVE_UP = '\x1b[1A';
export const MOVE_TO_START_OF_LINE = '\x1b[1G';
const CHANGE_TITLE = '\x1b]0;';
const BEL = '\x07';

/** rclone's redraw period without an explicit `--stats`. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 500;

/** Options for {@link ProgressRenderer}. */
export interface ProgressRendererOptions {
  stats: { snapshot(): StatsSnapshot };
  /** stdout; `isTTY` selects in-place redraws, `columns` the cut width (80 when unknown or not a terminal). */
  out: Sink;
  /** Redraw period; rclone uses `--stats` when given explicitly (> 0), else 500 ms. */
  intervalMs?: number;
  /** Stats text flags (`--stats-one-line`, `--stats-unit`, `--stats-file-name-length`). */
  format?: StatsFormatOptions;
  /** `--progress-terminal-title`: show the ETA in the terminal title. @default false */
  terminalTitle?: boolean;
  /** Clock for the log-line timestamps. @default () => new Date() */
  now?: () => Date;
}

const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]+';
const goTrim = (s: string): string => s.replace(new RegExp(`^${GO_SPACE}`), '').replace(new RegExp(`${GO_SPACE}$`), '');
/** What go-colorable's NonColorable drops when stdout is not a terminal. */
const ESCAPES = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** `2006-01-02 15:04:05` in local time: the stamp of log lines shown above the progress block. */
export function progressLogDate(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * The `-P` display. On a terminal each frame erases the previous block (`ESC[2K ESC[1A` per extra line, then
 * `ESC[2K ESC[1G`), log lines are printed above it and lines are cut to the terminal width. Off a terminal the
 * escapes are dropped and frames are appended (only on the interval and at the end; log lines do not repeat it).
 */
export class ProgressRenderer {
  private readonly opts: ProgressRendererOptions;
  private readonly tty: boolean;
  private timer: ReturnType<typeof setInterval> | undefined;
  private nlines = 0;
  private midLine = false;
  private stopped = false;

  constructor(opts: ProgressRendererOptions) {
    this.opts = opts;
    this.tty = opts.out.isTTY === true;
  }

  /** Starts redrawing every interval; the timer never keeps the process alive. */
  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = setInterval(() => this.render(), this.opts.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS);
    this.timer.unref?.();
  }

  /** Draws the current block now. */
  render(): void {
    this.print('');
  }

  /** Prints `text` (a log line or command output) above the block. */
  message(text: string): void {
    this.print(text);
  }

  /** A logger that shows enabled messages above the block (use it unless logging to a file or as JSON, as rclone). */
  wrapLogger(base: Logger): Logger {
    return {
      enabled: (level: LogLevel) => base.enabled(level),
      log: (level: LogLevel, subject: string | undefined, msg: string) => {
        if (!base.enabled(level)) return;
        const text = subject === undefined ? msg : `${subject}: ${msg}`;
        this.message(`${progressLogDate((this.opts.now ?? (() => new Date()))())} ${level.padEnd(6)}: ${text}`);
      },
    };
  }

  /** Stops the timer, draws the final frame and ends its line. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.render();
    this.stopped = true;
    this.write('\n');
    if (this.opts.terminalTitle) this.write(`${CHANGE_TITLE}${BEL}`);
  }

  private width(): number {
    return this.tty && this.opts.out.columns !== undefined && this.opts.out.columns > 0 ? this.opts.out.columns : 80;
  }

  /** rclone printProgress: erase the old block, print the message, redraw the block. */
  private print(logMessage: string): void {
    if (this.stopped) return;
    const message = goTrim(logMessage);
    if (!this.tty && message !== '') {
      // Off a terminal the block is not repeated after each message (it would flood logs).
      this.write(`${this.midLine ? '\n' : ''}${message}\n`);
      this.midLine = false;
      return;
    }
    const snapshot = this.opts.stats.snapshot();
    if (this.opts.terminalTitle) this.write(`${CHANGE_TITLE}ETA: ${etaOf(snapshot)}${BEL}`);
    let head = '';
    if (message !== '') head += '\n' + MOVE_UP;
    for (let i = 0; i < this.nlines - 1; i++) head += ERASE_LINE + MOVE_UP;
    head += ERASE_LINE + MOVE_TO_START_OF_LINE;
    if (message !== '') head += ERASE_LINE + message + '\n';
    const lines = goTrim(formatStats(snapshot, this.opts.format)).split('\n');
    this.nlines = lines.length;
    const w = this.width();
    const parts: Buffer[] = [encodeUtf8Escaped(head)];
    lines.forEach((line, i) => {
      const bytes = encodeUtf8Escaped(line);
      parts.push(bytes.length > w ? bytes.subarray(0, w) : bytes);
      if (i !== lines.length - 1) parts.push(Buffer.from('\n'));
    });
    let frame = Buffer.concat(parts);
    if (!this.tty) frame = Buffer.from(frame.toString('latin1').replace(ESCAPES, ''), 'latin1');
    this.opts.out.write(frame);
    this.midLine = true;
  }

  private write(text: string): void {
    this.opts.out.write(this.tty ? text : text.replace(ESCAPES, ''));
  }
}

const etaOf = (s: StatsSnapshot): string => (s.etaSeconds === null ? '-' : formatReadableDuration(s.etaSeconds * 1000));
