// GETs of injected raw (hostile) entries: a client that trusts a name like `../x` or `a/b` requests it back, in
// whatever encoding (`..%2Fx`, `../x`, `a/b`); the path is matched after lenient decoding and served.

import { Exc, HttpError } from '../http/errors.js';
import { parseRange, percentDecode } from '../http/request.js';
import { errorXml, rootAttrs, sendBody, sendXml, type RequestContext } from '../http/respond.js';
import { findRawEntry } from '../model/raw-entries.js';
import { rawEntryDocument } from '../xml/raw.js';

/** Percent-decodes every segment of a raw `/jfs/…` path (empty segments, `..` and `%2F` allowed); undefined if malformed. */
export function lenientDecode(rawPath: string, plusAsSpace: boolean): string | undefined {
  try {
    return rawPath.replace(/^\/jfs\//, '').split('/').map((seg) => percentDecode(seg, plusAsSpace)).join('/');
  } catch {
    return undefined;
  }
}

/** Serves a GET (`mode=bin` or no mode) that addresses a raw entry; false when the request is not for one. */
export function serveRawEntry(ctx: RequestContext): boolean {
  const { state } = ctx;
  if (state.rawFolders.size === 0) return false;
  const mode = ctx.target.query.get('mode') ?? '';
  if (mode !== '' && mode !== 'bin') return false;
  const decoded = lenientDecode(ctx.target.path, state.behaviour.plusInPath === 'space');
  const hit = decoded === undefined ? undefined : findRawEntry(state.account, state.rawFolders, decoded);
  if (!hit) return false;
  const { entry } = hit;
  const parentPath = state.account.absPath(hit.device, hit.mp, hit.names);
  if (mode === '') {
    sendXml(ctx, 200, rawEntryDocument(entry, parentPath, rootAttrs(ctx)));
    return true;
  }
  if (entry.kind === 'folder') throw new HttpError(404, Exc.noSuchFile, `File ${parentPath}/${entry.name} does not exist`);
  const size = entry.content.length;
  const range = size === 0 ? null : parseRange(ctx.req.headers.range, size);
  if (range === 'unsatisfiable') {
    sendBody(ctx, 416, 'application/xml; charset=UTF-8', errorXml(ctx, 416, `${Exc.range}: Requested range not satisfiable`), { 'Content-Range': `bytes */${size}` });
    return true;
  }
  const headers: Record<string, string> = { 'Accept-Ranges': 'bytes', ETag: `"${entry.revision.md5}"` };
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end - 1}/${size}`;
  sendBody(ctx, range ? 206 : 200, entry.revision.mime, entry.content.subarray(range?.start ?? 0, range?.end ?? size), headers);
  return true;
}
