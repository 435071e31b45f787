// The march callbacks of a copy/sync/move pass (rclone syncCopyMove SrcOnly/DstOnly/Match): queue work, remember
// destination-only files and directories, track which source directories are empty.

import type { DirEntry, FsObject } from '../fs/types.js';
import type { PassOptions } from './engine.js';
import type { OperationContext } from './options.js';
import type { RunErrors } from './run-errors.js';

/** A source object and the destination object it may replace. */
export interface Pair {
  src: FsObject;
  dst: FsObject | undefined;
}

/** Where the collector sends work; each resolves false when the pipeline was cancelled. */
export interface PassQueues {
  check(pair: Pair): Promise<boolean>;
  transfer(pair: Pair): Promise<boolean>;
  delete(obj: FsObject): Promise<boolean>;
}

/** Receives the march's entries for one pass. */
export class MarchCollector {
  /** Destination-only files (delete-after). */
  readonly dstFiles = new Map<string, FsObject>();
  /** Destination-only directories, to prune when empty. */
  readonly dstEmptyDirs = new Map<string, DirEntry>();
  /** Source directories with no entries (or, for move, every source directory). */
  readonly srcEmptyDirs = new Map<string, DirEntry>();

  constructor(
    private readonly ctx: OperationContext,
    private readonly errors: RunErrors,
    private readonly p: PassOptions,
    private readonly queues: PassQueues,
  ) {}

  /** A directory holding an entry is not empty, unless moving (its entries are about to leave). */
  private srcParentDirCheck(e: DirEntry): void {
    if (this.p.doMove) return;
    const i = e.remote.lastIndexOf('/');
    this.srcEmptyDirs.delete(i < 0 ? '' : e.remote.slice(0, i));
  }

  /** A source-only entry: a file is queued for transfer, a directory entered. */
  async srcOnly(e: DirEntry): Promise<boolean> {
    if (this.p.deleteMode === 'only') return false;
    this.srcParentDirCheck(e);
    if (e.isDir) {
      this.srcEmptyDirs.set(e.remote, e);
      return true;
    }
    await this.queues.transfer({ src: e, dst: undefined });
    return false;
  }

  /** A destination-only entry: with deletion on, a file is deleted by mode, a directory entered and remembered. */
  async dstOnly(e: DirEntry): Promise<boolean> {
    const mode = this.p.deleteMode;
    if (mode === 'off') return false;
    if (e.isDir) {
      if (this.p.fdst.features.canHaveEmptyDirectories) this.dstEmptyDirs.set(e.remote, e);
      return true;
    }
    if (mode === 'after') this.dstFiles.set(e.remote, e);
    else await this.queues.delete(e);
    return false;
  }

  /** Entries on both sides: files go to the checkers, directories are entered, a file/directory clash is an error. */
  async match(src: DirEntry, dst: DirEntry): Promise<boolean> {
    if (!src.isDir) {
      this.srcParentDirCheck(src);
      if (this.p.deleteMode === 'only') return false;
      if (!dst.isDir) {
        await this.queues.check({ src, dst });
        return false;
      }
      this.clash(dst, "can't overwrite directory with file");
      return false;
    }
    if (dst.isDir) {
      if (this.p.doMove) {
        this.srcParentDirCheck(src);
        this.srcEmptyDirs.set(src.remote, src);
      }
      return true;
    }
    this.clash(dst, "can't overwrite file with directory");
    return false;
  }

  private clash(dst: DirEntry, message: string): void {
    const err = new Error(message);
    this.ctx.logger.log('ERROR', dst.remote, message);
    this.ctx.stats.error(err);
    this.errors.process(err);
  }
}
