// Filter behaviour: rule order, implicit exclude, directory rules, files-from, size/age limits, listings.

import { describe, expect, it } from 'vitest';
import { Filter, filterListing, filterListingProbed, ruleLines, singleFileFilter, type FilterOptions } from '../src/filter/index.js';
import { isJsyncError, Timestamp, type Directory, type Logger, type LogLevel, type ObjectInfo } from '../src/index.js';

const at = (seconds: number): Timestamp => Timestamp.fromSeconds(seconds);
const file = (name: string, text: string) => ({ name, text });

function includes(f: Filter, cases: ReadonlyArray<readonly [string, boolean]>): void {
  for (const [remote, want] of cases) expect([remote, f.includeRemote(remote, 0, at(0))]).toEqual([remote, want]);
}

function dirIncludes(f: Filter, cases: ReadonlyArray<readonly [string, boolean]>): void {
  for (const [dir, want] of cases) expect([dir, f.includeDirectory(dir)]).toEqual([dir, want]);
}

function errorOf(opts: FilterOptions): Error {
  try {
    new Filter(opts);
  } catch (err) {
    expect(isJsyncError(err, 'INVALID_ARGUMENT')).toBe(true);
    return err as Error;
  }
  throw new Error('expected the filter to be rejected');
}

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, enabled: () => true, log: (level: LogLevel, _s, msg) => void lines.push(`${level}: ${msg}`) };
}

describe('Filter defaults', () => {
  it('is inactive and includes everything without options', () => {
    const f = new Filter();
    expect(f.inActive()).toBe(true);
    expect(f.isActive()).toBe(false);
    expect(f.filesFrom()).toBeUndefined();
    expect(f.includeRemote('any/thing', 5, at(1))).toBe(true);
    expect(f.includeDirectory('any')).toBe(true);
    expect(f.dumpRules()).toBe('--- File filter rules ---\n--- Directory filter rules ---');
    expect(f.maxDepth).toBe(-1);
    expect(f.deleteExcluded).toBe(false);
  });

  it('carries --max-depth and --delete-excluded', () => {
    const f = new Filter({ maxDepth: 2, deleteExcluded: true });
    expect([f.maxDepth, f.deleteExcluded, f.inActive()]).toEqual([2, true, true]);
  });
});

