// runBackendConformance: registers the fstests case tree, in rclone's order, as one vitest describe.

import { afterAll, beforeAll, describe, it } from 'vitest';
import { nullLogger } from '@jsync/core';
import type { BackendDefinition, GlobalOptions, Logger } from '@jsync/core';
import { Harness } from './harness.js';
import { CASE_NAMES } from './options.js';
import type { ConformanceOptions, NewFsFn } from './options.js';
import { registerCopyMove } from './suites/copy-move.js';
import { registerEncoding } from './suites/encoding.js';
import {
  registerMkdir, registerPreSetup, registerPrecision, registerRootCollapse, registerSetup, registerShutdown, registerTeardown,
} from './suites/fs-basics.js';
import { registerEmptyListings, registerFileListings, registerListFile1and2 } from './suites/listing.js';
import { registerNewObject, registerNewObjectDir, registerObjectInfo, registerRemove, registerSetModTime, registerStorable } from './suites/objects.js';
import { registerAbout, registerFromRoot, registerInternal, registerIsFile, registerPublicLink } from './suites/optional-features.js';
import { registerPaging } from './suites/paging.js';
import { registerOpen, registerPutBasics, registerPutFiles, registerPutStream, registerUpdate, registerUploadUnknownSize } from './suites/put-open.js';

/**
 * Registers the backend conformance suite (a port of rclone `fstests.Run`) under `describe(opts.name)`.
 * Call once, at the top level of a test file. Cases run in rclone's order against a fresh random root.
 */
export function runBackendConformance(opts: ConformanceOptions): void {
  describe(opts.name, () => {
    const h = new Harness(opts);
    const problems = optionProblems(opts);
    if (problems.length > 0) {
      it('options', () => {
        throw new Error(`runBackendConformance: ${problems.join('; ')}`);
      });
    }
    beforeAll(() => h.init());
    afterAll(() => h.cleanup());

    registerPreSetup(h);
    registerSetup(h);
    h.group('FsMkdir', () => {
      registerMkdir(h);
      registerEmptyListings(h);
      registerPaging(h);
      registerEncoding(h);
      registerPutBasics(h);
      h.unsupported('FsOpenWriterAt', 'OpenWriterAt is not part of the jsync core contract');
      h.unsupported('FsChangeNotify', 'ChangeNotify is not part of the jsync core contract');
      h.group('FsPutFiles', () => {
        registerPutFiles(h);
        registerFileListings(h);
        registerNewObject(h);
        registerListFile1and2(h);
        registerNewObjectDir(h);
        registerCopyMove(h);
        registerPrecision(h);
        registerObjectInfo(h);
        registerSetModTime(h);
        registerOpen(h);
        registerUpdate(h);
        registerStorable(h);
        registerIsFile(h);
        registerFromRoot(h);
        registerPublicLink(h);
        h.unsupported('SetTier', 'storage tiers are not part of the jsync core contract');
        h.unsupported('ObjectCheckWrap', 'jsync has no wrapping backends (no UnWrap feature)');
        registerRemove(h);
        registerAbout(h);
        registerPutStream(h);
        registerInternal(h);
      });
      h.unsupported('FsPutChunked', 'chunk-size test hooks are not part of the jsync core contract');
      registerUploadUnknownSize(h);
      registerRootCollapse(h);
      registerTeardown(h);
    });
    registerShutdown(h);
  });
}

/** Mistakes in the options that TypeScript cannot catch for JavaScript callers (empty reasons, unknown cases). */
function optionProblems(opts: ConformanceOptions): string[] {
  const problems: string[] = [];
  const blank = (s: unknown) => typeof s !== 'string' || s.trim() === '';
  if (opts.setListPageSize === undefined && blank(opts.noListPaging)) {
    problems.push('give setListPageSize, or noListPaging with the reason the backend cannot page');
  }
  for (const [name, reason] of Object.entries(opts.skip ?? {})) {
    if (!(CASE_NAMES as readonly string[]).includes(name)) problems.push(`skip: unknown case ${JSON.stringify(name)}`);
    else if (blank(reason)) problems.push(`skip.${name}: a reason is required`);
  }
  for (const key of ['skipInvalidUtf8', 'skipBadWindowsCharacters'] as const) {
    if (opts[key] !== undefined && blank(opts[key])) problems.push(`${key}: a reason is required`);
  }
  return problems;
}

/** Options for {@link newFsFromDefinition}. */
export interface NewFsFromDefinitionOptions<TOptions> {
  /** Fs name passed to the backend (`:memory`, `local`, a config name). */
  name: string;
  /** Parsed backend options. */
  options: TOptions;
  /** Raw option strings. @default {} */
  rawOptions?: Readonly<Record<string, string>>;
  /** @default nullLogger */
  logger?: Logger;
  /** @default {} */
  global?: GlobalOptions;
}

/** Adapts a backend definition to the suite's `newFs(root)` (fixed name and options, varying root). */
export function newFsFromDefinition<TOptions>(def: BackendDefinition<TOptions>, opts: NewFsFromDefinitionOptions<TOptions>): NewFsFn {
  return (root) => def.newFs({
    name: opts.name, root, options: opts.options, rawOptions: opts.rawOptions ?? {},
    logger: opts.logger ?? nullLogger, global: opts.global ?? {},
  });
}
