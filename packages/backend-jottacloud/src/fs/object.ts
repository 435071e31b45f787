// JottacloudObject: one file of a Jottacloud Fs (rclone jottacloud `Object`), metadata from its current revision.

import type { Readable } from 'node:stream';
import { Timestamp, hashUnsupported, jsyncError, objectNotFound } from '@jsync/core';
import type { FsObject, HashType, ObjectInfo, OpenOptions, PutOptions } from '@jsync/core';
import type { JottaFile } from '../api/types.js';
import { openFile } from '../transfer/download.js';
import { uploadFile } from '../transfer/upload.js';
import type { JottacloudFs } from './jotta-fs.js';

/** Go's zero time (0001-01-01T00:00:00Z), what rclone reports for a file without a modification time. */
export const GO_ZERO_TIME: Timestamp = Timestamp.fromSeconds(-62135596800n);

/** The metadata an object carries (from a `<file>` document or a liststream `<file>`). */
export interface ObjectMeta {
  size: number;
  md5: string;
  mimeType: string;
  created?: Timestamp | undefined;
  modified?: Timestamp | undefined;
  updated?: Timestamp | undefined;
}

/** Metadata of a file document's current revision (rclone `setMetaData`). */
export function metaOfFile(file: JottaFile): ObjectMeta {
  const r = file.currentRevision;
  return {
    size: r?.size ?? 0, md5: r?.md5 ?? '', mimeType: r?.mime ?? '',
    created: r?.created, modified: r?.modified, updated: r?.updated,
  };
}

/** A file on Jottacloud: remote path (Standard encoding, root-relative) plus its current revision's metadata. */
export class JottacloudObject implements FsObject {
  readonly isDir = false as const;
  readonly storable = true;
  private meta: ObjectMeta;

  constructor(
    readonly fs: JottacloudFs,
    readonly remote: string,
    meta: ObjectMeta,
  ) {
    this.meta = meta;
  }

  /** The remote path (rclone `String()`). */
  toString(): string {
    return this.remote;
  }

  /** Size in bytes of the current revision. */
  get size(): number {
    return this.meta.size;
  }

  /** Modification time of the current revision (1 s precision); Go's zero time when the server has none. */
  modTime(): Timestamp {
    return this.meta.modified ?? GO_ZERO_TIME;
  }

  /** Creation time as stored by the client (`created`), if known. */
  createTime(): Timestamp | undefined {
    return this.meta.created;
  }

  /** Server time of the last completed upload (`updated`), if known (not under liststream). */
  updateTime(): Timestamp | undefined {
    return this.meta.updated;
  }

  /** Lower-case MD5 of the current revision; HASH_UNSUPPORTED for other types. */
  async hash(type: HashType): Promise<string> {
    if (type !== 'md5') throw hashUnsupported(type);
    return this.meta.md5;
  }

  /** MIME type reported by the server (`""` when listed with liststream). */
  mimeType(): string {
    return this.meta.mimeType;
  }

  /** Replaces the metadata from a file document of this path (after upload, copy, cphash). */
  setMetaData(file: JottaFile): void {
    if (!this.fs.validFile(file)) throw objectNotFound(this.remote);
    this.meta = metaOfFile(file);
  }

  /**
   * Sets the modification time without uploading (`cphash` with the current size and MD5, rclone `SetModTime`);
   * if the server no longer has that content there: CANT_SET_MOD_TIME "metadata did not match" (the engine re-uploads).
   */
  async setModTime(t: Timestamp, opts: { signal?: AbortSignal } = {}): Promise<void> {
    const created = this.meta.created ?? t;
    const file = await this.fs.createOrUpdate({ remote: this.remote, created, modified: t, size: this.size, md5: this.meta.md5, signal: opts.signal });
    if (file === undefined) {
      throw jsyncError('CANT_SET_MOD_TIME', { message: 'metadata did not match', context: { remote: this.remote } });
    }
    if (this.fs.validFile(file)) this.meta = metaOfFile(file);
    // The server keeps whole seconds: keep the in-memory time equal to what a fresh listing shows.
    this.meta = { ...this.meta, modified: t.truncate(1_000_000_000n) };
  }

  /** Downloads the current revision (`?mode=bin`), honouring range/seek. */
  open(opts: OpenOptions = {}): Promise<Readable> {
    return openFile({ ctx: this.fs, remote: this.remote, size: this.size, opts });
  }

  /** Uploads new content (a new revision, or delete-then-upload with `no_versions`); metadata from the server afterwards. */
  async update(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts: PutOptions = {}): Promise<void> {
    const file = await uploadFile({ ctx: this.fs, remote: this.remote, input, src, opts, replacing: true });
    this.setMetaData(file);
  }

  /** Moves the file to the trash (`dl=true`), or deletes it permanently with `hard_delete` (`rm=true`). */
  remove(opts: { signal?: AbortSignal } = {}): Promise<void> {
    return this.fs.removeFile(this.remote, opts.signal);
  }
}
