// The Fs / Object / Directory model (rclone fs/types.go); optional capabilities live in features.ts.

import type { Readable } from 'node:stream';
import type { HashSet, HashType } from '../hash/hash-type.js';
import type { Timestamp } from '../modtime/timestamp.js';
import type { Features } from './features.js';

/** Read-only description of an Fs (rclone `fs.Info`). */
export interface Info {
  /** Config name as used to create it (`myjotta`, `:memory`, `local`), plus any `{xxxxx}` override suffix. */
  readonly name: string;
  /** Root inside the backend, cleaned, no trailing slash (local: absolute OS path). */
  readonly root: string;
  /** Modtime resolution in ns; MODTIME_NOT_SUPPORTED when modtimes mean nothing. */
  readonly precision: bigint;
  /** Hash types this Fs returns cheaply. */
  readonly hashes: HashSet;
  /** Capability record, filled once by `fillFeatures`. */
  readonly features: Features;
  /** Log subject, e.g. `Local file system at /data` or `Memory root 'bucket'`. */
  toString(): string;
}

/** Common supertype of objects and directories (rclone `fs.DirEntry`). */
interface DirEntryBase {
  /** Path relative to the Fs root in Standard encoding, no leading/trailing slash. */
  readonly remote: string;
  /** Size in bytes, -1 when unknown (directories usually -1). */
  readonly size: number;
  /** Modification time; a best guess (now) when unknown. */
  modTime(): Timestamp;
  /** The remote path (rclone `String()`). */
  toString(): string;
}

/** Read-only description of a file, e.g. the source of an upload (rclone `fs.ObjectInfo`). */
export interface ObjectInfo extends DirEntryBase {
  readonly isDir: false;
  /** The Fs it belongs to (used to pick common hashes and precision). */
  readonly fs: Info;
  /** Whether the engine may copy it (false for special files). */
  readonly storable: boolean;
  /** Lower-case hex digest, `""` if unknown for this object; throws HASH_UNSUPPORTED for an unsupported type. */
  hash(type: HashType, opts?: { signal?: AbortSignal }): Promise<string>;
  /** MIME type when the backend knows it (ReadMimeType). */
  mimeType?(): string;
}

/** A file in an Fs (rclone `fs.Object`). */
export interface FsObject extends ObjectInfo {
  readonly fs: Fs;
  /** Sets the stored modtime; throws CANT_SET_MOD_TIME or CANT_SET_MOD_TIME_WITHOUT_DELETE when impossible. */
  setModTime(t: Timestamp, opts?: { signal?: AbortSignal }): Promise<void>;
  /** Opens the content honouring range/seek; the caller must consume or destroy the stream. */
  open(opts?: OpenOptions): Promise<Readable>;
  /** Replaces content and modtime from `src`; this object reflects the new size/hash/modtime afterwards. */
  update(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts?: PutOptions): Promise<void>;
  /** Deletes the object; missing → OBJECT_NOT_FOUND or a backend error. */
  remove(opts?: { signal?: AbortSignal }): Promise<void>;
  /** Backend ID, when the backend has one. */
  id?(): string;
}

/** A directory entry returned by listings (rclone `fs.Directory`). */
export interface Directory extends DirEntryBase {
  readonly isDir: true;
  /** Number of entries, -1 when unknown. */
  readonly items: number;
  /** Backend ID or `""`. */
  readonly id: string;
  /** True for buckets of bucket-based backends (lsjson `IsBucket`). */
  readonly isBucket?: boolean;
}

/** What a listing yields: an object or a directory. */
export type DirEntry = FsObject | Directory;

/** One byte range, `end` inclusive, -1 = absent (rclone `RangeOption`). */
export interface ByteRange {
  start: number;
  end: number;
}

/** Options for {@link FsObject.open}. */
export interface OpenOptions {
  /** Read one byte range: `{5,15}`, `{80,-1}` (to EOF), `{-1,20}` (last 20 bytes). */
  range?: ByteRange;
  /** Read from this offset to EOF (rclone `SeekOption`). */
  seek?: number;
  signal?: AbortSignal;
}

/** Options for put/update. */
export interface PutOptions {
  /** Hash types the engine wants computed while uploading (rclone `HashesOption`). */
  hashes?: HashSet;
  /** MIME type to store, where the backend can. */
  mimeType?: string;
  signal?: AbortSignal;
}

/** Options for listings. */
export interface ListOptions {
  signal?: AbortSignal;
}

/** Quota record from `about`; absent fields are unknown (rclone `fs.Usage`). */
export interface Usage {
  total?: number;
  used?: number;
  trashed?: number;
  other?: number;
  free?: number;
  objects?: number;
}

/** A configured backend instance bound to a name and a root (rclone `fs.Fs`). */
export interface Fs extends Info {
  /**
   * Lists the entries directly inside `dir` (`""` = root) as pages in any order; entry remotes are full
   * paths (`dir/leaf`). Throws DIR_NOT_FOUND for a missing directory; `break` releases resources.
   */
  list(dir: string, opts?: ListOptions): AsyncIterable<readonly DirEntry[]>;
  /** The object at `remote`; OBJECT_NOT_FOUND when missing (also for missing parents), IS_DIR when cheap to tell. */
  newObject(remote: string, opts?: { signal?: AbortSignal }): Promise<FsObject>;
  /**
   * Uploads a new object named/sized/dated from `src`, creating parents. `src.size` −1 must upload correctly
   * or throw. On failure nothing partial may remain under the name.
   */
  put(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts?: PutOptions): Promise<FsObject>;
  /** Creates `dir` and its parents; existing is fine. */
  mkdir(dir: string, opts?: { signal?: AbortSignal }): Promise<void>;
  /** Removes `dir` only if empty; missing → DIR_NOT_FOUND, non-empty → DIRECTORY_NOT_EMPTY (or backend error). */
  rmdir(dir: string, opts?: { signal?: AbortSignal }): Promise<void>;
}

/** What a backend's `newFs` returns: the Fs, and whether the root named a file (Fs rooted at its parent). */
export interface NewFsResult {
  fs: Fs;
  /** True when the requested root is an existing file: `fs` is rooted at the parent and lists only that file. */
  isFile: boolean;
}
