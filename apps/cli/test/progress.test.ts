// -P rendering: rclone 1.60.1's escape sequences on a terminal (captured with `script`), plain frames off one.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, Stats, type StatsSnapshot, type TransferItemSnapshot } from '@jsync/core';
import {
  ERASE_LINE as E, MOVE_TO_START_OF_LINE as S, MOVE_UP as U, ProgressRenderer, progressLogDate,
} from '../src/output/progress.js';
import { CliLogger } from '../src/output/log.js';
import type { Sink } from '../src/io.js';

function sink(opts: { tty: boolean; columns?: number }): Sink & { text(): string; writes: number } {
  const chunks: Buffer[] = [];
  const s = {
    isTTY: opts.tty,
    columns: opts.columns,
    writes: 0,
    write(c: string | Uint8Array) {
      s.writes++;
      chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c));
    },
    text: () => Buffer.concat(chunks).toString('utf8'),
  };
  return s;
}

function item(p: Partial<TransferItemSnapshot> & { name: string }): TransferItemSnapshot {
  return { size: -1, kind: 'transfer', started: true, bytes: 0, speed: 0, speedAvg: 0, etaSeconds: null, percentage: 0, startedAt: 0, ...p };
}

function snap(p: Partial<StatsSnapshot>): StatsSnapshot {
  return {
    bytes: 0, totalBytes: 0, checks: 0, totalChecks: 0, transfers: 0, totalTransfers: 0, deletes: 0, deletedDirs: 0,
    renames: 0, errors: 0, fatalError: false, retryError: false, lastError: undefined, elapsedMs: 0, speed: 0,
    etaSeconds: null, transferTime: 0, checkQueue: 0, transferQueue: 0, serverSideCopies: 0, serverSideCopyBytes: 0,
    serverSideMoves: 0, serverSideMoveBytes: 0, checking: [], transferring: [], group: 'global_stats', date: new Date(0), ...p,
  };
}

/** Replays snapshots in order (the last one repeats). */
function replay(...snaps: StatsSnapshot[]): { snapshot(): StatsSnapshot } {
  let i = 0;
  return { snapshot: () => snaps[Math.min(i++, snaps.length - 1)]! };
}

// State of `rclone copy -v -P --bwlimit 2M src dst` (a.txt 3 B, f1.bin 3000000 B, f2.bin 2000000 B) at its first frames.
const early = snap({
  bytes: 12291, totalBytes: 5000003, totalTransfers: 3, elapsedMs: 20,
  transferring: [
    item({ name: 'a.txt', size: 3, bytes: 3, percentage: 100 }),
    item({ name: 'f1.bin', size: 3000000, bytes: 8192 }),
    item({ name: 'f2.bin', size: 2000000, bytes: 4096 }),
  ],
});
const later = snap({
  bytes: 1106000, totalBytes: 5000003, transfers: 1, totalTransfers: 3, elapsedMs: 500,
  transferring: [item({ name: 'f1.bin', size: 3000000, bytes: 550000, percentage: 18 }), item({ name: 'f2.bin', size: 2000000, bytes: 556000, percentage: 27 })],
});

afterEach(() => {
  vi.useRealTimers();
});

describe('-P on a terminal', () => {
  it('prints log lines above the block and redraws it in place (bytes captured from rclone 1.60.1, 50 columns)', () => {
    const out = sink({ tty: true, columns: 50 });
    const r = new ProgressRenderer({ stats: replay(early, later), out });
    r.message(`${progressLogDate(new Date(2026, 10, 22, 3, 2, 32))} INFO  : a.txt: Copied (new)`);
    r.render();
    // script -q -c "stty cols 50; rclone copy -v -P --bwlimit 2M src dst" (CR LF of the tty turned back into LF)
    expect(out.text()).toBe(
      '\n\x1b[1A\x1b[2K\x1b[1G\x1b[2K2026-11-22 03:02:32 INFO  : a.txt: Copied (new)\n' +
        'Transferred:   \t   12.003 KiB / 4.768 MiB, 0%, 0 B\nTransferred:            0 / 3, 0%\nElapsed time:         0.0s\nTransferring:\n' +
        ' *                                         a.txt:1\n *                                        f1.bin: \n *                                        f2.bin: ' +
        '\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[1G' +
        'Transferred:   \t    1.055 MiB / 4.768 MiB, 22%, 0 \nTransferred:            1 / 3, 33%\nElapsed time:         0.5s\nTransferring:\n' +
        ' *                                        f1.bin: \n *                                        f2.bin: ',
    );
  });

  it('erases the previous block before a log line, then ends with a newline', () => {
    const out = sink({ tty: true, columns: 120 });
    const r = new ProgressRenderer({ stats: replay(later, snap({ bytes: 5000003, totalBytes: 5000003, transfers: 3, totalTransfers: 3, elapsedMs: 2400 })), out });
    r.render();
    const first = out.text();
    expect(first.startsWith(E + S + 'Transferred:   \t    1.055 MiB / 4.768 MiB, 22%, 0 B/s, ETA -\n')).toBe(true);
    expect(first.endsWith(' *                                        f2.bin: 27% /1.907Mi, 0/s, -')).toBe(true);
    r.message('2026-11-22 03:02:34 INFO  : f2.bin: Copied (new)\n');
    r.stop();
    r.stop();
    const rest = out.text().slice(first.length);
    const block = 'Transferred:   \t    4.768 MiB / 4.768 MiB, 100%, 0 B/s, ETA -\nTransferred:            3 / 3, 100%\nElapsed time:         2.4s';
    expect(rest).toBe(
      '\n' + U + (E + U).repeat(5) + E + S + E + '2026-11-22 03:02:34 INFO  : f2.bin: Copied (new)\n' + block +
        (E + U).repeat(2) + E + S + block + '\n',
    );
  });

  it('routes logger messages above the block with rclone\'s dashed timestamp, honouring the level', () => {
    const out = sink({ tty: true, columns: 200 });
    const base = new CliLogger({ stderr: sink({ tty: false }), level: 'INFO' });
    const r = new ProgressRenderer({ stats: replay(snap({})), out, now: () => new Date(2026, 0, 2, 3, 4, 5) });
    const log = r.wrapLogger(base);
    log.log('DEBUG', 'x', 'hidden');
    expect(out.text()).toBe('');
    log.log('INFO', 'dir/a.txt', 'Copied (new)');
    log.log('NOTICE', undefined, 'There was nothing to transfer');
    expect(out.text()).toContain(E + '2026-01-02 03:04:05 INFO  : dir/a.txt: Copied (new)\n');
    expect(out.text()).toContain(E + '2026-01-02 03:04:05 NOTICE: There was nothing to transfer\n');
    expect(log.enabled('DEBUG')).toBe(false);
  });

  it('cuts lines by bytes at the terminal width and shows the ETA in the title when asked', () => {
    const out = sink({ tty: true, columns: 20 });
    const r = new ProgressRenderer({ stats: replay(snap({ bytes: 5, totalBytes: 10, speed: 1, etaSeconds: 5, transferring: [item({ name: 'ééééé', size: 10, bytes: 5 })], totalTransfers: 1 })), out, terminalTitle: true, format: { fileNameLength: 0 } });
    r.render();
    const text = out.text();
    expect(text.startsWith('\x1b]0;ETA: 5s\x07' + E + S + 'Transferred:   \t    ')).toBe(true);
    expect(text).toContain('\n * ééééé:');
    expect(text.split('\n').every((l) => Buffer.byteLength(l.replace(/\x1b\[[0-9]*[A-Z]|\x1b\]0;[^\x07]*\x07/g, '')) <= 20)).toBe(true);
  });
});

