// MemoryFs and MemoryObject: rclone's bucket-based in-memory object store (backend/memory/memory.go order).

import { Readable, addAbortSignal } from 'node:stream';
import {
  HashSet, JsyncError, Timestamp, decodeOpenOptions, dirNotFound, fillFeatures, hashBytes, hashUnsupported, joinPath,
  jsyncError, mimeTypeByExtension, objectNotFound, parentOf,
} from '@jsync/core';
import type {
  DirEntry, Directory, Features, Fs, FsObject, HashType, ListOptions, NewFsResult, ObjectInfo, OpenOptions, PutOptions,
} from '@jsync/core';
import type { MemoryStore, ObjectData } from './store.js';
import { splitBucket } from './util.js';

/** Listing page size used unless a test forces a smaller one. */
export const DEFAULT_LIST_PAGE_SIZE = 1000;

/** Everything a MemoryFs is built from. */
export interface MemoryFsOptions {
  /** Fs name (`:memory` for on-the-fly remotes). */
  name: string;
  /** Root as given by the user; slashes at either end are removed. */
  root: string;
  /** The bucket store of the backend instance. */
  store: MemoryStore;
  /** `--disable` feature names. */
  disable?: readonly string[];
  /** Entries per listing page. @default DEFAULT_LIST_PAGE_SIZE */
  listPageSize?: number;
}

/** Creates a MemoryFs; a root naming an existing object yields the parent with `isFile` (rclone ErrorIsFile). */
export function newMemoryFs(opts: MemoryFsOptions): NewFsResult {
  const fs = new MemoryFs(opts);
  if (fs.rootBucket !== '' && fs.rootDirectory !== '' && opts.store.getObjectData(fs.rootBucket, fs.rootDirectory)) {
    fs.setRoot(parentOf(fs.root));
    return { fs, isFile: true };
  }
  return { fs, isFile: false };
}

/** An Fs over a memory store: the first path segment is the bucket; directories exist only through objects. */
export class MemoryFs implements Fs {
  readonly name: string;
  readonly precision = 1n;
  readonly hashes = new HashSet(['md5']);
  readonly features: Features;
  /** Bucket part of the root (`""` at the backend root). */
  rootBucket = '';
  /** Path inside the bucket part of the root. */
  rootDirectory = '';
  private currentRoot = '';
  /** The bucket store of the backend instance this Fs belongs to. @internal */
  readonly store: MemoryStore;
  private pageSize: number;

  constructor(opts: MemoryFsOptions) {
    this.name = opts.name;
    this.store = opts.store;
    this.pageSize = opts.listPageSize ?? DEFAULT_LIST_PAGE_SIZE;
    this.setRoot(opts.root);
    this.features = fillFeatures(this, {
      flags: { readMimeType: true, writeMimeType: true, bucketBased: true, bucketBasedRootOK: true },
      ...(opts.disable ? { disable: opts.disable } : {}),
    });
  }

  get root(): string {
    return this.currentRoot;
  }

  toString(): string {
    return `Memory root '${this.currentRoot}'`;
  }

  /** Changes the root (used when the root names a file). */
  setRoot(root: string): void {
    this.currentRoot = root.replace(/^\/+|\/+$/g, '');
    [this.rootBucket, this.rootDirectory] = splitBucket(this.currentRoot);
  }

