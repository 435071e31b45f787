// Glob → regexp compilation (rclone fs/filter/glob.go behaviour), directory globs and the Go → JS regexp translation.

import { describe, expect, it } from 'vitest';
import { compileGoRegexp, globToDirGlobs, GoRegexpError, globToRegexp, globToRegexpSource, translateGoRegexp } from '../src/filter/index.js';
import { isJsyncError } from '../src/index.js';

// [glob, Go regexp rclone builds] — from rclone's glob_test.go expectations.
const GLOBS: ReadonlyArray<readonly [string, string]> = [
  ['', '(^|/)$'],
  ['potato', '(^|/)potato$'],
  ['potato,sausage', '(^|/)potato,sausage$'],
  ['/potato', '^potato$'],
  ['potato?sausage', '(^|/)potato[^/]sausage$'],
  ['potat[oa]', '(^|/)potat[oa]$'],
  ['potat[a-z]or', '(^|/)potat[a-z]or$'],
  ['potat[[:alpha:]]or', '(^|/)potat[[:alpha:]]or$'],
  ["'.' '+' '(' ')' '|' '^' '$'", "(^|/)'\\.' '\\+' '\\(' '\\)' '\\|' '\\^' '\\$'$"],
  ['*.jpg', '(^|/)[^/]*\\.jpg$'],
  ['a{b,c,d}e', '(^|/)a(b|c|d)e$'],
  ['potato**', '(^|/)potato.*$'],
  ['potato**sausage', '(^|/)potato.*sausage$'],
  ['*.p[lm]', '(^|/)[^/]*\\.p[lm]$'],
  ['[\\[\\]]', '(^|/)[\\[\\]]$'],
  ['*.{jpg,png,gif}', '(^|/)[^/]*\\.(jpg|png|gif)$'],
  ['a\\*b', '(^|/)a\\*b$'],
  ['a\\\\b', '(^|/)a\\\\b$'],
  ['a{{.*}}b', '(^|/)a(.*)b$'],
  ['{{regexp}}', '(^|/)(regexp)$'],
  ['\\{{{regexp}}', '(^|/)\\{(regexp)$'],
  ['/{{regexp}}', '^(regexp)$'],
  ['/{{\\d{8}}}', '^(\\d{8})$'],
  ['/{{\\}}}', '^(\\})$'],
  ['{{(?i)regexp}}', '(^|/)((?i)regexp)$'],
  ['x\\', '(^|/)x\\$'],
  ['dir/**', '(^|/)dir/.*$'],
];

// [glob, rclone's error message] — texts checked against rclone v1.60.1.
const BAD_GLOBS: ReadonlyArray<readonly [string, string]> = [
  ['***potato', 'too many stars in "***potato"'],
  ['/***', 'too many stars in "***"'],
  ['ab]c', `mismatched ']' in glob "ab]c"`],
  ['ab[c', `mismatched '[' and ']' in glob "ab[c"`],
  ['ab{x{cd', `can't nest '{' '}' in glob "ab{x{cd"`],
  ['ab{}}cd', `mismatched '{' and '}' in glob "ab{}}cd"`],
  ['ab}c', `mismatched '{' and '}' in glob "ab}c"`],
  ['ab{c', `mismatched '{' and '}' in glob "ab{c"`],
  ['a{{.*}', `mismatched '{{' and '}}' in glob "a{{.*}"`],
  ['[a--b]', 'bad glob pattern "[a--b]" (regexp "(^|/)[a--b]$"): error parsing regexp: invalid character class range: `a--`'],
  ['[z-a]', 'bad glob pattern "[z-a]" (regexp "(^|/)[z-a]$"): error parsing regexp: invalid character class range: `z-a`'],
  ['{{(}}', 'bad glob pattern "{{(}}" (regexp "(^|/)(()$"): error parsing regexp: missing closing ): `(^|/)(()$`'],
  ['{{a**}}', 'bad glob pattern "{{a**}}" (regexp "(^|/)(a**)$"): error parsing regexp: invalid nested repetition operator: `**`'],
  ['{{\\8}}', 'bad glob pattern "{{\\\\8}}" (regexp "(^|/)(\\\\8)$"): error parsing regexp: invalid escape sequence: `\\8`'],
  ['[[:foo:]]', 'bad glob pattern "[[:foo:]]" (regexp "(^|/)[[:foo:]]$"): error parsing regexp: invalid character class range: `[:foo:]`'],
  ['{{a)}}', 'bad glob pattern "{{a)}}" (regexp "(^|/)(a))$"): error parsing regexp: unexpected ): `(^|/)(a))$`'],
  ['{{[a}}', 'bad glob pattern "{{[a}}" (regexp "(^|/)([a)$"): error parsing regexp: missing closing ]: `[a)$`'],
];

