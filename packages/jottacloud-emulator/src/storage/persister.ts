// Group-commit persistence: every mutation bumps a version; one writer at a time saves the newest snapshot
// atomically (temp file, fsync, rename, fsync dir) and releases everyone waiting for that version or older.

import { open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDir } from './disk-store.js';

/** File name of the metadata snapshot in the data directory. */
export const META_FILE = 'meta.json';

/** Saves snapshots of an in-memory state to `<dir>/meta.json`. */
export class Persister {
  private version = 0;
  private written = 0;
  private writing: Promise<void> | null = null;

  constructor(private readonly dir: string, private readonly snapshot: () => string) {}

  /** Reads the saved snapshot text, or undefined when none exists (a stale temp file is removed). */
  static async load(dir: string): Promise<string | undefined> {
    await rm(join(dir, `${META_FILE}.tmp`), { force: true });
    return readFile(join(dir, META_FILE), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
  }

  /** Records a mutation and resolves once a snapshot containing it is durable. */
  async commit(): Promise<void> {
    await this.ensure(++this.version);
  }

  /** Resolves once everything recorded so far is durable. */
  async flush(): Promise<void> {
    await this.ensure(this.version);
  }

  private async ensure(target: number): Promise<void> {
    while (this.written < target) {
      this.writing ??= this.writeOnce().finally(() => {
        this.writing = null;
      });
      await this.writing;
    }
  }

  private async writeOnce(): Promise<void> {
    const v = this.version;
    const text = this.snapshot();
    const tmp = join(this.dir, `${META_FILE}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(this.dir, META_FILE));
    await syncDir(this.dir);
    this.written = v;
  }
}
