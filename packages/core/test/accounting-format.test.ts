// Stats text and JSON byte-exact against blocks captured from rclone 1.60.1 (TZ=UTC), given the state rclone reported.

import { describe, expect, it } from 'vitest';
import {
  formatElapsed, formatPercent, formatStats, formatTransferItem, shortenName, statsJson, type StatsSnapshot,
  type TransferItemSnapshot,
} from '../src/accounting/index.js';
import { formatGoLayout } from '../src/accounting/go-layout.js';

function snap(p: Partial<StatsSnapshot>): StatsSnapshot {
  return {
    bytes: 0, totalBytes: 0, checks: 0, totalChecks: 0, transfers: 0, totalTransfers: 0, deletes: 0, deletedDirs: 0,
    renames: 0, errors: 0, fatalError: false, retryError: false, lastError: undefined, elapsedMs: 0, speed: 0,
    etaSeconds: null, transferTime: 0, checkQueue: 0, transferQueue: 0, serverSideCopies: 0, serverSideCopyBytes: 0,
    serverSideMoves: 0, serverSideMoveBytes: 0, checking: [], transferring: [], group: 'global_stats',
    date: new Date(Date.UTC(2026, 10, 22, 3, 2, 10)), ...p,
  };
}

function item(p: Partial<TransferItemSnapshot> & { name: string }): TransferItemSnapshot {
  return { size: -1, kind: 'transfer', started: true, bytes: 0, speed: 0, speedAvg: 0, etaSeconds: null, percentage: 0, startedAt: 0, ...p };
}

