// The local file system backend (rclone backend/local/local.go): LocalFs and LocalObject, in rclone's order.

import { lstat, mkdir, opendir, readlink, realpath, rename, rm, rmdir, stat, statfs, unlink, open as openFile } from 'node:fs/promises';
import { closeSync, fstatSync, lstatSync, opendirSync, openSync, statSync } from 'node:fs';
import type { BigIntStats, Dir } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  HASH_TYPES, HashSet, JsyncError, MODTIME_NOT_SUPPORTED, MultiEncoder, MultiHasher, Timestamp, decodeUtf8Escaped,
  dirNotFound, fillFeatures, goQuote, hasLoneSurrogate, hashUnsupported, isDirError, jsyncError, objectNotFound, decodeOpenOptions,
} from '@jsync/core';
import type {
  DirEntry, Directory, Features, Fs, FsObject, HashType, ListOptions, Logger, ObjectInfo, OpenOptions, PutOptions,
  Usage,
} from '@jsync/core';
import { writeAtomically } from './atomic-write.js';
import type { WriteResult } from './atomic-write.js';
import type { ModTimeSetter } from './modtime.js';
import { LINK_SUFFIX } from './options.js';
import type { ResolvedLocalOptions } from './options.js';
import { errnoCode, osError, pathErrorText } from './os-errors.js';
import { fsPath, joinOs, parentOs } from './paths.js';
import { FileReader, bufferedReader, checkUnchanged } from './reader.js';
import { consumeFile, readFdSync } from './hash-file.js';
import { InPlaceIo } from './in-place-io.js';

/** Largest file read, written or hashed in place (synchronous syscalls) while the file system answers from memory. */
const IN_PLACE_MAX = 256 * 1024;

/** Names lstat-ed in place between two checks of how fast the file system answers. */
const SYNC_STAT_BATCH = 64;

/** The lstat of one listed name: its stats, or the error. */
type StatOutcome = { ok: true; st: BigIntStats } | { ok: false; err: unknown };

/** Entries per listing page unless changed with {@link setListPageSize}. */
export const DEFAULT_LIST_PAGE_SIZE = 1024;

/** Everything a {@link LocalFs} is built from (see `newFs` in index.ts). */
export interface LocalFsInit {
  name: string;
  /** Absolute, cleaned OS root (escaped string, already in the backend's encoding). */
  osRoot: string;
  opt: ResolvedLocalOptions;
  logger: Logger;
  /** Probed precision (ns) or MODTIME_NOT_SUPPORTED. */
  precision: bigint;
  modTimes: ModTimeSetter;
  /** Device of the root, for one_file_system. */
  dev?: bigint;
  /** Feature names to disable (`--disable`). */
  disable?: readonly string[];
}

/** A local directory tree rooted at an absolute OS path (rclone local `Fs`). */
export class LocalFs implements Fs {
  readonly name: string;
  /** The root in Standard encoding (rclone `Root()`). */
  readonly root: string;
  readonly precision: bigint;
  readonly hashes: HashSet = HashSet.all();
  readonly features: Features;
  /** Absolute OS root; invalid UTF-8 bytes are lone surrogates. */
  readonly osRoot: string;
  /** Parsed options. */
  readonly opt: ResolvedLocalOptions;
  /** Name conversion between Standard and on-disk names. */
  readonly encoder: MultiEncoder;
  /** Where notices go. */
  readonly logger: Logger;
  /** Sets modtimes (nanosecond-exact when the precision probe found a way). */
  readonly modTimes: ModTimeSetter;
  /** Entries per listing page. */
  listPageSize = DEFAULT_LIST_PAGE_SIZE;
  private dev: bigint | undefined;
  private readonly warned = new Set<string>();
  /** Whether listings and small-file hashes run in place (while the file system answers from memory). */
  readonly io = new InPlaceIo();

