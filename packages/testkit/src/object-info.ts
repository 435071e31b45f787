// A static ObjectInfo for upload sources (rclone object.NewStaticObjectInfo), plus its placeholder Fs info.

import { HashSet, fillFeatures, hashUnsupported } from '@jsync/core';
import type { HashType, Info, ObjectInfo, Timestamp } from '@jsync/core';
import type { HashSums } from './hashes.js';

/** Constructor options of {@link StaticObjectInfo}. */
export interface StaticObjectInfoOptions {
  /** Remote path the upload is stored under. */
  remote: string;
  /** Modification time to store. */
  modTime: Timestamp;
  /** Size in bytes, -1 for unknown (streamed uploads). */
  size: number;
  /** @default true */
  storable?: boolean;
  /** Known digests; absent means every `hash()` call throws HASH_UNSUPPORTED (as rclone with nil hashes). */
  hashes?: HashSums;
  /** The Fs the info claims to belong to. @default {@link staticInfo} */
  fs?: Info;
  /** MIME type reported by `mimeType()`; `""` = none. @default '' */
  mimeType?: string;
}

/** Placeholder Fs info for sources that do not come from an Fs (rclone `object.MemoryFs`). */
export const staticInfo: Info = Object.freeze({
  name: 'static',
  root: '',
  precision: 1n,
  hashes: HashSet.none(),
  features: fillFeatures({}),
  toString: () => 'static object info',
});

/** A read-only object description with fixed fields, used as the `src` of put/update. */
export class StaticObjectInfo implements ObjectInfo {
  readonly isDir = false as const;
  readonly remote: string;
  readonly size: number;
  readonly storable: boolean;
  readonly fs: Info;
  private readonly time: Timestamp;
  private readonly sums: HashSums | undefined;
  private readonly mime: string;

  constructor(opts: StaticObjectInfoOptions) {
    this.remote = opts.remote;
    this.size = opts.size;
    this.time = opts.modTime;
    this.storable = opts.storable ?? true;
    this.sums = opts.hashes;
    this.fs = opts.fs ?? staticInfo;
    this.mime = opts.mimeType ?? '';
  }

  modTime(): Timestamp {
    return this.time;
  }

  /** The digest given at construction, `""` if that type is unknown; HASH_UNSUPPORTED without any hashes. */
  async hash(type: HashType): Promise<string> {
    if (this.sums === undefined) throw hashUnsupported(type);
    return this.sums[type] ?? '';
  }

  /** The MIME type given at construction or `""`. */
  mimeType(): string {
    return this.mime;
  }

  toString(): string {
    return this.remote;
  }
}
