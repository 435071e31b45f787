// Options of runBackendConformance and the ordered list of case names (rclone fstests names kept verbatim).

import type { Fs, NewFsResult } from '@jsync/core';
import type { InternalContext } from './harness.js';

/**
 * Every case the suite registers, in execution order. rclone's names are kept so that results can be
 * cross-referenced with `fstest/fstests` (v1.60.1); `FsListPaged`…`FsListRAbort`, `Setup` and `TeardownPurge`
 * are jsync additions. `FsListRSubdir#01` is the second case Go names `FsListRSubdir`.
 */
export const CASE_NAMES = [
  'FsCheckWrap', 'FsCommand', 'FsRmdirNotFound', 'Setup', 'FsString', 'FsName', 'FsRoot', 'FsRmdirEmpty',
  'FsMkdir', 'FsMkdirRmdirSubdir', 'FsListEmpty', 'FsListDirEmpty', 'FsListRDirEmpty', 'FsListDirNotFound',
  'FsListRDirNotFound', 'FsListPaged', 'FsListRPaged', 'FsListBreak', 'FsListAbort', 'FsListRAbort',
  'FsEncoding', 'FsNewObjectNotFound', 'FsPutError', 'FsPutZeroLength', 'FsOpenWriterAt', 'FsChangeNotify',
  'FsPutFiles', 'FsListDirFile2', 'FsListRDirFile2', 'FsListR', 'FsListRSubdir', 'FsListDirRoot', 'FsListRDirRoot',
  'FsListSubdir', 'FsListRSubdir#01', 'FsListLevel2', 'FsListRLevel2', 'FsListFile1', 'FsNewObject',
  'FsNewObjectCaseInsensitive', 'FsListFile1and2', 'FsNewObjectDir', 'FsPurge', 'FsCopy', 'FsMove', 'FsDirMove',
  'FsRmdirFull', 'FsPrecision', 'ObjectString', 'ObjectFs', 'ObjectRemote', 'ObjectHashes', 'ObjectModTime',
  'ObjectMimeType', 'ObjectMetadata', 'ObjectSetModTime', 'ObjectSize', 'ObjectOpen', 'ObjectOpenSeek',
  'ObjectOpenRange', 'ObjectPartialRead', 'ObjectUpdate', 'ObjectStorable', 'FsIsFile', 'FsIsFileNotFound',
  'FromRoot', 'PublicLink', 'SetTier', 'ObjectCheckWrap', 'ObjectRemove', 'ObjectAbout', 'FsPutStream', 'Internal',
  'FsPutChunked', 'FsUploadUnknownSize', 'FsRootCollapse', 'TeardownPurge', 'FsShutdown',
] as const;

/** One conformance case name. */
export type CaseName = (typeof CASE_NAMES)[number];

/** Creates an Fs of the backend under test rooted at `root` (a path inside the backend, `""` = backend root). */
export type NewFsFn = (root: string) => Promise<NewFsResult>;

/** Options shared by both paging variants of {@link ConformanceOptions}. */
export interface ConformanceBaseOptions {
  /** Label of the top-level `describe` (usually the backend name). */
  name: string;
  /** Creates an Fs rooted at `root`; the suite creates `jsync-test-<random>` roots below {@link rootPrefix}. */
  newFs: NewFsFn;
  /** Expected `fs.name` with any `{xxxxx}` suffix removed (`:memory`, `local`, `myjotta`); FsName is skipped without it. */
  remoteName?: string;
  /** Expected `fs.root` for a `newFs(root)` call. @default the root with leading/trailing slashes removed */
  expectedRoot?: (root: string) => string;
  /** Directory (inside the backend) under which the random test roots are created. @default '' */
  rootPrefix?: string;
  /** Opt-outs: case name → reason (required, shown in the skipped test's name). */
  skip?: Partial<Record<CaseName, string>>;
  /** Reason for skipping the `invalid UTF-8` FsEncoding name (rclone `SkipInvalidUTF8`). */
  skipInvalidUtf8?: string;
  /** Reason for skipping FsEncoding names Windows cannot store (control chars, punctuation, trailing space/dot). */
  skipBadWindowsCharacters?: string;
  /** Backend-private cases registered inside the FsPutFiles fixture (rclone `InternalTester`). */
  internal?: (ctx: InternalContext) => void;
}

/** With a page-size hook: every Fs the suite creates pages its listings at {@link LIST_PAGE_SIZE} entries. */
export interface ConformanceWithPaging extends ConformanceBaseOptions {
  /** Test hook: force listings of `fs` into pages of at most `n` entries (rclone `SetUploadChunkSizer` analogue). */
  setListPageSize(fs: Fs, n: number): void;
  noListPaging?: undefined;
}

/** Without a page-size hook: a reason why the backend cannot page is mandatory. */
export interface ConformanceWithoutPaging extends ConformanceBaseOptions {
  setListPageSize?: undefined;
  /** Why listings of this backend cannot be forced into several pages (skips FsListPaged/FsListRPaged). */
  noListPaging: string;
}

/** Options of {@link runBackendConformance}: page-size hook or an explicit reason for not having one. */
export type ConformanceOptions = ConformanceWithPaging | ConformanceWithoutPaging;

/** Page size the suite forces on every Fs it creates (tiny, so every non-trivial listing spans several pages). */
export const LIST_PAGE_SIZE = 2;