describe('rule order and dump', () => {
  it('orders includes, include-from, excludes, exclude-from, filters, filter-from, then the implicit exclude', () => {
    const log = recorder();
    const f = new Filter({
      filter: ['- filter1', '- filter1b'],
      filterFrom: [file('ff', '#comment\n+ filter2\n- filter3\n')],
      exclude: ['exclude1'],
      excludeFrom: [file('ef', '#comment\nexclude2\nexclude3\n')],
      include: ['include1'],
      includeFrom: [file('if', '#comment\ninclude2\ninclude3\n')],
      minSize: 100 * 1024,
      maxSize: 1000 * 1024,
      deleteExcluded: true,
      logger: log,
    });
    expect(f.dumpRules()).toBe(`--- File filter rules ---
+ (^|/)include1$
+ (^|/)include2$
+ (^|/)include3$
- (^|/)exclude1$
- (^|/)exclude2$
- (^|/)exclude3$
- (^|/)filter1$
- (^|/)filter1b$
+ (^|/)filter2$
- (^|/)filter3$
- ^.*$
--- Directory filter rules ---
+ ^.*$
- ^.*$`);
    expect(f.inActive()).toBe(false);
    expect(log.lines).toEqual([
      'ERROR: Using --filter is recommended instead of both --include and --exclude as the order they are parsed in is indeterminate',
    ]);
  });

  it('first matching rule wins, `!` clears, unmatched paths are included', () => {
    const f = new Filter({
      filter: ['+ cleared', '!', '- /file1.jpg', '+ /file2.png', '+ /*.jpg', '- /*.png', '- /potato', '+ /sausage1',
        '+ /sausage2*', '+ /sausage3**', '+ /a/*.jpg', '- *'],
    });
    includes(f, [
      ['cleared', false], ['file1.jpg', false], ['file2.png', true], ['FILE2.png', false], ['afile2.png', false],
      ['file3.jpg', true], ['file4.png', false], ['potato', false], ['sausage1', true], ['sausage1/potato', false],
      ['sausage2potato', true], ['sausage2/potato', false], ['sausage3/potato', true], ['a/one.jpg', true],
      ['a/one.png', false], ['unicorn', false],
    ]);
    dirIncludes(f, [
      ['sausage1', false], ['sausage2', false], ['sausage2/sub', false], ['sausage2/sub/dir', false], ['sausage3', true],
      ['SAUSAGE3', false], ['sausage3/sub', true], ['sausage3/sub/dir', true], ['sausage4', false], ['a', true],
    ]);
    expect(new Filter({ exclude: ['*.bak'] }).includeRemote('x.txt')).toBe(true);
  });

  it('--ignore-case applies to file and directory rules', () => {
    const f = new Filter({ filter: ['+ /file2.png', '+ /sausage3**', '- *'], ignoreCase: true });
    includes(f, [['file2.png', true], ['FILE2.png', true], ['other', false]]);
    dirIncludes(f, [['sausage3', true], ['SAUSAGE3', true]]);
    expect(f.dumpRules()).toContain('+ (?i)^file2\\.png$');
  });

  it('embedded regexps', () => {
    const f = new Filter({ filter: ['+ /{{file\\d+\\.png}}', '+ *.{{(?i)jpg}}', '- *'] });
    includes(f, [
      ['file2.png', true], ['sub/file2.png', false], ['file123.png', true], ['File123.png', false],
      ['something.jpg', true], ['deep/path/something.JPG', true], ['something.gif', false],
    ]);
    dirIncludes(f, [['anything at all', true]]);
  });

  it.each([
    [false, 'potato', '- (^|/)potato$', ''],
    [true, 'potato', '+ (^|/)potato$', '+ ^.*$'],
    [false, 'potato/', '- (^|/)potato/.*$', '- (^|/)potato/.*$'],
    [true, 'potato/', '', '+ (^|/)potato/$'],
    [false, '*', '- (^|/)[^/]*$', '- ^.*$'],
    [true, '*', '+ (^|/)[^/]*$', '+ ^.*$'],
    [false, '.*{,/**}', '- (^|/)\\.[^/]*(|/.*)$', '- (^|/)\\.[^/]*(|/.*)$'],
    [true, 'a/b/c/d', '+ (^|/)a/b/c/d$', '+ (^|/)a/b/c/$\n+ (^|/)a/b/$\n+ (^|/)a/$'],
  ] as const)('rule %s %j makes file rules %j and dir rules %j', (include, glob, fileRules, dirRules) => {
    const f = new Filter({ filter: [`${include ? '+' : '-'} ${glob}`] });
    const join = (head: string, body: string): string => (body === '' ? head : `${head}\n${body}`);
    expect(f.dumpRules()).toBe(`${join('--- File filter rules ---', fileRules)}\n${join('--- Directory filter rules ---', dirRules)}`);
  });

  it('drops duplicate rules', () => {
    const f = new Filter({ filter: ['- a', '- a', '+ a'] });
    expect(f.fileRules().map((r) => `${r.include} ${r.glob.source}`)).toEqual(['false (^|/)a$', 'true (^|/)a$']);
  });

  it('adds the implicit exclude even for an empty --include-from file', () => {
    const f = new Filter({ includeFrom: [file('empty', '')] });
    expect(f.includeRemote('anything')).toBe(false);
    expect(f.dumpRules()).toBe('--- File filter rules ---\n- ^.*$\n--- Directory filter rules ---\n- ^.*$');
  });

  it('reports malformed rules and bad globs as rclone does', () => {
    expect(errorOf({ filter: ['x'] }).message).toBe('malformed rule "x"');
    expect(errorOf({ filter: ['+x'] }).message).toBe('malformed rule "+x"');
    expect(errorOf({ filterFrom: [file('f', '+ ok\n!x\n')] }).message).toBe('malformed rule "!x"');
    expect(errorOf({ include: ['a**b***'] }).message).toBe('too many stars in "a**b***"');
    expect(errorOf({ exclude: ['ab{c'] }).message).toBe(`mismatched '{' and '}' in glob "ab{c"`);
  });

  it('reads rule files like rclone (trimmed, comments and blank lines skipped; raw keeps everything)', () => {
    const text = '; comment\none\n# another comment\n\n\ntwo\n # indented comment\nthree  \nfour    \r\nfive\n  six  ';
    expect(ruleLines(text).join(',')).toBe('one,two,three,four,five,six');
    expect(ruleLines(text, true).join(',')).toBe('; comment,one,# another comment,,,two, # indented comment,three  ,four    ,five,  six  ');
  });
});

