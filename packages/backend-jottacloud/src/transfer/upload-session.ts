// allocate + upload POST with resume: the bytes of one put reach the server, resuming from resume_pos when cut off.

import { setTimeout as sleep } from 'node:timers/promises';
import { JsyncError, logDebug } from '@jsync/core';
import type { Timestamp } from '@jsync/core';
import { formatRfc3339 } from '../api/time.js';
import type { AllocateRequest, AllocateResponse, UploadResponse } from '../api/types.js';
import { JottaApiError, httpStatusOf } from '../http/errors.js';
import { shouldRetry } from '../http/pacer.js';
import type { JottaContext } from '../fs/context.js';
import { parseUploadAnswer } from './confirm.js';
import type { UploadSource } from './source.js';

/** Allocations (each followed by at most one upload POST) within one put before giving up to the engine's retry. */
export const MAX_UPLOAD_ATTEMPTS = 5;

/** Pause before the next allocation: 10 ms doubling up to 2 s (the pacer's curve), or the server's Retry-After. */
function backoffMs(attempt: number, err: unknown): number {
  const after = err instanceof JsyncError ? err.retryAfterMs : undefined;
  return after ?? Math.min(2000, 10 * 2 ** (attempt - 1));
}

/**
 * Whether another allocate can pick this failure up: network errors, 5xx/429, 420 (upload incomplete), and 401 (a
 * streamed body cannot be resent with a refreshed token; the allocate's 401 refreshes it).
 */
function resumable(err: unknown): boolean {
  const status = httpStatusOf(err);
  // 404 on the upload URL: the server dropped (or finished) that upload meanwhile, e.g. after a timed-out POST;
  // a new allocate tells which, and gives a fresh upload URL.
  return status === 420 || status === 401 || status === 404 || shouldRetry(err);
}

/** The server rejected the bytes as not matching the declared MD5 (a CORRUPT latestRevision). */
function isCorrupt(err: unknown): boolean {
  return err instanceof JottaApiError && (err.errorId === 'CorruptUploadOpenApiException' || /CorruptUpload/.test(err.message));
}

/** What {@link sendContent} did. */
export interface SendResult {
  /** Allocate answered COMPLETED: the server had the content (dedup or same file) and no upload followed. */
  dedup: boolean;
  /** The answer of the upload POST that completed the file, when it was a JSON object (never with `dedup`). */
  answer?: Partial<UploadResponse> | undefined;
}

/**
 * Brings `source` to the server under `remote`: allocate (no pacer retry; failed allocations count against the
 * same bounded attempts) with the MD5, size and `modTime` as
 * created/modified; `COMPLETED` means the server already has the content (dedup), else POST the bytes from
 * `resume_pos` (with `Range: bytes=<pos>-<size-1>` when pos > 0). A POST cut off by the network, a 5xx or a 420 is
 * resumed by allocating again (up to {@link MAX_UPLOAD_ATTEMPTS}, at most `--low-level-retries`), as long as the source can serve the new
 * `resume_pos`; otherwise the error is retryable so the engine reopens the source and the next allocate resumes.
 * A failure of the input itself is rethrown as it is and never resumed.
 */
