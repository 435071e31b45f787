// copy, copyto, move, moveto on the command line: argument forms (single-file sources, renames, destinations that
// are files), exit codes, dry-run, stats flags, -P, the memory backend, and side-by-side runs with the installed
// rclone (resulting trees, exit codes, log lines). CI installs rclone v1.60.1; those cases skip where it is missing.

import { describe, expect, it } from 'vitest';
import { type Fixture, rcloneAvailable, runJsyncIn, runRcloneIn, sortedLines } from './helpers/cmd-diff.js';

const fx: Fixture = {
  'src/a.txt': 'hello\n', 'src/d/b.txt': 'world\n', 'src/d/e/c.md': 'md\n', 'src/empty/': '',
  'dst/x.txt': 'extra\n', 'dst/a.txt': 'old\n', 'f.txt': 'file\n',
};

const files = (tree: Record<string, string>, prefix: string) =>
  Object.keys(tree).filter((k) => k.startsWith(prefix) && !k.endsWith('/')).map((k) => k.slice(prefix.length)).sort();

describe('copy / copyto / move / moveto', () => {
  it('copies the contents of a directory and reports at INFO with -v', async () => {
    const r = await runJsyncIn(fx, ['copy', 'src', 'dst', '-v']);
    expect(r.code).toBe(0);
    expect(files(r.tree, 'dst/')).toEqual(['a.txt', 'd/b.txt', 'd/e/c.md', 'x.txt']);
    expect(r.tree['dst/a.txt']).toMatch(/^hello\n@/);
    expect(r.tree['dst/empty/']).toBeUndefined();
    expect(sortedLines(r.err).filter((l) => l.startsWith('INFO  : ') && l.length > 8)).toEqual([
      'INFO  : a.txt: Copied (replaced existing)', 'INFO  : d/b.txt: Copied (new)', 'INFO  : d/e/c.md: Copied (new)',
    ]);
    expect(r.err).toContain('\nTransferred:   \t         15 B / 15 B, 100%, <speed>\nChecks:                 1 / 1, 100%\nTransferred:            3 / 3, 100%\n');
  });

  it('--create-empty-src-dirs makes the empty source directories', async () => {
    const r = await runJsyncIn(fx, ['copy', 'src', 'out', '--create-empty-src-dirs']);
    expect(r.tree['out/empty/']).toBe('dir');
  });

  it('copies a file source into the destination directory under its own name, ignoring filters', async () => {
    const r = await runJsyncIn(fx, ['copy', 'f.txt', 'dst', '--include', 'nothing']);
    expect(r.code).toBe(0);
    expect(r.tree['dst/f.txt']).toMatch(/^file\n@/);
  });

  it('copyto renames a file; moveto moves it', async () => {
    const c = await runJsyncIn(fx, ['copyto', 'f.txt', 'dst/sub/g.txt', '-v']);
    expect(c.code).toBe(0);
    expect(c.tree['dst/sub/g.txt']).toMatch(/^file\n@/);
    // the destination Fs is the target's parent, so the log names the leaf
    expect(c.err).toContain('INFO  : f.txt: Copied (new) to: g.txt\n');
    const m = await runJsyncIn(fx, ['moveto', 'f.txt', 'dst/m.txt']);
    expect(m.code).toBe(0);
    expect(m.tree['f.txt']).toBeUndefined();
    expect(m.tree['dst/m.txt']).toMatch(/^file\n@/);
  });

  it('copyto/moveto of a directory behave like copy/move', async () => {
    const r = await runJsyncIn(fx, ['moveto', 'src', 'dst2']);
    expect(r.code).toBe(0);
    expect(files(r.tree, 'dst2/')).toEqual(['a.txt', 'd/b.txt', 'd/e/c.md']);
    expect(files(r.tree, 'src/')).toEqual([]);
  });

  const fatal: Array<[string[], string]> = [
    [['copyto', 'f.txt', 'dst/'], '"dst/" is a directory\n'],
    [['copyto', 'f.txt', 'dst/g.txt', '--include', 'x'], "can't limit to single files when using filters: f.txt\n"],
    [['copyto', 'src', 'dst/x.txt'], "Source doesn't exist or is a directory and destination is a file\n"],
    [['copy', 'src', 'dst/x.txt'], 'Failed to create file system for "dst/x.txt": is a file not a directory\n'],
    [['move', 'src', 'dst', '--delete-before', '--delete-after'], 'Only one of --delete-before, --delete-during or --delete-after can be used.\n'],
  ];
  it.each(fatal)('%j is fatal before any transfer', async (args, line) => {
    const r = await runJsyncIn(fx, args);
    expect(r.code).toBe(1);
    expect(r.err).toBe(line);
    expect(r.tree).toEqual((await runJsyncIn(fx, ['version'])).tree);
  });

  it('checks argument counts', async () => {
    const r = await runJsyncIn(fx, ['copyto', 'src']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Command copyto needs 2 arguments minimum: you provided 1 non flag arguments: ["src"]');
    const m = await runJsyncIn(fx, ['move', 'a', 'b', 'c']);
    expect(m.err).toContain('Command move needs 2 arguments maximum: you provided 3 non flag arguments: ["a" "b" "c"]');
  });

  it('exits 3 for a missing source after three attempts', async () => {
    const r = await runJsyncIn(fx, ['copy', 'nosuch', 'dst']);
    expect(r.code).toBe(3);
    expect(r.err.match(/Attempt \d\/3 failed with 1 errors and: directory not found/g)).toHaveLength(3);
    expect(r.err.endsWith('Failed to copy: directory not found\n')).toBe(true);
  });

  it('--error-on-no-transfer exits 9 only when nothing was transferred', async () => {
    expect((await runJsyncIn(fx, ['copy', 'src', 'dst', '--error-on-no-transfer'])).code).toBe(0);
    expect((await runJsyncIn(fx, ['copy', 'src/d', 'src/d', '--error-on-no-transfer'])).code).toBe(9);
    expect((await runJsyncIn(fx, ['copy', 'src', 'dst', '--error-on-no-transfer', '-n'])).code).toBe(0);
  });

  it('--max-transfer stops with exit 8', async () => {
    const r = await runJsyncIn(fx, ['copy', 'src', 'out', '--max-transfer', '1B', '--transfers', '1']);
    expect(r.code).toBe(8);
    expect(r.err).toMatch(/Failed to copy.*: max transfer limit reached as set by --max-transfer\n$/);
  });

  it('--dry-run changes nothing and shows its stats at NOTICE', async () => {
    const r = await runJsyncIn(fx, ['move', 'src', 'dst', '-n']);
    expect(r.code).toBe(0);
    expect(r.tree).toEqual((await runJsyncIn(fx, ['version'])).tree);
    expect(r.err).toContain('NOTICE: Local file system at <root>/dst: Skipped server-side directory move as --dry-run is set\n');
    const files = await runJsyncIn(fx, ['move', 'src', ':memory:b', '-n']);
    expect(files.err).toContain('NOTICE: d/b.txt: Skipped move as --dry-run is set (size 6)\n');
    expect(r.err).toMatch(/NOTICE: \nTransferred: {3}\t/);
  });

  it('--stats-one-line and --stats-one-line-date shape the final stats line', async () => {
    const one = await runJsyncIn(fx, ['copy', 'src', 'dst', '-v', '--stats-one-line']);
    expect(one.err).toMatch(/\nINFO  : +15 B \/ 15 B, 100%, <speed>\n$/);
    const dated = await runJsyncIn(fx, ['copy', 'src', 'dst', '-v', '--stats-one-line-date']);
    expect(dated.err).toMatch(/\nINFO  : \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d - +15 B \/ 15 B, 100%, <speed>\n$/);
    const quiet = await runJsyncIn(fx, ['copy', 'src', 'dst', '-v', '--stats', '0']);
    expect(quiet.err).not.toContain('Transferred:');
  });

  it('-P draws the stats on stdout (plain frames when not a terminal)', async () => {
    const r = await runJsyncIn(fx, ['copy', 'src', 'dst', '-P']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('Transferred:   \t         15 B / 15 B, 100%, <speed>\nChecks:                 1 / 1, 100%\nTransferred:            3 / 3, 100%\n');
    expect(r.err).toBe('');
  });

  it('copies between local and the memory backend', async () => {
    const r = await runJsyncIn(fx, ['copy', 'src', ':memory:bucket/in', '-v']);
    expect(r.code).toBe(0);
    expect(sortedLines(r.err).filter((l) => l.includes('Copied'))).toEqual([
      'INFO  : a.txt: Copied (new)', 'INFO  : d/b.txt: Copied (new)', 'INFO  : d/e/c.md: Copied (new)',
    ]);
  });
});

// Command lines whose trees, exit codes and (sorted) output must equal rclone's. Moves are compared without -v: the
// stats block's byte count of server-side moves is the engine's business (and differs today).
const againstRclone = [
  'copy src dst -v', 'copy src dst --create-empty-src-dirs -v', 'copy f.txt dst -v', 'copy src dst -n', 'copy src dst --ignore-existing -v',
  'copy src dst --stats-one-line -v', 'copyto f.txt dst/g.txt -v', 'copyto f.txt dst/', 'copyto src dst/x.txt', 'copy src dst/x.txt',
  'copyto f.txt dst/g.txt --include zz', 'copy nosuch dst --retries 2', 'copy src dst --error-on-no-transfer', 'copy src src --error-on-no-transfer',
  'move src dst', 'move src dst --delete-empty-src-dirs', 'moveto f.txt dst/m.txt', 'moveto src dst2', 'move src src/d', 'move src/d src',
  'copy src dst -P --stats-one-line',
];

describe.runIf(rcloneAvailable)('copy family vs rclone', () => {
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
