// sync on the command line: deletions and delete modes, the fatal cases (overlap, --max-delete, bad --backup-dir)
// with exit code 7, file sources, the jsync empty-source guard, the memory backend, and side-by-side runs with the
// installed rclone (CI installs rclone v1.60.1; those cases skip where it is missing).

import { describe, expect, it } from 'vitest';
import { type Fixture, rcloneAvailable, runJsyncIn, runRcloneIn, sortedLines } from './helpers/cmd-diff.js';

const fx: Fixture = {
  'src/a.txt': 'hello\n', 'src/d/b.txt': 'world\n', 'src/d/e/c.md': 'md\n', 'src/empty/': '',
  'dst/x.txt': 'extra\n', 'dst/a.txt': 'old\n', 'dst/gone/y.txt': 'y\n', 'f.txt': 'file\n', 'none/': '', 'keep/k.txt': 'keep\n',
};

const files = (tree: Record<string, string>, prefix: string) =>
  Object.keys(tree).filter((k) => k.startsWith(prefix) && k !== prefix).map((k) => k.slice(prefix.length)).sort();

describe('sync', () => {
  it('makes the destination identical: copies, deletes extra files, prunes extra directories', async () => {
    const r = await runJsyncIn(fx, ['sync', 'src', 'dst', '-v']);
    expect(r.code).toBe(0);
    expect(files(r.tree, 'dst/')).toEqual(['a.txt', 'd/', 'd/b.txt', 'd/e/', 'd/e/c.md']);
    expect(sortedLines(r.err).filter((l) => / (Deleted|Removing directory)$/.test(l))).toEqual([
      'INFO  : gone/y.txt: Deleted', 'INFO  : gone: Removing directory', 'INFO  : x.txt: Deleted',
    ]);
    expect(r.err).toContain('\nDeleted:                2 (files), 1 (dirs)\n');
  });

  it.each(['--delete-before', '--delete-during', '--delete-after'])('%s gives the same tree', async (mode) => {
    const r = await runJsyncIn(fx, ['sync', 'src', 'dst', mode]);
    expect(r.code).toBe(0);
    expect(files(r.tree, 'dst/')).toEqual(['a.txt', 'd/', 'd/b.txt', 'd/e/', 'd/e/c.md']);
  });

  it('a file source is copied and nothing is deleted', async () => {
    const r = await runJsyncIn(fx, ['sync', 'f.txt', 'dst']);
    expect(r.code).toBe(0);
    expect(files(r.tree, 'dst/')).toEqual(['a.txt', 'f.txt', 'gone/', 'gone/y.txt', 'x.txt']);
  });

  it('refuses overlapping source and destination (exit 7)', async () => {
    const r = await runJsyncIn(fx, ['sync', 'src', 'src/d']);
    expect(r.code).toBe(7);
    expect(r.err).toBe("ERROR : Fatal error received - not attempting retries\nFailed to sync: can't sync or move files on overlapping remotes (try excluding the destination with a filter rule)\n");
  });

  it('--max-delete stops with a fatal error (exit 7) and deletes nothing more', async () => {
    const r = await runJsyncIn(fx, ['sync', 'src', 'dst', '--max-delete', '1', '--transfers', '1']);
    expect(r.code).toBe(7);
    expect(r.err).toContain('ERROR : Got fatal error on delete: --max-delete threshold reached\n');
    expect(r.err).toContain('ERROR : Fatal error received - not attempting retries\n');
    expect(files(r.tree, 'dst/').filter((f) => !f.endsWith('/') && ['x.txt', 'gone/y.txt'].includes(f))).toHaveLength(1);
  });

  it('moves overwritten and deleted files into --backup-dir', async () => {
    const r = await runJsyncIn(fx, ['sync', 'src', 'dst', '--backup-dir', 'bak', '-v']);
    expect(r.code).toBe(0);
    expect(files(r.tree, 'bak/')).toEqual(['a.txt', 'gone/', 'gone/y.txt', 'x.txt']);
    expect(r.tree['bak/a.txt']).toMatch(/^old\n@/);
    const bad = await runJsyncIn(fx, ['sync', 'src', 'dst', '--backup-dir', 'dst/bak']);
    expect(bad.code).toBe(7);
    expect(bad.err).toContain("destination and parameter to --backup-dir mustn't overlap");
    const other = await runJsyncIn(fx, ['sync', 'src', 'dst', '--backup-dir', ':memory:bak']);
    expect(other.code).toBe(7);
    expect(other.err).toContain('parameter to --backup-dir has to be on the same remote as destination');
  });

  it('--suffix keeps backups next to the files', async () => {
    const r = await runJsyncIn(fx, ['sync', 'src', 'dst', '--suffix', '.old', '--suffix-keep-extension']);
    expect(r.code).toBe(0);
    expect(files(r.tree, 'dst/')).toEqual(['a.old.txt', 'a.txt', 'd/', 'd/b.txt', 'd/e/', 'd/e/c.md', 'gone/', 'gone/y.old.txt', 'x.old.txt']);
  });

  it('--exclude with --delete-excluded deletes the excluded destination files', async () => {
    const r = await runJsyncIn(fx, ['sync', 'src', 'dst', '--exclude', '*.txt', '--delete-excluded']);
    expect(files(r.tree, 'dst/')).toEqual(['d/', 'd/e/', 'd/e/c.md']);
  });

  it('--dry-run deletes nothing', async () => {
    const r = await runJsyncIn(fx, ['sync', 'src', 'dst', '-n']);
    expect(r.code).toBe(0);
    expect(files(r.tree, 'dst/')).toEqual(['a.txt', 'gone/', 'gone/y.txt', 'x.txt']);
    expect(r.err).toContain('NOTICE: x.txt: Skipped delete as --dry-run is set (size 6)\n');
  });

  it('refuses an empty or missing source over a non-empty destination unless --allow-empty-source (jsync)', async () => {
    const empty = await runJsyncIn(fx, ['sync', 'none', 'keep']);
    expect(empty.code).toBe(7);
    expect(empty.err).toContain('the source is empty but the destination is not: refusing to sync');
    expect(files(empty.tree, 'keep/')).toEqual(['k.txt']);
    const missing = await runJsyncIn(fx, ['sync', 'nosuch', 'keep']);
    expect(missing.code).toBe(3);
    expect(files(missing.tree, 'keep/')).toEqual(['k.txt']);
    const allowed = await runJsyncIn(fx, ['sync', 'none', 'keep', '--allow-empty-source']);
    expect(allowed.code).toBe(0);
    expect(files(allowed.tree, 'keep/')).toEqual([]);
  });

  it('syncs into the memory backend and back, then check finds them equal', async () => {
    const r = await runJsyncIn(fx, ['sync', 'src', ':memory:sync-test/x', '-v']);
    expect(r.code).toBe(0);
    const back = await runJsyncIn(fx, ['sync', ':memory:sync-test/x', 'dst']);
    expect(back.code).toBe(0);
    expect(files(back.tree, 'dst/')).toEqual(['a.txt', 'd/', 'd/b.txt', 'd/e/', 'd/e/c.md']);
    expect((await runJsyncIn(fx, ['check', 'src', ':memory:sync-test/x'])).code).toBe(0);
  });
});