export async function sendContent(ctx: JottaContext, remote: string, source: UploadSource, modTime: Timestamp, signal?: AbortSignal): Promise<SendResult> {
  const time = formatRfc3339(modTime);
  const request: AllocateRequest = { bytes: source.size, created: time, md5: source.md5, modified: time, path: ctx.allocatePath(remote) };
  // `--low-level-retries` bounds the attempts too (`--low-level-retries 1`: one allocate + one POST, as rclone).
  const maxAttempts = Math.max(1, Math.min(MAX_UPLOAD_ATTEMPTS, ctx.global.lowLevelRetries ?? MAX_UPLOAD_ATTEMPTS));
  for (let attempt = 1; ; attempt++) {
    let alloc: AllocateResponse;
    try {
      alloc = await ctx.client.json<AllocateResponse>({
        method: 'POST', rootUrl: ctx.apiUrl, path: 'files/v1/allocate', retry: false,
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request), ...(signal ? { signal } : {}),
      });
    } catch (err) {
      // Retried here (not by the pacer: one bounded budget for the whole put), so a spool is not read twice.
      if (attempt >= maxAttempts || !shouldRetry(err) || signal?.aborted) throw err;
      await sleep(backoffMs(attempt, err), undefined, signal ? { signal } : {});
      continue;
    }
    if (alloc.state === 'COMPLETED') return { dedup: true };
    const pos = startOf(alloc, source, remote);
    try {
      return { dedup: false, answer: await postBytes(ctx, alloc.upload_url, source, pos, signal) };
    } catch (err) {
      if (source.failure !== undefined) throw source.failure;
      if (signal?.aborted) throw err;
      if (isCorrupt(err)) {
        throw new JsyncError({
          code: 'IO', cause: err, errorClass: 'retry', context: { remote, md5: source.md5 },
          message: `upload of "${remote}" corrupted on transfer: the server's md5 of the received bytes differs from ${source.md5} (revision CORRUPT, the previous one stays current)`,
        });
      }
      if (!resumable(err) || attempt >= maxAttempts) throw uploadFailed(remote, err, attempt);
      logDebug(ctx.logger, remote, `upload interrupted after attempt ${attempt} (${err instanceof Error ? err.message : String(err)}); allocating again to resume`);
      await sleep(backoffMs(attempt, err), undefined, signal ? { signal } : {});
    }
  }
}

/** Where to start sending: the server's resume_pos, validated, and servable by the source. */
function startOf(alloc: AllocateResponse, source: UploadSource, remote: string): number {
  const resume = alloc.resume_pos ?? 0;
  if (!Number.isSafeInteger(resume) || resume < 0 || resume > source.size) {
    throw new JsyncError({ code: 'IO', message: `allocate of "${remote}" returned resume_pos ${resume} for a ${source.size}-byte file`, context: { remote } });
  }
  // All bytes stored but not committed: resend the last byte (a range may restart below the received count).
  const pos = resume === source.size && source.size > 0 ? source.size - 1 : resume;
  if (!source.canRead(pos)) {
    if (source.failure !== undefined) throw source.failure;
    throw new JsyncError({
      code: 'IO', errorClass: 'retry', context: { remote, resumePos: pos },
      message: `upload of "${remote}" was interrupted and the source cannot be read again from byte ${pos}; retrying the transfer resumes there`,
    });
  }
  return pos;
}

/**
 * One upload POST of the bytes from `pos` (a zero-length body goes out with `Content-Length: 0`), outside the pacer
 * as in rclone; returns its answer when that is a JSON object.
 */
async function postBytes(ctx: JottaContext, uploadUrl: string, source: UploadSource, pos: number, signal?: AbortSignal): Promise<Partial<UploadResponse> | undefined> {
  const length = source.size - pos;
  const headers: Record<string, string> = { 'Content-Type': 'application/octet-stream' };
  if (pos > 0) headers.Range = `bytes=${pos}-${source.size - 1}`;
  const text = await ctx.client.text({
    method: 'POST', rootUrl: uploadUrl, retry: false, pace: false, headers, contentLength: length,
    body: length === 0 ? new Uint8Array(0) : source.read(pos), ...(signal ? { signal } : {}),
  });
  return parseUploadAnswer(text);
}

/** The last upload error as a retryable IO error (the engine's retry allocates again and resumes). */
function uploadFailed(remote: string, err: unknown, attempts: number): JsyncError {
  const keep = err instanceof JsyncError && (err.code === 'QUOTA_EXCEEDED' || err.code === 'AUTH');
  if (keep) return err;
  const status = httpStatusOf(err);
  return new JsyncError({
    code: 'IO', cause: err, context: { remote, attempts },
    // A refused upload (4xx other than 420/429) is unclassified like rclone's: retried by `--retries`, exit code 1.
    ...(status !== undefined && status >= 400 && status < 500 && status !== 420 && status !== 429 ? {} : { errorClass: 'retry' as const }),
    message: `upload of "${remote}" failed after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${err instanceof Error ? err.message : String(err)}`,
  });
}
