// Content storage: blobs addressed by MD5 and partial uploads by upload id; in memory or on disk.

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/** Appends to one partial upload. */
export interface PartWriter {
  /** Appends a chunk. */
  write(chunk: Buffer): Promise<void>;
  /** Flushes and releases the part. */
  close(): Promise<void>;
}

/** Where file content lives. */
export interface ContentStore {
  /** True when content survives a restart. */
  readonly persistent: boolean;
  /** Bytes `start`..`end` (exclusive) of a blob. */
  readBlob(md5: string, start: number, end: number): Readable;
  /** True when the blob exists. */
  hasBlob(md5: string): Promise<boolean>;
  /** Stores a whole blob (used to seed content directly). */
  putBlob(md5: string, data: Buffer): Promise<void>;
  /** Deletes a blob. */
  deleteBlob(md5: string): Promise<void>;
  /** All stored blob keys. */
  listBlobs(): Promise<string[]>;
  /** Bytes received so far for an upload (0 when none). */
  partLength(id: string): Promise<number>;
  /** Opens an upload part for appending after truncating it to `start` bytes. */
  openPart(id: string, start: number): Promise<PartWriter>;
  /** MD5 of an upload part. */
  hashPart(id: string): Promise<string>;
  /** Turns a complete part into the blob `md5` (durably, before any metadata refers to it). */
  finalizePart(id: string, md5: string): Promise<void>;
  /** Drops an upload part. */
  deletePart(id: string): Promise<void>;
  /** All upload ids with parts. */
  listParts(): Promise<string[]>;
}

/** Content kept in memory (the default). */
export class MemoryContentStore implements ContentStore {
  readonly persistent = false;
  private readonly blobs = new Map<string, Buffer>();
  private readonly parts = new Map<string, Buffer[]>();

  readBlob(md5: string, start: number, end: number): Readable {
    const data = this.blobs.get(md5) ?? Buffer.alloc(0);
    const slice = data.subarray(start, end);
    const chunks: Buffer[] = [];
    for (let i = 0; i < slice.length; i += 64 * 1024) chunks.push(slice.subarray(i, i + 64 * 1024));
    return Readable.from(chunks);
  }

  async hasBlob(md5: string): Promise<boolean> {
    return this.blobs.has(md5);
  }

  async putBlob(md5: string, data: Buffer): Promise<void> {
    this.blobs.set(md5, Buffer.from(data));
  }

  async deleteBlob(md5: string): Promise<void> {
    this.blobs.delete(md5);
  }

  async listBlobs(): Promise<string[]> {
    return [...this.blobs.keys()];
  }

  async partLength(id: string): Promise<number> {
    return (this.parts.get(id) ?? []).reduce((n, b) => n + b.length, 0);
  }

  async openPart(id: string, start: number): Promise<PartWriter> {
    const old = Buffer.concat(this.parts.get(id) ?? []);
    const chunks = [old.subarray(0, start)];
    this.parts.set(id, chunks);
    return {
      write: async (chunk) => {
        if (this.parts.get(id) === chunks) chunks.push(Buffer.from(chunk));
      },
      close: async () => {},
    };
  }

  async hashPart(id: string): Promise<string> {
    const h = createHash('md5');
    for (const b of this.parts.get(id) ?? []) h.update(b);
    return h.digest('hex');
  }

  async finalizePart(id: string, md5: string): Promise<void> {
    this.blobs.set(md5, Buffer.concat(this.parts.get(id) ?? []));
    this.parts.delete(id);
  }

  async deletePart(id: string): Promise<void> {
    this.parts.delete(id);
  }

  async listParts(): Promise<string[]> {
    return [...this.parts.keys()];
  }
}
