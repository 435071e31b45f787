// The rclone fstests port run against the jottacloud backend talking to an in-process emulator (plain URL, no proxy).

import { afterAll, expect, it } from 'vitest';
import { runBackendConformance } from '@jsync/testkit';
import { setListPageSize } from '../../src/index.js';
import { collect, startJotta } from './helpers.js';

const h = await startJotta({ capacity: 1 << 30 });
afterAll(() => h.stop());

runBackendConformance({
  name: 'jottacloud',
  remoteName: 'jc',
  newFs: (root) => h.open(root),
  setListPageSize,
  internal: (ctx) => {
    it('stores the fixture files on the server with their sizes and whole-second modtimes', async () => {
      expect(ctx.files.length).toBeGreaterThan(0);
      for (const item of ctx.files) {
        const o = await ctx.fs.newObject(item.path);
        expect(o.size).toBe(item.size);
        expect(o.modTime().equals(item.modTime.truncate(1_000_000_000n))).toBe(true);
      }
    });

    it('lists the same files with list and listR (liststream)', async () => {
      const listR = ctx.fs.features.listR;
      if (!listR) throw new Error('listR missing');
      const viaListR = (await collect(listR('')))
        .filter((e) => !e.isDir)
        .map((e) => e.remote)
        .sort();
      expect(viaListR).toEqual(ctx.files.map((f) => f.path).sort());
    });
  },
});
