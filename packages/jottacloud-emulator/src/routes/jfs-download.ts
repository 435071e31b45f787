// GET …?mode=bin: the bytes of a file's current revision, whole (200) or one range (206 + Content-Range).

import { Exc, HttpError, noSuchFile } from '../http/errors.js';
import { parseRange } from '../http/request.js';
import { dropConnection, errorXml, sendBody, type RequestContext } from '../http/respond.js';
import type { Located } from '../model/account.js';
import { formatJfsTime } from '../xml/time.js';
import { pathOf } from './jfs.js';

/** Streams the current revision of the located file (trashed files too; folders and missing paths are 404). */
export async function download(ctx: RequestContext, loc: Located): Promise<void> {
  const node = loc.node;
  if (node?.kind !== 'file' || !node.current) throw noSuchFile(pathOf(ctx, loc));
  const rev = node.current;
  const range = rev.size === 0 ? null : parseRange(ctx.req.headers.range, rev.size);
  if (range === 'unsatisfiable') {
    const status = 416;
    const err = new HttpError(status, Exc.range, `Requested range ${ctx.req.headers.range} not satisfiable for ${rev.size} bytes`);
    sendBody(ctx, status, 'application/xml; charset=UTF-8', errorXml(ctx, status, `${err.exception}: ${err.message}`), { 'Content-Range': `bytes */${rev.size}` });
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? rev.size;
  const headers: Record<string, string> = {
    'Content-Type': rev.mime,
    'Accept-Ranges': 'bytes',
    ETag: `"${rev.md5}"`,
    'Last-Modified': new Date(rev.modified * 1000).toUTCString(),
    'X-Jfs-Modified': formatJfsTime(rev.modified),
  };
  if (range) headers['Content-Range'] = `bytes ${start}-${end - 1}/${rev.size}`;
  const length = end - start;
  const send = ctx.fault === 'truncate' || ctx.fault === 'reset' ? Math.floor(length / 2) : length;
  headers['Content-Length'] = String(ctx.fault === 'truncate' ? send : length);
  const { res } = ctx;
  res.writeHead(range ? 206 : 200, headers);
  const stream = ctx.state.content.readBlob(rev.md5, start, start + send);
  let damage = ctx.fault === 'corrupt';
  try {
    for await (const raw of stream) {
      if (res.destroyed) break;
      let chunk = raw as Buffer;
      // `corrupt`: the first byte served is damaged, so the body no longer matches the file's MD5.
      if (damage && chunk.length) {
        chunk = Buffer.concat([Buffer.from([chunk[0]! ^ 0xff]), chunk.subarray(1)]);
        damage = false;
      }
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
  } finally {
    stream.destroy();
  }
  if (ctx.fault === 'reset') res.write('', () => dropConnection(ctx));
  else if (!res.destroyed) res.end();
}
