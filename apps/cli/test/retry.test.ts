// The whole-command retry loop (rclone cmd.Run): attempt lines, error classes, --retries/--retries-sleep, retry-after,
// stats kept across attempts, and the final `Failed to …` line with its exit code. Uploads fail on demand through
// the `flaky` test backend (a memory backend); sources are local temp dirs.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JsyncError, Registry, fatalError, noRetryError, retryError } from '@jsync/core';
import { localBackend } from '@jsync/backend-local';
import { memoryBackend } from '@jsync/backend-memory';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';
import { formatRfc3339Nano } from '../src/commands/retry.js';
import { type FailPlan, createFlakyBackend } from './helpers/flaky-backend.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-retry-'));
  writeFileSync(join(dir, 'a.txt'), 'aaa');
  writeFileSync(join(dir, 'b.txt'), 'bbbb');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const strip = (s: string) => s.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '');

async function run(plan: FailPlan, ...args: string[]) {
  const flaky = createFlakyBackend(plan);
  const registry = new Registry([localBackend, memoryBackend, flaky.definition]);
  const io = memoryIo({ env: {}, cwd: dir });
  const started = Date.now();
  const code = await main(['--config', '/dev/null', '--low-level-retries', '1', ...args], { io, registry });
  return { code, err: strip(io.err()), out: io.out(), puts: flaky.puts, ms: Date.now() - started };
}

const failB = (make: () => Error, times = Infinity): FailPlan => (remote, n) => (remote === 'b.txt' && n < times ? make() : undefined);
const attemptLines = (err: string) => err.split('\n').filter((l) => /Attempt|not attempting|Failed to copy/.test(l));

describe('command retries', () => {
  it('retries a retryable failure and reports the attempt that succeeded; stats keep earlier transfers', async () => {
    const r = await run(failB(() => new Error('upload broke'), 1), 'copy', '.', ':flaky:bucket', '-v');
    expect(r.code).toBe(0);
    expect(attemptLines(r.err)).toEqual([
      'ERROR : b.txt: Failed to copy: upload broke',
      'ERROR : Attempt 1/3 failed with 1 errors and: upload broke',
      'ERROR : Attempt 2/3 succeeded',
    ]);
    expect(r.puts.sort()).toEqual(['a.txt', 'b.txt', 'b.txt']);
    // rclone resets only the error counters between attempts: both transfers show, the error does not.
    expect(r.err).toMatch(/\nTransferred: {12}2 \/ 2, 100%\n/);
    expect(r.err).not.toMatch(/\nErrors: /);
  });

  it('gives up after --retries attempts with the last error (retryable → exit 5)', async () => {
    const r = await run(failB(() => retryError(new Error('still broken'))), 'copy', '.', ':flaky:bucket', '--retries', '2');
    expect(r.code).toBe(5);
    expect(attemptLines(r.err)).toEqual([
      'ERROR : b.txt: Failed to copy: still broken',
      'ERROR : Attempt 1/2 failed with 1 errors and: still broken',
      'ERROR : b.txt: Failed to copy: still broken',
      'ERROR : Attempt 2/2 failed with 1 errors and: still broken',
      'Failed to copy: still broken',
    ]);
    expect(r.puts.filter((p) => p === 'b.txt')).toHaveLength(2);
  });

  it('counts every error of the last attempt in the final line', async () => {
    const r = await run((remote) => new Error(`no ${remote}`), 'copy', '.', ':flaky:bucket', '--retries', '1');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\nFailed to copy with 2 errors: last error was: no [ab]\.txt\n$/);
    // rclone logs the failed attempt even when it was the only one.
    expect(r.err).toMatch(/\nERROR : Attempt 1\/1 failed with 2 errors and: no [ab]\.txt\n/);
  });

  it('does not retry when every error is no-retry (exit 6)', async () => {
    const r = await run(failB(() => noRetryError(new Error('quota exceeded'))), 'copy', '.', ':flaky:bucket');
    expect(r.code).toBe(6);
    expect(attemptLines(r.err)).toEqual([
      'ERROR : b.txt: Failed to copy: quota exceeded',
      "ERROR : Can't retry any of the errors - not attempting retries",
      'Failed to copy: quota exceeded',
    ]);
  });

  it('stops at once on a fatal error (exit 7)', async () => {
    const r = await run(failB(() => fatalError(new Error('account locked'))), 'copy', '.', ':flaky:bucket');
    expect(r.code).toBe(7);
    expect(r.err).toContain('ERROR : Fatal error received - not attempting retries\n');
    expect(r.err).not.toContain('Attempt');
    expect(r.puts.filter((p) => p === 'b.txt')).toHaveLength(1);
  });

  it('--retries 0 runs nothing at all, as rclone', async () => {
    const r = await run(() => undefined, 'copy', '.', ':flaky:bucket', '--retries', '0');
    expect(r.code).toBe(0);
    expect(r.puts).toEqual([]);
  });

  it('--retries-sleep pauses after every failed attempt, the last one included', async () => {
    const r = await run(failB(() => new Error('x')), 'copy', '.', ':flaky:bucket', '--retries', '2', '--retries-sleep', '150ms');
    expect(r.code).toBe(1);
    expect(r.ms).toBeGreaterThanOrEqual(300);
  });

  it('waits for a server retry-after before the next attempt', async () => {
    const plan = failB(() => new JsyncError({ code: 'IO', message: 'slow down', retryAfterMs: 250 }), 1);
    const r = await run(plan, 'copy', '.', ':flaky:bucket');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/NOTICE: Received retry after error - sleeping until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) \(\d+(\.\d+)?ms\)\n/);
    expect(r.err).toContain('ERROR : Attempt 2/3 succeeded');
    expect(r.ms).toBeGreaterThanOrEqual(200);
  });

  it('sync does not delete after a failed attempt but does on the successful retry', async () => {
    const flaky = createFlakyBackend(failB(() => new Error('boom'), 1));
    const registry = new Registry([localBackend, memoryBackend, flaky.definition]);
    const seed = memoryIo({ env: {}, cwd: dir });
    writeFileSync(join(dir, 'old.txt'), 'o');
    expect(await main(['--config', '/dev/null', 'copyto', 'old.txt', ':flaky:bucket/old.txt'], { io: seed, registry })).toBe(0);
    rmSync(join(dir, 'old.txt'));
    const io = memoryIo({ env: {}, cwd: dir });
    const code = await main(['--config', '/dev/null', '--low-level-retries', '1', 'sync', '.', ':flaky:bucket', '-v'], { io, registry });
    const err = strip(io.err());
    expect(code).toBe(0);
    const lines = err.split('\n');
    const notDeleting = lines.findIndex((l) => l.includes('not deleting files as there were IO errors'));
    const deleted = lines.findIndex((l) => l === 'INFO  : old.txt: Deleted');
    expect(notDeleting).toBeGreaterThan(-1);
    expect(deleted).toBeGreaterThan(notDeleting);
    expect(err).toContain('ERROR : Attempt 2/3 succeeded');
  });
});

describe('formatRfc3339Nano', () => {
  it('prints Go RFC3339Nano with trimmed fraction in the local zone', () => {
    const tz = process.env['TZ'];
    process.env['TZ'] = 'UTC';
    try {
      expect(formatRfc3339Nano(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 120)))).toBe('2024-01-02T03:04:05.12Z');
      expect(formatRfc3339Nano(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 0)))).toBe('2024-01-02T03:04:05Z');
    } finally {
      process.env['TZ'] = tz;
    }
  });
});
