// Node errno errors → jsync errors with rclone's codes and Go-style `op path: reason` messages.

import { JsyncError } from '@jsync/core';
import type { ErrorCode } from '@jsync/core';

/** What a missing path means for the caller: a missing directory, a missing object, or just an I/O error. */
export type MissingKind = 'dir' | 'object' | 'other';

/** Go's `syscall.Errno` texts for the errors a file system commonly returns (Node's wording differs for a few). */
const GO_ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ENOTEMPTY: 'directory not empty',
  EEXIST: 'file exists',
  EISDIR: 'is a directory',
  ENOTDIR: 'not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EXDEV: 'invalid cross-device link',
  EROFS: 'read-only file system',
  EBUSY: 'device or resource busy',
  EINVAL: 'invalid argument',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ETXTBSY: 'text file busy',
};

/** The errno code (`ENOENT`) of a Node system error, or undefined. */
export function errnoCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Go's text for a Node system error (`no such file or directory`), falling back to Node's own description. */
export function errnoText(err: unknown): string {
  const code = errnoCode(err);
  if (code !== undefined && GO_ERRNO_TEXT[code] !== undefined) return GO_ERRNO_TEXT[code];
  const msg = err instanceof Error ? err.message : String(err);
  const m = /^[A-Z0-9_]+: (.*?)(?:, \w+ '.*')?$/s.exec(msg);
  return m?.[1] ?? msg;
}

/** Go's *PathError text: `remove /data/x: directory not empty`. */
export function pathErrorText(op: string, path: string, err: unknown): string {
  return `${op} ${path}: ${errnoText(err)}`;
}

/**
 * Converts a Node file-system error into a JsyncError whose message reads like Go's *PathError.
 * ENOENT (and ENOTDIR for objects) → DIR_NOT_FOUND / OBJECT_NOT_FOUND per `missing`; ENOTEMPTY → DIRECTORY_NOT_EMPTY;
 * EACCES/EPERM → PERMISSION_DENIED; ENAMETOOLONG → FILE_NAME_TOO_LONG; anything else → IO.
 */
export function osError(err: unknown, opts: { op: string; path: string; remote?: string; missing?: MissingKind }): JsyncError {
  if (err instanceof JsyncError) return err;
  const code = codeFor(errnoCode(err), opts.missing ?? 'other', opts.op);
  return new JsyncError({
    code,
    message: pathErrorText(opts.op, opts.path, err),
    cause: err,
    errorClass: code === 'PERMISSION_DENIED' || code === 'FILE_NAME_TOO_LONG' ? 'noRetry' : undefined,
    context: { path: opts.path, ...(opts.remote !== undefined ? { remote: opts.remote } : {}) },
  });
}

// --- internal helpers ---

function codeFor(errno: string | undefined, missing: MissingKind, op: string): ErrorCode {
  switch (errno) {
    case 'ENOENT':
      return missing === 'dir' ? 'DIR_NOT_FOUND' : missing === 'object' ? 'OBJECT_NOT_FOUND' : 'IO';
    case 'ENOTDIR':
      return missing === 'object' ? 'OBJECT_NOT_FOUND' : 'IO';
    case 'ENOTEMPTY':
      return 'DIRECTORY_NOT_EMPTY';
    case 'EEXIST':
      return op === 'remove' && missing === 'dir' ? 'DIRECTORY_NOT_EMPTY' : 'IO';
    case 'EACCES':
    case 'EPERM':
      return 'PERMISSION_DENIED';
    case 'ENAMETOOLONG':
      return 'FILE_NAME_TOO_LONG';
    default:
      return 'IO';
  }
}