describe('directory rules', () => {
  it('include rules produce the directories the walker must enter', () => {
    const f = new Filter({ include: ['/a/b/*.jpg', 'c/**'] });
    dirIncludes(f, [['a', true], ['a/b', true], ['a/b/c', true], ['a/b/d', false], ['x', false], ['c', true], ['x/c', true], ['x/c/y', true], ['cc', false]]);
    includes(f, [['a/b/1.jpg', true], ['a/b/1.png', false], ['c/d/e', true], ['x/c/d', true], ['a/1.jpg', false]]);
    expect(f.usesDirectoryFilters()).toBe(true);
  });

  it('excluding dir/ prunes the directory and everything below', () => {
    const f = new Filter({ exclude: ['dir2/', '/top/'] });
    dirIncludes(f, [['dir2', false], ['x/dir2', false], ['x/dir2/y', false], ['dir22', true], ['top', false], ['x/top', true]]);
    includes(f, [['dir2/f', false], ['dir2', true], ['a/top/f', true]]);
  });

  it('usesDirectoryFilters matches rclone', () => {
    expect(new Filter().usesDirectoryFilters()).toBe(false);
    expect(new Filter({ filter: ['+ *'] }).usesDirectoryFilters()).toBe(false);
    expect(new Filter({ filter: ['+ *.jpg', '- *'] }).usesDirectoryFilters()).toBe(false);
    expect(new Filter({ filter: ['- *.jpg'] }).usesDirectoryFilters()).toBe(false);
    expect(new Filter({ filter: ['- *.jpg', '+ *'] }).usesDirectoryFilters()).toBe(false);
    expect(new Filter({ filter: ['+ dir/*.jpg', '- *'] }).usesDirectoryFilters()).toBe(true);
    expect(new Filter({ filter: ['- /dir/'] }).usesDirectoryFilters()).toBe(true);
  });

  it('ignores leading and trailing slashes on the directory asked about', () => {
    const f = new Filter({ exclude: ['/a/'] });
    dirIncludes(f, [['a', false], ['/a', false], ['a/', false], ['/a/', false]]);
  });
});

describe('--files-from', () => {
  it('includes exactly the listed files and their parent directories', () => {
    const f = new Filter({ filesFrom: ['#comment', '  path/to/dir/file1.png  ', '/path/to/dir/file2.png', '', 'path/to/file3.png', '/path/to/dir2/file4.png/'] });
    expect(f.haveFilesFrom()).toBe(true);
    expect(f.isActive()).toBe(true);
    expect([...(f.filesFrom() ?? [])].sort()).toEqual(['path/to/dir/file1.png', 'path/to/dir/file2.png', 'path/to/dir2/file4.png', 'path/to/file3.png']);
    dirIncludes(f, [
      ['path', true], ['path/to', true], ['path/to/', true], ['/path/to', true], ['/path/to/', true], ['path/to/dir', true],
      ['path/to/dir2', true], ['path/too', false], ['path/three', false], ['four', false],
    ]);
    includes(f, [['path/to/file3.png', true], ['path/to/file4.png', false], ['file3.png', false]]);
  });

  it('--files-from-raw keeps lines verbatim apart from slashes; both may be combined', () => {
    const f = new Filter({ filesFromRaw: ['#comment', 'files1', ' files2 ', '/dir/x/'], filesFrom: ['files3'] });
    expect([...(f.filesFrom() ?? [])].sort()).toEqual([' files2 ', '#comment', 'dir/x', 'files1', 'files3']);
  });

  it('overrides size and age limits, and an empty list includes nothing', () => {
    expect(new Filter({ filesFrom: [] }).includeRemote('a')).toBe(false);
    expect(errorOf({ filesFrom: ['a'], minSize: 1 }).message).toBe(
      'the usage of --files-from overrides all other filters, it should be used alone or with --files-from-raw');
    expect(errorOf({ filesFromRaw: ['a'], filter: ['- x'] }).message).toBe(
      'the usage of --files-from-raw overrides all other filters, it should be used alone or with --files-from');
    expect(errorOf({ filesFrom: ['a'], excludeIfPresent: ['.ignore'] }).message).toContain('--files-from overrides');
  });
});

describe('single-file source arguments', () => {
  it('become a one-entry files-from list, refused when other filters are set', () => {
    const f = singleFileFilter({ maxDepth: 3 }, 'z.txt', '/tmp/ft/z.txt');
    expect([...(f.filesFrom() ?? [])]).toEqual(['z.txt']);
    expect([f.includeRemote('z.txt'), f.includeRemote('a.txt'), f.maxDepth]).toEqual([true, false, 3]);
    let err: unknown;
    try {
      singleFileFilter({ include: ['*.txt'] }, 'z.txt', '/tmp/ft/z.txt');
    } catch (e) {
      err = e;
    }
    expect(isJsyncError(err, 'INVALID_ARGUMENT')).toBe(true);
    expect((err as Error).message).toBe("can't limit to single files when using filters: /tmp/ft/z.txt");
  });
});

