// Writes that never expose partial content: data goes to `<leaf>.<hex>.partial`, is fsynced and dated, then renamed.

import { closeSync, fchmodSync, fchownSync, fsync, open as openCb, renameSync, writeSync } from 'node:fs';
import { open, rename, symlink, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { JsyncError, MultiHasher } from '@jsync/core';
import type { HashSet, HashType, Timestamp } from '@jsync/core';
import { osError } from './os-errors.js';
import { fsPath, partialPath } from './paths.js';
import type { InPlaceIo } from './in-place-io.js';

/** What was written. */
export interface WriteResult {
  /** Bytes written. */
  size: number;
  /** Digests of the requested hash types (empty when none were requested). */
  digests: Map<HashType, string>;
}

/** Options for {@link writeAtomically}. */
export interface AtomicWriteOptions {
  /** Escaped OS path the content must end up at. */
  finalPath: string;
  /** The content. */
  input: AsyncIterable<Uint8Array>;
  /** Expected size; -1 when unknown. A different byte count fails the write. */
  expectedSize: number;
  /** Hash types to compute while writing. */
  hashes?: HashSet;
  /** Write a symlink whose target is the content (rclone `-l` translated links) instead of a regular file. */
  asSymlink?: boolean;
  /** Permission bits and owner for the new file (e.g. those of the file it replaces); owner changes may fail silently. */
  preserve?: { mode: number; uid: number; gid: number };
  /** Creates the parent directory; called (then the create retried once) when the temp file's parent is missing. */
  makeParent?: () => Promise<void>;
  /** Called on the finished temp file before the rename: set its modtime here. */
  beforeRename?: (tempPath: string) => Promise<void>;
  /** Called with the result before the rename: throw to reject the content (e.g. a hash mismatch). */
  verify?: (result: WriteResult) => Promise<void>;
  signal?: AbortSignal;
  /**
   * Small content on a fast file system: create, write, close and rename in place (synchronous syscalls, sampled
   * by this policy); only the fsync goes through the thread pool.
   */
  inPlace?: InPlaceIo;
  /** Random part of the temp name (tests). */
  random?: () => string;
}

/**
 * Writes `input` to a temporary file next to `finalPath`, fsyncs it, runs the hooks and renames it over
 * `finalPath`. On any error or abort the temporary file is removed and `finalPath` is untouched; only a
 * process killed mid-write can leave a stray `*.partial`, never a partial file under the final name.
 */
export async function writeAtomically(opts: AtomicWriteOptions): Promise<WriteResult> {
  const temp = partialPath(opts.finalPath, opts.random);
  const hasher = new MultiHasher(opts.hashes ?? []);
  let created = false;
  try {
    if (opts.asSymlink) {
      const target = await collect(opts.input, hasher, opts.signal);
      checkSize(opts.expectedSize, target.length);
      await withParent(opts, () => symlink(target, fsPath(temp))).catch((e: unknown) => {
        throw osError(e, { op: 'symlink', path: temp });
      });
      created = true;
    } else if (opts.inPlace) {
      const io = opts.inPlace;
      // The create itself goes to the thread pool: allocating an inode can be costly (ext4 scans for a free one
      // it may reuse), and there it runs beside the main thread instead of on it.
      const fd = await withParent(opts, () => openFd(fsPath(temp), 'wx', 0o666)).catch((e: unknown) => {
        throw osError(e, { op: 'open', path: temp });
      });
      created = true;
      try {
        await writeInPlace(fd, io, opts.input, hasher, opts.signal);
        checkSize(opts.expectedSize, hasher.size);
        if (opts.preserve) preserveInPlace(fd, opts.preserve);
        await new Promise<void>((resolve, reject) => fsync(fd, (e) => (e ? reject(e) : resolve())));
      } finally {
        closeSync(fd);
      }
    } else {
      const fh = await withParent(opts, () => open(fsPath(temp), 'wx', 0o666)).catch((e: unknown) => {
        throw osError(e, { op: 'open', path: temp });
      });
      created = true;
      try {
        await copyInto(fh, opts.input, hasher, opts.signal);
        checkSize(opts.expectedSize, hasher.size);
        if (opts.preserve) await applyPreserve(fh, opts.preserve);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    const result: WriteResult = { size: hasher.size, digests: hasher.digests() };
    if (opts.verify) await opts.verify(result);
    if (opts.beforeRename) await opts.beforeRename(temp);
    opts.signal?.throwIfAborted();
    if (opts.inPlace && !opts.asSymlink) {
      try {
        opts.inPlace.run(1, () => renameSync(fsPath(temp), fsPath(opts.finalPath)));
      } catch (e) {
        throw osError(e, { op: 'rename', path: opts.finalPath });
      }
    } else {
      await rename(fsPath(temp), fsPath(opts.finalPath)).catch((e: unknown) => {
        throw osError(e, { op: 'rename', path: opts.finalPath });
      });
    }
    created = false;
    return result;
  } finally {
    if (created) await unlink(fsPath(temp)).catch(() => {});
  }
}

// --- internal helpers ---

/** Runs `create`; when it fails for want of a parent directory and `makeParent` is given, makes it and retries once. */
async function withParent<T>(opts: AtomicWriteOptions, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (opts.makeParent === undefined || (code !== 'ENOENT' && code !== 'ENOTDIR')) throw err;
    await opts.makeParent();
    return create();
  }
}

/** Link targets are at most PATH_MAX (4096) bytes; refuse to buffer much more than that. */
const MAX_LINK_TARGET = 64 * 1024;

async function copyInto(fh: FileHandle, input: AsyncIterable<Uint8Array>, hasher: MultiHasher, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  for await (const chunk of input) {
    signal?.throwIfAborted();
    // Hash while the thread pool writes: the write only reads the chunk, and so does the hasher.
    const written = writeAll(fh, chunk);
    try {
      hasher.update(chunk);
    } catch (err) {
      await written.catch(() => {});
      throw err;
    }
    await written;
  }
  signal?.throwIfAborted();
}

/** Writes all of `chunk` at the current position (continuing short writes). */
async function writeAll(fh: FileHandle, chunk: Uint8Array): Promise<void> {
  let off = 0;
  while (off < chunk.length) {
    const { bytesWritten } = await fh.write(chunk, off, chunk.length - off);
    off += bytesWritten;
  }
}

/** fs.open as a promise of a plain file descriptor (no FileHandle: the writes and the close are synchronous). */
function openFd(path: string | Buffer, flags: string, mode: number): Promise<number> {
  return new Promise((resolve, reject) => openCb(path, flags, mode, (err, fd) => (err ? reject(err) : resolve(fd))));
}

/** {@link copyInto} with synchronous writes (a short write is continued, as FileHandle.write callers must). */
async function writeInPlace(fd: number, io: InPlaceIo, input: AsyncIterable<Uint8Array>, hasher: MultiHasher, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  for await (const chunk of input) {
    signal?.throwIfAborted();
    io.run(1, () => {
      for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off, chunk.length - off);
    });
    hasher.update(chunk);
  }
  signal?.throwIfAborted();
}

/** {@link applyPreserve} on a file descriptor, in place. */
function preserveInPlace(fd: number, p: { mode: number; uid: number; gid: number }): void {
  try {
    fchownSync(fd, p.uid, p.gid);
  } catch {
    // not allowed (not root): keep our own owner, as before
  }
  fchmodSync(fd, p.mode & 0o7777);
}

async function collect(input: AsyncIterable<Uint8Array>, hasher: MultiHasher, signal?: AbortSignal): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const chunk of input) {
    signal?.throwIfAborted();
    parts.push(chunk);
    hasher.update(chunk);
    if (hasher.size > MAX_LINK_TARGET) {
      throw new JsyncError({ code: 'IO', message: `symlink target longer than ${MAX_LINK_TARGET} bytes`, errorClass: 'noRetry' });
    }
  }
  return Buffer.concat(parts);
}

/** Gives the temp file the replaced file's mode, and its owner when allowed (root); EPERM on chown is ignored. */
async function applyPreserve(fh: FileHandle, p: { mode: number; uid: number; gid: number }): Promise<void> {
  await fh.chown(p.uid, p.gid).catch(() => {});
  await fh.chmod(p.mode & 0o7777);
}

function checkSize(expected: number, written: number): void {
  if (expected >= 0 && expected !== written) {
    throw new JsyncError({ code: 'IO', message: `corrupted on transfer: sizes differ ${expected} vs ${written}` });
  }
}