// [Go regexp as rclone builds it for a {{…}} glob, Go's error] — messages from rclone v1.60.1 runs.
const BAD_REGEXPS: ReadonlyArray<readonly [string, string]> = [
  ['(^|/)(*a)$', 'missing argument to repetition operator: `*`'],
  ['(^|/)(a|*)$', 'missing argument to repetition operator: `*`'],
  ['(^|/)((*))$', 'missing argument to repetition operator: `*`'],
  ['(^|/)(a{2}*)$', 'invalid nested repetition operator: `{2}*`'],
  ['(^|/)(a*??)$', 'invalid nested repetition operator: `*??`'],
  ['(^|/)(x{2}{3})$', 'invalid nested repetition operator: `{2}{3}`'],
  ['(^|/)((?P<>a))$', 'invalid named capture: `(?P<>`'],
  ['(^|/)((?P<a)$', 'invalid named capture: `(?P<a)$`'],
  ['(^|/)((?P<a-b>x))$', 'invalid named capture: `(?P<a-b>`'],
  ['(^|/)((?<a>x))$', 'invalid or unsupported Perl syntax: `(?<`'],
  ['(^|/)((?z))$', 'invalid or unsupported Perl syntax: `(?z`'],
  ['(^|/)((?i-))$', 'invalid or unsupported Perl syntax: `(?i-)`'],
  ['(^|/)((?-))$', 'invalid or unsupported Perl syntax: `(?-)`'],
  ['(^|/)((?i)$', 'missing closing ): `(^|/)((?i)$`'],
  ['(^|/)(\\C)$', 'invalid escape sequence: `\\C`'],
  ['(^|/)(\\Z)$', 'invalid escape sequence: `\\Z`'],
  ['(^|/)(\\x{110000})$', 'invalid escape sequence: `\\x{110000`'],
  ['(^|/)(\\xZ1)$', 'invalid escape sequence: `\\xZ1`'],
  ['(^|/)(\\Qa.b)$', 'missing closing ): `(^|/)(\\Qa.b)$`'],
  ['(^|/)(a{2,1})$', 'invalid repeat count: `{2,1}`'],
  ['(^|/)(x{1001})$', 'invalid repeat count: `{1001}`'],
  ['(^|/)(\\pX)$', 'invalid character class range: `\\pX`'],
  ['(^|/)(\\p{Foo})$', 'invalid character class range: `\\p{Foo}`'],
  ['(^|/)(a\\', 'trailing backslash at end of expression: ``'],
];