  constructor(init: LocalFsInit) {
    this.name = init.name;
    this.osRoot = init.osRoot;
    this.opt = init.opt;
    this.encoder = new MultiEncoder(init.opt.encoding);
    this.root = this.encoder.toStandardPath(init.osRoot);
    this.logger = init.logger;
    this.precision = init.opt.noSetModTime ? MODTIME_NOT_SUPPORTED : init.precision;
    this.modTimes = init.modTimes;
    this.dev = init.dev;
    this.features = fillFeatures(this, {
      flags: { caseInsensitive: caseInsensitive(init.opt), canHaveEmptyDirectories: true, isLocal: true, slowHash: true },
      disable: init.disable,
    });
  }

  /** `Local file system at /abs/root`. */
  toString(): string {
    return `Local file system at ${this.root}`;
  }

  /** The OS path of a Standard-encoded remote. */
  localPath(remote: string): string {
    return joinOs(this.osRoot, this.encoder.fromStandardPath(remote));
  }

  /** lstat, or stat when following symlinks (-L). */
  statPath(p: string): Promise<BigIntStats> {
    return this.opt.followSymlinks ? stat(fsPath(p), { bigint: true }) : lstat(fsPath(p), { bigint: true });
  }

  /** {@link statPath} in place (see {@link InPlaceIo}). */
  statPathSync(p: string): BigIntStats {
    return this.opt.followSymlinks ? statSync(fsPath(p), { bigint: true }) : lstatSync(fsPath(p), { bigint: true });
  }

  /** A regular file; with -l a symlink counts as one (rclone `isRegular`). */
  isRegular(st: BigIntStats): boolean {
    return st.isFile() || (this.opt.translateSymlinks && st.isSymbolicLink());
  }

  /** A half-built object for `remote` (path resolved, `.rclonelink` translated); metadata not read yet. */
  makeObject(remote: string): LocalObject {
    let path = this.localPath(remote);
    const translated = this.opt.translateSymlinks && remote.endsWith(LINK_SUFFIX);
    if (translated) path = path.slice(0, -LINK_SUFFIX.length);
    return new LocalObject(this, { remote, path, translatedLink: translated });
  }

