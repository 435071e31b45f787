// The JFS file requests the upload path needs: read the file document, verify it, set its modtime (cphash), rm, mv.

import { JsyncError, objectNotFound } from '@jsync/core';
import type { Timestamp } from '@jsync/core';
import { formatJfsTime } from '../api/time.js';
import type { JottaFile } from '../api/types.js';
import { parseJfsDocument } from '../api/xml.js';
import { httpStatusOf } from '../http/errors.js';
import type { JottaContext } from '../fs/context.js';

/** What an upload must have produced: content of this MD5 and size as the current revision. */
export interface ExpectedContent {
  md5: string;
  size: number;
}

/** Parses a JFS answer that must be a `<file>` document. */
function fileOf(xml: string, remote: string): JottaFile {
  const doc = parseJfsDocument(xml);
  if (doc.kind === 'file') return doc.file;
  throw new JsyncError({ code: 'IO', message: `expected a file document for "${remote}", got <${doc.kind}>`, context: { remote } });
}

/** `GET` of the file document (paced); 404 → OBJECT_NOT_FOUND. */
export async function readFileDoc(ctx: JottaContext, remote: string, signal?: AbortSignal): Promise<JottaFile> {
  try {
    const xml = await ctx.client.text({ method: 'GET', rootUrl: ctx.jfsUrl, path: ctx.filePath(remote).slice(1), ...(signal ? { signal } : {}) });
    return fileOf(xml, remote);
  } catch (err) {
    if (httpStatusOf(err) === 404) throw new JsyncError({ code: 'OBJECT_NOT_FOUND', cause: err, context: { remote } });
    throw err;
  }
}

/**
 * Throws unless `file` is live with a COMPLETED current revision of the expected MD5 and size. The message says what
 * differs; a CORRUPT or INCOMPLETE newer revision (the server keeps the previous one current) is named as such.
 */
export function verifyContent(file: JottaFile, want: ExpectedContent, remote: string): void {
  const cur = file.currentRevision;
  const fail = (what: string, errorClass: 'retry' | 'noRetry' = 'retry'): never => {
    throw new JsyncError({ code: 'IO', message: `upload of "${remote}" not accepted: ${what}`, errorClass, context: { remote, md5: want.md5, size: want.size } });
  };
  if (file.deleted) fail('the file is in the trash after the upload');
  const matches = cur !== undefined && cur.state === 'COMPLETED' && cur.md5 === want.md5 && cur.size === want.size;
  if (matches) return;
  const latest = file.latestRevision;
  if (latest?.state === 'CORRUPT') fail(`the server marked the new revision CORRUPT (declared md5 ${latest.md5 ?? '?'}); the previous revision stays current`);
  if (latest?.state === 'INCOMPLETE') fail(`the new revision is INCOMPLETE (${latest.size ?? 0} of ${want.size} bytes received)`);
  if (cur === undefined) return fail('the server has no completed revision');
  if (cur.state !== 'COMPLETED') fail(`current revision is ${cur.state}, not COMPLETED`);
  if (cur.md5 !== want.md5) fail(`md5 differs: sent ${want.md5}, server has ${cur.md5 ?? 'none'}`);
  fail(`size differs: sent ${want.size}, server has ${cur.size ?? 'none'}`);
}

/** True when the current revision's modification time is `t` to the second. */
export function modTimeMatches(file: JottaFile, t: Timestamp): boolean {
  const m = file.currentRevision?.modified;
  return m !== undefined && m.seconds === t.seconds;
}

/**
 * Sets the modification time of the file with this content (`?cphash=true`, JFS times; created stays as it is when
 * known). Returns the server's document; 404 (content no longer matches) → CANT_SET_MOD_TIME-like IO error.
 */
export async function setModTime(ctx: JottaContext, remote: string, want: ExpectedContent, created: Timestamp, modified: Timestamp, signal?: AbortSignal): Promise<JottaFile> {
  try {
    const xml = await ctx.client.text({
      method: 'POST', rootUrl: ctx.jfsUrl, path: ctx.filePath(remote).slice(1), query: { cphash: 'true' },
      headers: { JSize: String(want.size), JMd5: want.md5, JCreated: formatJfsTime(created), JModified: formatJfsTime(modified) },
      ...(signal ? { signal } : {}),
    });
    return fileOf(xml, remote);
  } catch (err) {
    const message = `couldn't set modification time of "${remote}": ${httpStatusOf(err) === 404 ? 'metadata did not match' : err instanceof Error ? err.message : String(err)}`;
    throw new JsyncError({ code: 'IO', message, cause: err, context: { remote } });
  }
}

/** Deletes the file permanently (`?rm=true`); a missing file is fine. */
export async function hardDelete(ctx: JottaContext, remote: string, signal?: AbortSignal): Promise<void> {
  try {
    await ctx.client.text({ method: 'POST', rootUrl: ctx.jfsUrl, path: ctx.filePath(remote).slice(1), query: { rm: 'true' }, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (httpStatusOf(err) !== 404) throw err;
  }
}

/** Moves (renames) a file (`?mv=<absolute destination>`); a missing source → OBJECT_NOT_FOUND. */
export async function moveFile(ctx: JottaContext, from: string, to: string, signal?: AbortSignal): Promise<void> {
  try {
    await ctx.client.text({
      method: 'POST', rootUrl: ctx.jfsUrl, path: ctx.filePath(from).slice(1), query: { mv: ctx.filePath(to) }, ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (httpStatusOf(err) === 404) throw objectNotFound(from);
    throw err;
  }
}