describe('stats block (captured from rclone 1.60.1)', () => {
  it('a --use-json-log stats line: text and stats object', () => {
    // rclone copy -v --use-json-log --stats 1s --bwlimit 2M (f1.bin 3000000 B, f2.bin 2000000 B, a.txt 3 B)
    const s = snap({
      bytes: 2154499, totalBytes: 5000003, transfers: 1, totalTransfers: 3, elapsedMs: 1054.051751,
      transferring: [
        item({ name: 'f1.bin', size: 3000000, bytes: 1110016, percentage: 37, speed: 1109635.3817484356 }),
        item({ name: 'f2.bin', size: 2000000, bytes: 1044480, percentage: 52, speed: 1044711.5143398468 }),
      ],
    });
    expect(formatStats(s)).toBe(
      '\nTransferred:   \t    2.055 MiB / 4.768 MiB, 43%, 0 B/s, ETA -\nTransferred:            1 / 3, 33%\nElapsed time:         1.0s\nTransferring:\n *                                        f1.bin: 37% /2.861Mi, 0/s, -\n *                                        f2.bin: 52% /1.907Mi, 0/s, -\n',
    );
    expect(JSON.stringify(statsJson(s))).toBe(
      '{"bytes":2154499,"checks":0,"deletedDirs":0,"deletes":0,"elapsedTime":1.054051751,"errors":0,"eta":null,"fatalError":false,"renames":0,"retryError":false,"speed":0,"totalBytes":5000003,"totalChecks":0,"totalTransfers":3,"transferTime":0,"transferring":[{"bytes":1110016,"eta":null,"group":"global_stats","name":"f1.bin","percentage":37,"size":3000000,"speed":1109635.3817484356,"speedAvg":0},{"bytes":1044480,"eta":null,"group":"global_stats","name":"f2.bin","percentage":52,"size":2000000,"speed":1044711.5143398468,"speedAvg":0}],"transfers":1}',
    );
  });

  it('speeds, ETAs and one transfer left', () => {
    const s = snap({
      bytes: 4224131, totalBytes: 5000003, transfers: 2, totalTransfers: 3, elapsedMs: 2053.586798, speed: 2131123.897528516, etaSeconds: 0,
      transferring: [item({ name: 'f1.bin', size: 3000000, bytes: 2224128, percentage: 74, speed: 1112135.0209424375, speedAvg: 1096821.6707392107, etaSeconds: 0 })],
    });
    expect(formatStats(s)).toBe(
      '\nTransferred:   \t    4.028 MiB / 4.768 MiB, 84%, 2.032 MiB/s, ETA 0s\nTransferred:            2 / 3, 67%\nElapsed time:         2.0s\nTransferring:\n *                                        f1.bin: 74% /2.861Mi, 1.046Mi/s, 0s\n',
    );
    expect(JSON.stringify(statsJson(s))).toBe(
      '{"bytes":4224131,"checks":0,"deletedDirs":0,"deletes":0,"elapsedTime":2.053586798,"errors":0,"eta":0,"fatalError":false,"renames":0,"retryError":false,"speed":2131123.897528516,"totalBytes":5000003,"totalChecks":0,"totalTransfers":3,"transferTime":0,"transferring":[{"bytes":2224128,"eta":0,"group":"global_stats","name":"f1.bin","percentage":74,"size":3000000,"speed":1112135.0209424375,"speedAvg":1096821.6707392107}],"transfers":2}',
    );
  });

  it('the -P frame of spec §7.8 (a rate with ETA and two items)', () => {
    const s = snap({
      bytes: 3203399, totalBytes: 5000003, totalTransfers: 2, elapsedMs: 1523, speed: 2.054 * 1048576 + 100, etaSeconds: 0,
      transferring: [
        item({ name: 'f1.bin', size: 3000000, bytes: 1620000, percentage: 54, speedAvg: 1.056 * 1048576 + 10, etaSeconds: 1 }),
        item({ name: 'f2.bin', size: 2000000, bytes: 1560000, percentage: 78, speedAvg: 1017.042 * 1024 + 0.2, etaSeconds: 0 }),
      ],
    });
    expect(formatStats(s).trim()).toBe(
      'Transferred:   \t    3.055 MiB / 4.768 MiB, 64%, 2.054 MiB/s, ETA 0s\nTransferred:            0 / 2, 0%\nElapsed time:         1.5s\nTransferring:\n *                                        f1.bin: 54% /2.861Mi, 1.056Mi/s, 1s\n *                                        f2.bin: 78% /1.907Mi, 1017.042Ki/s, 0s',
    );
  });

  it('errors with their retry classification', () => {
    // rclone sync -v --retries 1 (dst/f1.bin is a directory)
    expect(formatStats(snap({ bytes: 2000003, totalBytes: 2000003, errors: 1, retryError: true, transfers: 2, totalTransfers: 2, elapsedMs: 31 }))).toBe(
      '\nTransferred:   \t    1.907 MiB / 1.907 MiB, 100%, 0 B/s, ETA -\nErrors:                 1 (retrying may help)\nTransferred:            2 / 2, 100%\nElapsed time:         0.0s\n',
    );
    // rclone sync -v --max-delete 0
    expect(formatStats(snap({ errors: 2, fatalError: true, retryError: true, checks: 4, totalChecks: 4, deletes: 1 }))).toBe(
      '\nTransferred:   \t          0 B / 0 B, -, 0 B/s, ETA -\nErrors:                 2 (fatal error encountered)\nChecks:                 4 / 4, 100%\nDeleted:                1 (files), 0 (dirs)\nElapsed time:         0.0s\n',
    );
    // rclone copy -v --max-transfer 1B --cutoff-mode soft
    expect(formatStats(snap({ bytes: 3000000, totalBytes: 3000000, errors: 2, transfers: 2, totalTransfers: 2 }))).toBe(
      '\nTransferred:   \t    2.861 MiB / 2.861 MiB, 100%, 0 B/s, ETA -\nErrors:                 2 (no need to retry)\nTransferred:            2 / 2, 100%\nElapsed time:         0.0s\n',
    );
  });

  it('checks, deletes and renames', () => {
    // rclone sync -v (extra file and dir on dst)
    expect(formatStats(snap({ checks: 4, totalChecks: 4, deletes: 1, deletedDirs: 1, elapsedMs: 12 }))).toBe(
      '\nTransferred:   \t          0 B / 0 B, -, 0 B/s, ETA -\nChecks:                 4 / 4, 100%\nDeleted:                1 (files), 1 (dirs)\nElapsed time:         0.0s\n',
    );
    // rclone sync -v --track-renames
    expect(formatStats(snap({ bytes: 3000000, totalBytes: 3000000, checks: 4, totalChecks: 4, renames: 1 }))).toBe(
      '\nTransferred:   \t    2.861 MiB / 2.861 MiB, 100%, 0 B/s, ETA -\nChecks:                 4 / 4, 100%\nRenamed:                1\nElapsed time:         0.0s\n',
    );
  });

  it('the Checking: list (rclone check --stats 300ms -v)', () => {
    const checking = ['z1.bin', 'z2.bin'].map((name) => item({ name, kind: 'check', started: false }));
    const s = snap({ totalChecks: 2, elapsedMs: 312, checking });
    expect(formatStats(s)).toBe(
      '\nTransferred:   \t          0 B / 0 B, -, 0 B/s, ETA -\nChecks:                 0 / 2, 0%\nElapsed time:         0.3s\nChecking:\n *                                        z1.bin: checking\n *                                        z2.bin: checking\n',
    );
    expect(statsJson(s)['checking']).toEqual(['z1.bin', 'z2.bin']);
    // An item also being transferred is left out of the Checking: list, which stays even when emptied.
    const both = snap({ checking: [checking[0]!], transferring: [item({ name: 'z1.bin', started: false })], totalTransfers: 1 });
    expect(formatStats(both)).toContain('Checking:\n\nTransferring:\n *                                        z1.bin: transferring\n');
  });

  it('not-yet-started transfers and a tiny one (rclone copy -P to a pipe)', () => {
    const s = snap({
      bytes: 3, totalBytes: 2000003, totalTransfers: 3,
      transferring: [
        item({ name: 'a.txt', size: 3, bytes: 3, percentage: 100 }),
        item({ name: 'f1.bin', size: 3000000, started: false }),
        item({ name: 'f2.bin', size: 2000000, bytes: 0 }),
      ],
    });
    expect(formatStats(s).trim()).toBe(
      'Transferred:   \t          3 B / 1.907 MiB, 0%, 0 B/s, ETA -\nTransferred:            0 / 3, 0%\nElapsed time:         0.0s\nTransferring:\n *                                         a.txt:100% /3, 0/s, -\n *                                        f1.bin: transferring\n *                                        f2.bin:  0% /1.907Mi, 0/s, -',
    );
  });

  it('--stats-unit bits and --stats-file-name-length 4', () => {
    const s = snap({
      bytes: 4224131, totalBytes: 5000003, transfers: 2, totalTransfers: 3, elapsedMs: 2000, speed: 16.424 * 1048576 / 8 + 1, etaSeconds: 0,
      transferring: [item({ name: 'f1.bin', size: 3000000, bytes: 2224128, percentage: 74, speedAvg: (7.947 * 1048576) / 8 + 0.1, etaSeconds: 0 })],
    });
    expect(formatStats(s, { unit: 'bits', fileNameLength: 4 })).toBe(
      '\nTransferred:   \t    4.028 MiB / 4.768 MiB, 84%, 16.424 Mibit/s, ETA 0s\nTransferred:            2 / 3, 67%\nElapsed time:         2.0s\nTransferring:\n * f1…n: 74% /2.861Mi, 7.947Mi/s, 0s\n',
    );
  });

  it('--stats-one-line, its queue suffix and the date prefix', () => {
    // rclone copy --transfers 1 --bwlimit 1M --stats-one-line --stats 1s (six 700000 B files)
    const s = snap({ bytes: 1060000, totalBytes: 4200000, transfers: 1, totalTransfers: 6, transferQueue: 4, elapsedMs: 1000 });
    expect(formatStats(s, { oneLine: true })).toBe('    1.011 MiB / 4.005 MiB, 25%, 0 B/s, ETA - (xfr#1/6)');
    const t = snap({ bytes: 2100000, totalBytes: 4200000, transfers: 2, totalTransfers: 6, transferQueue: 3, speed: 1.011 * 1048576 + 5, etaSeconds: 1, checkQueue: 2, totalChecks: 3, checks: 1 });
    expect(formatStats(t, { oneLine: true })).toBe('    2.003 MiB / 4.005 MiB, 50%, 1.011 MiB/s, ETA 1s (xfr#2/6, chk#1/3)');
    expect(formatStats(snap({ bytes: 4200000, totalBytes: 4200000 }), { oneLine: true })).toBe('    4.005 MiB / 4.005 MiB, 100%, 0 B/s, ETA -');
    // --stats-one-line-date --stats-unit bits (TZ=UTC)
    const d = snap({ bytes: 2154499, totalBytes: 5000003, date: new Date(2026, 10, 22, 3, 2, 10) });
    expect(formatStats(d, { oneLineDateFormat: '2006/01/02 15:04:05 - ', unit: 'bits' })).toBe('2026/11/22 03:02:10 -     2.055 MiB / 4.768 MiB, 43%, 0 bit/s, ETA -');
  });

  it('lastError and ETA in the JSON object', () => {
    const j = statsJson(snap({ errors: 1, retryError: true, lastError: 'boom', bytes: 10, totalBytes: 110, speed: 10, etaSeconds: 10 }));
    expect(Object.keys(j)).toEqual([
      'bytes', 'checks', 'deletedDirs', 'deletes', 'elapsedTime', 'errors', 'eta', 'fatalError', 'lastError', 'renames',
      'retryError', 'speed', 'totalBytes', 'totalChecks', 'totalTransfers', 'transferTime', 'transfers',
    ]);
    expect(j['lastError']).toBe('boom');
    expect(j['eta']).toBe(10);
    expect(statsJson(snap({ transferring: [item({ name: 'x', size: 5, started: false })], totalTransfers: 1 }))['transferring']).toEqual([{ name: 'x', size: 5 }]);
  });
});