  async newObject(remote: string): Promise<FsObject> {
    const o = this.makeObject(remote);
    let st: BigIntStats;
    try {
      st = await this.statPath(o.path);
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'ENOTDIR') throw objectNotFound(remote);
      throw osError(err, { op: 'lstat', path: o.path, remote, missing: 'object' });
    }
    if (this.opt.translateSymlinks && st.isSymbolicLink() !== o.translatedLink) throw objectNotFound(remote);
    if (st.isDirectory()) throw isDirError(remote);
    await o.applyStat(st);
    return o;
  }

  /** Lists `dir` in pages of at most {@link listPageSize}, reading the directory incrementally. */
  async *list(dir: string, opts: ListOptions = {}): AsyncGenerator<readonly DirEntry[]> {
    const dirPath = this.localPath(dir);
    const inPlace = this.io.enabled;
    let st: BigIntStats;
    try {
      st = inPlace ? this.io.run(1, () => statSync(fsPath(dirPath), { bigint: true })) : await stat(fsPath(dirPath), { bigint: true });
    } catch {
      throw dirNotFound(dir);
    }
    if (!st.isDirectory()) {
      throw jsyncError('IO', { message: `failed to read directory entry: readdirent ${dirPath}: not a directory`, context: { remote: dir } });
    }
    let handle: Dir;
    try {
      const dirOpts = { encoding: 'buffer' as BufferEncoding, bufferSize: 64 };
      handle = inPlace ? this.io.run(1, () => opendirSync(fsPath(dirPath), dirOpts)) : await opendir(fsPath(dirPath), dirOpts);
    } catch (err) {
      const e = osError(err, { op: 'open', path: dirPath, remote: dir, missing: 'dir' });
      throw new JsyncError({ code: e.code, message: `failed to open directory ${goQuote(dir)}: ${e.message}`, cause: err, errorClass: 'noRetry' });
    }
    try {
      if (this.opt.oneFileSystem && this.dev === undefined) this.dev = (await this.statPath(this.osRoot)).dev;
      for (;;) {
        opts.signal?.throwIfAborted();
        const names = await this.readNames(handle);
        if (names.length > 0) {
          const page = await this.readEntries(dir, dirPath, names);
          opts.signal?.throwIfAborted();
          if (page.length > 0) yield page;
        }
        if (names.length < this.listPageSize) break;
      }
    } finally {
      // In place as the reads were (an async close after readSync waits on the thread pool for no gain).
      if (this.io.enabled) {
        try {
          handle.closeSync();
        } catch {
          // already closed
        }
      } else {
        await handle.close().catch(() => {});
      }
    }
  }

  /** Up to {@link listPageSize} names from the directory (fewer only at its end). */
  private async readNames(handle: Dir): Promise<Buffer[]> {
    const names: Buffer[] = [];
    while (names.length < this.listPageSize) {
      const dirent = this.io.enabled ? handle.readSync() : await handle.read();
      if (dirent === null) break;
      names.push(dirent.name as unknown as Buffer);
    }
    return names;
  }

  /** lstats one batch of names and turns them into entries (skipping what rclone skips). */
  private async readEntries(dir: string, dirPath: string, names: readonly Buffer[]): Promise<DirEntry[]> {
    const osNames = names.map((n) => decodeUtf8Escaped(n));
    const stats: StatOutcome[] = [];
    // In place while the file system answers from memory (see InPlaceIo), else through the thread pool.
    for (let i = 0; i < osNames.length && this.io.enabled; i += SYNC_STAT_BATCH) {
      const batch = osNames.slice(i, i + SYNC_STAT_BATCH);
      this.io.run(batch.length, () => {
        for (const n of batch) stats.push(lstatOutcomeSync(joinOs(dirPath, n)));
      });
    }
    if (stats.length < osNames.length) {
      stats.push(...(await Promise.all(osNames.slice(stats.length).map((n) => lstatOutcome(joinOs(dirPath, n))))));
    }
    const entries = await Promise.all(osNames.map((n, i) => this.entryFromStat(dir, dirPath, n, stats[i]!)));
    return entries.filter((e): e is DirEntry => e !== undefined);
  }

  private async entryFromStat(dir: string, dirPath: string, osName: string, outcome: StatOutcome): Promise<DirEntry | undefined> {
    let remote = this.cleanRemote(dir, osName);
    const entryPath = joinOs(dirPath, osName);
    if (!outcome.ok) {
      if (errnoCode(outcome.err) !== 'ENOENT') this.logger.log('ERROR', dir, pathErrorText('lstat', entryPath, outcome.err));
      return undefined; // ENOENT: removed while listing
    }
    let st = outcome.st;
    if (this.opt.followSymlinks && st.isSymbolicLink()) {
      try {
        st = await stat(fsPath(entryPath), { bigint: true });
      } catch (err) {
        const code = errnoCode(err);
        if (code !== 'ENOENT' && code !== 'ELOOP') throw osError(err, { op: 'stat', path: entryPath, remote });
        this.logger.log('ERROR', remote, `Listing error: symlink: ${pathErrorText('stat', entryPath, err)}`);
        return undefined;
      }
    }
    if (st.isDirectory()) {
      if (this.opt.oneFileSystem && st.dev !== this.dev) return undefined;
      return localDirectory(remote, Timestamp.fromNs(st.mtimeNs));
    }
    if (this.opt.translateSymlinks && st.isSymbolicLink()) remote += LINK_SUFFIX;
    const o = new LocalObject(this, { remote, path: entryPath, translatedLink: this.opt.translateSymlinks && st.isSymbolicLink() });
    await o.applyStat(st);
    if (!o.storable) {
      if (st.isSymbolicLink()) {
        if (!this.opt.skipSymlinks) this.logger.log('NOTICE', remote, "Can't follow symlink without -L/--copy-links");
      } else {
        this.logger.log('NOTICE', remote, "Can't transfer non file/directory");
      }
      return undefined;
    }
    return o;
  }

  /** Remote path of an on-disk name in `dir`, with rclone's once-per-name invalid UTF-8 notice. */
  private cleanRemote(dir: string, osName: string): string {
    const name = this.opt.utfNorm ? osName.normalize('NFC') : osName;
    const leaf = this.encoder.toStandardName(name);
    const remote = dir === '' ? leaf : `${dir}/${leaf}`;
    if (hasLoneSurrogate(name) && !this.warned.has(remote)) {
      this.warned.add(remote);
      this.logger.log('NOTICE', this.toString(), `Replacing invalid UTF-8 characters in ${goQuote(remote)}`);
    }
    return remote;
  }

  async put(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts: PutOptions = {}): Promise<FsObject> {
    const o = this.makeObject(src.remote);
    await o.update(input, src, opts);
    return o;
  }

  /** Uploads an object of unknown size (the same code path as put). */
  putStream(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts: PutOptions = {}): Promise<FsObject> {
    return this.put(input, src, opts);
  }

  async mkdir(dir: string): Promise<void> {
    const p = this.localPath(dir);
    await mkdirAll(p);
    if (dir === '' && this.opt.oneFileSystem) this.dev = (await this.statPath(p)).dev;
  }

  async rmdir(dir: string): Promise<void> {
    const p = this.localPath(dir);
    try {
      await rmdir(fsPath(p));
    } catch (err) {
      // A missing directory stays a plain OS error (not DIR_NOT_FOUND): rclone's `rmdir` then exits 1, not 3.
      throw osError(err, { op: 'remove', path: p, remote: dir, missing: errnoCode(err) === 'ENOENT' ? 'other' : 'dir' });
    }
  }

  /** Deletes `dir` and everything in it; DIR_NOT_FOUND when it is missing. */
  async purge(dir: string): Promise<void> {
    const p = this.localPath(dir);
    let st: BigIntStats;
    try {
      st = await this.statPath(p);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw dirNotFound(dir);
      throw osError(err, { op: 'lstat', path: p, remote: dir });
    }
    if (!st.isDirectory()) throw jsyncError('IO', { message: `can't purge non directory: ${goQuote(p)}`, context: { remote: dir } });
    try {
      await rm(fsPath(p), { recursive: true });
    } catch (err) {
      throw osError(err, { op: 'remove', path: p, remote: dir, missing: 'dir' });
    }
  }

  /** Renames a local object to `remote`; CANT_MOVE when rename(2) cannot do it (e.g. across devices). */
  async move(src: FsObject, remote: string): Promise<FsObject> {
    if (!(src instanceof LocalObject)) throw jsyncError('CANT_MOVE');
    const dst = this.makeObject(remote);
    try {
      if ((await lstat(fsPath(dst.path))).isDirectory()) throw jsyncError('IO', { message: "can't move file onto non-file" });
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw osError(err, { op: 'lstat', path: dst.path, remote });
    }
    await mkdirAll(parentOs(dst.path));
    try {
      await rename(fsPath(src.path), fsPath(dst.path));
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM') {
        throw osError(err, { op: 'rename', path: src.path, remote: src.remote, missing: 'object' });
      }
      this.logger.log('DEBUG', src.remote, `Can't move: ${pathErrorText('rename', src.path, err)}: trying copy`);
      throw jsyncError('CANT_MOVE', { cause: err });
    }
    await dst.refresh();
    dst.inheritHashes(src);
    return dst;
  }

  /** Renames directory `srcRemote` of `src` to `dstRemote` here; DIR_EXISTS if the target exists. */
  async dirMove(src: Fs, srcRemote: string, dstRemote: string): Promise<void> {
    if (!(src instanceof LocalFs)) throw jsyncError('CANT_DIR_MOVE');
    const srcPath = src.localPath(srcRemote);
    const dstPath = this.localPath(dstRemote);
    const exists = await lstat(fsPath(dstPath)).then(() => true, (err: unknown) => errnoCode(err) !== 'ENOENT');
    if (exists) throw jsyncError('DIR_EXISTS');
    await mkdirAll(parentOs(dstPath));
    try {
      await rename(fsPath(srcPath), fsPath(dstPath));
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM') {
        throw osError(err, { op: 'rename', path: srcPath, remote: srcRemote, missing: 'dir' });
      }
      this.logger.log('DEBUG', srcRemote, `Can't move dir: ${pathErrorText('rename', srcPath, err)}: trying copy`);
      throw jsyncError('CANT_DIR_MOVE', { cause: err });
    }
  }

  /** Disk usage of the file system holding the root (statfs): total, used and free bytes. */
  async about(): Promise<Usage> {
    try {
      const s = await statfs(fsPath(this.osRoot) as string, { bigint: true });
      return { total: Number(s.bsize * s.blocks), used: Number(s.bsize * (s.blocks - s.bfree)), free: Number(s.bsize * s.bavail) };
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw dirNotFound('');
      throw new JsyncError({ code: 'IO', message: `failed to read disk usage: ${pathErrorText('statfs', this.osRoot, err)}`, cause: err });
    }
  }

  /** rclone's backend commands for local: only `noop` (echoes its input or fails on request). */
  async command(name: string, args: readonly string[], opts: Record<string, string>): Promise<unknown> {
    if (name !== 'noop') throw jsyncError('COMMAND_NOT_FOUND');
    if ('error' in opts) throw new JsyncError({ code: 'IO', message: opts['error'] || 'unspecified error' });
    if ('echo' in opts) return { name, arg: [...args], opt: { ...opts } };
    return null;
  }
}

