// Go `*PathError` texts for local file failures of the CLI itself (rule files, report files): `open x: <reason>`.

/** Linux strerror texts as Go prints them. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory', EISDIR: 'is a directory', EACCES: 'permission denied', ENOTDIR: 'not a directory',
  EROFS: 'read-only file system', ENOSPC: 'no space left on device', EEXIST: 'file exists', ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long', EPERM: 'operation not permitted',
};

/** `<op> <path>: <reason>` for a Node fs error, as Go's os package words it. */
export function goPathError(err: NodeJS.ErrnoException, path: string, op: string): string {
  const reason = (err.code && STRERROR[err.code]) ?? /^[A-Z]+: ([^,]*)/.exec(err.message)?.[1] ?? err.message;
  // Go opens a directory fine and fails on the first read.
  const shownOp = err.code === 'EISDIR' && op === 'open' ? 'read' : op;
  return `${shownOp} ${path}: ${reason}`;
}
