// check on the command line: summary and exit codes, report files and `-` (stdout), --one-way, --size-only,
// --download, no retries, file sources, the memory backend, and side-by-side runs with the installed rclone (CI
// installs rclone v1.60.1; those cases skip where it is missing).

import { describe, expect, it } from 'vitest';
import { type Fixture, rcloneAvailable, runJsyncIn, runRcloneIn, sortedLines } from './helpers/cmd-diff.js';

const fx: Fixture = {
  'src/a.txt': 'hello\n', 'src/d/b.txt': 'world\n', 'src/d/e/c.md': 'md\n',
  'dst/a.txt': 'HELLO\n', 'dst/d/b.txt': 'world\n', 'dst/x.txt': 'extra\n', 'dst/big.txt': 'big\n',
  'same/a.txt': 'hello\n', 'same/d/b.txt': 'world\n', 'same/d/e/c.md': 'mm\n',
};

const summary = (err: string) => err.split('\n').filter((l) => l.startsWith('NOTICE: ')).map((l) => l.replace(/^NOTICE: Local file system at <root>\//, ''));

describe('check', () => {
  it('reports differences, missing files and exits 1', async () => {
    const r = await runJsyncIn(fx, ['check', 'src', 'dst']);
    expect(r.code).toBe(1);
    expect(sortedLines(r.err).filter((l) => l.startsWith('ERROR'))).toEqual([
      'ERROR : a.txt: md5 differ',
      'ERROR : big.txt: file not in Local file system at <root>/src',
      'ERROR : d/e/c.md: file not in Local file system at <root>/dst',
      'ERROR : x.txt: file not in Local file system at <root>/src',
    ]);
    expect(summary(r.err)).toEqual([
      'dst: 1 files missing', 'src: 2 files missing', 'dst: 4 differences found', 'dst: 4 errors while checking', 'dst: 1 matching files',
    ]);
    // each difference is one counted error; the command's `4 differences found` is not counted again
    expect(r.err.endsWith('Failed to check with 4 errors: last error was: 4 differences found\n')).toBe(true);
    expect(r.tree).toEqual((await runJsyncIn(fx, ['version'])).tree);
  });

  it('writes the report files, `-` meaning stdout', async () => {
    const r = await runJsyncIn(fx, ['check', 'src', 'dst', '--combined', '-', '--match', 'm.txt', '--differ', 'd.txt',
      '--missing-on-src', 'mos.txt', '--missing-on-dst', 'mod.txt', '--error', 'e.txt']);
    expect(sortedLines(r.out)).toEqual(['* a.txt', '+ d/e/c.md', '- big.txt', '- x.txt', '= d/b.txt']);
    const content = (name: string) => sortedLines(r.tree[name]!.replace(/@\d+$/, ''));
    expect(content('m.txt')).toEqual(['d/b.txt']);
    expect(content('d.txt')).toEqual(['a.txt']);
    expect(content('mos.txt')).toEqual(['big.txt', 'x.txt']);
    expect(content('mod.txt')).toEqual(['d/e/c.md']);
    expect(r.tree['e.txt']).toMatch(/^@\d+$/);
  });

  it('cannot open a report file: the command fails without checking', async () => {
    const r = await runJsyncIn(fx, ['check', 'src', 'same', '--combined', 'nodir/c.txt']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('Failed to check: open nodir/c.txt: no such file or directory\n');
  });

  it('--one-way ignores destination-only files; --size-only ignores content', async () => {
    const one = await runJsyncIn(fx, ['check', 'src', 'dst', '--one-way']);
    expect(summary(one.err)).toEqual(['dst: 1 files missing', 'dst: 2 differences found', 'dst: 2 errors while checking', 'dst: 1 matching files']);
    const size = await runJsyncIn(fx, ['check', 'src', 'same', '--size-only']);
    expect(size.code).toBe(0);
    expect(summary(size.err)).toEqual(['same: 0 differences found', 'same: 3 matching files']);
  });

  it('--download compares the bytes', async () => {
    const r = await runJsyncIn(fx, ['check', 'src', 'same', '--download']);
    expect(r.code).toBe(1);
    expect(summary(r.err)).toEqual(['same: 1 differences found', 'same: 1 errors while checking', 'same: 2 matching files']);
  });

  it('runs once: no retries for a missing source (exit 3)', async () => {
    const r = await runJsyncIn(fx, ['check', 'nosuch', 'dst']);
    expect(r.code).toBe(3);
    expect(r.err).not.toContain('Attempt');
    expect(r.err.endsWith('Failed to check: directory not found\n')).toBe(true);
  });

  it('checks a single file source and the memory backend', async () => {
    const f = await runJsyncIn(fx, ['check', 'src/d/b.txt', 'dst/d', '-v']);
    expect(f.code).toBe(0);
    expect(f.err).toContain('INFO  : Using md5 for hash comparisons\n');
    expect(summary(f.err)).toEqual(['dst/d: 0 differences found', 'dst/d: 1 matching files']);
    const m = await runJsyncIn(fx, ['copy', 'src', ':memory:check/x']);
    expect(m.code).toBe(0);
    expect((await runJsyncIn(fx, ['check', 'src', ':memory:check/x'])).code).toBe(0);
    expect((await runJsyncIn(fx, ['check', 'same', ':memory:check/x'])).code).toBe(1);
  });
});

const againstRclone = [
  'check src dst', 'check src same', 'check src src', 'check src same --size-only -v', 'check src same --download',
  'check src dst --one-way -v', 'check nosuch dst', 'check src/a.txt dst', 'check src dst --combined - --missing-on-src - --match -',
  'check src same --combined nodir/c.txt', 'check src dst --include *.txt', 'check src dst --max-depth 1',
];

describe.runIf(rcloneAvailable)('check vs rclone', () => {
  it.each(againstRclone)('%s', async (line) => {
    const args = line.split(' ');
    const got = await runJsyncIn(fx, args);
    const want = runRcloneIn(fx, args);
    expect(got.code).toBe(want.code);
    expect(got.tree).toEqual(want.tree);
    expect(sortedLines(got.err)).toEqual(sortedLines(want.err));
    expect(sortedLines(got.out)).toEqual(sortedLines(want.out));
  });
});
