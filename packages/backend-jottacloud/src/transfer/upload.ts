// uploadFile: put/update of one Jottacloud file — MD5 first, allocate + upload with resume, verify, modtime.

import { isJsyncError, logDebug } from '@jsync/core';
import type { ObjectInfo, PutOptions } from '@jsync/core';
import { leafOf } from '@jsync/core';
import type { JottaFile } from '../api/types.js';
import type { JottaContext } from '../fs/context.js';
import { confirmedByAnswer, rememberMime } from './confirm.js';
import { modTimeMatches, readFileDoc, setModTime, verifyContent } from './jfs-file.js';
import type { ExpectedContent } from './jfs-file.js';
import { spoolWithMd5 } from './md5-spool.js';
import { checkNameLength } from './names.js';
import { replaceWithoutVersions } from './no-versions.js';
import type { UploadSource } from './source.js';
import { streamSource } from './stream-source.js';
import { sendContent } from './upload-session.js';

/** Arguments of {@link uploadFile}. */
export interface UploadArgs {
  ctx: JottaContext;
  /** Destination, Standard encoding, relative to the Fs root. */
  remote: string;
  /** The content, read once. */
  input: AsyncIterable<Uint8Array>;
  /** Size (-1 = unknown), modtime and (maybe) MD5 of the content. */
  src: ObjectInfo;
  opts?: PutOptions;
  /** An existing file is being replaced (update); with `no_versions` the replacement goes through a temp name. */
  replacing: boolean;
}

const MD5_HEX = /^[0-9a-f]{32}$/;

/**
 * Uploads one file and returns the server's document of it. Names longer than 255 characters fail before any
 * request. The MD5 comes from `src` or from spooling the input (memory up to `md5_memory_limit`, else a temp file,
 * always removed). Allocate + upload resume from `resume_pos`; success means the server confirms a COMPLETED current
 * revision with the same MD5 and size: the upload POST's answer naming exactly those bytes and MD5, else (no such
 * answer, dedup at allocate) a GET showing it (a wrong modtime, e.g. after dedup, is fixed with cphash). An upload that
 * fails leaves at most an INCOMPLETE/CORRUPT `latestRevision`, never a visible new object or a changed current one.
 * With `no_versions` and `replacing`, see {@link replaceWithoutVersions}: the old file is hard-deleted only after the
 * new content is COMPLETED, verified and in place under the name.
 */
export async function uploadFile(args: UploadArgs): Promise<JottaFile> {
  const { ctx, remote, src } = args;
  const signal = args.opts?.signal;
  checkNameLength(ctx.encoder, remote);
  signal?.throwIfAborted();
  const source = await prepareSource(args);
  try {
    if (args.replacing && ctx.opt.no_versions) {
      const upload = (name: string): Promise<JottaFile> => uploadAndVerify(ctx, name, source, src, signal);
      return await replaceWithoutVersions({ ctx, remote, want: { md5: source.md5, size: source.size }, upload, ...(signal ? { signal } : {}) });
    }
    return await uploadAndVerify(ctx, remote, source, src, signal);
  } finally {
    await source.dispose();
  }
}

/** The source's MD5 when it has one and its size is known; else a spool that learns both. */
async function prepareSource(args: UploadArgs): Promise<UploadSource> {
  const { ctx, src, input } = args;
  const signal = args.opts?.signal;
  let md5 = '';
  if (src.size > 0) {
    try {
      md5 = (await src.hash('md5', signal ? { signal } : {})).toLowerCase();
    } catch (err) {
      // rclone: any error (unsupported, unreadable) → compute it ourselves; an abort stops the put.
      if (signal?.aborted) throw err;
      if (!isJsyncError(err, 'HASH_UNSUPPORTED')) logDebug(ctx.logger, args.remote, `source md5 unavailable (${String(err)}); spooling to compute it`);
    }
  }
  if (MD5_HEX.test(md5)) return streamSource(input, { md5, size: src.size, windowBytes: ctx.opt.md5_memory_limit });
  return spoolWithMd5(input, {
    sizeHint: src.size, memoryLimit: ctx.opt.md5_memory_limit, ...(ctx.global.tempDir ? { tempDir: ctx.global.tempDir } : {}), ...(signal ? { signal } : {}),
  });
}

/**
 * Sends the content to `remote` and verifies it: on the upload answer when it confirms exactly this content, else by
 * reading the file back; then fixes the modtime if the server has another one.
 */
async function uploadAndVerify(ctx: JottaContext, remote: string, source: UploadSource, src: ObjectInfo, signal?: AbortSignal): Promise<JottaFile> {
  const modTime = src.modTime();
  const want: ExpectedContent = { md5: source.md5, size: source.size };
  const { dedup, answer } = await sendContent(ctx, remote, source, modTime, signal);
  const leaf = ctx.encoder.fromStandardName(leafOf(remote));
  let file = dedup ? undefined : confirmedByAnswer({ fs: ctx, leaf, answer, want, modTime });
  if (file === undefined) {
    file = await readFileDoc(ctx, remote, signal);
    verifyContent(file, want, remote);
    rememberMime(ctx, leaf, file);
  }
  if (!modTimeMatches(file, modTime)) {
    logDebug(ctx.logger, remote, `server modtime differs after ${dedup ? 'dedup' : 'upload'}; setting it with cphash`);
    file = await setModTime(ctx, remote, want, file.currentRevision?.created ?? modTime, modTime, signal);
    verifyContent(file, want, remote);
  }
  return file;
}
