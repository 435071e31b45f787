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
import { busyOrBlockedNs, makeSchedClock } from '../src/sched-clock.js';
import { InPlaceIo } from '../src/in-place-io.js';
import { openLocal, removeDir, tempDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await removeDir(dir);
});

const syncMode = (fs: LocalFs): boolean => fs.io.enabled;
const frozen = () => ({ wallNs: 0n, queuedNs: 0n, switches: 0 });
const useIo = (fs: LocalFs, io: InPlaceIo): void => {
  (fs as unknown as { io: InPlaceIo }).io = io;
};
const setSyncMode = (fs: LocalFs, on: boolean): void => {
  if (!on) fs.io.disable();
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
      for (const inPlace of [true, false]) {
        const { fs, logger } = await openLocal(dir, options);
        setListPageSize(fs, 70);
        useIo(fs, new InPlaceIo(frozen)); // a frozen clock: nothing looks slow, even on a busy machine
        setSyncMode(fs, inPlace);
        const p = await pages(fs);
        expect(syncMode(fs)).toBe(inPlace);
        const failure = (d: string) => pages(fs, d).then(() => 'listed', (e: Error & { code?: string }) => `${e.code}: ${e.message}`);
        results.push({ pages: p, sub: await pages(fs, 'sub'), missing: await failure('missing'), file: await failure('f000'), logs: logger.records });
      }
      const lengths = results[0]!.pages.map((p) => p.length);
      expect(lengths).toHaveLength(3); // 156 names in pages of 70; skipped names (fifo, links) leave pages short
      expect(Math.max(...lengths)).toBeLessThanOrEqual(70);
      expect(results[0]!.pages.flat().some((l) => l.startsWith('sub 4096') || l.startsWith('sub '))).toBe(true);
      expect(results[0]!.pages.flat()).toHaveLength(new Set(results[0]!.pages.flat()).size);
      expect(results[1]).toEqual(results[0]);
      expect(results[0]!.missing).toMatch(/^DIR_NOT_FOUND: /);
      expect(results[0]!.file).toBe(`IO: failed to read directory entry: readdirent ${dir}/f000: not a directory`);
    });
  }

  it('moves to the thread pool after three slow batches of lstats, and the listing stays complete', async () => {
    for (let i = 0; i < 300; i++) await writeFile(join(dir, `g${i}`), '');
    const { fs } = await openLocal(dir);
    useIo(fs, new InPlaceIo(frozen));
    const expected = (await pages(fs)).flat().sort();
    expect(syncMode(fs)).toBe(true);
    // Every reading 1 s after the previous one, switched out in between: each in-place batch of 64 looks slow.
    let now = 0n;
    let readings = 0;
    useIo(fs, new InPlaceIo(() => ({ wallNs: (now += 1_000_000_000n), queuedNs: 0n, switches: readings++ })));
    const slow = (await pages(fs)).flat().sort();
    expect(syncMode(fs)).toBe(false);
    expect(readings).toBe(8); // one long batch (suspect), three judged slow, then the rest went to the thread pool
    expect(slow).toEqual(expected);
  });

  it('lists exact multiples of the page size without an empty page', async () => {
    for (let i = 0; i < 6; i++) await writeFile(join(dir, `h${i}`), '');
    const { fs } = await openLocal(dir);
    setListPageSize(fs, 3);
    expect((await pages(fs)).map((p) => p.length)).toEqual([3, 3]);
  });
});

describe('makeSchedClock', () => {
  it.runIf(existsSync('/proc/thread-self/schedstat'))('sees sleeping as time off the CPU, and computing without a switch as nothing', () => {
    const clock = makeSchedClock()!;
    const a = clock();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30); // asleep ~30 ms
    const b = clock();
    expect(b.switches).toBeGreaterThan(a.switches);
    expect(Number(busyOrBlockedNs(a, b)) / 1e6).toBeGreaterThan(20);
    expect(busyOrBlockedNs(b, { ...b, wallNs: b.wallNs + 5_000_000n })).toBe(0n); // no switch: not blocked
    // Preempted: all of the extra wall time was run-queue wait.
    expect(busyOrBlockedNs(b, { wallNs: b.wallNs + 9_000_000n, queuedNs: b.queuedNs + 9_000_000n, switches: b.switches + 1 })).toBe(0n);
  });
});

describe('InPlaceIo', () => {
  /** Readings for a sequence of runs: each run consumes a (before, after) pair of readings. */
  const clockOf = (steps: Array<{ wall: bigint; queued?: bigint; switched: boolean }>) => {
    let wallNs = 0n;
    let queuedNs = 0n;
    let switches = 0;
    let i = 0;
    return () => {
      const s = steps[Math.floor(i++ / 2)] ?? { wall: 0n, switched: false };
      if (i % 2 === 0) {
        wallNs += s.wall;
        queuedNs += s.queued ?? 0n;
        if (s.switched) switches++;
      }
      return { wallNs, queuedNs, switches };
    };
  };

  it('switches only after three runs in a row that were switched out and long beyond their queue wait', () => {
    const slow = { wall: 2_000_000n, switched: true };
    const io = new InPlaceIo(clockOf([
      slow, // long by wall clock: only makes the next runs be judged by the scheduler stats
      slow, slow,
      { wall: 900_000n, switched: true }, // short (below the 1 ms floor): resets, no longer suspect
      slow, // suspect again
      slow,
      { wall: 5_000_000n, switched: false }, // long but never switched out (computing): resets
      slow, // suspect again
      slow,
      { wall: 5_000_000n, queued: 4_990_000n, switched: true }, // preempted on a busy machine: resets
      slow, // suspect
      slow, slow, slow,
    ]));
    for (let r = 0; r < 13; r++) io.run(1, () => 0);
    expect(io.enabled).toBe(true);
    expect(io.run(1, () => 42)).toBe(42);
    expect(io.enabled).toBe(false);
  });

  it('reads the scheduler stats only while suspicious', () => {
    let schedReads = 0;
    let wall = 0n;
    let step = 0n;
    const io = new InPlaceIo(() => {
      schedReads++;
      return { wallNs: (wall += step), queuedNs: 0n, switches: schedReads };
    }, () => (wall += step));
    for (let i = 0; i < 100; i++) io.run(1, () => 0); // fast: wall clock only
    expect(schedReads).toBe(0);
    step = 10_000_000n;
    io.run(1, () => 0); // long: suspect
    expect(schedReads).toBe(0);
    io.run(1, () => 0); // judged by schedstat: slow #1
    io.run(1, () => 0); // #2
    expect(schedReads).toBe(4);
    expect(io.enabled).toBe(true);
    io.run(1, () => 0); // #3
    expect(io.enabled).toBe(false);
  });
});
