// Shared fixture state and case registration (opt-outs, prerequisites) used by every conformance suite.

import { describe, it } from 'vitest';
import type { TestContext } from 'vitest';
import { Timestamp } from '@jsync/core';
import type { Fs, NewFsResult } from '@jsync/core';
import { newItem } from './items.js';
import type { Item } from './items.js';
import { LIST_PAGE_SIZE } from './options.js';
import type { CaseName, ConformanceOptions } from './options.js';
import { purge } from './ops.js';
import { randomString } from './sources.js';

/** Skips the running case with a note (a `never`-typed wrapper of `t.skip`, so TypeScript narrows after it). */
export function skipCase(t: Pick<TestContext, 'skip'>, note: string): never {
  t.skip(note);
  throw new Error(`skipped: ${note}`);
}

/** Fixture stages a case may depend on (rclone nests such cases inside FsMkdir / FsPutFiles). */
export type Stage = 'fs' | 'mkdir' | 'putFiles';

/** What backend-private cases see (rclone `InternalTester` + `InternalTestFiles`). */
export interface InternalContext {
  /** The Fs under test (valid while cases run, not at registration time). */
  readonly fs: Fs;
  /** Root of the Fs under test inside the backend. */
  readonly testRoot: string;
  /** Files present when the internal cases run (file1 and file2 of FsPutFiles). */
  readonly files: readonly Item[];
  /** Creates another Fs of the backend (with the suite's page size); it is purged after the suite. */
  newFs(root: string): Promise<NewFsResult>;
  /** A fresh random root next to the test root, purged after the suite. */
  randomRoot(): string;
}

/** Mutable fixture state plus the helpers every suite registers cases with. */
export class Harness implements InternalContext {
  readonly testRoot: string;
  /** file1 of fstests (`file name.txt`). */
  file1: Item;
  /** file2 of fstests (the hostile deep path). */
  file2: Item;
  /** Current content of file1. */
  file1Contents: Buffer = Buffer.alloc(0);
  /** Set once ObjectRemove deleted file1. */
  file1Removed = false;
  /** Set once the suite's teardown purge ran. */
  purged = false;
  private fsUnderTest: Fs | undefined;
  private readonly stages = new Set<Stage>();
  private readonly extraRoots = new Set<string>();

  constructor(readonly opts: ConformanceOptions) {
    this.testRoot = this.makeRoot();
    this.file1 = newItem('file name.txt', '', Timestamp.parse('2001-02-03T04:05:06.499999999Z'));
    this.file2 = newItem('hello? sausage/êé/Hello, 世界/ " \' @ < > & ? + ≠/z.txt', '', Timestamp.parse('2001-02-03T04:05:10.123123123Z'));
  }

  /** The Fs under test; throws before the suite created it. */
  get fs(): Fs {
    if (!this.fsUnderTest) throw new Error('conformance: the Fs under test was not created');
    return this.fsUnderTest;
  }

  get files(): readonly Item[] {
    if (!this.stages.has('putFiles')) return [];
    return this.file1Removed ? [this.file2] : [this.file1, this.file2];
  }

  /** A fresh `jsync-test-<random>` root below the configured prefix; purged by {@link cleanup}. */
  randomRoot(): string {
    const root = this.makeRoot();
    this.extraRoots.add(root);
    return root;
  }

  /** Creates an Fs through the backend, forcing the suite's list page size. */
  async newFs(root: string): Promise<NewFsResult> {
    const res = await this.opts.newFs(root);
    this.opts.setListPageSize?.(res.fs, LIST_PAGE_SIZE);
    return res;
  }

  /** Creates the Fs under test at the test root. */
  async init(): Promise<void> {
    this.fsUnderTest = (await this.newFs(this.testRoot)).fs;
    this.stages.add('fs');
  }

  /** Marks a fixture stage as reached (or lost). */
  setStage(stage: Stage, ok: boolean): void {
    if (ok) this.stages.add(stage);
    else this.stages.delete(stage);
  }

  /** Whether the Fs is bucket based and rooted below bucket level (rclone `isBucketBasedButNotRoot`). */
  isBucketBasedButNotRoot(fs: Fs = this.fs): boolean {
    return fs.features.bucketBased && fs.root.replace(/^\/+|\/+$/g, '').includes('/');
  }

  /** Registers one case; an opt-out becomes a skipped test whose name carries the reason. */
  case(name: CaseName | string, fn: (t: TestContext) => Promise<void> | void, requires: Stage = 'fs'): void {
    const reason = this.opts.skip?.[name as CaseName];
    if (reason !== undefined) {
      it.skip(`${name} — skipped: ${reason}`, () => {});
      return;
    }
    it(name, async (t) => {
      if (!this.stages.has(requires)) skipCase(t, `prerequisite stage "${requires}" failed`);
      await fn(t);
    });
  }

  /** Registers a group of cases (a rclone case with subtests); an opt-out skips the whole group. */
  group(name: CaseName, body: () => void): void {
    const reason = this.opts.skip?.[name];
    if (reason !== undefined) describe.skip(`${name} — skipped: ${reason}`, body);
    else describe(name, body);
  }

  /** Registers a case the jsync contract cannot express (always skipped, with the reason in its name). */
  unsupported(name: CaseName, reason: string): void {
    it.skip(`${name} — skipped: ${reason}`, () => {});
  }

  /** Best-effort removal of everything the suite created (test root if not purged, extra roots). */
  async cleanup(): Promise<void> {
    const roots = [...this.extraRoots, ...(this.purged || !this.fsUnderTest ? [] : [this.testRoot])];
    for (const root of roots) {
      try {
        await purge((await this.opts.newFs(root)).fs, '');
      } catch {
        // already gone, or never created
      }
    }
  }

  private makeRoot(): string {
    const prefix = (this.opts.rootPrefix ?? '').replace(/^\/+|\/+$/g, '');
    return (prefix === '' ? '' : prefix + '/') + 'jsync-test-' + randomString(24).toLowerCase();
  }
}
