// Global run/transfer/filter flags: value syntax and rclone's error texts, env fallbacks, `--X=false`, the resolved
// TransferOptions, filter loading (rule files, stdin, --dump filters) and listings honouring filters; compared with
// the installed rclone where it is on PATH (CI installs rclone v1.60.1).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, normalizeBoolFlags } from '../src/main.js';
import { memoryIo } from '../src/io.js';
import { CliContext } from '../src/context.js';
import { createProgram } from '../src/program.js';
import { createRegistry } from '../src/backends.js';
import { boolFlagNames } from '../src/flags/bool-flags.js';
import { parseGoDurationNs } from '../src/flags/flag-values.js';

const rcloneAvailable = spawnSync('rclone', ['version'], { encoding: 'utf8' }).status === 0;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-flags-'));
  mkdirSync(join(dir, 'src/d'), { recursive: true });
  writeFileSync(join(dir, 'src/a.txt'), 'aaa');
  writeFileSync(join(dir, 'src/b.md'), 'bb');
  writeFileSync(join(dir, 'src/d/c.txt'), 'c');
  writeFileSync(join(dir, 'rules'), '# comment\n- *.md\n\n+ **\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const strip = (s: string) => s.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '');

async function jsync(args: string[], opts: { env?: Record<string, string>; stdin?: string } = {}) {
  const io = memoryIo({ env: opts.env ?? {}, cwd: dir, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
  const code = await main(['--config', '/dev/null', ...args], { io });
  return { code, out: io.out(), err: strip(io.err()) };
}

function rclone(args: string[]) {
  const r = spawnSync('rclone', ['--config', '/dev/null', ...args], { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'], TZ: 'UTC', HOME: dir } });
  return { code: r.status ?? -1, out: r.stdout, err: strip(r.stderr) };
}

/** Parses `argv` (before a `version` command) into a context, as main does. */
async function parsed(argv: string[], env: Record<string, string> = {}): Promise<CliContext> {
  const io = memoryIo({ env, cwd: dir });
  const ctx = new CliContext({ io, registry: createRegistry(), argv });
  const program = createProgram(ctx);
  await program.parseAsync(normalizeBoolFlags([...argv, 'version'], boolFlagNames(program)), { from: 'user' });
  return ctx;
}

const fatalLine = (err: string) => err.split('\n').find((l) => l.startsWith('Fatal error: ') || l.startsWith('Failed to load filters'));

describe('flag values', () => {
  it('parses Go durations like time.ParseDuration', () => {
    expect(parseGoDurationNs('1h2m3.5s')).toBe(3_723_500_000_000n);
    expect(parseGoDurationNs('-1.5ms')).toBe(-1_500_000n);
    expect(parseGoDurationNs('0')).toBe(0n);
    expect(parseGoDurationNs('.5s')).toBe(500_000_000n);
    expect(() => parseGoDurationNs('1')).toThrow('time: missing unit in duration "1"');
    expect(() => parseGoDurationNs('1d')).toThrow('time: unknown unit "d" in duration "1d"');
    expect(() => parseGoDurationNs('')).toThrow('time: invalid duration ""');
    expect(() => parseGoDurationNs('.s')).toThrow('time: invalid duration ".s"');
    expect(() => parseGoDurationNs('99999999999h')).toThrow('time: invalid duration "99999999999h"');
  });

  const bad: Array<[string, string]> = [
    ['--retries-sleep=1', 'time: missing unit in duration "1"'],
    ['--retries-sleep=1d', 'time: unknown unit "d" in duration "1d"'],
    ['--modify-window=x', 'time: invalid duration "x"'],
    ['--stats=1e3s', 'time: unknown unit "e" in duration "1e3s"'],
    ['--min-size=foo', "bad suffix 'o'"],
    ['--max-transfer=x', "bad suffix 'x'"],
    ['--max-age=zz', 'parsing time "zz" as "2006-01-02": cannot parse "zz" as "2006"'],
    ['--retries=x', 'strconv.ParseInt: parsing "x": invalid syntax'],
    ['--max-delete=1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    ['--tpslimit=x', 'strconv.ParseFloat: parsing "x": invalid syntax'],
    ['--cutoff-mode=x', 'unknown cutoff mode "x"'],
    ['--stats-log-level=info', 'unknown log level "info"'],
    ['--dump=x', 'unknown dump flag "x"'],
    ['--bwlimit=08:00,1M 25:00,off', "invalid hour (must be between 00 and 23): '\\x19'"],
    ['--bwlimit=Mon-08:00,1M Foo-09:00,off', 'invalid weekday: "foo"'],
  ];
  it.each(bad)('rejects %s with pflag\'s message and exit 1', async (flag, reason) => {
    const r = await jsync(['lsf', 'src', flag]);
    expect(r.code).toBe(1);
    const [name, value] = [flag.slice(2, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)];
    expect(fatalLine(r.err)).toBe(`Fatal error: invalid argument ${JSON.stringify(value)} for "--${name}" flag: ${reason}`);
    expect(r.out).toBe('');
  });

  it.runIf(rcloneAvailable).each(bad.map(([f]) => f))('rclone words %s the same way', async (flag) => {
    const want = rclone(['lsf', 'src', flag]);
    const got = await jsync(['lsf', 'src', flag]);
    expect(got.code).toBe(want.code);
    expect(fatalLine(got.err)).toBe(fatalLine(want.err));
  });

  it('accepts rclone syntax for every typed flag', async () => {
    const ctx = await parsed(['--retries-sleep', '1m30s', '--stats', '0', '--modify-window', '2s', '--max-transfer', '10',
      '--max-delete-size', '1M', '--min-size', '1B', '--max-age', '1.5d', '--cutoff-mode', 'soft', '--tpslimit', '2.5',
      '--bwlimit', '1M:off', '--stats-log-level', 'DEBUG', '--dump', 'Filters,headers']);
    const g = ctx.globals;
    expect(g.retriesSleepMs).toBe(90_000);
    expect(g.statsIntervalMs).toBe(0);
    expect(g.statsSet).toBe(true);
    expect(g.transfer.modifyWindowNs).toBe(2_000_000_000n);
    expect(g.transfer.maxTransfer).toBe(10 * 1024); // a bare size is KiB
    expect(g.transfer.maxDeleteSize).toBe(1024 * 1024);
    expect(g.filter.minSize).toBe(1);
    expect(g.filter.maxAgeMs).toBe(1.5 * 86_400_000);
    expect(g.transfer.cutoffMode).toBe('SOFT');
    expect(g.tpslimit).toBe(2.5);
    expect(g.bwlimit).toEqual([{ dayOfWeek: 0, hhmm: 0, bandwidth: { tx: 1024 * 1024, rx: -1 } }]);
    expect(g.statsLogLevel).toBe('DEBUG');
    expect(g.dump).toEqual(['filters', 'headers']);
  });
});

describe('TransferOptions from flags', () => {
  it('maps long and short transfer flags onto the engine options', async () => {
    const ctx = await parsed(['-c', '-I', '-u', '-n', '--size-only', '--ignore-size', '--ignore-existing', '--ignore-checksum',
      '--no-update-modtime', '--no-traverse', '--no-check-dest', '--immutable', '--check-first', '--max-backlog', '5',
      '--max-delete', '3', '--delete-during', '--delete-excluded', '--ignore-errors', '--suffix', '.bak', '--suffix-keep-extension',
      '--ignore-case-sync', '--no-unicode-normalization', '--server-side-across-configs', '--allow-empty-source',
      '--checkers', '0', '--transfers', '2', '--fast-list', '--max-depth', '2', '--low-level-retries', '0', '--error-on-no-transfer']);
    const o = ctx.transferOptions({ createEmptySrcDirs: true });
    expect(o).toMatchObject({
      checksum: true, ignoreTimes: true, update: true, dryRun: true, sizeOnly: true, ignoreSize: true, ignoreExisting: true,
      ignoreChecksum: true, noUpdateModTime: true, noTraverse: true, noCheckDest: true, immutable: true, checkFirst: true,
      maxBacklog: 5, maxDelete: 3, deleteMode: 'during', deleteExcluded: true, ignoreErrors: true, suffix: '.bak',
      suffixKeepExtension: true, ignoreCaseSync: true, noUnicodeNormalization: true, serverSideAcrossConfigs: true,
      allowEmptySource: true, checkers: 1, transfers: 2, fastList: true, maxDepth: 2, lowLevelRetries: 1,
      errorOnNoTransfer: true, createEmptySrcDirs: true,
    });
  });

  it('has rclone defaults when no flag is given', async () => {
    const o = (await parsed([])).transferOptions();
    expect(o).toMatchObject({
      dryRun: false, checksum: false, modifyWindowNs: 1n, deleteMode: 'after', maxDelete: -1, maxDeleteSize: -1,
      maxTransfer: -1, cutoffMode: 'HARD', checkers: 8, transfers: 4, maxBacklog: 10000, lowLevelRetries: 10, suffix: '',
    });
    const g = (await parsed([])).globals;
    expect([g.retries, g.retriesSleepMs, g.statsIntervalMs, g.statsSet, g.statsLogLevel, g.statsFileNameLength]).toEqual([3, 0, 60000, false, 'INFO', 45]);
  });

  it('lowers the stats level to NOTICE for --dry-run and -i', async () => {
    expect((await parsed(['-n'])).globals.statsLogLevel).toBe('NOTICE');
    expect((await parsed(['-i'])).globals.statsLogLevel).toBe('NOTICE');
    expect((await parsed(['-n', '--stats-log-level', 'ERROR'])).globals.statsLogLevel).toBe('ERROR');
  });

  it('reads JSYNC_/RCLONE_ env values for flags not on the command line', async () => {
    const env = { RCLONE_DRY_RUN: 'true', RCLONE_NO_UPDATE_MODTIME: 'true', RCLONE_RETRIES: '7', JSYNC_RETRIES: '9', RCLONE_INCLUDE: '*.txt', RCLONE_MAX_TRANSFER: '1M' };
    const ctx = await parsed([], env);
    expect(ctx.globals.dryRun).toBe(true);
    expect(ctx.globals.retries).toBe(9);
    expect(ctx.globals.transfer.noUpdateModTime).toBe(true);
    expect(ctx.globals.transfer.maxTransfer).toBe(1024 * 1024);
    expect(ctx.globals.filter.include).toEqual(['*.txt']);
    const cli = await parsed(['--dry-run=false', '--retries', '2', '--no-update-modtime=false', '-c=true'], env);
    expect(cli.globals.dryRun).toBe(false);
    expect(cli.globals.retries).toBe(2);
    expect(cli.globals.transfer.noUpdateModTime).toBe(false);
    expect(cli.globals.transfer.checksum).toBe(true);
  });

  it('reads command flags from the environment too', async () => {
    mkdirSync(join(dir, 'src/none'), { recursive: true });
    const r = await jsync(['copy', 'src', 'envcopy'], { env: { RCLONE_CREATE_EMPTY_SRC_DIRS: 'true' } });
    expect(r.code).toBe(0);
    expect((await jsync(['lsf', 'envcopy'])).out).toContain('none/\n');
    rmSync(join(dir, 'src/none'), { recursive: true });
    const c = await jsync(['check', 'src', 'envcopy'], { env: { JSYNC_COMBINED: '-', RCLONE_ONE_WAY: 'true' } });
    expect(c.out.split('\n').sort()).toEqual(['', '= a.txt', '= b.md', '= d/c.txt']);
  });

  it('refuses more than one delete mode with rclone\'s fatal line', async () => {
    const r = await jsync(['sync', 'src', 'dst', '--delete-before', '--delete-during']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('Only one of --delete-before, --delete-during or --delete-after can be used.\n');
  });

  it('falls back to bytes for a bad --stats-unit with an ERROR', async () => {
    const r = await jsync(['lsf', 'src', '--stats-unit', 'BITS']);
    expect(r.err).toBe('ERROR : Invalid unit passed to --stats-unit. Defaulting to bytes.\n');
    expect(r.code).toBe(0);
  });
});

describe('filter flags', () => {
  it('listings honour the filters', async () => {
    expect((await jsync(['lsf', '-R', 'src', '--exclude', '*.md'])).out).toBe('a.txt\nd/\nd/c.txt\n');
    expect((await jsync(['lsf', '-R', 'src', '--filter-from', 'rules'])).out).toBe('a.txt\nd/\nd/c.txt\n');
    expect((await jsync(['lsf', 'src', '--min-size', '3B'])).out).toBe('a.txt\nd/\n');
  });

  it('reads rule files from stdin with `-` (transfer commands)', async () => {
    const r = await jsync(['copy', 'src', 'out1', '--filter-from', '-'], { stdin: '- d/**\n+ *.txt\n- *\n' });
    expect(r.code).toBe(0);
    expect((await jsync(['lsf', '-R', 'out1'])).out).toBe('a.txt\n');
    const files = await jsync(['copy', 'src', 'out2', '--files-from', '-'], { stdin: '# list\n d/c.txt \n' });
    expect(files.code).toBe(0);
    expect((await jsync(['lsf', '-R', 'out2'])).out).toBe('d/\nd/c.txt\n');
  });

  it('--dump filters prints the rules to stdout and forces -vv', async () => {
    const r = await jsync(['lsf', 'src', '--dump', 'filters', '--include', '*.txt']);
    expect(r.out).toBe('--- start filters ---\n--- File filter rules ---\n+ (^|/)[^/]*\\.txt$\n- ^.*$\n--- Directory filter rules ---\n+ ^.*$\n- ^.*$\n--- end filters ---\na.txt\nd/\n');
    expect(r.err.split('\n')[0]).toBe('NOTICE: Automatically setting -vv as --dump is enabled');
    expect(r.err).toContain('DEBUG : ');
  });

  const failures: string[][] = [
    ['--filter-from', 'nosuch'], ['--exclude-from', 'src'], ['--filter', 'x'], ['--include', '['],
    ['--filter', '+ *.txt', '--files-from', 'rules'], ['--min-age', '2d', '--max-age', '1d'],
  ];
  it.each(failures)('fails to load filters like rclone: %s %s', async (...flags) => {
    const r = await jsync(['lsf', 'src', ...flags]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^(Failed to load filters: |filter: ).+\n$/);
    if (rcloneAvailable) expect(r.err).toBe(rclone(['lsf', 'src', ...flags]).err);
  });

  it.runIf(rcloneAvailable)('dumps the same rules and lists the same files as rclone', async () => {
    const cases = [
      ['--filter', '- d/**', '--include-from', 'rules', '--exclude', '*.md', '--ignore-case'],
      ['--include', '*.txt', '--exclude', 'd/'],
      ['--exclude-if-present', 'c.txt', '--max-size', '2B'],
      ['--files-from-raw', 'rules'],
    ];
    for (const flags of cases) {
      const args = ['lsf', '-R', 'src', '--dump', 'filters', ...flags];
      const want = rclone(args);
      const got = await jsync(args);
      expect(got.out, flags.join(' ')).toBe(want.out);
      expect(got.code).toBe(want.code);
    }
  });
});