// Command lines whose trees, exit codes and sorted log lines must equal rclone's (backup runs without -v: the stats
// byte count of server-side moves is the engine's business).
const againstRclone = [
  'sync src dst -v', 'sync src dst --delete-during -v', 'sync src dst --delete-before -v', 'sync src src', 'sync src src/d',
  'sync src/d src', 'sync f.txt dst -v', 'sync src dst -n', 'sync src dst --exclude *.txt --delete-excluded -v',
  'sync src dst --no-traverse', 'sync src dst --backup-dir bak', 'sync src dst --backup-dir dst/bak', 'sync src dst --suffix .old',
  'sync src dst --backup-dir :memory:x', 'sync src dst --checksum -v', 'sync src dst --size-only -v', 'sync src dst --ignore-existing -v',
  'sync src dst --error-on-no-transfer', 'sync src dst --retries 1 --max-depth 1 -v', 'sync src dst --delete-before --delete-during',
];

describe.runIf(rcloneAvailable)('sync vs rclone', () => {
  it.each(againstRclone)('%s', async (line) => {
    const args = line.split(' ');
    const got = await runJsyncIn(fx, args);
    const want = runRcloneIn(fx, args);
    expect(got.code).toBe(want.code);
    expect(got.tree).toEqual(want.tree);
    expect(sortedLines(got.err)).toEqual(sortedLines(want.err));
  });
});
