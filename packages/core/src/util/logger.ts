// The logging contract backends and the engine write to; the CLI decides format and destination.

export * from './logger-redact.js';

/** rclone's log levels, most severe first. */
export const LOG_LEVELS = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'] as const;

/** One log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A log sink. `subject` is an object path, a directory, an Fs description, or undefined. */
export interface Logger {
  log(level: LogLevel, subject: string | undefined, message: string, fields?: Record<string, unknown>): void;
  /** True when messages at `level` would be written (skip expensive formatting otherwise). */
  enabled(level: LogLevel): boolean;
}

/** A logger that drops everything. */
export const nullLogger: Logger = { log() {}, enabled: () => false };

/** Convenience wrappers around a {@link Logger}. */
export const logError = (l: Logger, subject: string | undefined, msg: string): void => l.log('ERROR', subject, msg);
export const logNotice = (l: Logger, subject: string | undefined, msg: string): void => l.log('NOTICE', subject, msg);
export const logInfo = (l: Logger, subject: string | undefined, msg: string): void => l.log('INFO', subject, msg);
export const logDebug = (l: Logger, subject: string | undefined, msg: string): void => l.log('DEBUG', subject, msg);