// [glob, path, matches] — behaviour (rclone filtering docs and filter_test.go; regexp cases checked with rclone).
const MATCHES: ReadonlyArray<readonly [string, string, boolean]> = [
  ['file.jpg', 'file.jpg', true],
  ['file.jpg', 'directory/file.jpg', true],
  ['file.jpg', 'afile.jpg', false],
  ['file.jpg', 'directory/afile.jpg', false],
  ['/file.jpg', 'file.jpg', true],
  ['/file.jpg', 'afile.jpg', false],
  ['/file.jpg', 'directory/file.jpg', false],
  ['*.jpg', 'file.jpg', true],
  ['*.jpg', 'directory/file.jpg', true],
  ['*.jpg', 'file.jpg/anotherfile.png', false],
  ['dir/**', 'dir/file.jpg', true],
  ['dir/**', 'dir/dir1/dir2/file.jpg', true],
  ['dir/**', 'directory/file.jpg', false],
  ['dir/**', 'adir/file.jpg', false],
  ['l?ss', 'less', true],
  ['l?ss', 'lass', true],
  ['l?ss', 'floss', false],
  ['l?ss', 'l/ss', false],
  ['h[ae]llo', 'hello', true],
  ['h[ae]llo', 'hallo', true],
  ['h[ae]llo', 'hullo', false],
  ['{one,two}_potato', 'one_potato', true],
  ['{one,two}_potato', 'two_potato', true],
  ['{one,two}_potato', 'three_potato', false],
  ['{one,two}_potato', '_potato', false],
  ['\\*.jpg', '*.jpg', true],
  ['\\*.jpg', 'a.jpg', false],
  ['\\\\.jpg', '\\.jpg', true],
  ['\\[one\\].jpg', '[one].jpg', true],
  ['potato', 'potato', true],
  ['potato', 'POTATO', false],
  ['*', 'ünïcödé', true],
  ['?', '😀', true],
  ['??', '😀', false],
  ['x\\', 'x$', true],
  ['[[:digit:]]*', '7z', true],
  ['[[:^digit:]]*', '7z', false],
  ['[^a-c]', 'b', false],
  ['[^a-c]', 'd', true],
  ['/{{file\\d+\\.png}}', 'file123.png', true],
  ['/{{file\\d+\\.png}}', 'sub/file2.png', false],
  ['/{{file\\d+\\.png}}', 'File123.png', false],
  ['*.{{(?i)jpg}}', 'deep/path/something.JPG', true],
  ['*.{{(?i)jpg}}', 'SOMETHING.gif', false],
  ['{{(?i)a}}B', 'AB', true],
  ['{{(?i)a}}B', 'Ab', false],
  ['{{a.c}}', 'a\nc', false],
  ['{{(?s)a.c}}', 'a\nc', true],
  ['{{\\p{Greek}+}}', 'αβγ', true],
  ['{{\\p{Greek}+}}', 'abc', false],
  ['{{[\\p{Lu}]+}}', 'ABC', true],
  ['{{\\x41\\x{42}\\103}}', 'ABC', true],
  ['{{a{,3}}}', 'a{,3}', true],
  ['{{\\Qa.b\\E}}', 'a.b', true],
  ['{{\\Qa.b\\E}}', 'axb', false],
  ['{{^*x}}', 'x', true],
  ['{{\\s}}', '\u00a0', false],
  ['{{\\s}}', ' ', true],
  ['{{a\\-b}}', 'a-b', true],
  ['{{(?U)a+}}', 'aaa', true],
];

describe('globToRegexpSource', () => {
  it.each(GLOBS)('%j → %s', (glob, want) => {
    expect(globToRegexpSource(glob)).toBe(want);
    expect(globToRegexpSource(glob, true)).toBe('(?i)' + want);
    expect(() => globToRegexp(glob, true)).not.toThrow();
  });

  it.each(BAD_GLOBS)('%j fails with rclone text', (glob, message) => {
    let err: unknown;
    try {
      globToRegexp(glob);
    } catch (e) {
      err = e;
    }
    expect(isJsyncError(err, 'INVALID_ARGUMENT')).toBe(true);
    expect((err as Error).message).toBe(message);
  });
});