/** How an object looked when last stat-ed. */
type ObjectKind = 'file' | 'symlink' | 'dir' | 'special';

/** A file (or with -l a translated symlink) on the local disk (rclone local `Object`). */
export class LocalObject implements FsObject {
  readonly isDir = false as const;
  readonly fs: LocalFs;
  readonly remote: string;
  /** Escaped OS path (for translated links: the symlink's path, without `.rclonelink`). */
  readonly path: string;
  /** True when this object is a symlink shown as `<name>.rclonelink` (option `links`). */
  readonly translatedLink: boolean;
  private sizeBytes = -1;
  private mtimeNs = 0n;
  private kind: ObjectKind = 'file';
  private statted = false;
  private readonly hashCache = new Map<HashType, string>();

  constructor(fs: LocalFs, init: { remote: string; path: string; translatedLink: boolean }) {
    this.fs = fs;
    this.remote = init.remote;
    this.path = init.path;
    this.translatedLink = init.translatedLink;
  }

  get size(): number {
    return this.sizeBytes;
  }

  modTime(): Timestamp {
    return Timestamp.fromNs(this.mtimeNs);
  }

  /** False for symlinks (unless translated), devices, pipes, sockets and directories. */
  get storable(): boolean {
    if (this.kind === 'symlink') return this.translatedLink;
    return this.kind === 'file';
  }

