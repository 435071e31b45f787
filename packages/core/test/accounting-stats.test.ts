// Stats counting rules (errors once, retry classes, totals), speed/ETA with a manual clock, stream accounting.

import { describe, expect, it } from 'vitest';
import {
  BandwidthLimiter, ManualClock, MovingAverage, Stats, formatStats, parseBwTimetable,
} from '../src/accounting/index.js';
import { fatalError, isJsyncError, jsyncError, noRetryError, JsyncError } from '../src/fs/errors.js';
import type { Logger, LogLevel } from '../src/util/logger.js';

async function* chunks(...sizes: number[]): AsyncIterable<Uint8Array> {
  for (const n of sizes) yield new Uint8Array(n);
}

async function drain(it: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of it) n += c.length;
  return n;
}

function memLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, enabled: () => true, log: (level: LogLevel, subject, msg) => lines.push(`${level} ${subject ?? '-'}: ${msg}`) };
}

describe('Stats counting', () => {
  it('counts an error object once and remembers the last one', () => {
    const s = new Stats({ clock: new ManualClock() });
    const e1 = new Error('one');
    const e2 = new Error('two');
    s.error(e1);
    s.error(e1);
    s.error(undefined);
    s.error(e2);
    expect(s.errors).toBe(2);
    expect(s.lastError).toBe(e2);
    expect(s.isCounted(e1)).toBe(true);
    // Ending a transfer with an already counted error does not count it again.
    s.startTransfer({ remote: 'a', size: 1 }).done(e1);
    expect(s.errors).toBe(2);
    expect(s.snapshot().lastError).toBe('two');
  });

  it('classifies errors as rclone: fatal, retry, no-retry', () => {
    const retry = new Stats({ clock: new ManualClock() });
    retry.error(new Error('io'));
    expect([retry.hadRetryError(), retry.hadFatalError(), retry.retryable()]).toEqual([true, false, true]);
    expect(formatStats(retry.snapshot())).toContain('Errors:                 1 (retrying may help)\n');

    const noRetry = new Stats({ clock: new ManualClock() });
    noRetry.error(noRetryError(new Error('no')));
    expect([noRetry.hadRetryError(), noRetry.retryable()]).toEqual([false, false]);
    expect(formatStats(noRetry.snapshot())).toContain('Errors:                 1 (no need to retry)\n');

    const fatal = new Stats({ clock: new ManualClock() });
    fatal.error(new Error('io'));
    fatal.error(fatalError(new Error('bad')));
    expect([fatal.hadFatalError(), fatal.retryable()]).toEqual([true, false]);
    expect(formatStats(fatal.snapshot())).toContain('Errors:                 2 (fatal error encountered)\n');

    const lowLevel = new Stats({ clock: new ManualClock() });
    lowLevel.error(new JsyncError({ code: 'IO', errorClass: 'noLowLevelRetry' }));
    expect(lowLevel.retryable()).toBe(true);
  });

  it('keeps the latest retry-after time and resets errors between attempts', () => {
    const clock = new ManualClock({ epochMs: Date.UTC(2026, 0, 1) });
    const s = new Stats({ clock });
    s.error(new JsyncError({ code: 'IO', retryAfterMs: 5000 }));
    s.error(new JsyncError({ code: 'IO', retryAfterMs: 2000 }));
    expect(s.retryAfter?.toISOString()).toBe('2026-01-01T00:00:05.000Z');
    s.resetErrors();
    expect([s.errors, s.lastError, s.retryAfter, s.hadRetryError()]).toEqual([0, undefined, undefined, false]);
  });

  it('counts checks, transfers, deletes, renames and queued totals', () => {
    const s = new Stats({ clock: new ManualClock() });
    const c = s.startCheck('a');
    s.setQueued({ checks: 3, transfers: 2, transferBytes: 500 });
    let snap = s.snapshot();
    expect([snap.checks, snap.totalChecks, snap.checking.map((x) => x.name)]).toEqual([0, 4, ['a']]);
    c.done();
    c.done();
    s.startCheck('b').done(new Error('check failed'));
    const ok = s.startTransfer({ remote: 'x', size: 10 });
    const bad = s.startTransfer({ remote: 'y', size: 20 });
    snap = s.snapshot();
    expect([snap.totalTransfers, snap.transferring.map((t) => [t.name, t.started])]).toEqual([4, [['x', false], ['y', false]]]);
    ok.addBytes(10);
    ok.done();
    bad.done(new Error('nope'));
    s.deleted();
    s.deleted(2);
    s.deletedDir();
    s.renamed();
    s.setQueued({ checks: 0, transfers: 0, transferBytes: 0 });
    snap = s.snapshot();
    expect(snap).toMatchObject({
      checks: 2, totalChecks: 2, transfers: 1, totalTransfers: 1, errors: 2, deletes: 3, deletedDirs: 1, renames: 1, bytes: 10,
      totalBytes: 10, checking: [], transferring: [],
    });
    expect(s.transfers).toBe(1);
  });

  it('counts server-side copies and moves and their bytes', () => {
    const s = new Stats({ clock: new ManualClock() });
    const copy = s.startTransfer({ remote: 'c', size: 7, serverSide: true });
    expect(s.snapshot().transferring[0]?.started).toBe(true);
    copy.addBytes(7);
    copy.done();
    const move = s.startTransfer({ remote: 'm', size: 5, serverSide: 'move' });
    move.addBytes(5);
    move.done();
    expect(s.snapshot()).toMatchObject({ serverSideCopies: 1, serverSideCopyBytes: 7, serverSideMoves: 1, serverSideMoveBytes: 5, transfers: 2, bytes: 12 });
  });

  it('totals only count sizes of transfers that started reading', async () => {
    const clock = new ManualClock();
    const s = new Stats({ clock });
    const a = s.startTransfer({ remote: 'a', size: 100 });
    s.startTransfer({ remote: 'b', size: 1000 });
    const it = a.wrap(chunks(40, 60))[Symbol.asyncIterator]();
    await it.next();
    const snap = s.snapshot();
    expect([snap.bytes, snap.totalBytes]).toEqual([40, 100]);
    expect(formatStats(snap)).toContain(' *                                             b: transferring');
  });
});

