// @jsync/backend-local: the local file system as a jsync backend (rclone `local`).

import { lstat, stat } from 'node:fs/promises';
import { MultiEncoder, invalidArgument } from '@jsync/core';
import type { BackendDefinition, Fs, NewFsArgs, NewFsResult } from '@jsync/core';
import { LocalFs } from './local.js';
import { ModTimeSetter, probePrecision } from './modtime.js';
import { LOCAL_OPTIONS, resolveLocalOptions } from './options.js';
import type { LocalOptions } from './options.js';
import { cleanRootPath, fsPath, parentOs } from './paths.js';

export { LocalFs, LocalObject, DEFAULT_LIST_PAGE_SIZE } from './local.js';
export { LOCAL_OPTIONS, LINK_SUFFIX, defaultLocalEncoding, resolveLocalOptions } from './options.js';
export type { LocalOptions, ResolvedLocalOptions } from './options.js';
export { ModTimeSetter, probePrecision } from './modtime.js';
export type { PrecisionProbe } from './modtime.js';

/**
 * Creates a local Fs. The root is made absolute and cleaned; a root naming an existing file gives an Fs rooted at
 * its parent with `isFile: true`. Precision is probed once per Fs as rclone does (1ns when exact times can be set).
 */
async function newFs(args: NewFsArgs<LocalOptions>): Promise<NewFsResult> {
  const opt = resolveLocalOptions(args.options ?? {});
  const encoder = new MultiEncoder(opt.encoding);
  let osRoot = encoder.fromStandardPath(cleanRootPath(args.root));
  const probe = opt.noSetModTime ? { precision: 0n, setter: new ModTimeSetter({ exactNs: false }) } : await probePrecision();
  const st = await (opt.followSymlinks ? stat : lstat)(fsPath(osRoot), { bigint: true }).catch(() => undefined);
  const isFile = st !== undefined && (st.isFile() || (opt.translateSymlinks && st.isSymbolicLink()));
  if (isFile) osRoot = parentOs(osRoot);
  const fs = new LocalFs({
    name: args.name, osRoot, opt, logger: args.logger, precision: probe.precision, modTimes: probe.setter,
    dev: opt.oneFileSystem && st !== undefined ? st.dev : undefined, disable: args.global?.disable,
  });
  return { fs, isFile };
}

/** The `local` backend definition (rclone's option names, types, defaults and help). */
export const localBackend = {
  name: 'local',
  description: 'Local Disk',
  options: LOCAL_OPTIONS,
  newFs,
} satisfies BackendDefinition<LocalOptions>;

/**
 * Test hook: sets how many entries a listing page of `fs` holds at most (default 1024), so conformance suites can
 * force multi-page listings. Throws for an Fs that is not a local one.
 */
export function setListPageSize(fs: Fs, n: number): void {
  if (!(fs instanceof LocalFs)) throw invalidArgument('setListPageSize: not a local Fs');
  if (!Number.isInteger(n) || n < 1) throw invalidArgument(`setListPageSize: bad page size ${n}`);
  fs.listPageSize = n;
}