  toString(): string {
    return this.remote;
  }

  /** Hash of the content, computed by reading the file (cached until size or modtime change). */
  async hash(type: HashType, opts: { signal?: AbortSignal } = {}): Promise<string> {
    if (!(HASH_TYPES as readonly string[]).includes(type)) throw hashUnsupported(type);
    const before = [this.mtimeNs, this.sizeBytes] as const;
    let changed: boolean;
    const inPlace = !this.translatedLink && this.fs.io.enabled;
    try {
      if (inPlace) await this.applyStat(this.fs.io.run(1, () => this.fs.statPathSync(this.path)));
      else await this.refresh();
      changed = this.mtimeNs !== before[0] || this.sizeBytes !== before[1];
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw new JsyncError({ code: 'IO', message: `hash: failed to stat: ${(err as Error).message}`, cause: err });
      changed = true;
    }
    if (changed) this.hashCache.clear();
    const cached = this.hashCache.get(type);
    if (cached !== undefined) return cached;
    const hasher = new MultiHasher([type]);
    const limit = this.fs.opt.noCheckUpdated ? this.sizeBytes : -1;
    const opened = (err: unknown) => new JsyncError({ code: 'IO', message: `hash: failed to open: ${(err as Error).message}`, cause: err });
    if (this.translatedLink) {
      let input: AsyncIterable<Uint8Array>;
      try {
        input = await this.openContent(0, limit, opts.signal, false);
      } catch (err) {
        throw opened(err);
      }
      for await (const chunk of input) hasher.update(chunk as Uint8Array);
    } else if (inPlace && this.sizeBytes >= 0 && this.sizeBytes <= IN_PLACE_MAX) {
      // Small file from a fast file system: open, one read, close, in place (no thread-pool round trips).
      opts.signal?.throwIfAborted();
      let fd: number;
      try {
        fd = this.fs.io.run(1, () => this.openSync());
      } catch (err) {
        throw opened(err);
      }
      let data: Buffer;
      try {
        data = this.fs.io.run(1, () => readFdSync(fd, { limit, sizeHint: this.sizeBytes }));
      } finally {
        closeSync(fd);
      }
      hasher.update(data);
    } else {
      let fh: FileHandle;
      try {
        fh = await this.openHandle();
      } catch (err) {
        throw opened(err);
      }
      try {
        // Reused buffers and a read ahead while hashing (no stream, no garbage per chunk).
        await consumeFile(fh, { limit, sizeHint: this.sizeBytes, signal: opts.signal }, (chunk) => hasher.update(chunk));
      } finally {
        await fh.close();
      }
    }
    const sum = hasher.digest(type);
    this.hashCache.set(type, sum);
    return sum;
  }

