// openFile: GET ?mode=bin (+Range) as a Readable that resumes with a Range after a dropped or short body.

import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { JsyncError, decodeOpenOptions, invalidArgument, logDebug } from '@jsync/core';
import type { OpenOptions } from '@jsync/core';
import type { JottaContext } from '../fs/context.js';
import { httpStatusOf } from '../http/errors.js';
import { shouldRetry } from '../http/pacer.js';
import type { RestResponse } from '../http/rest.js';

/** Arguments of {@link openFile}. */
export interface DownloadArgs {
  ctx: JottaContext;
  /** File, Standard encoding, relative to the Fs root. */
  remote: string;
  /** The file's size (decides the byte count delivered and the resume ranges); -1 = unknown: no counting, no resume. */
  size: number;
  opts?: OpenOptions;
}

/** Re-requests after a body broke off or came up short, per open, before the read fails. */
export const MAX_DOWNLOAD_RESUMES = 10;

/**
 * Opens the file's content (the current revision) for reading; `opts.range`/`opts.seek` as rclone decodes them. The
 * stream delivers exactly the expected bytes: a body that breaks off (network error) or ends short is continued
 * with `Range: bytes=<next>-<end>` (up to {@link MAX_DOWNLOAD_RESUMES} times; at once after progress, else backing off like the pacer); more bytes
 * than expected is an error. The first request fails here (404 → OBJECT_NOT_FOUND); `opts.signal` aborts it all.
 */
export async function openFile(args: DownloadArgs): Promise<Readable> {
  const { ctx, remote, size } = args;
  const signal = args.opts?.signal;
  // An unknown size does not clamp; a suffix range ("last n bytes") needs the size.
  if (size < 0 && (args.opts?.range?.start ?? 0) < 0) throw invalidArgument(`can't read the last bytes of "${remote}" without its size`);
  const { offset, limit } = decodeOpenOptions(args.opts ?? {}, size < 0 ? Number.MAX_SAFE_INTEGER : size);
  // Bytes to deliver; -1 when the size is unknown and no limit was asked (then the body passes as it comes).
  const total = size < 0 ? limit : Math.max(0, limit < 0 ? size - offset : Math.min(limit, size - offset));
  const ranged = offset > 0 || (size < 0 ? limit >= 0 : total < size);
  const rangeEnd = total < 0 ? '' : String(offset + total - 1);
  const streamOpts = { objectMode: false, ...(signal ? { signal } : {}) };
  if (total === 0 && size !== 0) return Readable.from([], streamOpts);
  const get = (from: number, withRange: boolean): Promise<RestResponse> =>
    ctx.client.call({
      method: 'GET', rootUrl: ctx.jfsUrl, path: ctx.filePath(remote).slice(1), query: { mode: 'bin' },
      ...(withRange ? { headers: { Range: `bytes=${from}-${rangeEnd}` } } : {}), ...(signal ? { signal } : {}),
    });
  let first: RestResponse;
  try {
    first = await get(offset, ranged);
  } catch (err) {
    if (httpStatusOf(err) === 404) throw new JsyncError({ code: 'OBJECT_NOT_FOUND', cause: err, context: { remote } });
    throw err;
  }
  if (total < 0) return first.body;
  return Readable.from(deliver({ ctx, remote, offset, total, first, ranged, get, ...(signal ? { signal } : {}) }), streamOpts);
}

interface DeliverArgs {
  ctx: JottaContext;
  remote: string;
  offset: number;
  total: number;
  first: RestResponse;
  ranged: boolean;
  get: (from: number, withRange: boolean) => Promise<RestResponse>;
  signal?: AbortSignal;
}

/** Yields the `total` bytes starting at `offset`, re-requesting the rest whenever a body stops early. */
async function* deliver(a: DeliverArgs): AsyncGenerator<Uint8Array> {
  let delivered = 0;
  let response = a.first;
  let requestedFrom = a.offset;
  let asked = a.ranged;
  let idle = 0;
  for (let resumes = 0; ; ) {
    let failure: unknown;
    let overflow: JsyncError | undefined;
    try {
      // A 200 answer to a ranged request carries the whole file: skip to the start, stop at the end.
      const whole = response.status !== 206 && asked;
      let skip = whole ? requestedFrom : 0;
      for await (const raw of response.body as AsyncIterable<Uint8Array>) {
        let chunk = raw;
        if (skip > 0) {
          const n = Math.min(skip, chunk.length);
          skip -= n;
          chunk = chunk.subarray(n);
        }
        if (chunk.length === 0) continue;
        if (delivered + chunk.length > a.total) {
          if (!whole) {
            overflow = new JsyncError({
              code: 'IO', errorClass: 'noRetry', context: { remote: a.remote },
              message: `download of "${a.remote}" returned more than the expected ${a.total} bytes`,
            });
            throw overflow;
          }
          chunk = chunk.subarray(0, a.total - delivered);
        }
        delivered += chunk.length;
        yield chunk;
        if (whole && delivered === a.total) break;
      }
    } catch (err) {
      if (err === overflow || a.signal?.aborted || !shouldRetry(err)) throw err;
      failure = err;
    } finally {
      response.body.destroy();
    }
    if (delivered === a.total) return;
    if (++resumes > MAX_DOWNLOAD_RESUMES) {
      throw new JsyncError({
        code: 'IO', errorClass: 'retry', cause: failure, context: { remote: a.remote, delivered, expected: a.total },
        message: `download of "${a.remote}" stopped after ${delivered} of ${a.total} bytes (${MAX_DOWNLOAD_RESUMES} resumes)${failure instanceof Error ? `: ${failure.message}` : ''}`,
      });
    }
    logDebug(a.ctx.logger, a.remote, `download stopped after ${delivered} of ${a.total} bytes${failure instanceof Error ? ` (${failure.message})` : ''}; resuming`);
    // A body that made progress is re-requested at once; one that brought nothing backs off like the pacer.
    if (a.offset + delivered === requestedFrom) {
      idle++;
      await sleep(Math.min(2000, 10 * 2 ** (idle - 1)), undefined, a.signal ? { signal: a.signal } : {});
    }
    requestedFrom = a.offset + delivered;
    asked = true;
    response = await a.get(requestedFrom, true);
  }
}
