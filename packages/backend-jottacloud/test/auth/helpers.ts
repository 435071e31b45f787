// Test helpers for auth: a logger that records, and a PersistentState over a real file with a real lock (two
// instances on one file behave like two processes sharing a config file).

import { open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Logger, LogLevel, PersistentState } from '@jsync/core';

/** A logger keeping every line. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, enabled: () => true, log: (level: LogLevel, subject: string | undefined, message: string) => void lines.push(`${level} ${subject ?? ''}: ${message}`) };
}

/** A config section stored as JSON in `file`, changed under an exclusive lock file (`<file>.lock`, O_EXCL). */
export class FilePersistentState implements PersistentState {
  /** How many update() calls wrote something. */
  writes = 0;
  constructor(readonly file: string) {}

  async read(): Promise<Record<string, string>> {
    return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, string>;
  }

  async update(fn: (current: Readonly<Record<string, string>>) => Promise<Record<string, string> | undefined>): Promise<void> {
    const lock = `${this.file}.lock`;
    const deadline = Date.now() + 20_000;
    for (;;) {
      try {
        await (await open(lock, 'wx')).close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 2));
      }
    }
    try {
      const current = await this.read();
      const changes = await fn(current);
      if (changes) {
        const tmp = `${this.file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        await writeFile(tmp, JSON.stringify({ ...current, ...changes }));
        await rename(tmp, this.file);
        this.writes++;
      }
    } finally {
      await rm(lock, { force: true });
    }
  }
}
