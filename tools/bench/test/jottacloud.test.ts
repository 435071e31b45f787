// The jottacloud cases of the bench: the listing-tree plan, the child environment, output checks, the emulator
// helpers (seed, stats, remove) and a tiny end-to-end run of run.mjs (rclone side real; jsync real or reported n/a).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs without types
import { checkListing } from '../lib/jc-cases.mjs';
// @ts-expect-error plain .mjs without types
import { formatTable, tableRows } from '../lib/report.mjs';
// @ts-expect-error plain .mjs without types
import { EMULATOR_DIST, firstErrorLine, jcEnv, jcUnavailable, planListTree, startJc } from '../lib/jottacloud.mjs';

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const hasEmulatorDist = existsSync(join(root, EMULATOR_DIST));
const hasCli = existsSync(join(root, 'apps/cli/dist/bin.js'));
const hasRclone = spawnSync('rclone', ['version'], { stdio: 'ignore' }).error === undefined;

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'bench-jc-'));
  dirs.push(d);
  return d;
};

interface Plan { dirs: string[]; files: { path: string; content: string; modified: number }[] }

describe('listing tree plan', () => {
  it('has exactly the requested entries: 100 folders and 99,900 files for 100,000', () => {
    const plan: Plan = planListTree(100_000);
    expect(plan.dirs).toHaveLength(100);
    expect(plan.files).toHaveLength(99_900);
    expect(plan.dirs.filter((d) => !d.includes('/'))).toHaveLength(10);
    const dirSet = new Set(plan.dirs);
    for (const d of plan.dirs) if (d.includes('/')) expect(dirSet.has(d.split('/')[0]!)).toBe(true);
    expect(new Set(plan.files.map((f) => f.path)).size).toBe(99_900);
    expect(plan.files.filter((f) => !dirSet.has(f.path.slice(0, f.path.lastIndexOf('/'))))).toEqual([]);
    expect(planListTree(100_000)).toEqual(plan);
  });

  it('works for small and odd sizes and rejects fewer than 2 entries', () => {
    for (const n of [2, 7, 1499, 15_000]) {
      const plan: Plan = planListTree(n);
      expect(plan.dirs.length + plan.files.length).toBe(n);
      expect(new Set(plan.dirs).size).toBe(plan.dirs.length);
    }
    expect(planListTree(15_000).dirs).toHaveLength(15);
    expect(() => planListTree(1)).toThrow(/at least 2/);
  });
});

describe('helpers', () => {
  it('builds a proxy-only environment with a private HOME', () => {
    const env = jcEnv({ PATH: '/bin', https_proxy: 'http://x', HTTP_PROXY: 'http://y', NO_PROXY: '*', no_proxy: '*', ALL_PROXY: 'z', TZ: 'UTC' }, { proxy: 'http://127.0.0.1:9', home: '/h' });
    expect(env).toEqual({ PATH: '/bin', TZ: 'UTC', HTTPS_PROXY: 'http://127.0.0.1:9', HOME: '/h', XDG_CONFIG_HOME: '/h/.config', XDG_CACHE_HOME: '/h/.cache' });
  });

  it('takes the first meaningful error line and reports a missing rclone', () => {
    expect(firstErrorLine('\nError: couldn\'t find backend for type "jottacloud"\nUsage: …\n')).toBe('Error: couldn\'t find backend for type "jottacloud"');
    expect(firstErrorLine('')).toBe('no output');
    expect(jcUnavailable({ root, rclone: 'rclone-not-installed-here' })).toBe('rclone-not-installed-here not found on PATH');
    expect(jcUnavailable({ root: temp(), rclone: process.execPath })).toMatch(/dist\/index\.js is missing/);
  });

  it('shows an unavailable tool as n/a in the table, with its reason under problems', () => {
    const rows = tableRows([{ title: 'jottacloud: copy', tools: { jsync: { problem: 'n/a – Error: boom', unavailable: true }, rclone: { medianWallMs: 2000, medianRssBytes: 50 * 1048576, medianCpuMs: 900 } } }]);
    const text = formatTable(rows);
    expect(text).toMatch(/\| jottacloud: copy \|\s+n\/a \|\s+2\.000 s \|\s+- \|\s+- \|\s+50\.0 MiB \|/);
    expect(text).toContain('! jottacloud: copy: jsync: n/a – Error: boom');
  });

  it('checks lsjson output against the seeded tree', () => {
    const want = new Set(['d0', 'd0/a', 'd0/b']);
    const ok = JSON.stringify([{ Path: 'd0', IsDir: true }, { Path: 'd0/a', IsDir: false }, { Path: 'd0/b', IsDir: false }]);
    expect(checkListing(ok, want, 1)).toBeUndefined();
    expect(checkListing(ok, want, 2)).toBe('listed 1 folders, want 2');
    expect(checkListing(JSON.stringify([{ Path: 'd0', IsDir: true }, { Path: 'd0/a' }]), want, 1)).toBe('listed 2 entries (2 distinct), want 3');
    expect(checkListing(JSON.stringify([{ Path: 'd0', IsDir: true }, { Path: 'd0/a' }, { Path: 'd0/a' }]), want, 1)).toBe('listed 3 entries (2 distinct), want 3');
    expect(checkListing(JSON.stringify([{ Path: 'zz' }]), want, 1)).toBe('unexpected entry "zz"');
    expect(checkListing('[{"Path":', want, 1)).toMatch(/^output is not JSON/);
  });
});

