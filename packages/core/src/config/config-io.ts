// Config file I/O: change stamps, reading with rclone's error texts, atomic writes that keep the file mode.

import { randomBytes } from 'node:crypto';
import { chmod, chown, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isJsyncError, jsyncError } from '../fs/errors.js';
import { decodeUtf8Escaped } from '../util/utf8.js';
import { goTrimSpace, parseIni, type IniData } from './ini.js';

/** What tells whether the file changed since it was read. */
export interface FileStamp {
  mtimeNs: bigint;
  size: bigint;
  ino: bigint;
}

const DEFAULT_FILE_MODE = 0o600;

/** The file's stamp, or undefined when it does not exist (or is not a regular file). */
export async function stamp(path: string): Promise<FileStamp | undefined> {
  try {
    const st = await stat(path, { bigint: true });
    if (!st.isFile()) return undefined;
    return { mtimeNs: st.mtimeNs, size: st.size, ino: st.ino };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** True when both stamps describe the same file state. */
export const sameStamp = (a: FileStamp | undefined, b: FileStamp | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.mtimeNs === b.mtimeNs && a.size === b.size && a.ino === b.ino);

/** Parses config text, refusing encrypted files; errors carry rclone's goconfig texts. */
export function parseConfigText(text: string, path: string): IniData {
  for (const raw of text.split('\n')) {
    const l = goTrimSpace(raw);
    if (l === '' || l.startsWith(';') || l.startsWith('#')) continue;
    if (l === 'RCLONE_ENCRYPT_V0:') {
      throw jsyncError('CONFIG', { message: `config file ${JSON.stringify(path)} is encrypted: encrypted rclone config files are not supported yet`, context: { path } });
    }
    if (l.startsWith('RCLONE_ENCRYPT_V')) {
      throw jsyncError('CONFIG', { message: 'unsupported configuration encryption - update rclone for support', context: { path } });
    }
    break;
  }
  try {
    return parseIni(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw jsyncError('CONFIG', { message: `failed to load config file ${JSON.stringify(path)}: ${reason}`, cause: err, context: { path, reason } });
  }
}

/** Reads and parses the file (missing = empty) with the stamp taken before reading. */
export async function readConfig(path: string): Promise<{ data: IniData; stamp: FileStamp | undefined }> {
  const before = await stamp(path);
  if (!before) return { data: new Map(), stamp: undefined };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw jsyncError('CONFIG', { message: `failed to load config file ${JSON.stringify(path)}: ${(err as Error).message}`, cause: err, context: { path } });
  }
  return { data: parseConfigText(decodeUtf8Escaped(bytes), path), stamp: before };
}

/** Replaces `target` atomically: temp file in the same directory, fsync, previous mode/group or 0600, rename, dir fsync. */
export async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let mode = DEFAULT_FILE_MODE;
  let gid: number | undefined;
  try {
    const st = await stat(target);
    if (st.isFile()) {
      mode = st.mode & 0o7777;
      gid = st.gid;
    }
  } catch {
    // new file: default mode
  }
  const fh = await open(tmp, 'wx', DEFAULT_FILE_MODE);
  try {
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (gid !== undefined) await chown(tmp, -1, gid).catch(() => undefined);
    await chmod(tmp, mode);
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw isJsyncError(err) ? err : jsyncError('CONFIG', { message: `failed to save config file: ${(err as Error).message}`, cause: err, context: { path: target } });
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const dh = await open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    // not supported on every platform (Windows); the rename itself is already atomic
  }
}
