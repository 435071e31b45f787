// One copy/sync/move pass: march callbacks feeding a checker pool and a transfer pool through bounded pipes,
// deletions by mode, then the directory steps (rclone fs/sync syncCopyMove).

import { jsyncError } from '../fs/errors.js';
import type { Fs, FsObject } from '../fs/types.js';
import { march } from '../march/march.js';
import { copyObject } from '../operations/copy.js';
import { deleteFile, deleteFiles, moveToBackupDir } from '../operations/delete.js';
import { moveObject } from '../operations/move.js';
import { needTransfer } from '../operations/need-transfer.js';
import { sameFs, sameObject } from '../operations/same.js';
import { copyEmptyDirectories, deleteEmptyDirectories } from './dirs.js';
import { MarchCollector, type Pair } from './march-collector.js';
import type { OperationContext } from './options.js';
import { Pipe } from './pipe.js';
import { RunErrors } from './run-errors.js';

/** How a pass deletes: not at all (copy/move), after/during the transfers, or only deletions (delete-before pass). */
export type PassDeleteMode = 'off' | 'after' | 'during' | 'only';

/** Parameters of one pass. */
export interface PassOptions {
  fdst: Fs;
  fsrc: Fs;
  srcDir: string;
  dstDir: string;
  deleteMode: PassDeleteMode;
  doMove: boolean;
  copyEmptySrcDirs: boolean;
  deleteEmptySrcDirs: boolean;
  /** Validated --backup-dir (or the destination for --suffix alone). */
  backupDir: Fs | undefined;
  /** Look destination files up one by one (copy/move --no-traverse). */
  noTraverse: boolean;
}


/** Runs one pass with the run's error tracker; counted errors end up in `errors.current()`. */
export class SyncPass {
  private readonly ctx: OperationContext;
  private readonly toCheck: Pipe<Pair>;
  private readonly toTransfer: Pipe<Pair>;
  private readonly toDelete: Pipe<FsObject>;
  private readonly found: MarchCollector;
  private queued = { checks: 0, transfers: 0, transferBytes: 0 };

  constructor(runCtx: OperationContext, private readonly errors: RunErrors, private readonly p: PassOptions) {
    this.ctx = runCtx;
    const o = runCtx.options;
    const backlog = o.checkFirst ? -1 : o.maxBacklog;
    this.toCheck = new Pipe(backlog, errors.inputSignal);
    this.toTransfer = new Pipe(backlog, errors.inputSignal);
    this.toDelete = new Pipe(o.checkers, errors.inputSignal);
    this.found = new MarchCollector(runCtx, errors, p, {
      check: (pair) => this.putCheck(pair),
      transfer: (pair) => this.putTransfer(pair),
      delete: (obj) => this.toDelete.put(obj),
    });
  }

  /**
   * Runs the pass (rclone syncCopyMove.run); errors are left in the tracker. Resolves false when there was nothing
   * to do (source and destination are the same directory).
   */
  async run(): Promise<boolean> {
    const { ctx, p, errors } = this;
    const o = ctx.options;
    if (sameFs(p.fdst, p.fsrc) && p.srcDir === p.dstDir) {
      ctx.logger.log('ERROR', p.fdst.toString(), 'Nothing to do as source and destination are the same');
      return false;
    }
    const checkers = this.startWorkers(o.checkers, () => this.checkOne());
    let transfers = o.checkFirst ? undefined : this.startWorkers(o.transfers, () => this.transferOne());
    const deleters = p.deleteMode === 'during' || p.deleteMode === 'only' ? this.startDeleters() : undefined;
    try {
      await march({
        ctx, fsrc: p.fsrc, fdst: p.fdst, dir: p.srcDir, dstDir: p.dstDir, signal: errors.inputSignal,
        noTraverse: p.noTraverse, noCheckDest: o.noCheckDest,
        dstIncludeAll: o.deleteExcluded || ctx.filter?.deleteExcluded === true,
        srcOnly: (e) => this.found.srcOnly(e), dstOnly: (e) => this.found.dstOnly(e), match: (s, d) => this.found.match(s, d),
      });
    } catch (err) {
      errors.process(err);
    }
    this.toCheck.close();
    ctx.logger.log('DEBUG', p.fdst.toString(), 'Waiting for checks to finish');
    await checkers;
    if (o.checkFirst) {
      ctx.logger.log('INFO', p.fdst.toString(), 'Checks finished, now starting transfers');
      transfers = this.startWorkers(o.transfers, () => this.transferOne());
    }
    this.toTransfer.close();
    ctx.logger.log('DEBUG', p.fdst.toString(), 'Waiting for transfers to finish');
    await transfers;
    this.toDelete.close();
    await deleters;
    if (p.copyEmptySrcDirs && !errors.aborting) await copyEmptyDirectories(ctx, p.fdst, this.found.srcEmptyDirs);
    // As rclone, the refusals are logged even after a fatal error; nothing is deleted once cancelled.
    if (p.deleteMode === 'after') {
      if (errors.current() !== undefined && !o.ignoreErrors) {
        ctx.logger.log('ERROR', p.fdst.toString(), jsyncError('NOT_DELETING').message);
      } else if (!errors.aborting) {
        errors.process(await this.deleteAfter());
      }
    }
    if (p.deleteMode !== 'off') {
      if (errors.current() !== undefined && !o.ignoreErrors) {
        ctx.logger.log('ERROR', p.fdst.toString(), jsyncError('NOT_DELETING_DIRS').message);
      } else if (!errors.aborting) {
        errors.process(await deleteEmptyDirectories(ctx, p.fdst, this.found.dstEmptyDirs));
      }
    }
    if (p.doMove && p.deleteEmptySrcDirs && !errors.aborting) {
      errors.process(await deleteEmptyDirectories(ctx, p.fsrc, this.found.srcEmptyDirs));
    }
    return true;
  }

