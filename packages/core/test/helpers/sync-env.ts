// Source/destination pairs over one FakeWorld plus rclone's sync_test.go timestamps.

import { FakeFs, FakeWorld, type FakeFsOptions } from './sync-fixtures.js';

/** rclone fstest times. */
export const t1 = '2001-02-03T04:05:06.499999999Z';
export const t2 = '2011-12-25T12:59:59.123456789Z';
export const t3 = '2011-12-30T12:59:59.000000000Z';

/** A source ("local:src") and destination ("remote:dst") in one world; options per side. */
export function env(opts: { src?: FakeFsOptions; dst?: FakeFsOptions; caseInsensitive?: boolean } = {}) {
  const world = new FakeWorld(opts.caseInsensitive ?? false);
  const fsrc = new FakeFs({ name: 'local', root: 'src', world, ...opts.src });
  const fdst = new FakeFs({ name: 'remote', root: 'dst', world, ...opts.dst });
  return { world, fsrc, fdst };
}

/** A second Fs on the destination's config (same name), rooted elsewhere. */
export function sibling(of: FakeFs, root: string, opts: FakeFsOptions = {}): FakeFs {
  return new FakeFs({ name: of.name, root, world: of.world, ops: ['copy', 'move'], ...opts });
}

/** `path content` pairs of the files below an Fs root, sorted. */
export function contents(f: FakeFs): string[] {
  return f.entries().filter((e) => !e.dir).map((e) => `${e.path} ${e.content}`);
}

/** Directories below an Fs root, sorted. */
export function dirs(f: FakeFs): string[] {
  return f.entries().filter((e) => e.dir).map((e) => e.path);
}
