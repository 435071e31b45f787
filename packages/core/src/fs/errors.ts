// Errors with rclone's codes and messages, branded so they survive duplicated copies of core.

/** Error codes mirroring rclone's sentinel errors (fs/fs.go) plus a few jsync additions. */
export const ErrorCode = {
  NOT_FOUND_IN_CONFIG_FILE: 'NOT_FOUND_IN_CONFIG_FILE',
  CANT_PURGE: 'CANT_PURGE',
  CANT_COPY: 'CANT_COPY',
  CANT_MOVE: 'CANT_MOVE',
  CANT_DIR_MOVE: 'CANT_DIR_MOVE',
  CANT_UPLOAD_EMPTY_FILES: 'CANT_UPLOAD_EMPTY_FILES',
  DIR_EXISTS: 'DIR_EXISTS',
  CANT_SET_MOD_TIME: 'CANT_SET_MOD_TIME',
  CANT_SET_MOD_TIME_WITHOUT_DELETE: 'CANT_SET_MOD_TIME_WITHOUT_DELETE',
  DIR_NOT_FOUND: 'DIR_NOT_FOUND',
  OBJECT_NOT_FOUND: 'OBJECT_NOT_FOUND',
  LEVEL_NOT_SUPPORTED: 'LEVEL_NOT_SUPPORTED',
  LIST_ABORTED: 'LIST_ABORTED',
  LIST_BUCKET_REQUIRED: 'LIST_BUCKET_REQUIRED',
  IS_FILE: 'IS_FILE',
  IS_DIR: 'IS_DIR',
  NOT_A_FILE: 'NOT_A_FILE',
  NOT_DELETING: 'NOT_DELETING',
  NOT_DELETING_DIRS: 'NOT_DELETING_DIRS',
  OVERLAPPING: 'OVERLAPPING',
  DIRECTORY_NOT_EMPTY: 'DIRECTORY_NOT_EMPTY',
  IMMUTABLE_MODIFIED: 'IMMUTABLE_MODIFIED',
  PERMISSION_DENIED: 'PERMISSION_DENIED',
  CANT_SHARE_DIRECTORIES: 'CANT_SHARE_DIRECTORIES',
  NOT_IMPLEMENTED: 'NOT_IMPLEMENTED',
  COMMAND_NOT_FOUND: 'COMMAND_NOT_FOUND',
  FILE_NAME_TOO_LONG: 'FILE_NAME_TOO_LONG',
  HASH_UNSUPPORTED: 'HASH_UNSUPPORTED',
  MAX_TRANSFER_REACHED: 'MAX_TRANSFER_REACHED',
  /** A bad remote path, option value, flag or config entry (exit code 1). */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** Config file could not be parsed or written. */
  CONFIG: 'CONFIG',
  /** The account is out of space (Jottacloud HTTP 460 / QuotaExceededException); fatal, retrying won't help. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** Credentials are no longer valid (OAuth `invalid_grant`); fatal, the user must reconnect the remote. */
  AUTH: 'AUTH',
  /** Anything else: I/O errors, backend errors. */
  IO: 'IO',
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** rclone's message texts for the sentinel codes (printed verbatim in logs and "Failed to" lines). */
export const errorMessages: Readonly<Partial<Record<ErrorCode, string>>> = {
  NOT_FOUND_IN_CONFIG_FILE: "didn't find section in config file",
  CANT_PURGE: "can't purge directory",
  CANT_COPY: "can't copy object - incompatible remotes",
  CANT_MOVE: "can't move object - incompatible remotes",
  CANT_DIR_MOVE: "can't move directory - incompatible remotes",
  CANT_UPLOAD_EMPTY_FILES: "can't upload empty files to this remote",
  DIR_EXISTS: "can't copy directory - destination already exists",
  CANT_SET_MOD_TIME: "can't set modified time",
  CANT_SET_MOD_TIME_WITHOUT_DELETE: "can't set modified time without deleting existing object",
  DIR_NOT_FOUND: 'directory not found',
  OBJECT_NOT_FOUND: 'object not found',
  LEVEL_NOT_SUPPORTED: 'level value not supported',
  LIST_ABORTED: 'list aborted',
  LIST_BUCKET_REQUIRED: 'bucket or container name is needed in remote',
  IS_FILE: 'is a file not a directory',
  IS_DIR: 'is a directory not a file',
  NOT_A_FILE: 'is not a regular file',
  NOT_DELETING: 'not deleting files as there were IO errors',
  NOT_DELETING_DIRS: 'not deleting directories as there were IO errors',
  OVERLAPPING: "can't sync or move files on overlapping remotes (try excluding the destination with a filter rule)",
  DIRECTORY_NOT_EMPTY: 'directory not empty',
  IMMUTABLE_MODIFIED: 'immutable file modified',
  PERMISSION_DENIED: 'permission denied',
  CANT_SHARE_DIRECTORIES: "this backend can't share directories with link",
  NOT_IMPLEMENTED: 'optional feature not implemented',
  COMMAND_NOT_FOUND: 'command not found',
  FILE_NAME_TOO_LONG: 'file name too long',
  HASH_UNSUPPORTED: 'hash type not supported',
  MAX_TRANSFER_REACHED: 'max transfer limit reached as set by --max-transfer',
  QUOTA_EXCEEDED: 'quota exceeded',
  AUTH: 'authentication failed',
};

/** How retrying relates to an error (rclone fserrors). */
export type ErrorClass = 'retry' | 'fatal' | 'noRetry' | 'noLowLevelRetry';

/** Constructor options for {@link JsyncError}. */
export interface JsyncErrorOptions {
  /** The error code; decides the default message and the CLI exit code. */
  code: ErrorCode;
  /** Message; defaults to rclone's text for the code. */
  message?: string;
  /** Underlying error. */
  cause?: unknown;
  /** Retry classification; unset means "retry may help" for IO errors. */
  errorClass?: ErrorClass;
  /** Server-directed wait before a retry, in milliseconds. */
  retryAfterMs?: number;
  /** Structured context (remote path, backend, …) kept out of the message. */
  context?: Record<string, unknown>;
}

const BRAND: unique symbol = Symbol.for('jsync.error') as never;

/** The one error class of jsync. Detect with {@link isJsyncError}, never bare `instanceof`. */
export class JsyncError extends Error {
  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly errorClass: ErrorClass | undefined;
  readonly retryAfterMs: number | undefined;
  readonly context: Record<string, unknown>;

  constructor(opts: JsyncErrorOptions) {
    super(opts.message ?? errorMessages[opts.code] ?? opts.code.toLowerCase().replaceAll('_', ' '), { cause: opts.cause });
    this.name = 'JsyncError';
    this.code = opts.code;
    this.errorClass = opts.errorClass;
    this.retryAfterMs = opts.retryAfterMs;
    this.context = opts.context ?? {};
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  /** Machine-readable form for JSON output. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, context: this.context };
  }
}

/** True when `err` is a jsync error, optionally with the given code (walks the `cause` chain). */
export function isJsyncError(err: unknown, code?: ErrorCode): err is JsyncError {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 16; depth++) {
    if (e instanceof JsyncError && (code === undefined || e.code === code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** Finds the first jsync error with `code` in the cause chain. */
export function findJsyncError(err: unknown, code?: ErrorCode): JsyncError | undefined {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 16; depth++) {
    if (e instanceof JsyncError && (code === undefined || e.code === code)) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Creates an error with rclone's message for `code`. */
export function jsyncError(code: ErrorCode, extra: Omit<JsyncErrorOptions, 'code'> = {}): JsyncError {
  return new JsyncError({ code, ...extra });
}

/** `object not found` for `remote`. */
export const objectNotFound = (remote: string): JsyncError => jsyncError('OBJECT_NOT_FOUND', { context: { remote } });
/** `directory not found` for `dir`. */
export const dirNotFound = (dir: string): JsyncError => jsyncError('DIR_NOT_FOUND', { context: { remote: dir } });
/** `is a directory not a file` for `remote`. */
export const isDirError = (remote: string): JsyncError => jsyncError('IS_DIR', { context: { remote } });
/** `directory not empty` for `dir`. */
export const directoryNotEmpty = (dir: string): JsyncError => jsyncError('DIRECTORY_NOT_EMPTY', { context: { remote: dir } });
/** `hash type not supported`. */
export const hashUnsupported = (hashType: string): JsyncError => jsyncError('HASH_UNSUPPORTED', { context: { hashType } });
/** A bad argument: flag value, remote path, option value. */
export const invalidArgument = (message: string, cause?: unknown): JsyncError =>
  new JsyncError({ code: 'INVALID_ARGUMENT', message, cause, errorClass: 'fatal' });

/** Marks `err` as fatal (no retries at all). */
export const fatalError = (err: unknown): JsyncError => classify(err, 'fatal');
/** Marks `err` as pointless to retry. */
export const noRetryError = (err: unknown): JsyncError => classify(err, 'noRetry');
/** Marks `err` as retryable. */
export const retryError = (err: unknown): JsyncError => classify(err, 'retry');

function classify(err: unknown, errorClass: ErrorClass): JsyncError {
  if (err instanceof JsyncError) {
    return new JsyncError({ code: err.code, message: err.message, cause: err.cause, errorClass, retryAfterMs: err.retryAfterMs, context: err.context });
  }
  return new JsyncError({ code: 'IO', message: err instanceof Error ? err.message : String(err), cause: err, errorClass });
}

/** The retry class of `err`: the first explicit classification in the cause chain, else 'retry'. */
export function errorClassOf(err: unknown): ErrorClass {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 16; depth++) {
    if (e instanceof JsyncError && e.errorClass !== undefined) return e.errorClass;
    e = (e as { cause?: unknown }).cause;
  }
  return 'retry';
}
