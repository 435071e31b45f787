// Server-side operations: cphash (createOrUpdate), copy (cp), move (mv) and directory move (mvDir).

import { Timestamp, isJsyncError, joinPath, jsyncError, objectNotFound, parentOf } from '@jsync/core';
import type { Fs, FsObject } from '@jsync/core';
import type { JfsDocument, JottaFile } from '../api/types.js';
import { formatJfsTime } from '../api/time.js';
import { ioError, isNotFound, wrapError } from './errors.js';
import { JottacloudFs } from './jotta-fs.js';
import { JottacloudObject, metaOfFile } from './object.js';

/** Arguments of {@link createOrUpdate}. */
export interface CreateOrUpdateArgs {
  remote: string;
  created: Timestamp;
  modified: Timestamp;
  size: number;
  md5: string;
  signal?: AbortSignal | undefined;
}

/**
 * `POST <path>?cphash=true` with JSize/JMd5/JCreated/JModified: the file at `remote` gets that content's times
 * (restored from the trash, or built by deduplication). Undefined when the server answers 404 (an upload is needed).
 */
export async function createOrUpdate(fs: JottacloudFs, a: CreateOrUpdateArgs): Promise<JottaFile | undefined> {
  let doc: JfsDocument | undefined;
  try {
    doc = await fs.jfsPost(fs.requestPath(a.remote), {
      query: { cphash: 'true' },
      headers: { JSize: String(a.size), JMd5: a.md5, JCreated: formatJfsTime(a.created), JModified: formatJfsTime(a.modified) },
      signal: a.signal,
      parse: true,
    });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  if (doc?.kind !== 'file') throw ioError(`cphash: expected a file document, got ${doc?.kind ?? 'nothing'}`, { remote: a.remote });
  return doc.file;
}

/** The source as an object of a Jottacloud Fs of the same account and host, else undefined. */
function sameAccount(fs: JottacloudFs, src: FsObject): JottacloudObject | undefined {
  if (!(src instanceof JottacloudObject)) return undefined;
  return src.fs.user === fs.user && src.fs.jfsUrl === fs.jfsUrl ? src : undefined;
}

/** `POST <src>?<method>=<absolute raw destination path>`; the answer's document. */
async function copyOrMove(fs: JottacloudFs, method: 'cp' | 'mv' | 'mvDir', srcPath: string, dstRemote: string, signal?: AbortSignal): Promise<JfsDocument | undefined> {
  return fs.jfsPost(srcPath, { query: { [method]: fs.filePath(dstRemote) }, signal, parse: true });
}

function fileOf(doc: JfsDocument | undefined, remote: string): JottaFile {
  if (doc?.kind !== 'file') throw ioError(`expected a file document, got ${doc?.kind ?? 'nothing'}`, { remote });
  return doc.file;
}

/** The object for a server answer (OBJECT_NOT_FOUND unless COMPLETED and live). */
function objectOf(fs: JottacloudFs, remote: string, file: JottaFile): JottacloudObject {
  if (!fs.validFile(file)) throw objectNotFound(remote);
  return new JottacloudObject(fs, remote, metaOfFile(file));
}

/**
 * rclone `Copy`: mkdir of the destination's parent, then `cp`. When the destination path held a trashed file the
 * copy stays in the trash (server quirk); cphash on the destination restores it (rclone does the same).
 */
export async function copyObject(fs: JottacloudFs, src: FsObject, remote: string, signal?: AbortSignal): Promise<FsObject> {
  const srcObj = sameAccount(fs, src);
  if (!srcObj) throw jsyncError('CANT_COPY');
  let file: JottaFile;
  try {
    await fs.mkdir(parentOf(remote), { signal });
    file = fileOf(await copyOrMove(fs, 'cp', srcObj.fs.requestPath(srcObj.remote), remote, signal), remote);
    const rev = file.currentRevision;
    if (file.deleted && !fs.opt.trashed_only && rev?.state === 'COMPLETED') {
      fs.logger.log('DEBUG', String(src), 'Server-side copied to trashed destination, restoring');
      const restored = await fs.createOrUpdate({
        remote, created: srcObj.createTime() ?? srcObj.modTime(), modified: srcObj.modTime(), size: rev.size ?? 0, md5: rev.md5 ?? '', signal,
      });
      if (restored === undefined) throw objectNotFound(remote);
      file = restored;
    }
  } catch (err) {
    throw wrapError("couldn't copy file", err);
  }
  return objectOf(fs, remote, file);
}

/**
 * rclone `Move`: mkdir of the destination's parent, then `mv`. If the source is gone (404) but the destination holds
 * a file of the source's size and MD5, an earlier attempt already moved it: that counts as success.
 */
export async function moveObject(fs: JottacloudFs, src: FsObject, remote: string, signal?: AbortSignal): Promise<FsObject> {
  const srcObj = sameAccount(fs, src);
  if (!srcObj) throw jsyncError('CANT_MOVE');
  let file: JottaFile;
  try {
    await fs.mkdir(parentOf(remote), { signal });
    file = fileOf(await copyOrMove(fs, 'mv', srcObj.fs.requestPath(srcObj.remote), remote, signal), remote);
  } catch (err) {
    if (isNotFound(err)) {
      const moved = await alreadyMoved(fs, srcObj, remote, signal);
      if (moved) return moved;
    }
    throw wrapError("couldn't move file", err);
  }
  return objectOf(fs, remote, file);
}

async function alreadyMoved(fs: JottacloudFs, src: JottacloudObject, remote: string, signal?: AbortSignal): Promise<FsObject | undefined> {
  try {
    const dst = await fs.newObject(remote, { signal });
    const same = dst.size === src.size && (await dst.hash('md5')) === (await src.hash('md5'));
    if (same) fs.logger.log('DEBUG', String(src), 'Source gone and destination identical: move already done');
    return same ? dst : undefined;
  } catch (err) {
    if (isJsyncError(err, 'OBJECT_NOT_FOUND') || isJsyncError(err, 'IS_DIR')) return undefined;
    throw err;
  }
}

/**
 * rclone `DirMove`: refuses the root as source or destination and an existing live destination (DIR_EXISTS), then
 * `POST <source dir>/?mvDir=<absolute destination>` (the source path escaped properly, unlike rclone).
 */
export async function dirMove(fs: JottacloudFs, src: Fs, srcRemote: string, dstRemote: string, signal?: AbortSignal): Promise<void> {
  if (!(src instanceof JottacloudFs) || src.user !== fs.user || src.jfsUrl !== fs.jfsUrl) throw jsyncError('CANT_DIR_MOVE');
  if (joinPath(src.root, srcRemote) === '' || joinPath(fs.root, dstRemote) === '') throw ioError("can't move root directory");
  try {
    await fs.readFolder(dstRemote, signal);
    throw jsyncError('DIR_EXISTS', { context: { remote: dstRemote } });
  } catch (err) {
    if (!isJsyncError(err, 'DIR_NOT_FOUND')) throw err;
  }
  try {
    await copyOrMove(fs, 'mvDir', `${src.requestPath(srcRemote)}/`, dstRemote, signal);
  } catch (err) {
    throw wrapError("couldn't move directory", err);
  }
}
