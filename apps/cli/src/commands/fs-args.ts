// Opening the Fs arguments of transfer commands like rclone's cmd.NewFsSrc/NewFsSrcFileDst/NewFsSrcDstFiles.

import { type CreatedFs, goQuote, isJsyncError, parseRemotePath, singleFileFilter } from '@jsync/core';
import { CliFatalError, type CliContext, type OpenedFs } from '../context.js';
import { newFsDir } from './mkdir.js';

/**
 * rclone newFsFileAddFilter: opens `path` (file or directory); when it names a file the active filter becomes a
 * one-file list, and any other filter is fatal (`can't limit to single files when using filters: <path>`).
 */
export async function newFsSrc(ctx: CliContext, path: string): Promise<OpenedFs> {
  await ctx.loadFilter();
  const src = await ctx.newFs(path);
  if (src.file !== undefined) {
    try {
      ctx.filter = singleFileFilter(ctx.filterOptions, src.file, path);
    } catch (err) {
      throw new CliFatalError((err as Error).message, { cause: err });
    }
  }
  return src;
}

/** rclone NewFsSrcFileDst: a source that may be a file (no filter added) and a destination directory. */
export async function newFsSrcFileDst(ctx: CliContext, args: readonly string[]): Promise<{ src: OpenedFs; dst: OpenedFs }> {
  await ctx.loadFilter();
  const src = await ctx.newFs(args[0]!);
  const dst = await newFsDir(ctx, args[1]!);
  return { src, dst };
}

/** rclone NewFsSrcDst: a source (one-file filter when it is a file) and a destination directory. */
export async function newFsSrcDst(ctx: CliContext, args: readonly string[]): Promise<{ src: OpenedFs; dst: OpenedFs }> {
  const src = await newFsSrc(ctx, args[0]!);
  const dst = await newFsDir(ctx, args[1]!);
  return { src, dst };
}

/** rclone fspath.Split: `remote:dir/leaf` → [`remote:dir/`, `leaf`]; a path ending in `/` has an empty leaf. */
export function splitRemotePath(path: string): [parent: string, leaf: string] {
  const parsed = parseRemotePath(path);
  const name = parsed.kind === 'local' ? '' : path.slice(0, path.length - parsed.path.length);
  const p = parsed.kind === 'local' ? path : parsed.path;
  const slash = p.lastIndexOf('/');
  return [name + p.slice(0, slash + 1), p.slice(slash + 1)];
}

/** The Fs arguments of copyto/moveto: with a file source, the destination's parent and the target file name. */
export interface SrcDstFiles {
  src: OpenedFs;
  dst: CreatedFs;
  /** Target name inside `dst` when the source is a file. */
  dstFileName?: string;
}

/**
 * rclone NewFsSrcDstFiles: when the source is a file, the destination argument is the target file (its parent is
 * opened; a path ending in `/` is fatal: `"x/" is a directory`); otherwise both are directories, and a destination
 * naming an existing file is fatal.
 */
export async function newFsSrcDstFiles(ctx: CliContext, args: readonly string[]): Promise<SrcDstFiles> {
  const src = await newFsSrc(ctx, args[0]!);
  let dstRemote = args[1]!;
  let dstFileName: string | undefined;
  if (src.file !== undefined) {
    let parent: string;
    try {
      [parent, dstFileName] = splitRemotePath(dstRemote);
    } catch (err) {
      throw new CliFatalError(`Parsing ${goQuote(args[1]!)} failed: ${(err as Error).message}`, { cause: err });
    }
    dstRemote = parent === '' ? '.' : parent;
    if (dstFileName === '') throw new CliFatalError(`${goQuote(args[1]!)} is a directory`);
  }
  let dst: OpenedFs;
  try {
    dst = await ctx.newFs(dstRemote);
  } catch (err) {
    const cause = (err as { cause?: unknown }).cause;
    if (isJsyncError(cause, 'IS_FILE')) throw new CliFatalError("Source doesn't exist or is a directory and destination is a file");
    throw new CliFatalError(`Failed to create file system for destination ${goQuote(dstRemote)}: ${(cause as Error)?.message ?? (err as Error).message}`, { cause: err });
  }
  if (dst.isFile) throw new CliFatalError("Source doesn't exist or is a directory and destination is a file");
  return { src, dst, ...(dstFileName !== undefined ? { dstFileName } : {}) };
}
