// The rclone fstests port run against the local backend, rooted in a fresh temporary directory.

import { mkdtempSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runBackendConformance, newFsFromDefinition } from '@jsync/testkit';
import { localBackend, setListPageSize } from '../src/index.js';

/** The suite's "backend root": every root it asks for lives below this directory. */
const base = mkdtempSync(join(tmpdir(), 'jsync-local-conformance-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const open = newFsFromDefinition(localBackend, { name: 'local', options: {} });

runBackendConformance({
  name: 'local',
  newFs: (root) => open(join(base, root)),
  remoteName: 'local',
  expectedRoot: (root) => join(base, root),
  setListPageSize,
  internal: (ctx) => {
    it('stores the fixture files on disk with their exact sizes and nanosecond modtimes, and no leftovers', async () => {
      const root = join(base, ctx.testRoot);
      expect(ctx.files.length).toBeGreaterThan(0);
      for (const item of ctx.files) {
        const st = await stat(join(root, item.path), { bigint: true });
        expect(Number(st.size)).toBe(item.size);
        const dt = st.mtimeNs - item.modTime.ns;
        expect(dt < 0n ? -dt : dt).toBeLessThan(ctx.fs.precision);
      }
      const all = await readdir(root, { recursive: true });
      expect(all.filter((n) => n.endsWith('.partial'))).toEqual([]);
    });
  },
});
