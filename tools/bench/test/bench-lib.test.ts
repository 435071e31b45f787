// The benchmark harness's own pieces: deterministic data, the cache, GNU time parsing, medians and the table.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without types
import { ensureData, keystream, planSmallTree, prng, treeStats } from '../lib/data.mjs';
// @ts-expect-error plain .mjs without types
import { measure, median, parseGnuTime } from '../lib/measure.mjs';
// @ts-expect-error plain .mjs without types
import { formatTable, tableRows } from '../lib/report.mjs';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'bench-lib-'));
  dirs.push(d);
  return d;
};

describe('data generation', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = prng(7), b = prng(7), c = prng(8);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    expect(keystream(1, 'x').next(32)).toEqual(keystream(1, 'x').next(32));
    expect(keystream(1, 'x').next(32)).not.toEqual(keystream(2, 'x').next(32));
  });

  it('plans varied sizes in nested dirs, 0 to the maximum inclusive', () => {
    const plan = planSmallTree({ seed: 1, files: 2000, maxFileBytes: 65536 });
    expect(plan.files).toHaveLength(2000);
    const sizes = plan.files.map((f: { size: number }) => f.size);
    expect(Math.min(...sizes)).toBe(0);
    expect(Math.max(...sizes)).toBe(65536);
    expect(new Set(sizes).size).toBeGreaterThan(1000);
    expect(plan.files.some((f: { path: string }) => f.path.split('/').length === 3)).toBe(true);
    expect(plan.totalBytes).toBe(sizes.reduce((s: number, x: number) => s + x, 0));
    expect(planSmallTree({ seed: 1, files: 2000, maxFileBytes: 65536 })).toEqual(plan);
  });

  it('writes the planned tree and big file, then reuses the cache until it is damaged', () => {
    const base = temp();
    const logs: string[] = [];
    const params = { seed: 3, files: 40, maxFileBytes: 4096, bigBytes: 5 * 1024 * 1024 + 3 };
    const first = ensureData(params, { base, log: (s: string) => logs.push(s) });
    expect(first.cached).toBe(false);
    expect(treeStats(first.small)).toEqual({ files: 40, bytes: planSmallTree(params).totalBytes });
    expect(statSync(first.bigFile).size).toBe(params.bigBytes);
    expect(createHash('md5').update(readFileSync(first.bigFile)).digest('hex')).toBe(first.manifest.big.md5);
    const planned = planSmallTree(params).files[5];
    expect(statSync(join(first.small, planned.path), { bigint: true }).mtimeNs).toBe(planned.mtimeNs);

    const again = ensureData(params, { base });
    expect(again.cached).toBe(true);
    expect(again.dir).toBe(first.dir);
    writeFileSync(join(first.small, planned.path), 'changed size');
    expect(ensureData(params, { base }).cached).toBe(false);
    expect(treeStats(first.small).bytes).toBe(planSmallTree(params).totalBytes);
  });
});

describe('measurement and report', () => {
  it('parses GNU time output and takes medians', () => {
    expect(parseGnuTime('1.23 45678 0.80 0.12\n')).toEqual({ elapsed: 1.23, maxRssKiB: 45678, userS: 0.8, sysS: 0.12 });
    expect(parseGnuTime('Command exited with non-zero status 1\n0.01 2048 0.00 0.01\n')).toEqual({ elapsed: 0.01, maxRssKiB: 2048, userS: 0, sysS: 0.01 });
    expect(parseGnuTime('garbage')).toBeUndefined();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('measures a child: exit code, output and a plausible peak RSS', async () => {
    const work = temp();
    // Allocates and touches ~64 MiB so the peak RSS is clearly above node's baseline.
    const r = await measure(process.execPath, ['-e', 'const b = Buffer.alloc(64 * 1048576, 1); console.log(b[5]); process.exitCode = 3'], { workDir: work, method: 'proc-vmhwm', label: 't' });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('1\n');
    expect(r.rssBytes).toBeGreaterThan(64 * 1048576);
    expect(r.wallMs).toBeGreaterThan(0);
  });

  it('prints ratios and flags those above 1.0', () => {
    const tool = (wall: number, rss: number) => ({ medianWallMs: wall, medianRssBytes: rss, medianCpuMs: wall / 2 });
    const rows = tableRows([
      { title: 'fast', tools: { jsync: tool(500, 50 * 1048576), rclone: tool(1000, 100 * 1048576) } },
      { title: 'slow', tools: { jsync: tool(3000, 50 * 1048576), rclone: tool(1000, 40 * 1048576), md5sum: tool(1500, 2 * 1048576) } },
      { title: 'broken', tools: { jsync: { problem: 'exit 1: boom' }, rclone: tool(1000, 1) } },
    ]);
    expect(rows.map((r: { case: string }) => r.case)).toEqual(['fast', 'slow', 'slow vs coreutils md5sum', 'broken']);
    const text = formatTable(rows);
    expect(text).toMatch(/\| fast .*\|\s+0\.50 \|.*\|\s+0\.50 \|\s+0\.50 \| rclone/);
    expect(text).toMatch(/\| slow .*\|\s+3\.00 \* \|.*\|\s+1\.25 \* \|\s+3\.00 \* \| rclone/);
    expect(text).toMatch(/\| slow vs coreutils md5sum .*\|\s+2\.00 \* \|/);
    expect(text).toContain('met in 1 of 3 cases');
    expect(text).toContain('! broken: jsync: exit 1: boom');
  });
});

describe('profile summary', () => {
  it('splits sample time into self and inclusive time per function', async () => {
    // @ts-expect-error plain .mjs without types
    const { summarizeProfile } = await import('../lib/profile-summary.mjs');
    const frame = (functionName: string, url = 'file:///x/packages/core/dist/a.js', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '1' });
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2] },
        { id: 2, callFrame: frame('outer', undefined, 9), children: [3] },
        { id: 3, callFrame: frame('inner', undefined, 19), children: [] },
      ],
      samples: [2, 3, 3, 3],
      timeDeltas: [1000, 1000, 1000, 1000],
      startTime: 0,
      endTime: 4000,
    };
    const path = join(temp(), 'p.cpuprofile');
    writeFileSync(path, JSON.stringify(profile));
    const text = summarizeProfile(path, 5);
    expect(text).toContain('== self by function (total 4 ms)');
    expect(text).toMatch(/75\.0%\s+3\.0 ms {2}inner packages\/core\/dist\/a\.js:20/);
    expect(text).toMatch(/== inclusive by function[\s\S]*100\.0%\s+4\.0 ms {2}outer packages\/core\/dist\/a\.js:10/);
  });
});
