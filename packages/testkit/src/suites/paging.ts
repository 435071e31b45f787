// jsync listing-contract cases: multi-page listings are complete, `break` releases, `signal` aborts.

import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { TestContext } from 'vitest';
import { Timestamp } from '@jsync/core';
import type { DirEntry, Fs, ListOptions } from '@jsync/core';
import { describeError, isAbortError } from '../assertions.js';
import { skipCase } from '../harness.js';
import type { Harness } from '../harness.js';
import { putTestObject } from '../items.js';
import { LIST_PAGE_SIZE } from '../options.js';
import { purge } from '../ops.js';

const DIR = 'paging';
const FILES = Array.from({ length: 2 * LIST_PAGE_SIZE + 1 }, (_, i) => `${DIR}/file${i}.txt`);
const SUBDIRS = [`${DIR}/sub0`, `${DIR}/sub1`];
const NESTED = SUBDIRS.map((d) => `${d}/nested.txt`);

type Lister = (f: Fs, dir: string, opts?: ListOptions) => AsyncIterable<readonly DirEntry[]>;
const list: Lister = (f, dir, opts) => f.list(dir, opts);
const listR: Lister = (f, dir, opts) => f.features.listR!(dir, opts);

/** Collects the pages of one listing. */
async function pagesOf(it: AsyncIterable<readonly DirEntry[]>): Promise<(readonly DirEntry[])[]> {
  const pages: (readonly DirEntry[])[] = [];
  for await (const page of it) pages.push(page);
  return pages;
}

/** FsListPaged, FsListRPaged, FsListBreak, FsListAbort, FsListRAbort over a directory of more entries than a page. */
export function registerPaging(h: Harness): void {
  describe('FsListPaging', () => {
    let ready = false;
    let fixtureError: unknown;
    beforeAll(async () => {
      try {
        const f = h.fs;
        for (const path of [...FILES, ...NESTED]) await putTestObject(f, { path, modTime: Timestamp.now() }, path, { check: false });
        ready = true;
      } catch (err) {
        fixtureError = err; // reported by each case below rather than as a hook failure
      }
    });
    afterAll(async () => {
      if (ready) await purge(h.fs, DIR).catch(() => {});
    });
    const need = (t: TestContext, r?: 'listR') => {
      if (!ready) throw new Error(`could not create the paging fixture: ${describeError(fixtureError)}`, { cause: fixtureError });
      if (r && !h.fs.features.listR) skipCase(t, 'FS has no ListR interface');
    };
    const noPaging = h.opts.noListPaging;

    if (noPaging !== undefined) {
      h.unsupported('FsListPaged', noPaging);
      h.unsupported('FsListRPaged', noPaging);
    } else {
      h.case('FsListPaged', async (t) => {
        need(t);
        const pages = await pagesOf(list(h.fs, DIR));
        expect(pages.length, `a listing of ${FILES.length + SUBDIRS.length} entries at page size ${LIST_PAGE_SIZE}`).toBeGreaterThan(1);
        const entries = pages.flat();
        const remotes = entries.map((e) => e.remote);
        expect(new Set(remotes).size, 'duplicate entries across pages').toBe(remotes.length);
        expect(remotes.filter((_, i) => !entries[i]!.isDir).sort()).toEqual([...FILES].sort());
        expect(remotes.filter((_, i) => entries[i]!.isDir).sort()).toEqual([...SUBDIRS].sort());
      }, 'mkdir');
      h.case('FsListRPaged', async (t) => {
        need(t, 'listR');
        const pages = await pagesOf(listR(h.fs, DIR));
        expect(pages.length).toBeGreaterThan(1);
        const entries = pages.flat();
        const objs = entries.filter((e) => !e.isDir).map((e) => e.remote);
        expect(new Set(objs).size, 'duplicate objects across pages').toBe(objs.length);
        expect(objs.sort()).toEqual([...FILES, ...NESTED].sort());
        for (const d of entries.filter((e) => e.isDir)) expect(SUBDIRS).toContain(d.remote);
      }, 'mkdir');
    }

    h.case('FsListBreak', async (t) => {
      need(t);
      const f = h.fs;
      const listers: Lister[] = f.features.listR ? [list, listR] : [list];
      for (const lister of listers) {
        let seen = 0;
        for await (const page of lister(f, DIR)) {
          seen += page.length;
          break;
        }
        expect(seen).toBeGreaterThan(0);
        // The iterator protocol: after return() the iterator is finished.
        const it = lister(f, DIR)[Symbol.asyncIterator]();
        expect((await it.next()).done).toBe(false);
        await it.return?.();
        expect((await it.next()).done).toBe(true);
        // Nothing stays locked: writes and a complete listing still work.
        const extra = await putTestObject(f, { path: `${DIR}/after-break.txt`, modTime: Timestamp.now() }, 'x', { check: false });
        await extra.obj.remove();
        const all = (await pagesOf(lister(f, DIR))).flat().filter((e) => !e.isDir).map((e) => e.remote);
        expect(all).toEqual(expect.arrayContaining(FILES));
      }
    }, 'mkdir');

    const abortCase = (name: 'FsListAbort' | 'FsListRAbort', lister: Lister, r?: 'listR') => {
      h.case(name, async (t) => {
        need(t, r);
        const pre = new AbortController();
        pre.abort();
        const err1 = await pagesOf(lister(h.fs, DIR, { signal: pre.signal })).then(() => undefined, (e: unknown) => e);
        expect(isAbortError(err1, pre.signal), `pre-aborted listing: expected an abort error, got ${describeError(err1)}`).toBe(true);
        if (noPaging !== undefined) return;
        const mid = new AbortController();
        let pages = 0;
        const err2 = await (async () => {
          for await (const _ of lister(h.fs, DIR, { signal: mid.signal })) {
            if (++pages === 1) mid.abort();
          }
        })().then(() => undefined, (e: unknown) => e);
        expect(isAbortError(err2, mid.signal), `listing aborted after page 1 must throw (not end silently), got ${describeError(err2)}`).toBe(true);
        expect(pages).toBe(1);
      }, 'mkdir');
    };
    abortCase('FsListAbort', list);
    abortCase('FsListRAbort', listR, 'listR');
  });
}
