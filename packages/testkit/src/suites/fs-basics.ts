// Fs identity and lifecycle cases: FsCommand … FsRmdirEmpty, FsMkdir, FsPrecision, FsRootCollapse, teardown, FsShutdown.

import { expect } from 'vitest';
import { MODTIME_NOT_SUPPORTED, SECOND_NS, isJsyncError } from '@jsync/core';
import { expectJsyncError, rejectionOf } from '../assertions.js';
import { skipCase } from '../harness.js';
import type { Harness } from '../harness.js';
import { checkListing } from '../items.js';
import { purge } from '../ops.js';

/** rclone `removeConfigID`: drops a `{xxxxx}` override suffix from a remote name. */
export function removeConfigId(name: string): string {
  const bra = name.indexOf('{');
  const ket = name.indexOf('}');
  return bra >= 0 && ket > bra ? name.slice(0, bra) + name.slice(ket + 1) : name;
}

/** Cases before the test root exists: FsCheckWrap, FsCommand, FsRmdirNotFound. */
export function registerPreSetup(h: Harness): void {
  h.unsupported('FsCheckWrap', 'jsync has no wrapping backends (no UnWrap feature)');
  h.case('FsCommand', async (t) => {
    const command = h.fs.features.command;
    if (!command) skipCase(t, 'no commands in this remote');
    await expectJsyncError(command('NOTFOUND', [], {}), 'COMMAND_NOT_FOUND');
  });
  h.case('FsRmdirNotFound', async (t) => {
    if (h.isBucketBasedButNotRoot()) skipCase(t, 'non root bucket-based remote');
    await rejectionOf(h.fs.rmdir(''));
  });
}

/** Setup (Mkdir root, empty listing) then FsString, FsName, FsRoot, FsRmdirEmpty. */
export function registerSetup(h: Harness): void {
  h.case('Setup', async () => {
    await h.fs.mkdir('');
    await checkListing(h.fs, []);
    h.setStage('mkdir', true);
  });
  h.case('FsString', () => {
    expect(h.fs.toString()).not.toBe('');
  }, 'mkdir');
  if (h.opts.remoteName === undefined) h.unsupported('FsName', 'no remoteName option given');
  else {
    h.case('FsName', () => {
      expect(removeConfigId(h.fs.name)).toBe(h.opts.remoteName);
    }, 'mkdir');
  }
  h.case('FsRoot', () => {
    const want = h.opts.expectedRoot ? h.opts.expectedRoot(h.testRoot) : h.testRoot.replace(/^\/+|\/+$/g, '');
    expect(h.fs.root).toBe(want);
  }, 'mkdir');
  h.case('FsRmdirEmpty', async () => {
    await h.fs.rmdir('');
  }, 'mkdir');
}

/** The FsMkdir body (Mkdir twice, listing empty) and FsMkdirRmdirSubdir. */
export function registerMkdir(h: Harness): void {
  h.case('FsMkdir', async () => {
    h.setStage('mkdir', false);
    await h.fs.mkdir('');
    await checkListing(h.fs, []);
    await h.fs.mkdir('');
    h.setStage('mkdir', true);
  });
  h.case('FsMkdirRmdirSubdir', async () => {
    const f = h.fs;
    await f.mkdir('dir/subdir');
    await checkListing(f, [], { dirs: ['dir', 'dir/subdir'] });
    await f.rmdir('dir/subdir');
    await checkListing(f, [], { dirs: ['dir'] });
    await f.rmdir('dir');
    await checkListing(f, [], { dirs: [] });
  }, 'mkdir');
}

/** FsPrecision: in (0, 1s] or ModTimeNotSupported. */
export function registerPrecision(h: Harness): void {
  h.case('FsPrecision', () => {
    const p = h.fs.precision;
    if (p === MODTIME_NOT_SUPPORTED) return;
    expect(p > 0n && p <= SECOND_NS, `precision out of range ${p}ns`).toBe(true);
  }, 'putFiles');
}

/** FsRootCollapse: a deep non-existent root must not collapse to the backend root. */
export function registerRootCollapse(h: Harness): void {
  h.case('FsRootCollapse', async () => {
    const deep = await h.newFs(`${h.testRoot}/deeper/nonexisting/directory`);
    expect(deep.isFile).toBe(false);
    const firstDir = h.testRoot.split('/')[0]!;
    await expectJsyncError(deep.fs.newObject(firstDir), 'OBJECT_NOT_FOUND');
  }, 'mkdir');
}

/** Teardown: purge the root, listing empty; a second purge errors unless bucket based below bucket level. */
export function registerTeardown(h: Harness): void {
  h.case('TeardownPurge', async () => {
    try {
      await purge(h.fs, '');
    } catch (err) {
      if (!isJsyncError(err, 'DIR_NOT_FOUND')) throw err;
    }
    h.purged = true;
    await checkListing(h.fs, []);
    if (!h.isBucketBasedButNotRoot()) {
      const err = await rejectionOf(purge(h.fs, ''));
      if (!isJsyncError(err, 'DIR_NOT_FOUND')) console.warn(`${h.fs}: second purge should produce DIR_NOT_FOUND, got ${String(err)}`);
    }
  });
}

/** FsShutdown: callable twice. */
export function registerShutdown(h: Harness): void {
  h.case('FsShutdown', async (t) => {
    const shutdown = h.fs.features.shutdown;
    if (!shutdown) skipCase(t, 'Shutdown method not supported');
    await shutdown();
    await shutdown();
  });
}