describe('speed and ETA', () => {
  it('replays rclone\'s once-a-second moving average', () => {
    const avg = new MovingAverage();
    avg.start(0);
    avg.add(1000, 500);
    expect(avg.value(999)).toBe(0);
    expect(avg.value(1000)).toBe(1000); // first sample: weight 1
    avg.add(3000, 1500);
    expect(avg.value(2000)).toBe(2000); // (3000 + 1000×1) / 2
    expect(avg.value(3000)).toBeCloseTo(4000 / 3, 9); // (0 + 2000×2) / 3
    // Long idle stretches decay without replaying every second one by one.
    const slow = new MovingAverage();
    slow.start(0);
    slow.add(16_000, 1);
    const stepwise = new MovingAverage();
    stepwise.start(0);
    stepwise.add(16_000, 1);
    for (let t = 1000; t <= 40_000; t += 1000) stepwise.value(t);
    expect(slow.value(40_500)).toBeCloseTo(stepwise.value(40_500), 9);
    slow.stop(41_000);
    expect(slow.value(100_000)).toBe(slow.value(41_000));
  });

  it('reports stats speed, ETA, per-item speeds and percentages', async () => {
    const clock = new ManualClock();
    const s = new Stats({ clock });
    const t = s.startTransfer({ remote: 'f.bin', size: 4 * 1048576 });
    const it = t.wrap(chunks(...Array<number>(16).fill(262144)))[Symbol.asyncIterator]();
    await it.next();
    await clock.advance(500);
    await it.next();
    await it.next();
    await it.next();
    await clock.advance(500);
    let snap = s.snapshot();
    expect(snap.speed).toBe(1048576);
    expect(snap.etaSeconds).toBe(3);
    const item = snap.transferring[0]!;
    expect([item.bytes, item.percentage, item.speedAvg, item.etaSeconds, item.speed]).toEqual([1048576, 25, 1048576, 3, 1048576]);
    expect(formatStats(snap)).toBe(
      '\nTransferred:   \t        1 MiB / 4 MiB, 25%, 1 MiB/s, ETA 3s\nTransferred:            0 / 1, 0%\nElapsed time:         1.0s\nTransferring:\n *                                         f.bin: 25% /4Mi, 1Mi/s, 3s\n',
    );
    for (let i = 0; i < 12; i++) await it.next();
    await clock.advance(1000);
    expect((await it.next()).done).toBe(true);
    t.done();
    snap = s.snapshot();
    expect([snap.transfers, snap.speed, snap.etaSeconds, snap.transferTime]).toEqual([1, 2 * 1048576, 0, 2]);
    expect(formatStats(snap)).toBe('\nTransferred:   \t        4 MiB / 4 MiB, 100%, 2 MiB/s, ETA 0s\nTransferred:            1 / 1, 100%\nElapsed time:         2.0s\n');
  });

  it('restarts a transfer\'s own progress when the stream is wrapped again (a retry)', async () => {
    const s = new Stats({ clock: new ManualClock() });
    const t = s.startTransfer({ remote: 'r', size: 10 });
    await drain(t.wrap(chunks(6)));
    await drain(t.wrap(chunks(10)));
    const snap = s.snapshot();
    expect([snap.bytes, snap.transferring[0]?.bytes, snap.transferring[0]?.percentage]).toEqual([16, 10, 100]);
  });
});

