// Stats log lines: the periodic/final block through the CLI logger, text and --use-json-log, as rclone 1.60.1 prints.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, Stats, type StatsSnapshot } from '@jsync/core';
import { CliLogger } from '../src/output/log.js';
import { StatsPrinter } from '../src/output/stats.js';
import { logStats, statsMessage } from '../src/output/json-log.js';

function memSink(): { write(c: string | Uint8Array): void; text(): string } {
  const parts: Buffer[] = [];
  return { write: (c) => parts.push(Buffer.from(c)), text: () => Buffer.concat(parts).toString('utf8') };
}

const at = new Date(2026, 10, 22, 3, 2, 24, 845);

/** A finished copy of f1.bin, f2.bin and a.txt (5000003 bytes) that took 2.4 s at 2 MiB/s. */
async function finishedCopy(): Promise<Stats> {
  const clock = new ManualClock();
  const stats = new Stats({ clock });
  const sizes: Record<string, number> = { 'a.txt': 3, 'f1.bin': 3000000, 'f2.bin': 2000000 };
  const items = Object.entries(sizes).map(([remote, size]) => ({ t: stats.startTransfer({ remote, size }), size }));
  for (const { t, size } of items) {
    for await (const _ of t.wrap((async function* () { yield new Uint8Array(size); })())) { /* drain */ }
  }
  await clock.advance(2400);
  for (const { t } of items) t.done();
  return stats;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('StatsPrinter', () => {
  it('logs the final block at INFO as rclone copy -v does', async () => {
    const stats = await finishedCopy();
    const err = memSink();
    const logger = new CliLogger({ stderr: err, level: 'INFO', now: () => at });
    new StatsPrinter({ stats, logger }).finish();
    expect(err.text()).toBe(
      '2026/11/22 03:02:24 INFO  : \nTransferred:   \t    4.768 MiB / 4.768 MiB, 100%, 2.384 MiB/s, ETA 0s\nTransferred:            3 / 3, 100%\nElapsed time:         2.4s\n\n',
    );
  });

  it('writes a JSON stats line like rclone --use-json-log', async () => {
    const stats = await finishedCopy();
    const err = memSink();
    const logger = new CliLogger({ stderr: err, level: 'INFO', json: true, now: () => at });
    new StatsPrinter({ stats, logger, json: true }).finish();
    const line = err.text();
    expect(line.endsWith('\n')).toBe(true);
    const rec = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(rec)).toEqual(['level', 'msg', 'source', 'stats', 'time']);
    expect(rec['level']).toBe('info');
    expect(rec['source']).toBe('accounting/stats.go:482');
    expect(rec['msg']).toBe(
      '\nTransferred:   \t    4.768 MiB / 4.768 MiB, 100%, 2.384 MiB/s, ETA 0s\nTransferred:            3 / 3, 100%\nElapsed time:         2.4s\n\n',
    );
    // Same keys, order and types as rclone 1.60.1's final stats object.
    expect(line).toContain(
      '"stats":{"bytes":5000003,"checks":0,"deletedDirs":0,"deletes":0,"elapsedTime":2.4,"errors":0,"eta":0,"fatalError":false,"renames":0,"retryError":false,"speed":2500001.5,"totalBytes":5000003,"totalChecks":0,"totalTransfers":3,"transferTime":2.4,"transfers":3}',
    );
  });

  it('stays silent below the logger level; --dry-run\'s NOTICE level shows it', async () => {
    const stats = await finishedCopy();
    const quiet = memSink();
    new StatsPrinter({ stats, logger: new CliLogger({ stderr: quiet, now: () => at }) }).finish();
    expect(quiet.text()).toBe('');
    const dry = memSink();
    new StatsPrinter({ stats, logger: new CliLogger({ stderr: dry, now: () => at }), level: 'NOTICE' }).finish();
    expect(dry.text().startsWith('2026/11/22 03:02:24 NOTICE: \nTransferred:   \t')).toBe(true);
  });

  it('--stats 0 drops periodic blocks and the final one unless errors were counted', () => {
    const stats = new Stats({ clock: new ManualClock() });
    const err = memSink();
    const logger = new CliLogger({ stderr: err, level: 'INFO', now: () => at });
    vi.useFakeTimers();
    const p = new StatsPrinter({ stats, logger, intervalMs: 0 });
    p.start();
    vi.advanceTimersByTime(600_000);
    p.finish();
    expect(err.text()).toBe('');
    stats.error(new Error('x'));
    p.finish();
    expect(err.text()).toContain('Errors:                 1 (retrying may help)\n');
  });

  it('logs every interval with an unref\'d timer, one-line when asked, and stops', () => {
    vi.useFakeTimers();
    const stats = new Stats({ clock: new ManualClock() });
    stats.setQueued({ transfers: 2, transferBytes: 2048 });
    const err = memSink();
    const logger = new CliLogger({ stderr: err, level: 'INFO', now: () => at });
    const p = new StatsPrinter({ stats, logger, intervalMs: 1000, format: { oneLine: true } });
    p.start();
    expect((p as unknown as { timer: NodeJS.Timeout }).timer.hasRef()).toBe(false);
    vi.advanceTimersByTime(2500);
    const line = '2026/11/22 03:02:24 INFO  :           0 B / 2 KiB, 0%, 0 B/s, ETA - (xfr#0/2)\n';
    expect(err.text()).toBe(line + line);
    p.stop();
    vi.advanceTimersByTime(5000);
    expect(err.text()).toBe(line + line);
  });

  it('builds the message with rclone\'s trailing newline only in JSON mode', () => {
    const s: StatsSnapshot = new Stats({ clock: new ManualClock() }).snapshot();
    expect(statsMessage(s, { json: false })).toBe('\nTransferred:   \t          0 B / 0 B, -, 0 B/s, ETA -\nElapsed time:         0.0s\n');
    expect(statsMessage(s, { json: true })).toBe('\nTransferred:   \t          0 B / 0 B, -, 0 B/s, ETA -\nElapsed time:         0.0s\n\n');
    const calls: unknown[] = [];
    logStats({ enabled: () => false, log: (...a) => calls.push(a) }, s, { level: 'INFO', json: true });
    expect(calls).toEqual([]);
  });
});
