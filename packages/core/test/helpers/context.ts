// A recording OperationContext for operations tests: fake stats and a logger that keeps every line.

import {
  type CheckAccount, type Filter, type LogLevel, type Logger, type OperationContext, type StatsRecorder,
  type TransferAccount, type TransferOptions, resolveTransferOptions,
} from '../../src/index.js';

/** One recorded transfer. */
export interface RecordedTransfer {
  remote: string;
  size: number;
  serverSide: boolean | 'copy' | 'move';
  bytes: number;
  done: boolean;
  error?: unknown;
}

/** A StatsRecorder that remembers everything it is told. */
export class RecordingStats implements StatsRecorder {
  readonly counted = new Set<unknown>();
  lastError: unknown;
  readonly transfersStarted: RecordedTransfer[] = [];
  readonly checks: string[] = [];
  checksDone = 0;
  deletes = 0;
  deletedDirs = 0;
  renames = 0;
  bytes = 0;

  get errors(): number {
    return this.counted.size;
  }

  get transfers(): number {
    return this.transfersStarted.filter((t) => t.done && t.error === undefined).length;
  }

  error(err: unknown): void {
    this.counted.add(err);
    this.lastError = err;
  }

  startCheck(remote: string): CheckAccount {
    this.checks.push(remote);
    let done = false;
    return {
      done: (err?: unknown) => {
        if (done) return;
        done = true;
        this.checksDone++;
        if (err !== undefined) this.error(err);
      },
    };
  }

  startTransfer(info: { remote: string; size: number; serverSide?: boolean | 'copy' | 'move' }): TransferAccount {
    const t: RecordedTransfer = { remote: info.remote, size: info.size, serverSide: info.serverSide ?? false, bytes: 0, done: false };
    this.transfersStarted.push(t);
    const add = (n: number) => {
      t.bytes += n;
      this.bytes += n;
    };
    return {
      wrap: (input) => (async function* counted() {
        for await (const chunk of input) {
          add(chunk.length);
          yield chunk;
        }
      })(),
      addBytes: add,
      done: (err?: unknown) => {
        if (t.done) return;
        t.done = true;
        if (err !== undefined) {
          t.error = err;
          this.error(err);
        }
      },
    };
  }

  deleted(n = 1): void {
    this.deletes += n;
  }

  deletedDir(): void {
    this.deletedDirs++;
  }

  renamed(): void {
    this.renames++;
  }

  setQueued(): void {}
}

/** One log line. */
export interface LogLine {
  level: LogLevel;
  subject: string | undefined;
  message: string;
}

/** A logger keeping every line; `text()` renders rclone's `LEVEL : subject: message` form. */
export class RecordingLogger implements Logger {
  readonly lines: LogLine[] = [];
  log(level: LogLevel, subject: string | undefined, message: string): void {
    this.lines.push({ level, subject, message });
  }
  enabled(): boolean {
    return true;
  }
  /** Lines as `LEVEL subject: message` (subject omitted when undefined). */
  text(minLevel: LogLevel = 'DEBUG'): string[] {
    const order: LogLevel[] = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];
    return this.lines
      .filter((l) => order.indexOf(l.level) <= order.indexOf(minLevel))
      .map((l) => `${l.level} ${l.subject === undefined ? '' : `${l.subject}: `}${l.message}`);
  }
}

/** What {@link makeCtx} returns. */
export interface TestCtx {
  ctx: OperationContext;
  stats: RecordingStats;
  logger: RecordingLogger;
  /** Questions asked through `confirm` as `action subject`. */
  asked: string[];
}

/** A context with resolved options; `answers` (when given) turns on `-i` and answers questions in order. */
export function makeCtx(
  options: Partial<TransferOptions> = {}, extra: { filter?: Filter; answers?: boolean[]; signal?: AbortSignal } = {},
): TestCtx {
  const stats = new RecordingStats();
  const logger = new RecordingLogger();
  const asked: string[] = [];
  const answers = extra.answers;
  const ctx: OperationContext = {
    options: resolveTransferOptions(options), stats, logger,
    ...(extra.filter ? { filter: extra.filter } : {}),
    ...(extra.signal ? { signal: extra.signal } : {}),
    ...(answers
      ? {
        confirm: async (action: string, subject: string) => {
          asked.push(`${action} ${subject}`);
          return answers.shift() ?? true;
        },
      }
      : {}),
  };
  return { ctx, stats, logger, asked };
}