  /** Sets atime and mtime (a no-op with no_set_modtime, as rclone), then re-reads the metadata. */
  async setModTime(t: Timestamp): Promise<void> {
    if (this.fs.opt.noSetModTime) return;
    try {
      await this.fs.modTimes.set(this.path, t, { noFollow: this.translatedLink });
    } catch (err) {
      throw osError(err, { op: 'chtimes', path: this.path, remote: this.remote, missing: 'object' });
    }
    await this.refresh(true);
  }

  /** Streams the content from disk, honouring range/seek; full reads fail if the file changes meanwhile. */
  async open(opts: OpenOptions = {}): Promise<Readable> {
    const { offset, limit: wanted } = decodeOpenOptions(opts, this.sizeBytes);
    let limit = wanted;
    if (limit < 0 && this.fs.opt.noCheckUpdated) limit = Math.max(0, this.sizeBytes - offset);
    const check = offset === 0 && limit < 0 && !this.fs.opt.noCheckUpdated;
    if (this.inPlaceSize(this.sizeBytes)) return this.openInPlace(offset, limit, opts.signal, check);
    return this.openContent(offset, limit, opts.signal, check);
  }

  /** True when I/O on `size` bytes of this object runs in place (small, fast file system, not a translated link). */
  private inPlaceSize(size: number): boolean {
    return !this.translatedLink && this.fs.io.enabled && size >= 0 && size <= IN_PLACE_MAX;
  }

  /** {@link openContent} for a small file: open, read, check and close in place; the stream just hands it over. */
  private openInPlace(offset: number, limit: number, signal: AbortSignal | undefined, check: boolean): Readable {
    const fd = this.fs.io.run(1, () => this.openSync());
    let data: Buffer | undefined;
    let err: unknown;
    try {
      data = this.fs.io.run(2, () => {
        const d = readFdSync(fd, { offset, limit, sizeHint: this.sizeBytes });
        if (check) checkUnchanged(fstatSync(fd, { bigint: true }), { size: this.sizeBytes, mtimeNs: this.mtimeNs });
        return d;
      });
    } catch (e) {
      err = e;
    } finally {
      try {
        closeSync(fd);
      } catch (e) {
        err ??= e;
      }
    }
    return bufferedReader(data, err, signal);
  }