  /** Test hook: split listings into pages of at most `n` entries. */
  setListPageSize(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`list page size must be a positive integer, got ${n}`);
    this.pageSize = n;
  }

  /** Bucket and bucket path of a root-relative path (Go `path.Join` semantics, as rclone). */
  split(rootRelativePath: string): [bucket: string, bucketPath: string] {
    return splitBucket(joinPath(this.currentRoot, rootRelativePath));
  }

  /** The object at `remote`; OBJECT_NOT_FOUND when missing (directories are never detected). */
  async newObject(remote: string, opts: { signal?: AbortSignal } = {}): Promise<FsObject> {
    opts.signal?.throwIfAborted();
    const [bucket, bucketPath] = this.split(remote);
    const od = this.store.getObjectData(bucket, bucketPath);
    if (!od) throw objectNotFound(remote);
    return new MemoryObject(this, remote, od);
  }

  /** Entries directly in `dir`: the buckets at the backend root, else objects and implied directories. */
  async *list(dir: string, opts: ListOptions = {}): AsyncGenerator<readonly DirEntry[]> {
    opts.signal?.throwIfAborted();
    const [bucket, directory] = this.split(dir);
    let entries: DirEntry[];
    if (bucket === '') {
      if (directory !== '') throw jsyncError('LIST_BUCKET_REQUIRED');
      entries = this.store.bucketNames().map((name) => newDir(name, true));
    } else {
      entries = this.collect({ bucket, directory, addBucket: this.rootBucket === '', recurse: false });
    }
    yield* this.paged(entries, opts.signal);
  }

  /** Every object below `dir` (and the buckets themselves at the backend root), in pages. */
  async *listR(dir: string, opts: ListOptions = {}): AsyncGenerator<readonly DirEntry[]> {
    opts.signal?.throwIfAborted();
    const [bucket, directory] = this.split(dir);
    const entries: DirEntry[] = [];
    if (bucket === '') {
      for (const name of this.store.bucketNames()) {
        entries.push(newDir(name, true));
        entries.push(...this.collect({ bucket: name, directory: '', addBucket: true, recurse: true }));
      }
    } else {
      entries.push(...this.collect({ bucket, directory, addBucket: this.rootBucket === '', recurse: true }));
    }
    yield* this.paged(entries, opts.signal);
  }

  /** Uploads a new object; nothing is stored unless the whole input was read. */
  async put(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts: PutOptions = {}): Promise<FsObject> {
    const obj = new MemoryObject(this, src.remote, { data: new Uint8Array(0), modTime: src.modTime(), mimeType: '' });
    await obj.update(input, src, opts);
    return obj;
  }

  /** Uploads an object of unknown size (the same as put: everything is buffered). */
  async putStream(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts: PutOptions = {}): Promise<FsObject> {
    return this.put(input, src, opts);
  }

  /** Creates the bucket of `dir`; sub-directories leave nothing behind. */
  async mkdir(dir: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    opts.signal?.throwIfAborted();
    const [bucket] = this.split(dir);
    if (bucket !== '') this.store.makeBucket(bucket);
  }

  /** Deletes the bucket when `dir` is a bucket (DIR_NOT_FOUND / DIRECTORY_NOT_EMPTY); sub-directories: no-op. */
  async rmdir(dir: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
    opts.signal?.throwIfAborted();
    const [bucket, directory] = this.split(dir);
    if (bucket === '' || directory !== '') return;
    this.store.deleteBucket(bucket);
  }

  /** Server-side copy from a MemoryFs of the same store; CANT_COPY otherwise. */
  async copy(src: FsObject, remote: string, opts: { signal?: AbortSignal } = {}): Promise<FsObject> {
    opts.signal?.throwIfAborted();
    if (!(src instanceof MemoryObject) || src.fs.store !== this.store) throw jsyncError('CANT_COPY');
    const [srcBucket, srcPath] = src.split();
    const od = this.store.getObjectData(srcBucket, srcPath);
    if (!od) throw objectNotFound(src.remote);
    const [dstBucket, dstPath] = this.split(remote);
    // A separate record, so SetModTime on the copy does not change the source (rclone fix fecce67ac).
    this.store.updateObjectData(dstBucket, dstPath, { ...od });
    return this.newObject(remote);
  }

  /** Objects below `directory` of `bucket` plus (unless recursing) the directories they imply. */
  private collect(o: { bucket: string; directory: string; addBucket: boolean; recurse: boolean }): DirEntry[] {
    const b = this.store.getBucket(o.bucket);
    if (!b) throw dirNotFound(o.directory === '' ? o.bucket : `${o.bucket}/${o.directory}`);
    const prefix = this.rootDirectory === '' ? '' : this.rootDirectory + '/';
    const directory = o.directory === '' ? '' : o.directory + '/';
    const dirs = new Set<string>();
    const out: DirEntry[] = [];
    for (const [absPath, od] of b.objects) {
      if (!absPath.startsWith(directory)) continue;
      if (!o.recurse) {
        const local = absPath.slice(directory.length);
        const slash = local.indexOf('/');
        if (slash >= 0) {
          // Directory remotes are root-relative (rclone fix f62e7b5b3 for roots below bucket level).
          let d = (directory.startsWith(prefix) ? directory.slice(prefix.length) : directory) + local.slice(0, slash);
          if (o.addBucket) d = joinPath(o.bucket, d);
          if (!dirs.has(d)) {
            dirs.add(d);
            out.push(newDir(d, false));
          }
          continue;
        }
      }
      let remote = absPath.slice(prefix.length);
      if (o.addBucket) remote = joinPath(o.bucket, remote);
      out.push(new MemoryObject(this, remote, od));
    }
    return out;
  }

  private async *paged(entries: DirEntry[], signal: AbortSignal | undefined): AsyncGenerator<readonly DirEntry[]> {
    for (let i = 0; i < entries.length; i += this.pageSize) {
      signal?.throwIfAborted();
      yield entries.slice(i, i + this.pageSize);
    }
  }
}

