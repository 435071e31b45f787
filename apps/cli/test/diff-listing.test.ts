// Differential tests: jsync's listing, hash, size and cat commands against the installed rclone v1.60.1 on a
// generated fixture tree (odd names, ns modtimes, deep nesting, a 3 MiB file) and on the memory backend.
// CI installs rclone (the reference oracle); without an `rclone` binary the whole suite is skipped.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, loadTreeSpec } from './helpers/fixture-tree.js';
import {
  type RunResult, cleanEnv, maskModTimes, normalizedStderr, rcloneAvailable, runJsync, runRclone, runRcloneAll, sortedLines,
} from './helpers/run-both.js';

process.env['TZ'] = 'UTC';

/** How outputs are compared. */
type Mode =
  | 'exact' // stdout bytes identical
  | 'lines' // same multiset of lines (recursive listings, hash sums: rclone's order varies)
  | 'json-lines' // lsjson -R: same lines once the separating commas are dropped
  | 'mask-time'; // identical after masking ModTime values that are "now"

interface Case {
  /** Arguments; `@` at the start of an argument stands for the fixture root. */
  args: string[];
  mode: Mode;
  /** Also compare stderr (dates stripped, unique sorted lines). */
  stderr?: boolean;
  stdin?: string;
  tz?: string;
}

const c = (mode: Mode, ...args: string[]): Case => ({ args, mode });
const withStderr = (x: Case): Case => ({ ...x, stderr: true });