  private startWorkers(n: number, step: () => Promise<boolean>): Promise<void> {
    const loop = async () => {
      while (await step());
    };
    return Promise.all(Array.from({ length: Math.max(1, n) }, loop)).then(() => undefined);
  }

  private startDeleters(): Promise<void> {
    const opts = this.p.backupDir ? { backupDir: this.p.backupDir } : {};
    return deleteFiles(this.ctx, this.toDelete, opts).catch((err: unknown) => this.errors.process(err));
  }

  /** rclone deleteFiles (delete-after): refused after any counted error unless --ignore-errors. */
  private async deleteAfter(): Promise<unknown> {
    const { ctx } = this;
    if (ctx.stats.errors > 0 && !ctx.options.ignoreErrors) {
      const err = jsyncError('NOT_DELETING');
      ctx.logger.log('ERROR', this.p.fdst.toString(), err.message);
      return err;
    }
    try {
      await deleteFiles(ctx, this.found.dstFiles.values(), this.p.backupDir ? { backupDir: this.p.backupDir } : {});
    } catch (err) {
      return err;
    }
    return undefined;
  }

  private setQueued(): void {
    this.ctx.stats.setQueued({ ...this.queued });
  }

  private async putCheck(pair: Pair): Promise<boolean> {
    this.queued.checks++;
    this.setQueued();
    return this.toCheck.put(pair);
  }

  private async putTransfer(pair: Pair): Promise<boolean> {
    this.queued.transfers++;
    this.queued.transferBytes += Math.max(0, pair.src.size);
    this.setQueued();
    return this.toTransfer.put(pair);
  }

  /** The destination path of a source remote. */
  private dstRemote(srcRemote: string): string {
    const { srcDir, dstDir } = this.p;
    if (srcDir === dstDir) return srcRemote;
    const rest = srcDir === '' ? srcRemote : srcRemote.slice(srcDir.length + 1);
    return dstDir === '' ? rest : rest === '' ? dstDir : `${dstDir}/${rest}`;
  }

  /** One checker step (rclone pairChecker); false when the queue is finished. */
  private async checkOne(): Promise<boolean> {
    const next = await this.toCheck.get();
    if (next === undefined) return false;
    const { ctx, p, errors } = this;
    const { src } = next.item;
    const dst = next.item.dst!;
    this.queued.checks--;
    this.setQueued();
    const check = ctx.stats.startCheck(src.remote);
    try {
      if (!src.storable) return true;
      let need: boolean;
      try {
        need = await needTransfer(ctx, src, dst);
      } catch (err) {
        errors.process(err);
        return true;
      }
      if (need) {
        if (p.backupDir !== undefined) {
          try {
            await moveToBackupDir(ctx, dst, p.backupDir);
          } catch (err) {
            errors.process(err);
            return true;
          }
          return this.putTransfer({ src, dst: undefined });
        }
        return this.putTransfer({ src, dst });
      }
      if (p.doMove) await this.removeUnneededSource(src, dst);
      return true;
    } finally {
      check.done();
    }
  }

  /** move: a source whose destination is already equal is deleted (unless it is that very object). */
  private async removeUnneededSource(src: FsObject, dst: FsObject): Promise<void> {
    const { ctx } = this;
    if (sameObject(src, dst)) {
      ctx.logger.log('NOTICE', src.remote, 'Not removing source file as it is the same file as the destination');
    } else if (ctx.options.ignoreExisting) {
      ctx.logger.log('DEBUG', src.remote, 'Not removing source file as destination file exists and --ignore-existing is set');
    } else {
      try {
        await deleteFile(ctx, src);
      } catch (err) {
        this.errors.process(err);
      }
    }
  }

  /** One transfer step (rclone pairCopyOrMove); false when the queue is finished. */
  private async transferOne(): Promise<boolean> {
    const next = await this.toTransfer.get();
    if (next === undefined) return false;
    const { src, dst } = next.item;
    this.queued.transfers--;
    this.queued.transferBytes -= Math.max(0, src.size);
    this.setQueued();
    const args = { fdst: this.p.fdst, remote: this.dstRemote(src.remote), src, ...(dst ? { dst } : {}) };
    try {
      if (this.p.doMove) await moveObject(this.ctx, args);
      else await copyObject(this.ctx, args);
    } catch (err) {
      this.errors.process(err);
    }
    return true;
  }
}