describe('Go regexp translation', () => {
  it.each(BAD_REGEXPS)('%j → %s', (re, message) => {
    let err: unknown;
    try {
      compileGoRegexp(re);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GoRegexpError);
    expect((err as Error).message).toBe(`error parsing regexp: ${message}`);
  });

  it('uses the JS i flag only when all cased atoms fold', () => {
    expect(translateGoRegexp('(?i)(^|/)abc$').flags).toBe('iu');
    expect(translateGoRegexp('(^|/)abc$').flags).toBe('u');
    const mixed = translateGoRegexp('(^|/)((?i)ab)c$');
    expect(mixed.flags).toBe('u');
    expect(new RegExp(mixed.source, mixed.flags).test('ABc')).toBe(true);
    expect(new RegExp(mixed.source, mixed.flags).test('abC')).toBe(false);
  });

  it('follows Go flag scoping: (?i) ends with its group, (?-i) switches back', () => {
    const re = compileGoRegexp('(?i)a(?-i)b');
    expect(re.test('Ab')).toBe(true);
    expect(re.test('AB')).toBe(false);
    const m = compileGoRegexp('(?m)^b$');
    expect(m.test('a\nb\nc')).toBe(true);
    expect(compileGoRegexp('^b$').test('a\nb\nc')).toBe(false);
  });

  it('accepts `{` as a literal when it is not a repeat', () => {
    expect(compileGoRegexp('^a{x}$').test('a{x}')).toBe(true);
    expect(compileGoRegexp('^a{2}$').test('aa')).toBe(true);
    expect(compileGoRegexp('^a{01}$').test('a{01}')).toBe(true);
  });
});

describe('glob matching', () => {
  it.each(MATCHES)('%j on %j → %s', (glob, path, want) => {
    expect(globToRegexp(glob).regexp.test(path)).toBe(want);
  });

  it('--ignore-case folds every pattern', () => {
    expect(globToRegexp('potato', true).regexp.test('POTATO')).toBe(true);
    expect(globToRegexp('*.JPG', true).regexp.test('dir/x.jpg')).toBe(true);
    expect(globToRegexp('[a-c]', true).regexp.test('B')).toBe(true);
  });

  it('matches names holding invalid UTF-8 bytes (lone surrogates) as single characters', () => {
    expect(globToRegexp('a?b').regexp.test('a\udcffb')).toBe(true);
    expect(globToRegexp('*.txt').regexp.test('\udc80x.txt')).toBe(true);
  });
});

// [file glob, directory globs] — rclone's glob_test.go TestGlobToDirGlobs.
const DIR_GLOBS: ReadonlyArray<readonly [string, string[]]> = [
  ['*', ['/**']],
  ['/*', ['/']],
  ['*.jpg', ['/**']],
  ['/*.jpg', ['/']],
  ['//*.jpg', ['/']],
  ['///*.jpg', ['/']],
  ['/a/*.jpg', ['/a/', '/']],
  ['/a//*.jpg', ['/a/', '/']],
  ['/a///*.jpg', ['/a/', '/']],
  ['/a/b/*.jpg', ['/a/b/', '/a/', '/']],
  ['a/*.jpg', ['a/']],
  ['a/b/*.jpg', ['a/b/', 'a/']],
  ['*/*/*.jpg', ['*/*/', '*/']],
  ['a/b/', ['a/b/', 'a/']],
  ['a/b', ['a/']],
  ['a/b/*.{jpg,png,gif}', ['a/b/', 'a/']],
  ['/a/{jpg,png,gif}/*.{jpg,png,gif}', ['/a/{jpg,png,gif}/', '/a/', '/']],
  ['a/{a,a*b,a**c}/d/', ['/**']],
  ['/a/{a,a*b,a/c,d}/d/', ['/**']],
  ['/a/{{.*}}/d/', ['/**']],
  ['**', ['**/']],
  ['a**', ['a**/']],
  ['a**b', ['a**/']],
  ['a**b**c**d', ['a**b**c**/', 'a**b**/', 'a**/']],
  ['a**b/c**d', ['a**b/c**/', 'a**b/', 'a**/']],
  ['/A/a**b/B/c**d/C/', ['/A/a**b/B/c**d/C/', '/A/a**b/B/c**d/', '/A/a**b/B/c**/', '/A/a**b/B/', '/A/a**b/', '/A/a**/', '/A/', '/']],
  ['/var/spool/**/ncw', ['/var/spool/**/', '/var/spool/', '/var/', '/']],
  ['var/spool/**/ncw/', ['var/spool/**/ncw/', 'var/spool/**/', 'var/spool/', 'var/']],
  ['/sausage3**', ['/sausage3**/', '/']],
];

describe('globToDirGlobs', () => {
  it.each(DIR_GLOBS)('%j → %j', (glob, want) => {
    expect(globToDirGlobs(glob)).toEqual(want);
  });
});