describe('-P when stdout is not a terminal', () => {
  it('appends frames without escapes, glued as rclone does, and never repeats them after log lines', () => {
    const out = sink({ tty: false, columns: 200 });
    const r = new ProgressRenderer({ stats: replay(early, later, later), out });
    r.render();
    r.render();
    r.message('2026-11-22 03:02:41 INFO  : f2.bin: Copied (new)');
    r.message('2026-11-22 03:02:41 INFO  : f1.bin: Copied (new)');
    r.stop();
    const earlyBlock =
      'Transferred:   \t   12.003 KiB / 4.768 MiB, 0%, 0 B/s, ETA -\nTransferred:            0 / 3, 0%\nElapsed time:         0.0s\nTransferring:\n' +
      ' *                                         a.txt:100% /3, 0/s, -\n *                                        f1.bin:  0% /2.861Mi, 0/s, -\n *                                        f2.bin:  0% /1.907Mi, 0/s, -';
    const laterBlock =
      'Transferred:   \t    1.055 MiB / 4.768 MiB, 22%, 0 B/s, ETA -\nTransferred:            1 / 3, 33%\nElapsed time:         0.5s\nTransferring:\n' +
      ' *                                        f1.bin: 18% /2.861Mi, 0/s, -\n *                                        f2.bin: 27% /1.907Mi, 0/s, -';
    expect(out.text()).toBe(
      earlyBlock + laterBlock + '\n2026-11-22 03:02:41 INFO  : f2.bin: Copied (new)\n2026-11-22 03:02:41 INFO  : f1.bin: Copied (new)\n' + laterBlock + '\n',
    );
    expect(out.text()).not.toContain('\x1b');
  });

  it('cuts lines at 80 bytes whatever the sink claims', () => {
    const out = sink({ tty: false, columns: 300 });
    new ProgressRenderer({ stats: replay(snap({ transferring: [item({ name: 'x'.repeat(100), size: 1, started: false })], totalTransfers: 1 })), out, format: { fileNameLength: 0 } }).stop();
    expect(out.text()).toContain(`\n * ${'x'.repeat(77)}\n`);
  });

  it('draws on the interval only, with an unref\'d timer, and stops promptly', () => {
    vi.useFakeTimers();
    const out = sink({ tty: false });
    const clock = new ManualClock();
    const stats = new Stats({ clock });
    const r = new ProgressRenderer({ stats, out, intervalMs: 500 });
    r.start();
    r.start();
    expect(out.writes).toBe(0);
    vi.advanceTimersByTime(499);
    expect(out.writes).toBe(0);
    vi.advanceTimersByTime(1);
    expect(out.writes).toBe(1);
    vi.advanceTimersByTime(1000);
    expect(out.writes).toBe(3);
    r.stop();
    const final = out.writes;
    vi.advanceTimersByTime(5000);
    expect(out.writes).toBe(final);
    expect(out.text().endsWith('Elapsed time:         0.0s\n')).toBe(true);
  });

  it('does not keep the process alive', () => {
    const r = new ProgressRenderer({ stats: replay(snap({})), out: sink({ tty: false }) });
    r.start();
    const timer = (r as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
    r.stop();
  });
});