describe('stream limits', () => {
  it('cuts off at --max-transfer with a fatal error', async () => {
    const s = new Stats({ clock: new ManualClock(), maxTransfer: 100 });
    const t = s.startTransfer({ remote: 'big', size: 300 });
    const got: number[] = [];
    const err = await (async () => {
      try {
        for await (const c of t.wrap(chunks(60, 60, 60))) got.push(c.length);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(got).toEqual([60, 40]);
    expect(isJsyncError(err, 'MAX_TRANSFER_REACHED')).toBe(true);
    t.done(err);
    expect([s.hadFatalError(), s.errors, s.transfers]).toEqual([true, 1, 0]);
  });

  it('applies --bwlimit to wrapped streams', async () => {
    const clock = new ManualClock();
    const logger = memLogger();
    const bwLimit = new BandwidthLimiter({ timetable: parseBwTimetable('1M'), clock, logger });
    expect(logger.lines).toEqual(['INFO -: Starting bandwidth limiter at 1Mi Byte/s']);
    const s = new Stats({ clock, bwLimit });
    const t = s.startTransfer({ remote: 'f', size: 2 * 1048576 });
    let done = false;
    const p = drain(t.wrap(chunks(1048576, 1048576))).then((n) => { done = true; return n; });
    await clock.advance(999);
    expect(done).toBe(false);
    expect(s.bytes).toBe(1048576);
    await clock.advance(1001);
    expect(await p).toBe(2 * 1048576);
    expect(done).toBe(true);
  });

  it('applies --bwlimit-file per transfer and logs it at DEBUG', async () => {
    const clock = new ManualClock();
    const logger = memLogger();
    const s = new Stats({ clock, logger, bwLimitFile: parseBwTimetable('100K') });
    const a = s.startTransfer({ remote: 'a', size: 102400 });
    const b = s.startTransfer({ remote: 'b', size: 102400 });
    const pa = drain(a.wrap(chunks(102400)));
    const pb = drain(b.wrap(chunks(102400)));
    await clock.advance(1000);
    await expect(Promise.all([pa, pb])).resolves.toEqual([102400, 102400]);
    expect(clock.now()).toBe(1000);
    expect(logger.lines).toEqual(['DEBUG a: Limiting file transfer to 100Ki', 'DEBUG b: Limiting file transfer to 100Ki']);
    // UP:DOWN with one side off leaves rclone's accounting slot unlimited.
    const free = new Stats({ clock, bwLimitFile: parseBwTimetable('100K:off') });
    await expect(drain(free.startTransfer({ remote: 'c', size: 1 }).wrap(chunks(1048576)))).resolves.toBe(1048576);
  });

  it('aborts a throttled stream through its signal', async () => {
    const clock = new ManualClock();
    const s = new Stats({ clock, bwLimit: new BandwidthLimiter({ timetable: parseBwTimetable('1K'), clock }) });
    const ac = new AbortController();
    const p = drain(s.startTransfer({ remote: 'f', size: 10_000 }).wrap(chunks(5000, 5000), ac.signal));
    await clock.advance(10);
    ac.abort(jsyncError('IO', { message: 'cancelled' }));
    await expect(p).rejects.toThrow('cancelled');
  });
});
