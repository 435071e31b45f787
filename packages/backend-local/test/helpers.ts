// Test helpers for the local backend: temp dirs, a recording logger, a static upload source and readers.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { HashSet, Timestamp, fillFeatures } from '@jsync/core';
import type { Fs, HashType, Info, LogLevel, Logger, ObjectInfo } from '@jsync/core';
import { localBackend } from '../src/index.js';
import type { LocalFs, LocalOptions } from '../src/index.js';

/** One recorded log call. */
export interface LogRecord {
  level: LogLevel;
  subject: string | undefined;
  message: string;
}

/** A logger that keeps every message. */
export class RecordingLogger implements Logger {
  readonly records: LogRecord[] = [];
  log(level: LogLevel, subject: string | undefined, message: string): void {
    this.records.push({ level, subject, message });
  }
  enabled(): boolean {
    return true;
  }
  messages(level?: LogLevel): string[] {
    return this.records.filter((r) => level === undefined || r.level === level).map((r) => r.message);
  }
}

/** A fresh temporary directory; call the returned cleanup afterwards. */
export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'jsync-local-test-'));
}

/** Removes a temp dir. */
export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Opens a local Fs at `root` with options; returns the Fs, whether the root was a file, and the logger. */
export async function openLocal(root: string, options: LocalOptions = {}): Promise<{ fs: LocalFs; isFile: boolean; logger: RecordingLogger }> {
  const logger = new RecordingLogger();
  const r = await localBackend.newFs({ name: 'local', root, options, rawOptions: {}, logger, global: {} });
  return { fs: r.fs as LocalFs, isFile: r.isFile, logger };
}

const sourceInfo: Info = Object.freeze({
  name: 'src', root: '', precision: 1n, hashes: HashSet.none(), features: fillFeatures({}), toString: () => 'test source',
});

/** An upload source with fixed remote/size/modtime, optionally with known hashes from a cheap-hash Fs. */
export function srcInfo(remote: string, size: number, modTime = Timestamp.parse('2001-02-03T04:05:06.499999999Z'), hashes?: Partial<Record<HashType, string>>): ObjectInfo {
  const fs: Info = hashes
    ? { ...sourceInfo, hashes: new HashSet(Object.keys(hashes) as HashType[]), features: fillFeatures({}, { flags: { slowHash: false } }) }
    : sourceInfo;
  return {
    isDir: false, remote, size, storable: true, fs,
    modTime: () => modTime,
    hash: async (t: HashType) => hashes?.[t] ?? '',
    toString: () => remote,
  };
}

/** An async iterable of the given chunks. */
export async function* chunks(...parts: (string | Uint8Array)[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

/** Reads a stream fully. */
export async function readAll(r: Readable): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of r) out.push(c as Buffer);
  return Buffer.concat(out);
}

/** Every entry of every page of `fs.list(dir)` as sorted remotes (dirs with a trailing slash). */
export async function listNames(fs: Fs, dir = ''): Promise<string[]> {
  const out: string[] = [];
  for await (const page of fs.list(dir)) for (const e of page) out.push(e.isDir ? `${e.remote}/` : e.remote);
  return out.sort();
}
