// Root handling and optional features: FsIsFile*, FromRoot, PublicLink, ObjectAbout, Internal and contract gaps.

import { expect } from 'vitest';
import type { TestContext } from 'vitest';
import { Timestamp, listEntries, parentOf } from '@jsync/core';
import type { FsObject } from '@jsync/core';
import { rejectionOf } from '../assertions.js';
import { skipCase } from '../harness.js';
import type { Harness } from '../harness.js';
import { checkListing, compareItems, putTestObject } from '../items.js';
import type { Item } from '../items.js';
import { purge } from '../ops.js';

const isSkippableShareError = (err: unknown) => {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'CANT_SHARE_DIRECTORIES' || code === 'OBJECT_NOT_FOUND';
};

/** FsIsFile, FsIsFileNotFound. */
export function registerIsFile(h: Harness): void {
  h.case('FsIsFile', async () => {
    const res = await h.newFs(`${h.testRoot}/${h.file2.path}`);
    expect(res.isFile, 'a root naming a file must report isFile').toBe(true);
    await checkListing(res.fs, [{ ...h.file2, path: 'z.txt' }]);
  }, 'putFiles');
  h.case('FsIsFileNotFound', async () => {
    const res = await h.newFs(`${h.testRoot}/not found.txt`);
    expect(res.isFile).toBe(false);
    await checkListing(res.fs, []);
  }, 'putFiles');
}

/** FromRoot: List, ListEntries, ListR, Put, Remove through an Fs at the backend root. */
export function registerFromRoot(h: Harness): void {
  h.group('FromRoot', () => {
    const leaf = () => h.testRoot;
    const rooted = (i: Item): Item => ({ ...i, path: `${leaf()}/${i.path}` });
    const dirs = () => {
      const out: string[] = [];
      for (let d = parentOf(h.file2.path); d !== ''; d = parentOf(d)) out.push(`${leaf()}/${d}`);
      return out;
    };
    const rootFs = async (t: TestContext) => {
      const features = h.fs.features;
      if (features.bucketBased && !features.bucketBasedRootOK) skipCase(t, "Can't list from root on this remote");
      return (await h.newFs('')).fs;
    };
    let created: FsObject | undefined;
    h.case('List', async (t) => {
      const root = await rootFs(t);
      await checkListing(root, [rooted(h.file1), rooted(h.file2)], { root: leaf(), dirs: dirs(), precision: root.precision });
    }, 'putFiles');
    h.case('ListEntries', async (t) => {
      const root = await rootFs(t);
      const entries = await listEntries(root, leaf());
      await compareItems(entries, [rooted(h.file1)], { dirs: dirs().slice(-1), precision: root.precision, what: 'ListEntries' });
    }, 'putFiles');
    h.case('ListR', async (t) => {
      const root = await rootFs(t);
      const listR = root.features.listR;
      if (!listR) skipCase(t, 'FS has no ListR interface');
      const want = new Set([rooted(h.file1).path, rooted(h.file2).path]);
      const stop = Date.now() + 10_000;
      let tooMany = false;
      outer: for await (const page of listR('')) {
        for (const e of page) want.delete(e.remote);
        if (want.size === 0) break outer;
        if (Date.now() > stop) {
          tooMany = true;
          break;
        }
      }
      if (!tooMany) expect([...want], 'not found via ListR from the root').toEqual([]);
    }, 'putFiles');
    h.case('Put', async (t) => {
      const root = await rootFs(t);
      const put = await putTestObject(root, { path: `${leaf()}/created from root.txt`, modTime: Timestamp.now() }, 'created from root');
      created = put.obj;
      await checkListing(root, [rooted(h.file1), rooted(h.file2), put.item], { root: leaf(), precision: root.precision });
    }, 'putFiles');
    h.case('Remove', async (t) => {
      const root = await rootFs(t);
      if (!created) skipCase(t, 'Put failed');
      await created.remove();
      await checkListing(root, [rooted(h.file1), rooted(h.file2)], { root: leaf(), precision: root.precision });
    }, 'putFiles');
  });
}

/** PublicLink: errors for missing files, distinct stable links, directories where supported. */
export function registerPublicLink(h: Harness): void {
  h.case('PublicLink', async (t) => {
    const f = h.fs;
    const link = f.features.publicLink;
    if (!link) skipCase(t, 'FS has no PublicLinker interface');
    const expireMs = 60_000;
    await rejectionOf(link(h.file1.path + '_does_not_exist', { expireMs }));
    const link1 = await link(h.file1.path, { expireMs });
    const link2 = await link(h.file2.path, { expireMs });
    expect(link1).not.toBe('');
    expect(link2).not.toBe('');
    expect(link1, 'links to different files should differ').not.toBe(link2);
    expect(await link(h.file1.path, { expireMs })).not.toBe('');
    const dir = parentOf(h.file2.path);
    let link3: string;
    try {
      link3 = await link(dir, { expireMs });
    } catch (err) {
      if (isSkippableShareError(err)) return; // directories cannot be shared on this backend
      throw err;
    }
    expect(link3).not.toBe('');
    expect(await link(dir, { expireMs })).not.toBe('');
    const { fs: sub } = await h.newFs(h.randomRoot());
    await putTestObject(sub, { path: 'somefile', modTime: Timestamp.now() }, 'somecontent', { check: false });
    expect(await sub.features.publicLink!('', { expireMs }), 'sharing root in a sub-remote should work').not.toBe('');
    await purge(sub, '').catch(() => {});
  }, 'putFiles');
}

/** ObjectAbout: About returns a usage record. */
export function registerAbout(h: Harness): void {
  h.case('ObjectAbout', async (t) => {
    const about = h.fs.features.about;
    if (!about) skipCase(t, 'FS does not support About');
    const usage = await about();
    expect(typeof usage).toBe('object');
    for (const v of Object.values(usage)) if (v !== undefined) expect(v).toBeGreaterThanOrEqual(0);
  }, 'putFiles');
}

/** Internal: the backend's private cases inside the fixture (rclone InternalTester). */
export function registerInternal(h: Harness): void {
  const internal = h.opts.internal;
  if (internal === undefined) h.unsupported('Internal', 'the backend registers no internal cases');
  else h.group('Internal', () => internal(h));
}
