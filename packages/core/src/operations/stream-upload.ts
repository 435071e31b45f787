// Uploading a source of unknown size (rclone Rcat): small → plain put, else PutStream, else spool to a temp file.

import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TransferAccount } from '../accounting/types.js';
import type { Fs, FsObject, ObjectInfo, PutOptions } from '../fs/types.js';
import type { HashType } from '../hash/hash-type.js';
import { hashingPassThrough } from '../hash/multi-hasher.js';
import type { OperationContext } from '../sync/options.js';
import { hashesOption } from './hashes.js';
import { hardCutoff } from './max-transfer.js';
import { staticObjectInfo } from './object-info.js';
import { openReopening } from './reopen.js';

/** rclone's `--streaming-upload-cutoff` default: data that ends within this many bytes is uploaded normally. */
export const STREAMING_UPLOAD_CUTOFF = 100 * 1024;

/** Inputs of {@link uploadUnknownSize}. */
export interface UnknownSizeUpload {
  fdst: Fs;
  dst?: FsObject;
  remote: string;
  src: FsObject;
  account: TransferAccount;
  hashType: HashType | undefined;
  putOpts: PutOptions;
}

/**
 * Uploads `src` whose size is unknown: reads up to {@link STREAMING_UPLOAD_CUTOFF}; if the data ends there it is
 * put with its now known size, else streamed with `putStream` when `fdst` has it, else spooled to a temp file
 * under `os.tmpdir()` and put from there. Returns the object, rclone's `Copied (Rcat, …)` action and a
 * description of the bytes actually read (size and hash) to verify against.
 */
export async function uploadUnknownSize(
  ctx: OperationContext, a: UnknownSizeUpload,
): Promise<{ obj: FsObject; action: string; expected: ObjectInfo }> {
  const reader = await openReopening(ctx, a.src, Math.max(1, ctx.options.lowLevelRetries));
  try {
    const hashed = hashingPassThrough(hardCutoff(ctx, a.account.wrap(reader, ctx.signal)), hashesOption(a.hashType));
    const it = hashed[Symbol.asyncIterator]();
    const head: Uint8Array[] = [];
    let headBytes = 0;
    let ended = false;
    while (headBytes < STREAMING_UPLOAD_CUTOFF) {
      const step = await it.next();
      if (step.done) {
        ended = true;
        break;
      }
      head.push(step.value);
      headBytes += step.value.length;
    }
    const body = (async function* all() {
      yield* head;
      if (ended) return;
      for (let step = await it.next(); !step.done; step = await it.next()) yield step.value;
    })();
    const modTime = a.src.modTime();
    const mime = a.src.mimeType?.();
    const info = (size: number) =>
      staticObjectInfo({ remote: a.remote, size, modTime, fs: a.src.fs, ...(mime !== undefined ? { mimeType: mime } : {}) });
    const fdstName = a.fdst.toString();
    let obj: FsObject;
    if (ended) {
      ctx.logger.log('DEBUG', fdstName, `File to upload is small (${headBytes} bytes), uploading instead of streaming`);
      obj = await putKnown(a, body, info(headBytes));
    } else if (a.fdst.features.putStream !== undefined) {
      obj = await a.fdst.features.putStream(body, info(-1), a.putOpts);
    } else {
      ctx.logger.log('DEBUG', fdstName, "Target remote doesn't support streaming uploads, creating temporary local FS to spool file");
      obj = await viaSpool(a, body, info);
    }
    const expected = staticObjectInfo({
      remote: a.remote, size: hashed.size, modTime, fs: a.src.fs, hashes: hashed.done ? hashed.digests() : new Map(),
    });
    return { obj, action: a.dst !== undefined ? 'Copied (Rcat, replaced existing)' : 'Copied (Rcat, new)', expected };
  } finally {
    reader.close();
  }
}

async function putKnown(a: UnknownSizeUpload, body: AsyncIterable<Uint8Array>, info: ObjectInfo): Promise<FsObject> {
  if (a.dst === undefined) return a.fdst.put(body, info, a.putOpts);
  await a.dst.update(body, info, a.putOpts);
  return a.dst;
}

/** Writes `body` to a private temp directory, uploads the file with its size, and always removes the directory. */
async function viaSpool(a: UnknownSizeUpload, body: AsyncIterable<Uint8Array>, info: (size: number) => ObjectInfo): Promise<FsObject> {
  const dir = await mkdtemp(join(tmpdir(), 'jsync-spool-'));
  try {
    const file = join(dir, 'data');
    let size = 0;
    const counted = (async function* count() {
      for await (const chunk of body) {
        size += chunk.length;
        yield chunk;
      }
    })();
    await pipeline(Readable.from(counted), createWriteStream(file, { mode: 0o600 }));
    const stream = createReadStream(file);
    try {
      return await putKnown(a, stream, info(size));
    } finally {
      stream.destroy();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
