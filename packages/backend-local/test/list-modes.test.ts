// The local listing stats names in place while the file system is fast and moves to the thread pool once it is slow:
// both ways must list exactly the same entries, notices and errors.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DirEntry } from '@jsync/core';
import { setListPageSize } from '../src/index.js';
import type { LocalFs, LocalOptions } from '../src/index.js';
import { makeBlockedClock } from '../src/blocked-clock.js';
import { openLocal, removeDir, tempDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await removeDir(dir);
});

const syncMode = (fs: LocalFs): boolean => (fs as unknown as { syncListing: boolean }).syncListing;
const setSyncMode = (fs: LocalFs, on: boolean): void => {
  (fs as unknown as { syncListing: boolean }).syncListing = on;
};

/** Every page of `dir` as "remote size modtime kind" lines, in listing order. */
async function pages(fs: LocalFs, d = ''): Promise<string[][]> {
  const out: string[][] = [];
  for await (const page of fs.list(d)) {
    out.push(page.map((e: DirEntry) => `${e.remote} ${e.size} ${e.modTime().toString()} ${e.isDir ? 'dir' : 'obj'}`));
  }
  return out;
}

async function tree(): Promise<void> {
  for (let i = 0; i < 150; i++) await writeFile(join(dir, `f${String(i).padStart(3, '0')}`), 'x'.repeat(i));
  await mkdir(join(dir, 'sub'));
  await writeFile(join(dir, 'sub', 'inner'), 'inner');
  await symlink('f001', join(dir, 'link'));
  await symlink('nowhere', join(dir, 'dangling'));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  await writeFile(Buffer.concat([Buffer.from(dir + '/'), Buffer.from([0x62, 0xff, 0x2e, 0x74])]), 'bad utf8 name');
}

describe('local listing modes', () => {
  for (const options of [{}, { links: true }, { copy_links: true }, { skip_links: true }] as LocalOptions[]) {
    it(`in place and via the thread pool give the same pages, notices and errors (${JSON.stringify(options)})`, async () => {
      await tree();
      const results = [];
      // A frozen clock: no batch looks slow, so the in-place run stays in place even on a busy machine.
      vi.spyOn(process.hrtime, 'bigint').mockReturnValue(0n);
      for (const inPlace of [true, false]) {
        const { fs, logger } = await openLocal(dir, options);
        setListPageSize(fs, 70);
        setSyncMode(fs, inPlace);
        const p = await pages(fs);
        expect(syncMode(fs)).toBe(inPlace);
        results.push({ pages: p, sub: await pages(fs, 'sub'), logs: logger.records });
      }
      const lengths = results[0]!.pages.map((p) => p.length);
      expect(lengths).toHaveLength(3); // 156 names in pages of 70; skipped names (fifo, links) leave pages short
      expect(Math.max(...lengths)).toBeLessThanOrEqual(70);
      expect(results[0]!.pages.flat().some((l) => l.startsWith('sub 4096') || l.startsWith('sub '))).toBe(true);
      expect(results[0]!.pages.flat()).toHaveLength(new Set(results[0]!.pages.flat()).size);
      expect(results[1]).toEqual(results[0]);
    });
  }

  it('moves to the thread pool after three slow batches of lstats, and the listing stays complete', async () => {
    for (let i = 0; i < 300; i++) await writeFile(join(dir, `g${i}`), '');
    const { fs } = await openLocal(dir);
    const clock = vi.spyOn(process.hrtime, 'bigint').mockReturnValue(0n);
    const expected = (await pages(fs)).flat().sort();
    expect(syncMode(fs)).toBe(true);
    // Every reading 10 ms after the previous one: each in-place batch of 64 looks slow (> 50 µs per lstat).
    let now = 0n;
    let readings = 0;
    clock.mockImplementation(() => {
      readings++;
      return (now += 10_000_000n);
    });
    const slow = (await pages(fs)).flat().sort();
    expect(syncMode(fs)).toBe(false);
    expect(readings).toBe(6); // three timed batches, then the rest of the page went to the thread pool
    expect(slow).toEqual(expected);
  });

  it('lists exact multiples of the page size without an empty page', async () => {
    for (let i = 0; i < 6; i++) await writeFile(join(dir, `h${i}`), '');
    const { fs } = await openLocal(dir);
    setListPageSize(fs, 3);
    expect((await pages(fs)).map((p) => p.length)).toEqual([3, 3]);
  });
});

describe('makeBlockedClock', () => {
  it.runIf(existsSync('/proc/thread-self/schedstat'))('counts sleeping, not computing (even on a busy machine)', () => {
    const clock = makeBlockedClock();
    const a = clock();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 40); // blocked ~40 ms
    const b = clock();
    const end = process.hrtime.bigint() + 40_000_000n;
    let x = 0;
    while (process.hrtime.bigint() < end) x++; // on a CPU (or queued for one) for 40 ms
    const c = clock();
    expect(x).toBeGreaterThan(0);
    expect(Number(b - a) / 1e6).toBeGreaterThan(30);
    expect(Number(c - b) / 1e6).toBeLessThan(15);
  });
});
