// Differential test against rclone: `rclone lsf -R --files-only <flags>` vs a node:fs walk driven by our Filter.
// Runs only when rclone is on PATH (CI installs rclone v1.60.1, the reference version).

import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Filter, splitLines, type FilterOptions } from '../src/filter/index.js';
import { Timestamp } from '../src/index.js';
import { parseDuration, parseSizeSuffix } from '../src/util/units.js';

const run = promisify(execFile);

function haveRclone(): boolean {
  try {
    execFileSync('rclone', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const DAY = 86_400;
// [path, size, age in days (or an absolute ISO date)] — ages sit between the whole-day cut-offs used below.
const TREE: ReadonlyArray<readonly [string, number, number | string]> = [
  ['a.txt', 10, 0.5], ['b.TXT', 1023, 1.5], ['c.jpg', 1024, 2.5], ['space name.txt', 1025, 4.5],
  ['[brackets].md', 3000, 6.5], ['ünï.txt', 7, 0.5], ['.hidden', 1, 12.5], ['README', 100, 40.5],
  ['big.bin', 9000, 2.5], ['notes.bak', 0, 1.5], ['with,comma.txt', 5, 3.5], ['star*.txt', 6, 0.5],
  ['q?.txt', 2, 8.5], ['Dir2/upper.txt', 500, 0.5],
  ['dir1/x.txt', 2048, 1.5], ['dir1/y.jpg', 512, 5.5], ['dir1/z.bak', 100, 20.5],
  ['dir1/sub/deep.txt', 4096, 0.5], ['dir1/sub/deep.jpg', 1000, 9.5], ['dir1/sub/{curly}.txt', 33, 2.5],
  ['dir1/sub/subsub/bottom.txt', 64, 3.5], ['dir1/sub/subsub/bottom.log', 65, 0.5],
  ['photos/2020/img1.JPG', 1500, '2019-05-05T12:00:00Z'], ['photos/2021/img2.jpg', 1600, '2021-03-03T12:00:00Z'],
  ['photos/2021/raw/img3.cr2', 8000, '2021-03-04T12:00:00Z'],
  ['logs/app.log', 300, 0.5], ['logs/app.log.1', 301, 1.5], ['logs/old/app.log.2', 302, 30.5],
  ['ignored/.ignore', 0, 1.5], ['ignored/secret.txt', 11, 1.5], ['ignored/inner/x.txt', 12, 1.5],
  ['nest/z.txt', 13, 2.5], ['nest/inner/.ignore', 0, 2.5], ['nest/inner/y.txt', 14, 2.5],
  ['docs/guide.md', 1200, 7.5], ['docs/api/ref.md', 1300, 14.5], ['docs/api/ref.txt', 1301, 14.5],
  ['empty/sub/leaf.txt', 15, 0.5], ['x/c/under-c.txt', 16, 0.5], ['cc/not-c.txt', 17, 0.5],
];

// Rule files referenced by @name in the flag lists below.
const RULE_FILES: Readonly<Record<string, string>> = {
  'filter-from': '# comment\n+ *.log\n- logs/old/**\n+ logs/**\n; other comment\n\n- *\n',
  'include-from': '*.md\n; comment\n\n  /c.jpg  \r\n',
  'exclude-from': '*.txt\n*.jpg\n',
  'files-from': 'a.txt\n  dir1/x.txt  \n# comment\n/photos/2021/raw/img3.cr2\nmissing.txt\ndir1/sub/\n',
  'files-from-raw': 'a.txt\n/dir1/sub/deep.jpg/\n# not a comment\n',
  'empty': '',
};

const CASES: ReadonlyArray<readonly string[]> = [
  [],
  ['--include', '*.txt'],
  ['--exclude', '*.txt'],
  ['--include', '*.txt', '--exclude', 'dir1/**'],
  ['--filter', '+ *.jpg', '--filter', '- *'],
  ['--filter', '- /dir1/'],
  ['--exclude', 'dir1/'],
  ['--include', '/a.txt'],
  ['--include', 'dir1/**'],
  ['--include', '/photos/*/*.{jpg,JPG}'],
  ['--include', '*.jpg', '--ignore-case'],
  ['--exclude', '*.TXT', '--ignore-case'],
  ['--include', '{{.*\\d.*}}'],
  ['--include', 'l?gs/**'],
  ['--include', '[a-c]*'],
  ['--include', '[^a-c]*.txt'],
  ['--exclude', '.*'],
  ['--exclude', '.*{,/**}'],
  ['--include', '\\[brackets\\].md'],
  ['--include', 'star\\*.txt', '--include', 'q\\?.txt'],
  ['--include', '**/sub/**'],
  ['--filter', '+ /dir1/sub/subsub/*', '--filter', '- **'],
  ['--filter', '- *.bak', '--filter', '+ dir1/**', '--filter', '- *'],
  ['--filter', '+ *.txt', '--filter', '!', '--filter', '+ *.md', '--filter', '- *'],
  ['--filter-from', '@filter-from'],
  ['--include-from', '@include-from'],
  ['--exclude-from', '@exclude-from'],
  ['--include-from', '@empty'],
  ['--files-from', '@files-from'],
  ['--files-from-raw', '@files-from-raw'],
  ['--min-size', '1'],
  ['--max-size', '1024B'],
  ['--min-size', '100B', '--max-size', '2K'],
  ['--max-age', '3d'],
  ['--min-age', '3d'],
  ['--max-age', '10d', '--min-age', '36h'],
  ['--max-age', '2020-06-01'],
  ['--exclude-if-present', '.ignore'],
  ['--exclude-if-present', '.ignore', '--include', '*.txt'],
  ['--max-depth', '2', '--include', '*.txt'],
  ['--max-depth', '1'],
  ['--include', '*.txt', '--max-size', '500B', '--max-age', '20d'],
  ['--include', '/*'],
  ['--exclude', '/*'],
  ['--exclude', '*'],
  ['--include', 'dir1/'],
  ['--include', 'ünï.txt', '--include', 'with,comma.txt'],
  ['--include', '{{(?i)readme}}'],
  ['--include', 'c/**'],
  ['--include', '/docs/**/*.md', '--include', '{x,cc}/*'],
];

// Odd names for the regexp corner cases (flat directory): Unicode, spaces, regexp metacharacters, case folds.
// (No control characters: the local backend maps them to Standard-encoding look-alikes, which is not our concern.)
const ODD_NAMES = ['AB', 'Ab', '\u00a0', ' ', 'x', 'a{,3}', 'ABC', 'x$', '7z', '😀', 'a.b', 'axb', 'a-b', 'αβγ', 'ΑΒΓ',
  'Straße', 'STRASSE', 'k', 'K', '\u212a', 's', '\u017f', 'q(1)', 'r[2]', 'e^x', 'p+q', 'a|b'];
const ODD_GLOBS: ReadonlyArray<readonly string[]> = [
  ['--include', '{{(?i)a}}B'], ['--include', '{{\\s}}'], ['--include', '{{^*x}}'], ['--include', '{{a{,3}}}'],
  ['--include', '{{\\x41\\x{42}\\103}}'], ['--include', 'x\\'], ['--include', '[[:^digit:]]*'], ['--include', '??'],
  ['--include', '?'], ['--include', '{{\\Qa.b\\E}}'], ['--include', '{{a\\-b}}'], ['--include', '{{\\p{Greek}+}}'],
  ['--include', '{{[\\p{Lu}]+}}'], ['--include', 'k', '--ignore-case'], ['--include', 's', '--ignore-case'],
  ['--include', 'αβγ', '--ignore-case'], ['--include', '{{(?i)[[:upper:]]+}}'], ['--include', '[[:upper:]]*', '--ignore-case'],
  ['--include', '{{\\w+}}'], ['--include', '{{[^\\s\\d]+}}'], ['--include', '{{.}}'], ['--include', '{{(?U)a.*?}}'],
  ['--include', 'q(1)'], ['--include', 'r\\[2\\]'], ['--include', 'e^x'], ['--include', 'p+q'], ['--include', 'a|b'],
  ['--include', '{{[\\x{3b1}-\\x{3c9}]+}}'],
  ['--include', '{{[^[:ascii:]]}}'], ['--include', '{{(?i)straSSe}}'], ['--include', '{{a(?i:b)}}'],
];

const BAD_FLAGS: ReadonlyArray<readonly string[]> = [
  ['--include', '***'],
  ['--exclude', 'a[b'],
  ['--filter', 'x*'],
  ['--include', '{{(?P<1}}'],
  ['--include', '{{a{1001}}}'],
  ['--include', '[[:nope:]]'],
  ['--files-from', '@files-from', '--include', '*'],
];

describe.runIf(haveRclone())('filtering matches rclone lsf', () => {
  let base = '';
  let root = '';
  let rulesDir = '';

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'jsync-filter-'));
    root = join(base, 'tree');
    rulesDir = join(base, 'rules');
    mkdirSync(rulesDir);
    const nowSec = Date.now() / 1000;
    for (const [path, size, age] of TREE) {
      const full = join(root, path);
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, Buffer.alloc(size, 0x61));
      const mtime = typeof age === 'number' ? nowSec - age * DAY : Date.parse(age) / 1000;
      utimesSync(full, mtime, mtime);
    }
    mkdirSync(join(base, 'odd'));
    for (const name of ODD_NAMES) writeFileSync(join(base, 'odd', name), '');
    for (const [name, text] of Object.entries(RULE_FILES)) writeFileSync(join(rulesDir, name), text);
  });

  afterAll(() => {
    if (base !== '') rmSync(base, { recursive: true, force: true });
  });

  const resolveArgs = (flags: readonly string[]): string[] =>
    flags.map((f) => (f.startsWith('@') ? join(rulesDir, f.slice(1)) : f));

  async function rclone(flags: readonly string[], dir = root): Promise<{ stdout: string; stderr: string; code: number }> {
    const args = ['lsf', '-R', '--files-only', '--config', join(base, 'none.conf'), ...resolveArgs(flags), dir];
    try {
      const { stdout, stderr } = await run('rclone', args, { env: { ...process.env, TZ: 'UTC' }, maxBuffer: 1 << 24 });
      return { stdout, stderr, code: 0 };
    } catch (err) {
      const e = err as { stdout: string; stderr: string; code: number };
      return { stdout: e.stdout, stderr: e.stderr, code: e.code };
    }
  }

  /** Maps rclone flags onto FilterOptions (the CLI's job, done minimally here). */
  function optionsFor(flags: readonly string[]): FilterOptions {
    const include: string[] = [];
    const exclude: string[] = [];
    const filter: string[] = [];
    const excludeIfPresent: string[] = [];
    const o: FilterOptions = { include, exclude, filter, excludeIfPresent };
    const text = (v: string): string => readFileSync(join(rulesDir, v.slice(1)), 'utf8');
    const push = <K extends 'filterFrom' | 'includeFrom' | 'excludeFrom'>(k: K, v: string): void => {
      o[k] = [...(o[k] ?? []), { name: v, text: text(v) }];
    };
    for (let i = 0; i < flags.length; i++) {
      const flag = flags[i] as string;
      if (flag === '--ignore-case') {
        o.ignoreCase = true;
        continue;
      }
      const v = flags[++i] as string;
      switch (flag) {
        case '--include': include.push(v); break;
        case '--exclude': exclude.push(v); break;
        case '--filter': filter.push(v); break;
        case '--exclude-if-present': excludeIfPresent.push(v); break;
        case '--filter-from': push('filterFrom', v); break;
        case '--include-from': push('includeFrom', v); break;
        case '--exclude-from': push('excludeFrom', v); break;
        case '--files-from': o.filesFrom = [...(o.filesFrom ?? []), ...splitLines(text(v))]; break;
        case '--files-from-raw': o.filesFromRaw = [...(o.filesFromRaw ?? []), ...splitLines(text(v))]; break;
        case '--min-size': o.minSize = parseSizeSuffix(v); break;
        case '--max-size': o.maxSize = parseSizeSuffix(v); break;
        case '--min-age': o.minAgeMs = parseDuration(v); break;
        case '--max-age': o.maxAgeMs = parseDuration(v); break;
        case '--max-depth': o.maxDepth = Number(v); break;
        default: throw new Error(`unmapped flag ${flag}`);
      }
    }
    return o;
  }

  /** rclone's walk (list.DirSorted + IncludeDirectory with the exclude-if-present probe) over node:fs. */
  function walkFiltered(filter: Filter): string[] {
    const out: string[] = [];
    const maxDepth = filter.maxDepth < 0 ? Infinity : filter.maxDepth;
    const visit = (dir: string, depth: number): void => {
      const entries = readdirSync(join(root, dir), { withFileTypes: true }).map((d) => ({
        remote: dir === '' ? d.name : `${dir}/${d.name}`,
        isDir: d.isDirectory(),
      }));
      if (filter.listContainsExcludeFile(entries)) return;
      for (const e of entries) {
        if (!e.isDir) {
          const st = statSync(join(root, e.remote), { bigint: true });
          if (filter.includeRemote(e.remote, Number(st.size), Timestamp.fromNs(st.mtimeNs))) out.push(e.remote);
        } else if (depth < maxDepth && filter.includeDirectory(e.remote) &&
          !filter.excludeIfPresent.some((name) => existsSync(join(root, e.remote, name)))) {
          visit(e.remote, depth + 1);
        }
      }
    };
    visit('', 1);
    return out.sort();
  }

  function parseOutput(stdout: string): { listed: string[]; dump: string[] } {
    const lines = stdout.split('\n').filter((l) => l !== '');
    const start = lines.indexOf('--- start filters ---');
    const end = lines.indexOf('--- end filters ---');
    const dump = start >= 0 ? lines.slice(start + 1, end) : [];
    const listed = start >= 0 ? [...lines.slice(0, start), ...lines.slice(end + 1)] : lines;
    return { listed: listed.sort(), dump };
  }

  it(`agrees on ${CASES.length} flag combinations (listed files and --dump filters rules)`, async () => {
    const results = await Promise.all(CASES.map((flags) => rclone(['--dump', 'filters', ...flags])));
    const mismatches: string[] = [];
    CASES.forEach((flags, i) => {
      const res = results[i]!;
      expect(res.code, `${flags.join(' ')}: ${res.stderr}`).toBe(0);
      const { listed, dump } = parseOutput(res.stdout);
      const filter = new Filter(optionsFor(flags));
      const ours = walkFiltered(filter);
      if (JSON.stringify(ours) !== JSON.stringify(listed)) {
        mismatches.push(`${flags.join(' ')}\n  rclone: ${listed.join(' | ')}\n  ours:   ${ours.join(' | ')}`);
      }
      // the cut-off time lines differ by clock and Go's monotonic suffix; compare their prefixes only
      const shape = (l: string): string => l.replace(/: \d{4}-.*$/, ': <time>');
      expect(filter.dumpRules().split('\n').map(shape), flags.join(' ')).toEqual(dump.map(shape));
    });
    expect(mismatches).toEqual([]);
    // the combinations must actually discriminate: most list a strict, non-empty subset of the tree
    const sizes = CASES.map((flags) => walkFiltered(new Filter(optionsFor(flags))).length);
    expect(sizes.filter((n) => n > 0 && n < TREE.length).length).toBeGreaterThan(CASES.length * 0.7);
  });

  it(`agrees on ${ODD_GLOBS.length} regexp corner cases over odd names`, async () => {
    const results = await Promise.all(ODD_GLOBS.map((flags) => rclone(flags, join(base, 'odd'))));
    const mismatches: string[] = [];
    ODD_GLOBS.forEach((flags, i) => {
      const res = results[i]!;
      expect(res.code, `${flags.join(' ')}: ${res.stderr}`).toBe(0);
      const listed = res.stdout.split('\n').filter((l) => l !== '').sort();
      const filter = new Filter(optionsFor(flags));
      const ours = ODD_NAMES.filter((n) => filter.includeRemote(n)).sort();
      if (JSON.stringify(ours) !== JSON.stringify(listed)) mismatches.push(`${flags.join(' ')}: rclone ${JSON.stringify(listed)} ours ${JSON.stringify(ours)}`);
    });
    expect(mismatches).toEqual([]);
  });

  it('rejects the same bad flags with the same messages', async () => {
    const results = await Promise.all(BAD_FLAGS.map((flags) => rclone(flags)));
    BAD_FLAGS.forEach((flags, i) => {
      const res = results[i]!;
      const m = /Failed to load filters: (.*)/.exec(res.stderr);
      expect(m, `${flags.join(' ')}: ${res.stderr}`).not.toBeNull();
      expect(() => new Filter(optionsFor(flags)), flags.join(' ')).toThrow(m![1]);
    });
  });
});
