// Content on disk: blobs/<md5> written temp+fsync+rename, uploads/<id>.part appended in place.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ContentStore, PartWriter } from './content-store.js';

const MD5_RE = /^[0-9a-f]{32}$/;
const ID_RE = /^[A-Za-z0-9_-]+$/;

/** fsyncs a directory so a rename inside it is durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic.
  } finally {
    await fh.close();
  }
}

/** Content under a data directory. */
export class DiskContentStore implements ContentStore {
  readonly persistent = true;
  private readonly blobDir: string;
  private readonly partDir: string;

  private constructor(root: string) {
    this.blobDir = join(root, 'blobs');
    this.partDir = join(root, 'uploads');
  }

  /** Opens (creating) the store under `root`. */
  static async open(root: string): Promise<DiskContentStore> {
    const s = new DiskContentStore(root);
    await mkdir(s.blobDir, { recursive: true });
    await mkdir(s.partDir, { recursive: true });
    for (const name of await readdir(s.blobDir)) if (name.endsWith('.tmp')) await rm(join(s.blobDir, name), { force: true });
    return s;
  }

  private blob(md5: string): string {
    if (!MD5_RE.test(md5)) throw new Error(`bad blob key ${md5}`);
    return join(this.blobDir, md5);
  }

  private part(id: string): string {
    if (!ID_RE.test(id)) throw new Error(`bad upload id ${id}`);
    return join(this.partDir, `${id}.part`);
  }

  readBlob(md5: string, start: number, end: number): Readable {
    if (end <= start) return Readable.from([]);
    return createReadStream(this.blob(md5), { start, end: end - 1 });
  }

  async hasBlob(md5: string): Promise<boolean> {
    return stat(this.blob(md5)).then(() => true, () => false);
  }

  async putBlob(md5: string, data: Buffer): Promise<void> {
    const tmp = `${this.blob(md5)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.blob(md5));
    await syncDir(this.blobDir);
  }

  async deleteBlob(md5: string): Promise<void> {
    await rm(this.blob(md5), { force: true });
  }

  async listBlobs(): Promise<string[]> {
    return (await readdir(this.blobDir)).filter((n) => MD5_RE.test(n));
  }

  async partLength(id: string): Promise<number> {
    return stat(this.part(id)).then((s) => s.size, () => 0);
  }

  async openPart(id: string, start: number): Promise<PartWriter> {
    const path = this.part(id);
    const fh = await open(path, 'r+').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? open(path, 'w+') : Promise.reject(e)));
    await fh.truncate(start);
    let pos = start;
    return {
      write: async (chunk) => {
        let off = 0;
        while (off < chunk.length) {
          const { bytesWritten } = await fh.write(chunk, off, chunk.length - off, pos);
          off += bytesWritten;
          pos += bytesWritten;
        }
      },
      close: () => fh.close(),
    };
  }

  async hashPart(id: string): Promise<string> {
    const h = createHash('md5');
    for await (const chunk of createReadStream(this.part(id))) h.update(chunk as Buffer);
    return h.digest('hex');
  }

  async finalizePart(id: string, md5: string): Promise<void> {
    const fh = await open(this.part(id), 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(this.part(id), this.blob(md5));
    await syncDir(this.blobDir);
  }

  async deletePart(id: string): Promise<void> {
    await rm(this.part(id), { force: true });
  }

  async listParts(): Promise<string[]> {
    return (await readdir(this.partDir)).filter((n) => n.endsWith('.part')).map((n) => n.slice(0, -5));
  }
}
