// delete, deletefile, purge, rmdirs and cleanup on the command line: filters, --rmdirs/--leave-root, dry-run,
// missing paths and their exit codes, retries of unsupported cleanup, the memory backend, and side-by-side runs with
// the installed rclone (CI installs rclone v1.60.1; those cases skip where it is missing).

import { describe, expect, it } from 'vitest';
import { type Fixture, rcloneAvailable, runJsyncIn, runRcloneIn, sortedLines } from './helpers/cmd-diff.js';

const fx: Fixture = {
  'src/a.txt': 'hello\n', 'src/d/b.txt': 'world\n', 'src/d/e/c.md': 'md\n', 'src/empty/': '', 'src/d/deep/er/': '', 'f.txt': 'file\n',
};

const under = (tree: Record<string, string>, prefix: string) =>
  Object.keys(tree).filter((k) => k.startsWith(prefix) && k !== prefix).map((k) => k.slice(prefix.length)).sort();
const untouched = async () => (await runJsyncIn(fx, ['version'])).tree;

describe('delete family', () => {
  it('delete removes the files that pass the filters and keeps directories', async () => {
    const r = await runJsyncIn(fx, ['delete', 'src', '--include', '*.txt', '-v']);
    expect(r.code).toBe(0);
    expect(under(r.tree, 'src/')).toEqual(['d/', 'd/deep/', 'd/deep/er/', 'd/e/', 'd/e/c.md', 'empty/']);
    expect(sortedLines(r.err)).toEqual(['INFO  : a.txt: Deleted', 'INFO  : d/b.txt: Deleted']);
  });

  it('delete --rmdirs also removes the emptied directories but leaves the root', async () => {
    const r = await runJsyncIn(fx, ['delete', 'src', '--rmdirs']);
    expect(r.code).toBe(0);
    expect(under(r.tree, '')).toEqual(['f.txt', 'src/']);
  });

  it('delete of a file path deletes just that file', async () => {
    const r = await runJsyncIn(fx, ['delete', 'src/a.txt']);
    expect(r.code).toBe(0);
    expect(r.tree['src/a.txt']).toBeUndefined();
    expect(r.tree['src/d/b.txt']).toBeDefined();
  });

  it('deletefile removes one file; a directory or missing file is an error retried 3 times (exit 1)', async () => {
    const ok = await runJsyncIn(fx, ['deletefile', 'f.txt']);
    expect(ok.code).toBe(0);
    expect(ok.tree['f.txt']).toBeUndefined();
    const dir = await runJsyncIn(fx, ['deletefile', 'src/d']);
    expect(dir.code).toBe(1);
    expect(dir.err.match(/Attempt \d\/3 failed with 1 errors and: src\/d is a directory or doesn't exist/g)).toHaveLength(3);
    expect(dir.err.endsWith("Failed to deletefile: src/d is a directory or doesn't exist\n")).toBe(true);
  });

  it('purge removes the whole tree, ignoring filters; a missing path exits 3', async () => {
    const r = await runJsyncIn(fx, ['purge', 'src', '--include', 'nothing']);
    expect(r.code).toBe(0);
    expect(under(r.tree, '')).toEqual(['f.txt']);
    const missing = await runJsyncIn(fx, ['purge', 'nosuch', '--retries', '1']);
    expect(missing.code).toBe(3);
    expect(missing.err.endsWith('Failed to purge: directory not found\n')).toBe(true);
  });

  it('rmdirs removes empty directories deepest first; --leave-root keeps the root', async () => {
    const r = await runJsyncIn(fx, ['rmdirs', 'src/d/deep', '-v']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('INFO  : er: Removing directory\nINFO  : Local file system at <root>/src/d/deep: Removing directory\n');
    expect(r.tree['src/d/deep/']).toBeUndefined();
    const keep = await runJsyncIn(fx, ['rmdirs', 'src/d/deep', '--leave-root']);
    expect(keep.tree['src/d/deep/']).toBe('dir');
    expect(keep.tree['src/d/deep/er/']).toBeUndefined();
  });

  it('dry-run deletes nothing anywhere', async () => {
    const before = await untouched();
    for (const args of [['delete', 'src'], ['deletefile', 'f.txt'], ['purge', 'src'], ['rmdirs', 'src']]) {
      const r = await runJsyncIn(fx, [...args, '--dry-run']);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.tree, args.join(' ')).toEqual(before);
      expect(r.err, args.join(' ')).toContain('as --dry-run is set');
    }
  });

  it('cleanup of a backend without it fails after three attempts (exit 1)', async () => {
    const r = await runJsyncIn(fx, ['cleanup', 'src']);
    expect(r.code).toBe(1);
    expect(r.err.match(/Attempt \d\/3 failed with 1 errors and: Local file system at <root>\/src doesn't support cleanup/g)).toHaveLength(3);
  });

  it('works on the memory backend', async () => {
    const r = await runJsyncIn(fx, ['copy', 'src', ':memory:del/x']);
    expect(r.code).toBe(0);
    expect((await runJsyncIn(fx, ['delete', ':memory:del/x', '--exclude', 'a.txt'])).code).toBe(0);
    expect((await runJsyncIn(fx, ['lsf', '-R', ':memory:del/x'])).out).toBe('a.txt\n');
    expect((await runJsyncIn(fx, ['deletefile', ':memory:del/x/a.txt'])).code).toBe(0);
    expect((await runJsyncIn(fx, ['lsf', '-R', ':memory:del/x'])).out).toBe('');
  });

  it('stats only with an explicit --stats', async () => {
    expect((await runJsyncIn(fx, ['delete', 'src', '-v'])).err).not.toContain('Transferred:');
    expect((await runJsyncIn(fx, ['delete', 'src', '-v', '--stats', '1m'])).err).toContain('\nDeleted:                3 (files), 0 (dirs)\n');
  });
});

const againstRclone = [
  'delete src -v', 'delete src --exclude *.md -v', 'delete src --min-size 6B -v', 'delete src --rmdirs -v', 'delete src -n',
  'delete src/a.txt -v', 'delete nosuch', 'delete src --max-delete 1', 'deletefile src/a.txt -v', 'deletefile src/d',
  'deletefile nosuch/x.txt', 'deletefile src/a.txt -n', 'purge src -v', 'purge src -n', 'purge nosuch', 'purge src/a.txt',
  'rmdirs src -v', 'rmdirs src --leave-root -v', 'rmdirs src --include empty/ -v', 'rmdirs src -n', 'cleanup src --retries 1',
  'delete src --dry-run --error-on-no-transfer', 'delete src --stats 1m -v',
];

describe.runIf(rcloneAvailable)('delete family vs rclone', () => {
  it.each(againstRclone)('%s', async (line) => {
    const args = line.split(' ');
    const got = await runJsyncIn(fx, args);
    const want = runRcloneIn(fx, args);
    expect(got.code).toBe(want.code);
    expect(got.tree).toEqual(want.tree);
    expect(sortedLines(got.err)).toEqual(sortedLines(want.err));
  });
});
