// POST <upload_url>: receives the raw bytes of an allocated upload (optionally from a Range offset), verifies MD5 and
// size when complete and commits a revision; short bodies give 420 (resumable), MD5 mismatches a CORRUPT revision.

import { requireAuth } from '../http/auth.js';
import { badRequest, conflict, Exc, HttpError, noSuchFile } from '../http/errors.js';
import { dropConnection, sendJson, type RequestContext } from '../http/respond.js';
import { commitRevision, fileSlot, reviveFile, sameContent } from '../model/file-ops.js';
import type { PendingUpload } from '../model/uploads.js';
import type { EmulatorState } from '../state.js';

/** Parses `Range: bytes=a-b|a-` or `Content-Range: bytes a-b/total` into [start, endExclusive]. */
export function uploadRange(range: string | undefined, contentRange: string | undefined, size: number): [number, number] {
  if (range) {
    const m = /^\s*bytes\s*=\s*(\d+)\s*-\s*(\d*)\s*$/i.exec(range);
    if (!m) throw new HttpError(416, Exc.range, `Invalid Range ${JSON.stringify(range)}`);
    return [Number(m[1]), m[2] === '' ? size : Number(m[2]) + 1];
  }
  if (contentRange) {
    const m = /^\s*bytes\s+(\d+)\s*-\s*(\d+)\s*\/\s*(\d+|\*)\s*$/i.exec(contentRange);
    if (!m) throw new HttpError(416, Exc.range, `Invalid Content-Range ${JSON.stringify(contentRange)}`);
    return [Number(m[1]), Number(m[2]) + 1];
  }
  return [0, size];
}

async function markCorrupt(state: EmulatorState, u: PendingUpload): Promise<void> {
  await state.mutate(async (ops) => {
    const loc = ops.account.locate(u.device, u.mountpoint, u.names);
    const node = loc?.node;
    if (node?.kind === 'file' && node.latest?.uploadId === u.id) Object.assign(node.latest, { state: 'CORRUPT', uploadId: null, updated: ops.now });
    state.uploads.delete(u.id);
    await state.content.deletePart(u.id);
  });
}

async function commit(state: EmulatorState, u: PendingUpload, md5: string): Promise<string> {
  return state.mutate(async (ops) => {
    const loc = ops.account.locate(u.device, u.mountpoint, []);
    if (!loc) throw noSuchFile(`/${ops.account.info.username}/${u.device}/${u.mountpoint}`);
    const { file } = fileSlot(ops, loc.mp, u.names);
    await state.content.finalizePart(u.id, md5);
    state.uploads.delete(u.id);
    if (file.latest?.uploadId === u.id) file.latest = null;
    const name = u.names[u.names.length - 1]!;
    const input = { md5, size: u.size, created: u.created, modified: u.modified };
    if (sameContent(file, md5, u.size)) {
      Object.assign(file.current!, { created: u.created, modified: u.modified });
      reviveFile(file, name);
    } else {
      commitRevision(ops, file, input, name);
    }
    return ops.account.absPath(loc.device, loc.mp, u.names);
  });
}

/** Streams the body into the part; returns bytes stored, or null when the connection is gone. */
async function receive(ctx: RequestContext, u: PendingUpload, start: number, limit: number): Promise<{ stored: number; overflow: boolean } | null> {
  const writer = await ctx.state.content.openPart(u.id, start);
  const declared = Number(ctx.req.headers['content-length'] ?? limit);
  const half = Math.floor(Math.min(declared, limit) / 2);
  let stored = 0;
  let overflow = false;
  try {
    for await (const raw of ctx.req) {
      let chunk = raw as Buffer;
      if (stored + chunk.length > limit) {
        overflow = true;
        chunk = chunk.subarray(0, limit - stored);
      }
      if (ctx.fault === 'reset' || ctx.fault === 'truncate') chunk = chunk.subarray(0, Math.max(0, half - stored));
      // `corrupt`: the first byte of this request's body is damaged in transit (the stored part keeps the damage).
      if (ctx.fault === 'corrupt' && stored === 0 && chunk.length) chunk = Buffer.concat([Buffer.from([chunk[0]! ^ 0xff]), chunk.subarray(1)]);
      if (chunk.length) await writer.write(chunk);
      stored += chunk.length;
      if (overflow) break;
      if (ctx.fault === 'reset' && stored >= half) {
        dropConnection(ctx);
        return null;
      }
    }
  } catch (e) {
    if (ctx.req.socket.destroyed || ctx.req.readableAborted) return null;
    throw e;
  } finally {
    await writer.close();
  }
  return { stored, overflow };
}

/** Handles `POST /files/v1/upload/<id>`. */
export async function handleUpload(ctx: RequestContext): Promise<void> {
  const { state, req } = ctx;
  if (req.method !== 'POST') throw new HttpError(405, Exc.method, `Request method '${req.method}' not supported`);
  if (state.behaviour.uploadRequiresAuth) requireAuth(ctx);
  const id = ctx.target.path.slice('/files/v1/upload/'.length);
  const u = state.uploads.get(id);
  if (!u) throw new HttpError(404, Exc.noSuchFile, `Upload ${id} does not exist`);
  if (!state.uploads.claim(id)) throw conflict(`Upload ${id} is already in progress`);
  try {
    const received = await state.content.partLength(id);
    const [start, end] = uploadRange(req.headers.range, req.headers['content-range'], u.size);
    if (start > received || end > u.size || start > end) {
      throw new HttpError(416, Exc.range, `Range ${start}-${end - 1} does not fit: ${received} of ${u.size} bytes received`);
    }
    const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    if (declared !== undefined && (!Number.isSafeInteger(declared) || start + declared > u.size)) throw badRequest(`Content-Length ${declared} exceeds the file size ${u.size}`);
    const got = await receive(ctx, u, start, u.size - start);
    if (!got) return;
    const total = start + got.stored;
    if (got.overflow) {
      req.resume();
      await markCorrupt(state, u);
      throw new HttpError(400, Exc.corrupt, `Upload of ${u.size} bytes received more data than declared`);
    }
    if (total < u.size) {
      sendJson(ctx, 420, { code: 420, message: `${Exc.incomplete}: Incomplete upload, ${total} of ${u.size} bytes received`, cause: '', error_id: 'IncompleteUploadOpenApiException', 'x-id': ctx.xid, resume_pos: total });
      return;
    }
    const md5 = await state.content.hashPart(id);
    if (md5 !== u.md5 || ctx.fault === 'corrupt') {
      await markCorrupt(state, u);
      throw new HttpError(400, Exc.corrupt, `Checksum mismatch: declared ${u.md5}, received ${md5}`);
    }
    const path = await commit(state, u, md5);
    sendJson(ctx, 201, { path, content_id: md5, bytes: u.size, md5, modified: u.modified * 1000 });
  } finally {
    state.uploads.release(id);
  }
}
