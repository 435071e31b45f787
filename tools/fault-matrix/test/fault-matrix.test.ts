// The fault matrix inside `pnpm test`: the plan (seeded, every kind and operation, which cells apply), the judge on
// hand-made broken states (it must see lost files, corrupt final names, deletes after errors, unclear failures), and
// run.mjs end to end — a reduced matrix (one seed, ten cells covering every fault kind and every operation) must
// pass, and the same script must fail (exit 1, files lost, silent partial result) when jsync is told to ignore
// errors and checksums. The full matrix is `pnpm fault-matrix` (see README.md).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without types
import { KINDS, OP_IDS, cells, notApplicable, runPlan } from '../lib/plan.mjs';
// @ts-expect-error plain .mjs without types
import { deletesAfterErrors, invariants, loudness } from '../lib/judge.mjs';
// @ts-expect-error plain .mjs without types
import { formatTable, passed, totals } from '../lib/report.mjs';
// @ts-expect-error plain .mjs without types
import { idsOf } from '../lib/tree.mjs';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const RUN = join(ROOT, 'tools/fault-matrix/run.mjs');
const built = existsSync(join(ROOT, 'apps/cli/dist/bin.js')) && existsSync(join(ROOT, 'packages/jottacloud-emulator/dist/index.js'));
const work = mkdtempSync(join(tmpdir(), 'fault-matrix-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Rec { kind: string; op: string; outcome: string; fired: number; lost: string[]; problems: string[]; code: number }

/** Runs run.mjs; resolves its exit code, stdout and the --json report. */
function runMatrix(args: string[], name: string): Promise<{ code: number | null; out: string; err: string; json: { totals: Record<string, number>; records: Rec[] } }> {
  const jsonPath = join(work, `${name}.json`);
  return new Promise((done, fail) => {
    // The work dir goes below this test's temp dir (a failing matrix keeps it; afterAll removes it).
    const child = spawn(process.execPath, [RUN, '--json', jsonPath, '--work-dir', work, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => { out += c; });
    child.stderr.on('data', (c: Buffer) => { err += c; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, out, err, json: existsSync(jsonPath) ? JSON.parse(readFileSync(jsonPath, 'utf8')) : { totals: {}, records: [] } });
    });
  });
}

describe('plan', () => {
  it('has every fault kind and operation; 67 applicable cells; the not-applicable ones make no such request', () => {
    expect(KINDS).toEqual(['5xx', '429', 'reset-upload', 'reset-download', 'truncate', 'slow', 'expire', 'quota', 'corrupt']);
    expect(OP_IDS).toEqual(['copy-up', 'copy-down', 'sync-up', 'sync-down', 'move-up', 'move-down', 'check', 'delete', 'cleanup']);
    expect(cells().length).toBe(67);
    expect(notApplicable('reset-upload', 'copy-down')).toMatch(/uploads nothing/);
    expect(notApplicable('corrupt', 'cleanup')).toMatch(/no content/);
    expect(notApplicable('corrupt', 'check')).toBeUndefined();
  });

  it('is seeded: the same seed gives the same plan, other seeds other plans; every plan has a guaranteed (@n) fault', () => {
    for (const { kind, op } of cells()) {
      const a = runPlan(kind, op, 5);
      expect(runPlan(kind, op, 5)).toEqual(a);
      expect(a.faults[0]).toMatch(/^[a-z]+=[a-z0-9]+@\d+$/);
    }
    const variants = new Set([1, 2, 3, 4, 5, 6].map((s) => JSON.stringify(runPlan('5xx', 'sync-up', s))));
    expect(variants.size).toBeGreaterThan(3);
    expect(() => runPlan('quota', 'check', 1)).toThrow(/does not apply/);
  });
});

describe('judge (broken states must be seen)', () => {
  const content = new Map([['a.bin', Buffer.from('new a')], ['b.bin', Buffer.from('new b')]]);
  const stale = new Map([['a.bin', Buffer.from('old a')]]);
  const destOnly = new Map([['only.bin', Buffer.from('only')]]);
  const sc = {
    op: 'sync-down', cmd: 'sync', dir: 'down', ids: idsOf(content), staleIds: idsOf(stale), destOnlyIds: idsOf(destOnly), doomedIds: new Map(),
  };
  const serverWith = (m: Map<string, Buffer>) => {
    const live = idsOf(m);
    return { live, trashed: new Map(), pending: [], history: new Map([...live].map(([k, v]: [string, { md5: string }]) => [k, new Set([v.md5])])) };
  };
  const localWith = (m: Map<string, Buffer>, partials: string[] = []) => ({ files: idsOf(m), partials });

  it('a consistent half-done sync has no lost file and no problem', () => {
    const r = invariants(sc, { server: serverWith(content), local: localWith(new Map([['a.bin', Buffer.from('old a')], ['only.bin', Buffer.from('only')]]), ['b.bin.0123abcd.partial']) });
    expect(r.lost).toEqual([]);
    expect(r.problems).toEqual([]);
    expect(r.notes).toEqual(['temporary file left: b.bin.0123abcd.partial']);
  });

  it('sees a destination-only file deleted before the destination was complete, a vanished replaced file, corrupt final names', () => {
    const r = invariants(sc, { server: serverWith(content), local: localWith(new Map([['b.bin', Buffer.from('new b, cut')]])) });
    expect(r.lost.join('\n')).toMatch(/only\.bin: destination-only file deleted while the destination was incomplete/);
    expect(r.lost.join('\n')).toMatch(/a\.bin: a destination file the run replaces disappeared/);
    expect(r.problems).toEqual(['corrupt content under a final name: b.bin (10 bytes)']);
  });

  it('sees source content that exists nowhere (a move that lost a file)', () => {
    const up = { ...sc, op: 'move-up', cmd: 'move', dir: 'up', staleIds: new Map(), destOnlyIds: new Map() };
    const r = invariants(up, { server: serverWith(new Map([['a.bin', Buffer.from('new a')]])), local: localWith(new Map()) });
    expect(r.lost).toEqual(['b.bin: source content exists nowhere (not at the source, the destination, revisions or trash)']);
    // A move down that trashed its source before the download arrived: nothing lost (the trash has it), but a problem.
    const down = { ...up, op: 'move-down', dir: 'down' };
    const trashedOnly = { ...serverWith(content), live: new Map(), trashed: idsOf(content) };
    const d = invariants(down, { server: trashedOnly, local: localWith(new Map([['a.bin', Buffer.from('new a')]])) });
    expect(d.lost).toEqual([]);
    expect(d.problems).toEqual(['b.bin: moved away from the source but only in server revisions/trash, not current at the destination']);
  });

  it('loudness: a final "Failed to" line naming the fault passes; silence, stack traces and unrelated messages do not', () => {
    const good = '2024/01/01 00:00:00 ERROR : a: Failed to copy: error 503: unavailable\n2024/01/01 00:00:01 Failed to copy: error 503: x\n';
    expect(loudness('5xx', good)).toEqual([]);
    expect(loudness('5xx', '')).toHaveLength(2);
    expect(loudness('quota', good)).toEqual([expect.stringMatching(/does not name the quota fault/)]);
    expect(loudness('5xx', `${good}    at foo (file:///x.js:1:1)\n`)).toContain('stack trace in the error output');
  });

  it('deletesAfterErrors: a Deleted line after an ERROR of the same attempt is reported; a new attempt starts clean', () => {
    const log = [
      '2024/01/01 00:00:00 ERROR : a.bin: Failed to copy: boom',
      '2024/01/01 00:00:00 INFO  : x.bin: Deleted',
      '2024/01/01 00:00:00 ERROR : Attempt 1/2 failed with 1 errors',
      '2024/01/01 00:00:01 INFO  : y.bin: Deleted',
    ].join('\n');
    expect(deletesAfterErrors(log)).toEqual([expect.stringMatching(/x\.bin: Deleted/)]);
  });

  it('report: totals and a markdown table with a totals row; passes only without lost files and problems', () => {
    const recs = [
      { kind: '5xx', op: 'copy-up', outcome: 'clean', fired: 3, lost: [], problems: [] },
      { kind: '5xx', op: 'copy-up', outcome: 'loud', fired: 2, lost: [], problems: [] },
      { kind: 'quota', op: 'sync-up', outcome: 'loud', fired: 1, lost: [], problems: [] },
    ];
    expect(totals(recs)).toMatchObject({ fired: 6, runs: 3, converged: 3, clean: 1, loud: 2, lost: 0, problems: 0 });
    const table = formatTable(recs).split('\n');
    expect(table[0]).toMatch(/^\| fault kind +\| operation +\| faults injected \| runs \| converged \|/);
    expect(table[2]).toMatch(/^\| 5xx +\| copy-up +\| 5 +\| 2 +\| 2 +\| 1 +\| 1 +\| 0 +\| 0 +\|$/);
    expect(table.at(-1)).toMatch(/^\| \*\*total\*\* +\| +\| 6 +\| 3 +\| 3 /);
    expect(passed(recs)).toBe(true);
    expect(passed([...recs, { kind: 'corrupt', op: 'copy-down', outcome: 'silent', fired: 1, lost: ['x'], problems: ['p'] }])).toBe(false);
  });
});

// Skip reason: runs the built CLI against the built emulator; `pnpm test` builds both first.
describe.runIf(built)('run.mjs against the emulator (built CLI and emulator; `pnpm test` builds first)', () => {
  // Ten cells: every fault kind and every operation at least once.
  const REDUCED = '5xx:sync-up,429:copy-down,reset-upload:move-up,reset-download:sync-down,truncate:delete,slow:check,expire:copy-up,quota:sync-up,corrupt:move-down,5xx:cleanup';

  it('a reduced matrix (seed 1) passes: faults fired in every run, every run converged, no file lost', async () => {
    const r = await runMatrix(['--cells', REDUCED, '--seed', '1', '--seeds', '1', '--parallel', '3', '--run-timeout', '60'], 'reduced');
    expect(r.code, `${r.out}\n${r.err}`).toBe(0);
    const recs = r.json.records;
    expect(recs).toHaveLength(10);
    for (const rec of recs) expect(rec.fired, `${rec.kind} × ${rec.op}`).toBeGreaterThan(0);
    expect(r.json.totals).toMatchObject({ runs: 10, converged: 10, lost: 0, problems: 0 });
    expect(r.out).toMatch(/\| \*\*total\*\* +\| +\| \d+ +\| 10 +\| 10 +\|/);
    expect(r.out).toMatch(/PASS: 0 files lost, 0 silent partial results/);
  }, 150_000);

  it('fails (exit 1) when jsync ignores errors and checksums: files lost and a silent partial result are counted', async () => {
    // Every upload fails (an extra persistent fault) and --ignore-errors deletes anyway; --ignore-checksum keeps a corrupt download.
    const r = await runMatrix(['--cells', 'corrupt:sync-down,reset-upload:sync-up', '--seed', '1', '--seeds', '1', '--parallel', '2',
      '--extra-faults', 'upload=500', '--extra-flags=--ignore-checksum --ignore-errors --retries 1 --low-level-retries 1'], 'broken');
    expect(r.code, r.out).toBe(1);
    const byCell = new Map(r.json.records.map((x) => [`${x.kind}:${x.op}`, x]));
    expect(byCell.get('corrupt:sync-down')?.outcome).toBe('silent');
    expect(byCell.get('corrupt:sync-down')?.problems.join('\n')).toMatch(/corrupt content under a final name/);
    expect(byCell.get('reset-upload:sync-up')?.lost.join('\n')).toMatch(/destination-only file deleted while the destination was incomplete/);
    expect(r.json.totals.lost).toBeGreaterThan(0);
    expect(r.out).toMatch(/^FAIL: [1-9]\d* files lost, [1-9]\d* silent partial results/m);
  }, 150_000);
});
