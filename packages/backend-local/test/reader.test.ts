// FileReader: exact bytes for every size/offset/limit, one read for a small unchanged file, and the update check
// (size or modtime changed before or during the read) with rclone's messages.
import { randomFillSync } from 'node:crypto';
import { appendFile, open, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileReader, READ_CHUNK } from '../src/reader.js';
import type { FileReaderOptions } from '../src/reader.js';
import { readAll, removeDir, tempDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

/** Opens `p` and counts the read(2) calls made through the handle. */
async function counted(p: string): Promise<{ fh: FileHandle; reads: () => number }> {
  const fh = await open(p, 'r');
  let n = 0;
  const orig = fh.read.bind(fh) as (...a: unknown[]) => unknown;
  (fh as unknown as { read: (...a: unknown[]) => unknown }).read = (...a: unknown[]) => {
    n++;
    return orig(...a);
  };
  return { fh, reads: () => n };
}

async function checkOf(p: string): Promise<{ size: number; mtimeNs: bigint }> {
  const st = await stat(p, { bigint: true });
  return { size: Number(st.size), mtimeNs: st.mtimeNs };
}

async function read(p: string, opts: Omit<FileReaderOptions, 'check'> & { withCheck?: boolean }) {
  const { fh, reads } = await counted(p);
  const check = opts.withCheck ? await checkOf(p) : undefined;
  const data = await readAll(new FileReader(fh, { ...opts, check }));
  return { data, reads: reads() };
}

describe('FileReader', () => {
  const sizes = [0, 1, 1000, READ_CHUNK - 1, READ_CHUNK, READ_CHUNK + 1, 3 * READ_CHUNK + 5];
  for (const size of sizes) {
    it(`reads exactly the bytes asked of a ${size}-byte file, with or without a size hint and check`, async () => {
      const content = Buffer.alloc(size);
      randomFillSync(content);
      const p = join(dir, 'f');
      await writeFile(p, content);
      for (const [offset, limit] of [[0, -1], [0, 7], [3, -1], [Math.floor(size / 2), 100], [size, -1], [size + 10, -1]] as const) {
        const want = content.subarray(Math.min(offset, size), limit < 0 ? undefined : Math.min(size, offset + limit));
        for (const sizeHint of [undefined, -1, size, size + 100, Math.max(0, size - 100)]) {
          const r = await read(p, { offset, limit, sizeHint });
          expect(r.data.equals(want), `offset ${offset} limit ${limit} hint ${sizeHint}`).toBe(true);
        }
        if (offset === 0 && limit < 0) {
          const r = await read(p, { offset, limit, withCheck: true });
          expect(r.data.equals(want)).toBe(true);
          // One read per chunk, the last one short: a file below a chunk is a single read(2).
          expect(r.reads).toBe(Math.floor(size / READ_CHUNK) + 1);
        }
      }
    });
  }

  it('still reads to the real end when the size hint is too small (file grew since the stat)', async () => {
    const p = join(dir, 'g');
    await writeFile(p, 'abc');
    await appendFile(p, 'defgh');
    expect((await read(p, { offset: 0, limit: -1, sizeHint: 3 })).data.toString()).toBe('abcdefgh');
  });

  it('fails with rclone\'s message when the file changed after the stat or between reads', async () => {
    const p = join(dir, 'u');
    const content = Buffer.alloc(2 * READ_CHUNK + 10, 7);
    await writeFile(p, content);
    // grew before the read
    let check = await checkOf(p);
    await appendFile(p, 'more');
    let fh = await open(p, 'r');
    await expect(readAll(new FileReader(fh, { offset: 0, limit: -1, check }))).rejects.toThrow(
      `can't copy - source file is being updated (size changed from ${content.length} to ${content.length + 4})`);
    // shrank before the read
    await writeFile(p, content);
    check = await checkOf(p);
    await truncate(p, 5);
    fh = await open(p, 'r');
    await expect(readAll(new FileReader(fh, { offset: 0, limit: -1, check }))).rejects.toThrow(`(size changed from ${content.length} to 5)`);
    // modtime changed (same size) before the read
    await writeFile(p, content);
    check = await checkOf(p);
    await utimes(p, 1_000_000_000, 1_000_000_000);
    fh = await open(p, 'r');
    await expect(readAll(new FileReader(fh, { offset: 0, limit: -1, check }))).rejects.toThrow(
      /can't copy - source file is being updated \(mod time changed from .* to 2001-09-09 01:46:40 \+0000 UTC\)/);
    // grew between two reads
    await writeFile(p, content);
    check = await checkOf(p);
    fh = await open(p, 'r');
    const r = new FileReader(fh, { offset: 0, limit: -1, check });
    const it = r[Symbol.asyncIterator]();
    const first = await it.next();
    expect((first.value as Buffer).length).toBe(READ_CHUNK);
    await appendFile(p, 'x');
    await expect((async () => {
      for (let s = await it.next(); !s.done; s = await it.next());
    })()).rejects.toThrow("can't copy - source file is being updated (size changed");
  });
});

describe('writes into missing or blocked directories', () => {
  it('creates missing parents on demand and reports a file in the way as rclone\'s mkdir error', async () => {
    const { openLocal, srcInfo, chunks } = await import('./helpers.js');
    const { fs } = await openLocal(dir);
    const o = await fs.put(chunks('deep'), srcInfo('a/b/c/d.txt', 4));
    expect(o.size).toBe(4);
    expect((await readAll(await o.open())).toString()).toBe('deep');
    await fs.put(chunks('second'), srcInfo('a/b/c/e.txt', 6)); // parent exists now
    await writeFile(join(dir, 'blocker'), 'x');
    await expect(fs.put(chunks('z'), srcInfo('blocker/f.txt', 1))).rejects.toThrow(`mkdir ${dir}/blocker: not a directory`);
    await expect(fs.put(chunks('z'), srcInfo('blocker/g/f.txt', 1))).rejects.toThrow('not a directory');
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(join(dir, 'a/b/c'))).sort()).toEqual(['d.txt', 'e.txt']); // no .partial left behind
  });
});

describe('streamed (thread-pool) writes of big files', () => {
  it('store every byte and hash exactly what was written while the writes overlap the hashing', async () => {
    const { openLocal, srcInfo } = await import('./helpers.js');
    const { HashSet, hashBytes } = await import('@jsync/core');
    const { fs } = await openLocal(dir);
    const content = Buffer.alloc(3 * 1024 * 1024 + 5);
    randomFillSync(content);
    async function* pieces() {
      for (let off = 0; off < content.length; off += 200_000) yield content.subarray(off, off + 200_000);
    }
    const o = await fs.put(pieces(), srcInfo('big/out.bin', content.length), { hashes: new HashSet(['md5', 'sha1']) });
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(join(dir, 'big/out.bin'))).equals(content)).toBe(true);
    expect(await o.hash('md5')).toBe(hashBytes('md5', content));
    expect(await o.hash('sha1')).toBe(hashBytes('sha1', content));
    expect((await readAll(await o.open())).equals(content)).toBe(true);
  });
});