/** A memory object: a remote path bound to its stored data record. */
export class MemoryObject implements FsObject {
  readonly isDir = false as const;
  readonly storable = true;

  constructor(
    readonly fs: MemoryFs,
    readonly remote: string,
    private od: ObjectData,
  ) {}

  toString(): string {
    return this.remote;
  }

  get size(): number {
    return this.od.data.length;
  }

  modTime(): Timestamp {
    return this.od.modTime;
  }

  /** md5 of the content (computed once); HASH_UNSUPPORTED for other types. */
  async hash(type: HashType): Promise<string> {
    if (type !== 'md5') throw hashUnsupported(type);
    this.od.md5 ??= hashBytes('md5', this.od.data);
    return this.od.md5;
  }

  /** The stored MIME type. */
  mimeType(): string {
    return this.od.mimeType;
  }

  async setModTime(t: Timestamp, opts: { signal?: AbortSignal } = {}): Promise<void> {
    opts.signal?.throwIfAborted();
    this.od.modTime = t;
  }

  /** Reads the content, honouring `seek` and `range` (end inclusive, `{-1,n}` = last n bytes). */
  async open(opts: OpenOptions = {}): Promise<Readable> {
    opts.signal?.throwIfAborted();
    const { offset, limit } = decodeOpenOptions(opts, this.od.data.length);
    const end = limit < 0 ? this.od.data.length : Math.min(offset + limit, this.od.data.length);
    const chunk = Buffer.from(this.od.data.buffer, this.od.data.byteOffset + offset, end - offset);
    const stream = Readable.from(chunk.length > 0 ? [chunk] : [], { objectMode: false });
    return opts.signal ? addAbortSignal(opts.signal, stream) : stream;
  }

  /** Replaces content, modtime and MIME type; the stored object changes only after the whole input was read. */
  async update(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts: PutOptions = {}): Promise<void> {
    const data = await readAll(input, opts.signal);
    const od: ObjectData = {
      data,
      modTime: src.modTime(),
      mimeType: opts.mimeType || src.mimeType?.() || mimeTypeByExtension(src.remote),
    };
    const [bucket, bucketPath] = this.split();
    this.fs.store.updateObjectData(bucket, bucketPath, od);
    this.od = od;
  }

  /** Deletes the object; OBJECT_NOT_FOUND if it is already gone. */
  async remove(opts: { signal?: AbortSignal } = {}): Promise<void> {
    opts.signal?.throwIfAborted();
    const [bucket, bucketPath] = this.split();
    if (!this.fs.store.removeObjectData(bucket, bucketPath)) throw objectNotFound(this.remote);
  }

  /** Bucket and bucket path of this object. */
  split(): [bucket: string, bucketPath: string] {
    return this.fs.split(this.remote);
  }
}

// --- internal helpers ---

function newDir(remote: string, isBucket: boolean): Directory {
  const t = Timestamp.now();
  return { isDir: true, remote, size: -1, items: -1, id: '', ...(isBucket ? { isBucket } : {}), modTime: () => t, toString: () => remote };
}

/** Buffers the whole input (copying chunks the caller may reuse); read errors become `failed to update memory object`. */
async function readAll(input: AsyncIterable<Uint8Array>, signal: AbortSignal | undefined): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let n = 0;
  try {
    signal?.throwIfAborted();
    for await (const c of input) {
      signal?.throwIfAborted();
      chunks.push(Uint8Array.prototype.slice.call(c));
      n += c.length;
    }
  } catch (err) {
    if (signal?.aborted && err === signal.reason) throw err;
    throw new JsyncError({ code: 'IO', message: `failed to update memory object: ${err instanceof Error ? err.message : String(err)}`, cause: err });
  }
  return Buffer.concat(chunks, n);
}