describe('size and age limits', () => {
  it('--min-size and --max-size are inclusive bounds', () => {
    const min = new Filter({ minSize: 100 });
    expect([100, 101, 99, -1].map((s) => min.includeRemote('f', s))).toEqual([true, true, false, false]);
    const max = new Filter({ maxSize: 100 });
    expect([100, 101, 99].map((s) => max.includeRemote('f', s))).toEqual([true, false, true]);
    expect(max.isActive()).toBe(true);
    expect(new Filter({ minSize: -1, maxSize: -1 }).inActive()).toBe(true);
  });

  it('--max-age excludes older files, --min-age newer ones, at nanosecond precision', () => {
    const now = at(1440000010);
    const both = new Filter({ now, maxAgeMs: 8000, minAgeMs: 7000 });
    expect(both.modTimeFrom?.equals(at(1440000002))).toBe(true);
    expect(both.modTimeTo?.equals(at(1440000003))).toBe(true);
    const times = [1440000000, 1440000001, 1440000002, 1440000003, 1440000004].map((s) => both.includeRemote('f', 0, at(s)));
    expect(times).toEqual([false, false, true, true, false]);
    const maxAge = new Filter({ now, maxAgeMs: 8000 });
    expect(maxAge.includeRemote('f', 0, at(1440000002).add(-1n))).toBe(false);
    expect(maxAge.includeRemote('f', 0, at(1440000004))).toBe(true);
    const minAge = new Filter({ now, minAgeMs: 8000 });
    expect(minAge.includeRemote('f', 0, at(1440000002).add(1n))).toBe(false);
    expect(minAge.includeRemote('f', 0, at(1440000001))).toBe(true);
  });

  it('treats Infinity as off, and rejects --min-age larger than --max-age', () => {
    expect(new Filter({ minAgeMs: Infinity, maxAgeMs: Infinity }).inActive()).toBe(true);
    expect(new Filter({ maxAgeMs: 0, now: at(5) }).includeRemote('f', 0, at(4))).toBe(false);
    expect(errorOf({ minAgeMs: 2000, maxAgeMs: 1000 }).message).toBe("filter: --min-age can't be larger than --max-age");
  });

  it('logs the cut-off times and dumps them', () => {
    const log = recorder();
    const f = new Filter({ now: at(86400 * 2), maxAgeMs: 86_400_000, minAgeMs: 3_600_000, logger: log });
    expect(log.lines[0]).toMatch(/^DEBUG: --min-age 1h0m0s to 1970-01-02 2\d:00:00 /);
    expect(log.lines[1]).toMatch(/^DEBUG: --max-age 1d to 1970-01-0[12] /);
    const dump = f.dumpRules().split('\n');
    expect(dump[0]).toMatch(/^Last-modified date must be equal or greater than: 19\d\d-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4} \S+$/);
    expect(dump[1]).toMatch(/^Last-modified date must be equal or less than: /);
    expect(dump[2]).toBe('--- File filter rules ---');
  });
});

function obj(remote: string, size = 10, seconds = 1000): ObjectInfo & { reads: number } {
  const o = {
    isDir: false as const, remote, size, reads: 0, storable: true,
    fs: undefined as never,
    modTime(): Timestamp {
      o.reads++;
      return at(seconds);
    },
    hash: async () => '',
    toString: () => remote,
  };
  return o;
}

function dir(remote: string): Directory {
  return { isDir: true, remote, size: -1, items: -1, id: '', modTime: () => at(0), toString: () => remote };
}

describe('listings', () => {
  it('includeObject reads the modtime only when an age limit is set', () => {
    const o = obj('a.txt');
    expect(new Filter({ include: ['*.txt'] }).includeObject(o)).toBe(true);
    expect(o.reads).toBe(0);
    expect(new Filter({ maxAgeMs: 1_000_000, now: at(1500) }).includeObject(o)).toBe(true);
    expect(o.reads).toBe(1);
    expect(new Filter({ maxAgeMs: 1_000_000, now: at(2500) }).includeObject(o)).toBe(false);
  });

  it('filterListing applies file rules to objects and directory rules to directories', () => {
    const f = new Filter({ filter: ['- *.bak', '- /skip/', '+ **'], minSize: 5 });
    const entries = [obj('a.txt'), obj('a.bak'), obj('tiny', 2), dir('skip'), dir('keep')];
    expect(filterListing(entries, f).map(String)).toEqual(['a.txt', 'keep']);
    expect(filterListing(entries, new Filter())).toHaveLength(5);
  });

  it('--exclude-if-present empties a listing holding the marker file and prunes probed subdirectories', async () => {
    const f = new Filter({ excludeIfPresent: ['.ignore'] });
    expect(f.isActive()).toBe(true);
    expect(filterListing([obj('d/a'), obj('d/.ignore')], f)).toEqual([]);
    expect(filterListing([obj('d/a'), dir('d/.ignore')], f)).toHaveLength(2);
    const present = new Set(['sub1/.ignore']);
    const probed = await filterListingProbed([obj('x'), dir('sub1'), dir('sub2')], f, async (r) => present.has(r));
    expect(probed.map(String)).toEqual(['x', 'sub2']);
    expect(await f.dirContainsExcludeFile('', async (r) => r === '.ignore')).toBe(true);
  });
});