const CASES: Case[] = [
  // ls / lsl / lsd
  withStderr(c('lines', 'ls', '@')), c('lines', 'lsl', '@'), c('lines', 'ls', '--human-readable', '@'),
  c('exact', 'ls', '--max-depth', '1', '@'), c('exact', 'lsl', '--max-depth', '1', '@'), c('exact', 'lsl', '--max-depth', '1', '--human-readable', '@'),
  c('lines', 'ls', '--max-depth', '2', '@'), c('lines', 'ls', '--max-depth', '0', '@'), c('lines', 'ls', '--fast-list', '@'),
  c('exact', 'ls', '@/a.txt'), c('exact', 'lsl', '@/sub/one.txt'), c('exact', 'lsl', '@/sub'), c('exact', 'lsl', '@/ctl'),
  c('exact', 'lsd', '@'), c('exact', 'lsd', '--human-readable', '@'), c('exact', 'lsd', '@/sub'), c('exact', 'lsd', '@/a.txt'),
  c('lines', 'lsd', '-R', '@'), c('lines', 'lsd', '-R', '--max-depth', '1', '@'), c('lines', 'lsd', '--max-depth', '3', '@'),
  c('exact', 'lsd', '@/empty-dir'),
  // lsf
  c('exact', 'lsf', '@'), c('exact', 'lsf', '-F', 'pst', '@'), c('exact', 'lsf', '-F', 'tshp', '-s', ',', '--files-only', '@'),
  c('exact', 'lsf', '--dirs-only', '@'), c('exact', 'lsf', '--dir-slash=false', '--absolute', '@'),
  c('exact', 'lsf', '--csv', '-F', 'psm', '@'), c('exact', 'lsf', '--csv', '-s', ':', '-F', 'pt', '@'), c('exact', 'lsf', '--csv', '-s', ' ', '-F', 'ps', '@'),
  c('exact', 'lsf', '-F', 'pi', '-s', '|', '@'), c('exact', 'lsf', '-F', 'pTo', '@'), c('exact', 'lsf', '--hash', 'sha256', '-F', 'hp', '@/sub'),
  c('exact', 'lsf', '--hash', 'SHA-1', '-F', 'ph', '@/punct'), c('exact', 'lsf', '--hash', 'none', '-F', 'hp', '@/sub'), c('exact', 'lsf', '@/a.txt'),
  c('exact', 'lsf', '--files-only', '--dirs-only', '@'), c('exact', 'lsf', '-F', 'm', '@'),
  withStderr(c('lines', 'lsf', '-R', '@')), c('lines', 'lsf', '-R', '-F', 'pst', '@'), c('lines', 'lsf', '-R', '--files-only', '-F', 'hp', '-s', '  ', '@'),
  c('lines', 'lsf', '-R', '--dirs-only', '@'), c('lines', 'lsf', '-R', '--max-depth', '2', '@'), c('lines', 'lsf', '-R', '--csv', '-F', 'ps', '@'),
  c('lines', 'lsf', '-R', '-F', 'psm', '--absolute', '@'), c('lines', 'lsf', '--max-depth', '0', '@'),
  // lsjson
  c('exact', 'lsjson', '@'), c('exact', 'lsjson', '--no-modtime', '--no-mimetype', '@'), c('exact', 'lsjson', '--files-only', '@'),
  c('exact', 'lsjson', '--dirs-only', '@'), c('exact', 'lsjson', '--hash', '@/sub'), c('exact', 'lsjson', '--hash-type', 'md5', '--hash-type', 'SHA-1', '@/punct'),
  c('exact', 'lsjson', '--files-only', '--dirs-only', '@'), c('exact', 'lsjson', '--original', '@/ctl'), c('exact', 'lsjson', '@/a.txt'),
  c('exact', 'lsjson', '--hash-type', 'none', '@/sub'), c('exact', 'lsjson', '@/empty-dir'),
  c('json-lines', 'lsjson', '-R', '@'), c('json-lines', 'lsjson', '-R', '--hash-type', 'sha1', '--files-only', '@'),
  c('json-lines', 'lsjson', '-R', '--max-depth', '3', '@'), c('json-lines', 'lsjson', '-R', '--dirs-only', '@'),
  c('json-lines', 'lsjson', '-R', '--no-modtime', '@/deep'), c('json-lines', 'lsjson', '--max-depth', '2', '@'),
  c('exact', 'lsjson', '--stat', '@/a.txt'), c('exact', 'lsjson', '--stat', '--hash', '@/big.dat'), c('mask-time', 'lsjson', '--stat', '@/sub'),
  c('exact', 'lsjson', '--stat', '--files-only', '@/sub'), c('exact', 'lsjson', '--stat', '--dirs-only', '@/a.txt'),
  c('exact', 'lsjson', '--stat', '--no-modtime', '--no-mimetype', '@/sub/one.txt'), c('exact', 'lsjson', '--stat', '-R', '@/old.txt'),
  // hash sums (rclone prints them in completion order)
  c('lines', 'md5sum', '@'), c('lines', 'sha1sum', '@'), c('lines', 'hashsum', 'sha256', '@'), c('lines', 'hashsum', 'crc32', '@'),
  c('lines', 'hashsum', 'whirlpool', '@/sub'), c('lines', 'hashsum', 'dropbox', '@'), c('lines', 'hashsum', 'quickxor', '@'),
  c('lines', 'hashsum', 'mailru', '@'), c('lines', 'hashsum', 'hidrive', '@'), c('lines', 'hashsum', 'MD5', '@/sub'),
  c('lines', 'md5sum', '--base64', '@'), c('lines', 'hashsum', 'dropbox', '--base64', '@/sub'), c('lines', 'hashsum', 'quickxor', '--base64', '@/sub'),
  c('lines', 'md5sum', '--download', '@/sub'), c('lines', 'hashsum', 'none', '@/sub'), c('lines', 'md5sum', '--max-depth', '1', '@'),
  c('exact', 'sha1sum', '@/big.dat'), c('exact', 'hashsum', 'whirlpool', '@/big.dat'), c('exact', 'hashsum', 'whirlpool', '@/a.txt'),
  // size
  c('exact', 'size', '@'), c('exact', 'size', '--json', '@'), c('exact', 'size', '--max-depth', '1', '@'), c('exact', 'size', '--human-readable', '@'),
  c('exact', 'size', '@/a.txt'), c('exact', 'size', '@/empty-dir'), c('exact', 'size', '--json', '@/empty-dir'),
  // cat
  c('exact', 'cat', '@/a.txt'), c('exact', 'cat', '--max-depth', '1', '@/sub'), c('exact', 'cat', '--head', '10', '@/big.dat'),
  c('exact', 'cat', '--tail', '20', '@/big.dat'), c('exact', 'cat', '--offset', '1000000', '--count', '100000', '@/big.dat'),
  c('exact', 'cat', '--offset', '-5', '@/big.dat'), c('exact', 'cat', '--count', '0', '@/a.txt'), c('exact', 'cat', '--offset', '5000000', '@/big.dat'),
  c('exact', 'cat', '--discard', '@/big.dat'), c('exact', 'cat', '--offset', '3', '--count', '2', '@/a.txt'), c('exact', 'cat', '--tail', '100', '@/a.txt'),
  c('exact', 'cat', '--offset', '-100', '--count', '97', '@/a.txt'), c('exact', 'cat', '--max-depth', '1', '@/empty-dir'),
  // missing paths and argument errors
  ...['ls', 'lsl', 'lsd', 'lsf', 'lsjson', 'size', 'md5sum', 'sha1sum', 'cat'].map((cmd) => withStderr(c('exact', cmd, '@/missing'))),
  withStderr(c('exact', 'lsd', '-R', '@/missing')), withStderr(c('exact', 'lsf', '-R', '@/missing')), withStderr(c('exact', 'lsjson', '-R', '@/missing')),
  withStderr(c('exact', 'hashsum', 'sha256', '@/missing')), withStderr(c('exact', 'size', '--json', '@/missing/deeper')),
  withStderr(c('exact', 'lsjson', '--stat', '@/missing')), c('exact', 'lsjson', '--stat', '--files-only', '@/missing'),
  withStderr(c('exact', 'lsf', '-F', 'px', '@')), withStderr(c('exact', 'lsf', '-F', 'e', '@')), withStderr(c('exact', 'lsjson', '--hash-type', 'foo', '@')),
  withStderr(c('exact', 'cat', '--head', '2', '--tail', '3', '@')), c('exact', 'cat', '--head', 'x', '@'), c('exact', 'cat', '--offset', '-0x10', '@/a.txt'),
  c('exact', 'lsf', '--hash', 'foo', '-F', 'hp', '@'), c('exact', 'hashsum'), c('exact', 'hashsum', 'foo', '@'), c('exact', 'hashsum', 'sha-1', '@'),
  c('exact', 'ls'), c('exact', 'ls', '@', '@'), c('exact', 'md5sum', '@', '@'),
  // stdin
  { args: ['md5sum'], mode: 'exact', stdin: 'hello\n' }, { args: ['md5sum', '-'], mode: 'exact', stdin: 'hello\n' },
  { args: ['sha1sum', '--base64'], mode: 'exact', stdin: 'hello\n' }, { args: ['hashsum', 'crc32', '-'], mode: 'exact', stdin: '' },
  { args: ['hashsum', 'whirlpool'], mode: 'exact', stdin: 'abc' },
  // other time zones
    // (not the 1960 file there: Node's ICU and the system zoneinfo disagree on Oslo's pre-1970 summer time)
  { args: ['lsl', '@/sub'], mode: 'exact', tz: 'Europe/Oslo' }, { args: ['lsjson', '-R', '@/deep'], mode: 'json-lines', tz: 'Europe/Oslo' },
  { args: ['lsd', '@'], mode: 'exact', tz: 'America/New_York' }, { args: ['lsf', '-F', 'tp', '@'], mode: 'exact', tz: 'Asia/Kolkata' },
  // memory backend: rclone's memory store is per process, so only empty roots and missing buckets compare
  c('exact', 'ls', ':memory:'), c('exact', 'lsl', ':memory:'), c('exact', 'lsjson', ':memory:'), c('exact', 'lsjson', '-R', ':memory:'),
  c('exact', 'lsd', ':memory:'), c('exact', 'lsd', '-R', ':memory:'), c('exact', 'lsf', ':memory:'), c('exact', 'size', ':memory:'),
  c('exact', 'size', '--json', ':memory:'), c('exact', 'md5sum', ':memory:'), c('exact', 'hashsum', 'sha1', ':memory:'),
  c('mask-time', 'lsjson', '--stat', ':memory:'), c('exact', 'lsjson', '--hash', ':memory:'),
  ...[
    ['ls', ':memory:bucket'], ['lsl', ':memory:bucket'], ['lsjson', ':memory:bucket'], ['lsd', ':memory:bucket'], ['lsd', '-R', ':memory:bucket'],
    ['lsf', ':memory:x/y'], ['size', '--json', ':memory:b'], ['md5sum', ':memory:b'], ['cat', ':memory:b'], ['lsjson', '--stat', ':memory:b'],
    ['lsjson', '--stat', ':memory:b/c'], ['lsl', '--max-depth', '2', ':memory:b'], ['lsjson', '--max-depth', '1', '-R', ':memory:b'],
    ['ls', '--fast-list', ':memory:b'], ['lsf', '-R', ':memory:b'], ['lsf', '-F', 'e', ':memory:'],
    ['ls', '--fast-list', '--max-depth', '2', ':memory:b'], ['lsd', '-R', '--fast-list', ':memory:b'], ['lsjson', '-R', '--fast-list', ':memory:b/c'],
    ['cat', ':memory:b/c.txt'], ['md5sum', '--max-depth', '3', ':memory:b'],
  ].map((args) => withStderr({ args, mode: 'exact' })),
];