  /**
   * Replaces content and modtime atomically (temp file + fsync + rename), keeping the replaced file's permission
   * bits (and owner where allowed); afterwards this object reflects the new file.
   */
  async update(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts: PutOptions = {}): Promise<void> {
    this.hashCache.clear();
    const finalPath = await this.writeTarget();
    const noFollow = this.translatedLink;
    const inPlace = this.inPlaceSize(src.size);
    let old: BigIntStats | undefined;
    if (!this.translatedLink) {
      old = inPlace
        ? this.fs.io.run(1, () => lstatOrUndefinedSync(finalPath))
        : await lstat(fsPath(finalPath), { bigint: true }).catch(() => undefined);
    }
    const preserve = old?.isFile() ? { mode: Number(old.mode), uid: Number(old.uid), gid: Number(old.gid) } : undefined;
    let result: WriteResult;
    try {
      result = await writeAtomically({
        finalPath,
        // The parent usually exists: create it only when the temp file cannot be created for want of it.
        makeParent: () => mkdirAll(parentOs(finalPath)),
        input,
        expectedSize: src.size,
        hashes: opts.hashes,
        asSymlink: this.translatedLink,
        preserve,
        verify: (r) => verifyAgainstSource(src, r),
        beforeRename: this.fs.opt.noSetModTime ? undefined : (temp) => this.fs.modTimes.set(temp, src.modTime(), { noFollow }),
        signal: opts.signal,
        ...(inPlace ? { inPlace: this.fs.io } : {}),
      });
    } catch (err) {
      this.fs.logger.log('DEBUG', this.remote, `Removed partial file after error: ${(err as Error).message}`);
      throw err;
    }
    if (inPlace) await this.applyStat(this.fs.io.run(1, () => this.fs.statPathSync(this.path)));
    else await this.refresh(true);
    for (const [t, v] of result.digests) this.hashCache.set(t, v);
  }

  async remove(): Promise<void> {
    this.hashCache.clear();
    try {
      await unlink(fsPath(this.path));
    } catch (err) {
      throw osError(err, { op: 'remove', path: this.path, remote: this.remote, missing: 'object' });
    }
  }

  /** Re-reads size/modtime/kind from disk (rclone `lstat`); with no_check_updated only the first read counts. */
  async refresh(force = false): Promise<void> {
    await this.applyStat(await this.fs.statPath(this.path), force);
  }

  /** Takes metadata from a stat result (for translated links the size is the link target's length). */
  async applyStat(st: BigIntStats, force = false): Promise<void> {
    if (this.fs.opt.noCheckUpdated && this.statted && !force) return;
    this.statted = true;
    this.sizeBytes = Number(st.size);
    this.mtimeNs = st.mtimeNs;
    this.kind = st.isFile() ? 'file' : st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : 'special';
    if (this.translatedLink && this.kind === 'symlink') {
      try {
        this.sizeBytes = (await readlink(fsPath(this.path), { encoding: 'buffer' })).length;
      } catch (err) {
        this.fs.logger.log('ERROR', this.remote, `Failed to read link size: ${(err as Error).message}`);
      }
    }
  }

  /** Keeps the cached hashes of `src` (same content after a rename). */
  inheritHashes(src: LocalObject): void {
    for (const [t, v] of src.hashCache) this.hashCache.set(t, v);
  }

  /** Content from `offset`, at most `limit` bytes (-1 = to EOF); a translated link's content is its target. */
  private async openContent(offset: number, limit: number, signal: AbortSignal | undefined, check: boolean): Promise<Readable> {
    if (this.translatedLink) {
      let target: Buffer;
      try {
        target = await readlink(fsPath(this.path), { encoding: 'buffer' });
      } catch (err) {
        throw osError(err, { op: 'readlink', path: this.path, remote: this.remote, missing: 'object' });
      }
      return Readable.from([target.subarray(offset, limit < 0 ? undefined : offset + limit)], { signal });
    }
    const fh = await this.openHandle();
    return new FileReader(fh, { offset, limit, signal, sizeHint: this.sizeBytes, check: check ? { size: this.sizeBytes, mtimeNs: this.mtimeNs } : undefined });
  }