// Skip reason: needs the built emulator (packages/jottacloud-emulator/dist); `pnpm test` builds it first.
describe.skipIf(!hasEmulatorDist)('emulator handle', () => {
  it('seeds a tree, counts it and removes it permanently', async () => {
    const work = temp();
    const jc = await startJc({ root, work, baseEnv: { PATH: process.env.PATH } });
    try {
      const plan: Plan = planListTree(30);
      await jc.seedTree('t', plan);
      const s = jc.stats('t');
      expect({ files: s.files, dirs: s.dirs }).toEqual({ files: 29, dirs: 1 });
      expect(s.bytes).toBe(plan.files.reduce((n, f) => n + Buffer.byteLength(f.content), 0));
      expect(jc.emu.state.usage()).toBe(s.bytes);
      expect(jc.env.HTTPS_PROXY).toBe(jc.emu.proxy);
      expect(jc.flags('rclone')).toEqual(['--config', jc.configs.rclone, '--ca-cert', jc.emu.caCert, '--transfers', '4', '--checkers', '8']);
      await jc.remove('t');
      expect(jc.stats('t')).toBeUndefined();
      expect(jc.emu.state.stat('Jotta/Archive/t')).toBeUndefined(); // gone, not a tombstone in the trash
      expect(jc.emu.state.usage()).toBe(0);
      await jc.remove('t'); // absent: nothing to do
      // A tool whose `config create` fails is reported, not fatal (`node -e <script> --` ignores the config arguments).
      const failing = [process.execPath, '-e', 'console.error("\\nError: couldn\'t find backend for type \\"jottacloud\\""); process.exit(1)', '--'];
      expect(await jc.configure('jsync', failing)).toBe('n/a – Error: couldn\'t find backend for type "jottacloud"');
      expect(await jc.configure('jsync', [process.execPath, '-e', '', '--'])).toBeUndefined();
    } finally {
      await jc.stop();
    }
  });
});

/** Runs run.mjs to completion (async: the test's own event loop stays free) with a 90 s cap. */
function bench(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(root, 'tools/bench/run.mjs'), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('error', fail);
    child.once('close', (code) => { clearTimeout(timer); done({ code, stdout, stderr }); });
  });
}

const tiny = ['--files', '20', '--big-mib', '1', '--list-entries', '50', '--reps', '1', '--big-reps', '1', '--warmup', '0'];

// Skip reason: needs the built CLI (apps/cli/dist/bin.js); `pnpm test` builds it first, so it runs there.
describe.skipIf(!hasCli)('run.mjs with the jottacloud cases', () => {
  // Skip reason: the bench compares with rclone (optional system binary, installed in CI) on the built emulator.
  it.skipIf(!hasRclone || !hasEmulatorDist)('measures rclone on every case and verifies its results; jsync measured or n/a with a reason', async () => {
    const out = join(temp(), 'r.json');
    const r = await bench(['--cases', 'jc-copy-small,jc-copy-big,jc-lsjson-100k', ...tiny, '--json', out], process.env);
    expect(r.code, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(out, 'utf8'));
    expect(res.cases.map((c: { id: string }) => c.id)).toEqual(['jc-copy-small', 'jc-copy-big', 'jc-lsjson-100k']);
    for (const c of res.cases) {
      expect(c.tools.rclone.problem, c.id).toBeUndefined();
      expect(c.tools.rclone.wallMs).toHaveLength(1);
      expect(c.tools.rclone.medianRssBytes).toBeGreaterThan(1024 * 1024);
      expect(c.tools.rclone.argv).toContain('--ca-cert');
      const j = c.tools.jsync;
      if (j.unavailable) expect(j.problem).toMatch(/^n\/a – \S/);
      else expect(j.problem, `${c.id}: ${j.problem}`).toBeUndefined();
    }
    expect(r.stdout).toContain('| jottacloud: lsjson -R --fast-list of 50 entries');
    expect(r.stdout).toMatch(/^jottacloud: one in-process emulator/m);
  }, 100_000);

  it('skips the jottacloud cases with a printed reason when rclone is missing', async () => {
    const work = temp();
    const bin = join(work, 'bin');
    mkdirSync(bin);
    for (const tool of ['sync', 'stat']) {
      const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      if (found) symlinkSync(found, join(bin, tool));
    }
    const out = join(work, 'r.json');
    const r = await bench(['--cases', 'jc-copy-small,jc-lsjson-100k', ...tiny, '--json', out], { ...process.env, PATH: bin });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('skipping jc-copy-small, jc-lsjson-100k: rclone not found on PATH');
    expect(r.stdout).toContain('skipped jc-copy-small: rclone not found on PATH');
    const res = JSON.parse(readFileSync(out, 'utf8'));
    expect(res.cases).toEqual([]);
    expect(res.skipped.map((s: { id: string }) => s.id)).toEqual(['jc-copy-small', 'jc-lsjson-100k']);
  }, 100_000);
});