const label = (x: Case) => `${x.tz ? `TZ=${x.tz} ` : ''}${x.stdin !== undefined ? 'stdin | ' : ''}${x.args.join(' ')}`;

describe.runIf(rcloneAvailable)('differential vs rclone: listing, hash, size and cat commands', () => {
  let tmp = '';
  let root = '';
  let expected: RunResult[] = [];
  const resolveArgs = (args: readonly string[]) => args.map((a) => (a.startsWith('@') ? root + a.slice(1) : a));

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(tmpdir(), 'listing-diff-'));
    root = path.join(tmp, 'tree');
    mkdirSync(root);
    buildTree(loadTreeSpec('listing-tree'), root);
    mkdirSync(path.join(tmp, 'noncanonical'));
    buildTree(loadTreeSpec('listing-noncanonical'), path.join(tmp, 'noncanonical'));
    expected = await runRcloneAll(CASES.map((x) => ({ args: resolveArgs(x.args), ...(x.stdin !== undefined ? { stdin: x.stdin } : {}), ...(x.tz ? { tz: x.tz } : {}) })));
  }, 60_000);

  afterAll(() => {
    process.env['TZ'] = 'UTC';
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it.each(CASES.map((x, i) => [label(x), x, i] as const))('%s', async (_name, x, i) => {
    process.env['TZ'] = x.tz ?? 'UTC';
    const want = expected[i]!;
    const got = await runJsync(resolveArgs(x.args), x.stdin !== undefined ? { stdin: x.stdin } : {});
    process.env['TZ'] = 'UTC';
    const show = (r: RunResult) => r.stdout.toString('latin1');
    switch (x.mode) {
      case 'exact': expect(show(got)).toBe(show(want)); break;
      case 'lines': expect(sortedLines(got.stdout)).toEqual(sortedLines(want.stdout)); break;
      case 'json-lines': expect(sortedLines(got.stdout, { stripTrailingComma: true })).toEqual(sortedLines(want.stdout, { stripTrailingComma: true })); break;
      case 'mask-time': expect(maskModTimes(got.stdout)).toBe(maskModTimes(want.stdout)); break;
    }
    expect(got.code, `exit code; jsync stderr:\n${got.stderr}`).toBe(want.code);
    if (x.stderr) expect(normalizedStderr(got.stderr).map(jsyncToRclone)).toEqual(normalizedStderr(want.stderr));
  });

  it('lists names that are not canonical for the local encoding like rclone', async () => {
    const nc = path.join(tmp, 'noncanonical');
    for (const args of [['lsf', '-R', '-F', 'pst'], ['lsjson', '-R'], ['lsl'], ['lsd', '-R']]) {
      const want = await runRclone([...args, nc]);
      const got = await runJsync([...args, nc]);
      expect(sortedLines(got.stdout, { stripTrailingComma: true }), args.join(' ')).toEqual(sortedLines(want.stdout, { stripTrailingComma: true }));
      expect(got.code).toBe(want.code);
    }
  });

  it('deliberate difference: jsync can hash non-canonical names that rclone lists but cannot open', async () => {
    const nc = path.join(tmp, 'noncanonical');
    const want = await runRclone(['md5sum', nc]);
    const got = await runJsync(['md5sum', nc]);
    // rclone: `ERROR : quote‛‛name: failed to get hash md5 from backend: … no such file or directory`, exit 1.
    expect(want.code).toBe(1);
    expect(want.stderr).toContain('quote‛‛name: failed to get hash md5 from backend');
    expect(got.code).toBe(0);
    const rcloneLines = sortedLines(want.stdout).filter((l) => l !== '');
    const jsyncLines = sortedLines(got.stdout).filter((l) => l !== '');
    expect(jsyncLines).toEqual(expect.arrayContaining(rcloneLines));
    expect(jsyncLines).toContain(Buffer.from('7694f4a66316e53c8cdd9d9954bd611d  quote‛‛name').toString('latin1'));
    expect(jsyncLines).toHaveLength(3);
  });

  it('writes --output-file like rclone', async () => {
    const a = path.join(tmp, 'rclone.sums');
    const b = path.join(tmp, 'jsync.sums');
    const want = await runRclone(['md5sum', '--output-file', a, path.join(root, 'sub')]);
    const got = await runJsync(['md5sum', '--output-file', b, path.join(root, 'sub')]);
    expect(got.code).toBe(want.code);
    expect(got.stdout.length).toBe(0);
    expect(sortedLines(readFileSync(b))).toEqual(sortedLines(readFileSync(a)));
  });

  it('reports an unwritable --output-file like rclone', async () => {
    for (const out of ['/nonexistent-dir/sums', tmp]) {
      const want = await runRclone(['md5sum', '--output-file', out, path.join(root, 'sub')]);
      const got = await runJsync(['md5sum', '--output-file', out, path.join(root, 'sub')]);
      expect(got.code).toBe(want.code);
      expect(normalizedStderr(got.stderr)).toEqual(normalizedStderr(want.stderr));
    }
  });

  const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/bin.js');
  it.runIf(existsSync(bin))('the built bin (node apps/cli/dist/bin.js) lists like rclone', async () => {
    const args = ['--config', '/dev/null', 'lsf', '-F', 'pst', root];
    const got = spawnSync(process.execPath, [bin, ...args], { env: cleanEnv() });
    const want = await runRclone(args.slice(2));
    expect(got.status).toBe(want.code);
    expect(got.stdout.toString('latin1')).toBe(want.stdout.toString('latin1'));
  });
});

/** jsync names itself in usage lines; everything else in the compared stderr lines must match rclone's. */
function jsyncToRclone(line: string): string {
  return line.replace(/\bjsync\b/g, 'rclone');
}
