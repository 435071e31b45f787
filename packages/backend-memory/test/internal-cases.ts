// Memory backend cases that run inside the conformance fixture (rclone memory_internal_test.go InternalTest).

import { expect, it } from 'vitest';
import { Timestamp, listEntries } from '@jsync/core';
import type { Fs } from '@jsync/core';
import { checkListing, putTestObject, purge } from '@jsync/testkit';
import type { InternalContext } from '@jsync/testkit';

/** PurgeListDeadlock: a fallback purge removes objects while their listing is still being paged. */
export function registerMemoryInternalCases(ctx: InternalContext): void {
  it('PurgeListDeadlock', async () => {
    const { fs } = await ctx.newFs(ctx.randomRoot());
    await fs.mkdir('');
    const t1 = Timestamp.parse('2001-02-03T04:05:06.499999999Z');
    for (let i = 0; i < 100; i++) await putTestObject(fs, { path: `file${i}.txt`, modTime: t1 }, 'hello', { check: false });
    expect(fs.features.purge).toBeUndefined(); // memory has no Purge: this is the fallback path
    await purge(fs, '');
    await checkListing(fs, []);
  });

  it('RemoveWhileListing', async () => {
    const { fs } = await ctx.newFs(ctx.randomRoot());
    const t1 = Timestamp.parse('2001-02-03T04:05:06.499999999Z');
    for (let i = 0; i < 9; i++) await putTestObject(fs, { path: `d/f${i}`, modTime: t1 }, String(i), { check: false });
    let seen = 0;
    for await (const page of fs.list('d')) {
      for (const e of page) {
        seen++;
        if (!e.isDir) await e.remove();
      }
      // Objects added mid-listing are not part of this (snapshot) listing.
      await putTestObject(fs, { path: `e/late${seen}`, modTime: t1 }, 'late', { check: false });
    }
    expect(seen).toBe(9);
    expect(await listEntries(fs, 'd')).toEqual([]);
    await purge(fs, '');
  });

  it('InternalTestFiles', async () => {
    // The fixture's files are visible through a second Fs on the same store.
    const { fs } = await ctx.newFs(ctx.testRoot);
    await checkListing(fs as Fs, ctx.files);
    expect(ctx.files.length).toBeGreaterThan(0);
  });
}
