// POST files/v1/allocate: prepares an upload — COMPLETED when the content is already there (or can be deduplicated),
// otherwise an upload id/URL with `resume_pos` for a partial earlier upload. Creates parent folders; enforces quota.

import { randomBytes } from 'node:crypto';
import { requireAuth } from '../http/auth.js';
import { badRequest, conflict, Exc, HttpError, noSuchPath } from '../http/errors.js';
import { readSmallBody } from '../http/request.js';
import { sendJson, type RequestContext } from '../http/respond.js';
import { fileSlot, putContent, restoreAt, sameContent, type OpsContext } from '../model/file-ops.js';
import { nextRevisionNumber } from '../model/tree.js';
import type { EmulatorState } from '../state.js';
import { mimeFor } from '../util/mime.js';
import { parseFlexibleTime } from '../xml/time.js';
import { usageRules } from './api.js';

/** Pending uploads kept per target path (older idle ones are dropped). */
const MAX_PENDING_PER_PATH = 16;

/** A validated allocate request. */
export interface AllocateRequest {
  device: string;
  mountpoint: string;
  names: string[];
  bytes: number;
  md5: string;
  created: number;
  modified: number;
  rejectConflicts: boolean;
}

/** Splits an allocate `path`: `/jfs/<device>/<mountpoint>/<p…>`, or `<mountpoint>/<p…>` on device Jotta. */
export function parseAllocatePath(path: string): { device: string; mountpoint: string; names: string[] } {
  const parts = path.replace(/^\/+/, '').split('/');
  if (parts[parts.length - 1] === '') parts.pop();
  const withDevice = path.startsWith('/jfs/');
  const [device, mountpoint, ...names] = withDevice ? parts.slice(1) : ['Jotta', ...parts];
  if (!device || !mountpoint || names.length === 0) throw badRequest(`Invalid path ${JSON.stringify(path)}`);
  for (const n of [device, mountpoint, ...names]) if (n === '' || n === '.' || n === '..') throw badRequest(`Invalid path ${JSON.stringify(path)}`);
  return { device, mountpoint, names };
}

/** Parses and validates the JSON body. */
export function parseAllocateBody(text: string, now: number, maxFileSize: number): AllocateRequest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest('Malformed JSON body');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw badRequest('Request body must be a JSON object');
  const o = json as Record<string, unknown>;
  if (typeof o.path !== 'string') throw badRequest('Missing path');
  if (typeof o.bytes !== 'number' || !Number.isSafeInteger(o.bytes) || o.bytes < 0) throw badRequest(`Invalid bytes ${JSON.stringify(o.bytes)}`);
  if (o.bytes > maxFileSize) throw badRequest(`File size ${o.bytes} exceeds the maximum of ${maxFileSize} bytes`);
  if (typeof o.md5 !== 'string' || !/^[0-9a-fA-F]{32}$/.test(o.md5)) throw badRequest(`Invalid md5 ${JSON.stringify(o.md5)}`);
  const time = (key: 'created' | 'modified'): number => {
    if (o[key] === undefined || o[key] === null || o[key] === '') return now;
    const t = parseFlexibleTime(o[key]);
    if (t === undefined) throw badRequest(`Invalid ${key} ${JSON.stringify(o[key])}`);
    return t;
  };
  const handler = o.conflict_handler ?? 'CREATE_NEW_REVISION';
  if (handler !== 'CREATE_NEW_REVISION' && handler !== 'REJECT_CONFLICTS') throw badRequest(`Invalid conflict_handler ${JSON.stringify(handler)}`);
  const modified = time('modified');
  return {
    ...parseAllocatePath(o.path), bytes: o.bytes, md5: o.md5.toLowerCase(), created: o.created === undefined ? modified : time('created'),
    modified, rejectConflicts: handler === 'REJECT_CONFLICTS',
  };
}

/** Where uploads go for a request from `origin` (api.* through the proxy → up.*). */
export function uploadOrigin(origin: string): string {
  return origin.replace(/^https:\/\/[^/.]+\.jottacloud\.com$/i, 'https://up.jottacloud.com');
}

