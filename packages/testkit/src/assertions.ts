// Assertion helpers for jsync error codes and abort errors.

import { expect } from 'vitest';
import { isJsyncError } from '@jsync/core';
import type { ErrorCode } from '@jsync/core';

/** Awaits `p`, asserting it rejects; returns the rejection reason. */
export async function rejectionOf(p: Promise<unknown> | (() => Promise<unknown>)): Promise<unknown> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err;
  }
  expect.fail('expected the operation to fail, but it succeeded');
}

/** Asserts `p` rejects with a jsync error carrying one of `codes` (the cause chain is searched). */
export async function expectJsyncError(p: Promise<unknown> | (() => Promise<unknown>), ...codes: ErrorCode[]): Promise<unknown> {
  const err = await rejectionOf(p);
  const ok = codes.some((c) => isJsyncError(err, c));
  expect(ok, `expected error ${codes.join(' or ')}, got ${describeError(err)}`).toBe(true);
  return err;
}

/** True for an abort: the signal's reason, a DOM `AbortError`, or LIST_ABORTED, anywhere in the cause chain. */
export function isAbortError(err: unknown, signal?: AbortSignal): boolean {
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 16; depth++) {
    if (signal !== undefined && e === signal.reason) return true;
    if ((e as { name?: unknown }).name === 'AbortError' || isJsyncError(e, 'LIST_ABORTED')) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** A programming error (the JavaScript analogue of a Go panic). */
export function isProgrammingError(err: unknown): boolean {
  return err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError || err instanceof SyntaxError;
}

/** `name: message [code]` for failure messages. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}${isJsyncError(err) ? ` [${err.code}]` : ''}`;
  return String(err);
}
