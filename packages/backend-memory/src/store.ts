// The bucket store behind a memory backend instance (rclone memory.go bucketsInfo / bucketInfo).

import { directoryNotEmpty, dirNotFound } from '@jsync/core';
import type { Timestamp } from '@jsync/core';

/** One stored object: content plus metadata. Replaced as a whole on update; `modTime` changes in place. */
export interface ObjectData {
  /** The content; never mutated after it is stored. */
  readonly data: Uint8Array;
  /** Modification time (SetModTime mutates it). */
  modTime: Timestamp;
  /** MIME type stored with the object. */
  readonly mimeType: string;
  /** md5 hex, computed lazily. */
  md5?: string;
}

/** A bucket: a flat map from bucket path (`dir/file`) to object data. */
export class Bucket {
  readonly objects = new Map<string, ObjectData>();
}

/** All buckets of one memory backend instance; data lives as long as this store. */
export class MemoryStore {
  private readonly buckets = new Map<string, Bucket>();

  /** The bucket called `name`, or undefined. */
  getBucket(name: string): Bucket | undefined {
    return this.buckets.get(name);
  }

  /** The bucket called `name`, created if missing. */
  makeBucket(name: string): Bucket {
    let b = this.buckets.get(name);
    if (!b) this.buckets.set(name, (b = new Bucket()));
    return b;
  }

  /** Deletes an empty bucket; DIR_NOT_FOUND if missing, DIRECTORY_NOT_EMPTY if it holds objects. */
  deleteBucket(name: string): void {
    const b = this.buckets.get(name);
    if (!b) throw dirNotFound(name);
    if (b.objects.size > 0) throw directoryNotEmpty(name);
    this.buckets.delete(name);
  }

  /** Names of all buckets (a snapshot). */
  bucketNames(): string[] {
    return [...this.buckets.keys()];
  }

  /** The object at (bucket, path), or undefined. */
  getObjectData(bucket: string, path: string): ObjectData | undefined {
    return this.buckets.get(bucket)?.objects.get(path);
  }

  /** Stores `od` at (bucket, path), creating the bucket. */
  updateObjectData(bucket: string, path: string, od: ObjectData): void {
    this.makeBucket(bucket).objects.set(path, od);
  }

  /** Removes the object at (bucket, path); true if something was removed. */
  removeObjectData(bucket: string, path: string): boolean {
    return this.buckets.get(bucket)?.objects.delete(path) ?? false;
  }
}