async function allocate(state: EmulatorState, ops: OpsContext, r: AllocateRequest): Promise<{ state: string; uploadId: string; resumePos: number; path: string }> {
  const { account } = ops;
  const loc = account.locate(r.device, r.mountpoint, r.names);
  if (!loc) throw noSuchPath(`/${account.info.username}/${r.device}/${r.mountpoint}`);
  account.checkWritable(loc.mp);
  for (const n of r.names) account.checkName(n);
  const path = account.absPath(loc.device, loc.mp, r.names);
  const existing = loc.node;
  if (existing?.kind === 'folder' && existing.deleted === null) throw conflict(`${path} is a folder`);
  const input = { md5: r.md5, size: r.bytes, created: r.created, modified: r.modified };
  if (existing?.kind === 'file' && sameContent(existing, r.md5, r.bytes)) {
    existing.current!.created = r.created;
    existing.current!.modified = r.modified;
    restoreAt(ops, loc.mp, r.names, existing);
    return { state: 'COMPLETED', uploadId: '', resumePos: 0, path };
  }
  if (r.rejectConflicts && existing?.kind === 'file' && existing.deleted === null && existing.current) throw conflict(`File ${path} already exists`);
  const cap = account.info.capacity;
  if (cap >= 0) {
    const used = account.usage(usageRules(state));
    if (used + r.bytes > cap) {
      throw new HttpError(state.behaviour.quotaExceededStatus, Exc.quota, `Quota exceeded: storing ${r.bytes} bytes would exceed the capacity of ${cap} bytes (${used} used)`);
    }
  }
  if (state.behaviour.dedup && account.index.has(r.md5, r.bytes)) {
    putContent(ops, loc.mp, r.names, input);
    return { state: 'COMPLETED', uploadId: '', resumePos: 0, path };
  }
  const { file } = fileSlot(ops, loc.mp, r.names);
  const pending = state.uploads.forPath(loc.device.name, loc.mp.name, r.names);
  const same = pending.find((u) => u.md5 === r.md5 && u.size === r.bytes && !state.uploads.isActive(u.id));
  // Other writers of the same path keep their uploads (last commit wins); only the oldest idle ones are dropped.
  for (const u of pending.filter((p) => p !== same && !state.uploads.isActive(p.id)).slice(0, Math.max(0, pending.length - MAX_PENDING_PER_PATH))) {
    state.uploads.delete(u.id);
    await state.content.deletePart(u.id);
  }
  if (same) {
    let received = await state.content.partLength(same.id);
    if (received >= same.size) {
      await (await state.content.openPart(same.id, 0)).close();
      received = 0;
    }
    Object.assign(same, { created: r.created, modified: r.modified });
    if (file.latest?.uploadId === same.id) Object.assign(file.latest, { created: r.created, modified: r.modified });
    return { state: received > 0 ? 'INCOMPLETE' : 'ADDED', uploadId: same.id, resumePos: received, path };
  }
  const id = randomBytes(16).toString('hex');
  const number = nextRevisionNumber(file);
  file.latest = {
    number, state: 'INCOMPLETE', created: r.created, modified: r.modified, updated: ops.now, size: r.bytes, md5: r.md5,
    mime: mimeFor(r.names[r.names.length - 1]!), uploadId: id,
  };
  state.uploads.add({ id, device: loc.device.name, mountpoint: loc.mp.name, names: [...r.names], md5: r.md5, size: r.bytes, created: r.created, modified: r.modified, revision: number });
  return { state: 'ADDED', uploadId: id, resumePos: 0, path };
}

/** Handles `POST /files/v1/allocate`. */
export async function handleAllocate(ctx: RequestContext): Promise<void> {
  if (ctx.req.method !== 'POST') throw new HttpError(405, Exc.method, `Request method '${ctx.req.method}' not supported`);
  requireAuth(ctx);
  const { state } = ctx;
  const body = await readSmallBody(ctx.req, 64 * 1024);
  const r = parseAllocateBody(body.toString('utf8'), state.nowSec(), state.behaviour.maxFileSize);
  const out = await state.mutate((ops) => allocate(state, ops, r));
  sendJson(ctx, 200, {
    name: r.names[r.names.length - 1], path: out.path, state: out.state, upload_id: out.uploadId,
    upload_url: out.uploadId ? `${uploadOrigin(ctx.origin)}/files/v1/upload/${out.uploadId}` : '',
    bytes: r.bytes, resume_pos: out.resumePos,
  });
}
