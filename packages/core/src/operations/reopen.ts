// A source stream that re-opens itself at the failed offset after a read error (rclone operations.ReOpen).

import type { Readable } from 'node:stream';
import { errorClassOf, JsyncError } from '../fs/errors.js';
import type { FsObject } from '../fs/types.js';
import type { OperationContext } from '../sync/options.js';
import { errText } from './skip.js';

/** The data of one object, surviving read errors by re-opening at the offset reached. */
export interface ReopeningReader extends AsyncIterable<Uint8Array> {
  /** Bytes delivered so far. */
  readonly bytesRead: number;
  /** Releases the underlying stream; iteration then ends with an error if still running. */
  close(): void;
}

/**
 * Opens `src` (errors propagate) and returns a single-use reader that, on a read error not classified
 * `noLowLevelRetry`, re-opens at the offset reached, up to `maxTries` opens in total (DEBUG `Reopening on read
 * failure after N bytes: retry i/n: <err>`; when exhausted: `failed to reopen: too many retries`).
 */
export async function openReopening(ctx: OperationContext, src: FsObject, maxTries: number): Promise<ReopeningReader> {
  let tries = 0;
  let read = 0;
  let closed = false;
  let current: Readable | undefined;
  const subject = String(src);
  const open = async (): Promise<void> => {
    tries++;
    if (tries > maxTries) throw new JsyncError({ code: 'IO', message: 'failed to reopen: too many retries' });
    const opts = { ...(read > 0 ? { seek: read } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) };
    try {
      current = await src.open(opts);
    } catch (err) {
      if (tries > 1) ctx.logger.log('DEBUG', subject, `Reopen failed after ${read} bytes read: ${errText(err)}`);
      throw err;
    }
  };
  await open();
  return {
    get bytesRead() {
      return read;
    },
    close() {
      closed = true;
      current?.destroy();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const stream = current!;
        const it = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array | string>;
        try {
          for (;;) {
            let step: IteratorResult<Uint8Array | string>;
            try {
              step = await it.next();
            } catch (err) {
              if (closed || ctx.signal?.aborted || errorClassOf(err) === 'noLowLevelRetry') throw err;
              stream.destroy();
              ctx.logger.log('DEBUG', subject, `Reopening on read failure after ${read} bytes: retry ${tries}/${maxTries}: ${errText(err)}`);
              await open();
              break;
            }
            if (step.done) return;
            const chunk = typeof step.value === 'string' ? Buffer.from(step.value) : step.value;
            read += chunk.length;
            yield chunk;
          }
        } finally {
          stream.destroy();
        }
      }
    },
  };
}