  /** {@link openHandle} in place: a file descriptor. */
  private openSync(): number {
    try {
      return openSync(fsPath(this.path), 'r');
    } catch (err) {
      throw osError(err, { op: 'open', path: this.path, remote: this.remote, missing: 'object' });
    }
  }

  /** Opens the file itself for reading, with rclone's error wording. */
  private async openHandle(): Promise<FileHandle> {
    try {
      return await openFile(fsPath(this.path), 'r');
    } catch (err) {
      throw osError(err, { op: 'open', path: this.path, remote: this.remote, missing: 'object' });
    }
  }

  /** Where an update writes: the path itself, or with -L the file an existing symlink points to. */
  private async writeTarget(): Promise<string> {
    if (!this.fs.opt.followSymlinks) return this.path;
    try {
      if (!(await lstat(fsPath(this.path))).isSymbolicLink()) return this.path;
      return decodeUtf8Escaped(await realpath(fsPath(this.path), { encoding: 'buffer' }));
    } catch {
      return this.path; // missing or dangling: write a new file under the name itself
    }
  }
}

// --- internal helpers ---

/** rclone's caseInsensitive(): the options decide, else Windows and macOS are case insensitive. */
function caseInsensitive(opt: ResolvedLocalOptions): boolean {
  if (opt.caseSensitive) return false;
  if (opt.caseInsensitive) return true;
  return process.platform === 'win32' || process.platform === 'darwin';
}

function localDirectory(remote: string, mtime: Timestamp): Directory {
  return { isDir: true, remote, size: -1, items: -1, id: '', modTime: () => mtime, toString: () => remote };
}

function lstatOutcomeSync(p: string): StatOutcome {
  try {
    return { ok: true, st: lstatSync(fsPath(p), { bigint: true }) };
  } catch (err) {
    return { ok: false, err };
  }
}

/** lstat in place; undefined on any error (missing, a file in the way, …): the write itself reports those. */
function lstatOrUndefinedSync(p: string): BigIntStats | undefined {
  try {
    // throwIfNoEntry: a new file's missing target is the common case, and building the exception costs more
    // than the lstat.
    return lstatSync(fsPath(p), { bigint: true, throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function lstatOutcome(p: string): Promise<StatOutcome> {
  return lstat(fsPath(p), { bigint: true }).then((st): StatOutcome => ({ ok: true, st }), (err: unknown): StatOutcome => ({ ok: false, err }));
}

/** `mkdir -p`; a file in the way gives Go's `mkdir <path>: not a directory`. */
async function mkdirAll(p: string): Promise<void> {
  try {
    await mkdir(fsPath(p), { recursive: true, mode: 0o777 });
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') {
      throw jsyncError('IO', { message: `mkdir ${p}: not a directory`, cause: err });
    }
    throw osError(err, { op: 'mkdir', path: p });
  }
}

/**
 * Before a write is renamed into place, compares each hash computed while writing with the source's hash when the
 * source can give it cheaply; a mismatch rejects the content (rclone's `corrupted on transfer` check, done early).
 */
async function verifyAgainstSource(src: ObjectInfo, result: WriteResult): Promise<void> {
  const srcFs = src.fs as Partial<Fs> | undefined;
  if (srcFs?.features?.slowHash !== false) return;
  for (const [type, dstSum] of result.digests) {
    if (srcFs.hashes && !srcFs.hashes.has(type)) continue;
    const srcSum = await src.hash(type).catch(() => '');
    if (srcSum !== '' && srcSum !== dstSum) {
      throw new JsyncError({ code: 'IO', message: `corrupted on transfer: ${type} hash differ ${goQuote(srcSum)} vs ${goQuote(dstSum)}` });
    }
  }
}