describe('stats helpers', () => {
  it('formats elapsed time as rclone', () => {
    expect(formatElapsed(0)).toBe('0.0');
    expect(formatElapsed(2435)).toBe('2.4');
    expect(formatElapsed(59_999)).toBe('59.9');
    expect(formatElapsed(62_345)).toBe('1m2.3');
    expect(formatElapsed(3_600_000)).toBe('1h0m0.0');
    expect(formatElapsed(3_600_000 + 10 * 60_000 + 5_000)).toBe('1h10m5.0');
  });

  it('rounds percentages and shortens names', () => {
    expect(formatPercent(1, 3)).toBe('33%');
    expect(formatPercent(2, 3)).toBe('67%');
    expect(formatPercent(0, 0)).toBe('-');
    expect(shortenName('abcdefghij', 5)).toBe('ab…ij');
    expect(shortenName('abcdefghij', 4)).toBe('ab…j');
    expect(shortenName('abcdefghij', 10)).toBe('abcdefghij');
    expect(shortenName('abcdefghij', 0)).toBe('abcdefghij');
    expect(shortenName('日本語のファイル名', 5)).toBe('日本…ル名');
    expect(shortenName('a\udcffbcdefgh\udcfe', 5)).toBe('a\ufffd…h\ufffd');
  });

  it('pads names by runes and renders unknown sizes', () => {
    expect(formatTransferItem(item({ name: 'ü.bin', size: -1, bytes: 10 }), { fileNameLength: 8 })).toBe('   ü.bin:  0% /off, 0/s, -');
    expect(formatTransferItem(item({ name: 'x', started: false }), { fileNameLength: 0 })).toBe('x: transferring');
    expect(formatTransferItem(item({ name: 'x', size: 100, bytes: 1, percentage: 1, speedAvg: 1, etaSeconds: 99 }), { fileNameLength: 0 })).toBe('x:  1% /100, 1/s, 1m39s');
  });

  it('formats Go date layouts', () => {
    const d = new Date(2026, 0, 5, 14, 7, 9, 120);
    expect(formatGoLayout(d, '2006/01/02 15:04:05 - ')).toBe('2026/01/05 14:07:09 - ');
    expect(formatGoLayout(d, 'Mon Jan _2 3:04PM .000')).toBe('Mon Jan  5 2:07PM .120');
    expect(formatGoLayout(d, 'Monday January 2 06 .999')).toBe('Monday January 5 26 .12');
  });
});
