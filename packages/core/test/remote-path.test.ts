import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkConfigName, cleanPath, cleanRooted, joinPath, joinRootPath, parseRemotePath, remotePathErrors as E } from '../src/config/index.js';
import { isJsyncError } from '../src/fs/errors.js';

// CI installs rclone (v1.60.1); the oracle comparison below runs only when it is on PATH.
const hasRclone = spawnSync('rclone', ['version'], { stdio: 'ignore' }).status === 0;

const linux = { platform: 'linux' as const };
const win = { platform: 'win32' as const };

function parseError(text: string, opts = linux): string {
  try {
    parseRemotePath(text, opts);
  } catch (err) {
    expect(isJsyncError(err, 'INVALID_ARGUMENT')).toBe(true);
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to fail`);
}

describe('parseRemotePath', () => {
  it.each([
    ['/abs/path', '/abs/path'],
    ['rel/path', 'rel/path'],
    ['./a:b', './a:b'],
    ['dir/x:y', 'dir/x:y'],
    ['a\\b:c', 'a\\b:c'],
    ['a,b', 'a,b'],
    ['plain', 'plain'],
  ])('%j is local', (text, path) => {
    expect(parseRemotePath(text, linux)).toEqual({ kind: 'local', path });
  });

  it.each([
    ['remote:', 'remote', '', 'remote'],
    ['remote:path/to/dir', 'remote', 'path/to/dir', 'remote'],
    ['remote:/path', 'remote', '/path', 'remote'],
    ['my remote.x-1_2:a:b', 'my remote.x-1_2', 'a:b', 'my remote.x-1_2'],
    ['-r:x', '-r', 'x', '-r'],
    ['C:\\x', 'C', '\\x', 'C'],
  ])('%j is remote %j with path %j', (text, name, path) => {
    expect(parseRemotePath(text, linux)).toStrictEqual({ kind: 'remote', name, params: {}, path });
  });

  it('parses on-the-fly remotes and connection strings', () => {
    expect(parseRemotePath(':memory:bucket/dir', linux)).toEqual({
      kind: 'remote', name: ':memory', backendType: 'memory', params: {}, path: 'bucket/dir',
    });
    const p = parseRemotePath(":local,encoding='Slash,Dot,Colon',nounc,case_insensitive=true:/data", linux);
    expect(p).toEqual({
      kind: 'remote', name: ':local', backendType: 'local',
      params: { encoding: 'Slash,Dot,Colon', nounc: 'true', case_insensitive: 'true' },
      path: '/data',
    });
    expect(p.kind === 'remote' && Object.keys(p.params)).toEqual(['encoding', 'nounc', 'case_insensitive']);
  });

  it('handles quoting rules', () => {
    const params = (t: string): Record<string, string> => {
      const p = parseRemotePath(t, linux);
      return p.kind === 'remote' ? p.params : {};
    };
    expect(params("r,a='it''s':")).toEqual({ a: "it's" });
    expect(params('r,a="say ""hi""":')).toEqual({ a: 'say "hi"' });
    expect(params("r,a='x:y,z':")).toEqual({ a: 'x:y,z' });
    expect(params("r,a=b'c:")).toEqual({ a: "b'c" });
    expect(params("r,a='':")).toEqual({ a: '' });
    expect(params('r,a=:')).toEqual({ a: '' });
    expect(params('r,a=1,a=2:')).toEqual({ a: '2' });
    expect(Object.entries(params('r,__proto__=x:'))).toEqual([['__proto__', 'x']]);
    expect(Object.getPrototypeOf(params('r,__proto__=x:'))).toBe(Object.prototype);
  });

  it.each([
    ['', E.cantBeEmpty],
    [':bad name!:', E.invalidCharacters],
    ['bad!:x', E.invalidCharacters],
    ['é:x', E.invalidCharacters],
    [':/x', E.invalidCharacters],
    [':a\\b:x', E.invalidCharacters],
    [':', E.configName],
    [':mem', E.configName],
    ['::', E.configNameEmpty],
    [',x:', E.configNameEmpty],
    [':,x:', E.configNameEmpty],
    ['a,=c:', E.emptyConfigParam],
    ['a,,b:', E.emptyConfigParam],
    ['a,b-c:', E.badConfigParam],
    ['a,b', 'local'],
    ['a,b:', 'ok'],
    ['a,b=c', 'local'],
    ["a,b='c'x:", E.afterQuote],
    ["r,a='x'':'y':", E.afterQuote],
  ])('%j → %s', (text, expected) => {
    if (expected === 'local') expect(parseRemotePath(text, linux).kind).toBe('local');
    else if (expected === 'ok') expect(parseRemotePath(text, linux).kind).toBe('remote');
    else expect(parseError(text)).toBe(expected);
  });

  it.each([
    [':x,b', E.param],
    [':x,b=c', E.value],
    [":x,b='c", E.quotedValue],
    [":x,b='c'", E.afterQuote],
  ])('%j (ends early) → %s', (text, expected) => {
    expect(parseError(text)).toBe(expected);
  });

  it('treats drive letters as local and converts backslashes on Windows', () => {
    expect(parseRemotePath('C:\\x\\y', win)).toEqual({ kind: 'local', path: 'C:/x/y' });
    expect(parseRemotePath('c:', win)).toEqual({ kind: 'local', path: 'c:' });
    expect(parseRemotePath('dir\\sub', win)).toEqual({ kind: 'local', path: 'dir/sub' });
    expect(parseRemotePath('remote:a\\b', win)).toMatchObject({ kind: 'remote', name: 'remote', path: 'a/b' });
    expect(parseRemotePath('remote:a\\b', linux)).toMatchObject({ path: 'a\\b' });
  });

  it('validates new config names', () => {
    expect(() => checkConfigName('good name.1-x_')).not.toThrow();
    expect(() => checkConfigName('-bad')).toThrow(E.cantStartWithDash);
    expect(() => checkConfigName('bad!')).toThrow(E.invalidCharacters);
    expect(() => checkConfigName(':x')).toThrow(E.invalidCharacters);
  });
});

describe('path helpers', () => {
  it.each([
    ['', '.'],
    ['a//b/./c/', 'a/b/c'],
    ['a/../..', '..'],
    ['/../x', '/x'],
    ['/', '/'],
    ['../../a', '../../a'],
  ])('cleanPath(%j) = %j', (p, out) => {
    expect(cleanPath(p)).toBe(out);
  });

  it('joins like Go path.Join and cleans rooted paths', () => {
    expect(joinPath('a', '', 'b/../c')).toBe('a/c');
    expect(joinPath('', '')).toBe('');
    expect(cleanRooted('../../etc')).toBe('etc');
    expect(cleanRooted('/../etc/')).toBe('/etc');
    expect(cleanRooted('..')).toBe('');
  });

  it.each([
    ['remote:', '', 'remote:'],
    ['remote:', 'a/b', 'remote:a/b'],
    ['remote:', '..', 'remote:'],
    ['remote:dir', '../../x', 'remote:dir/x'],
    ['remote:/dir', 'x', 'remote:/dir/x'],
    [':memory,a=1:bucket', 'f', ':memory,a=1:bucket/f'],
    ['/local/dir', '../x', '/local/dir/x'],
    ['//server/share', 'x', '//server/share/x'],
    ['rel', 'x/./y', 'rel/x/y'],
  ])('joinRootPath(%j, %j) = %j', (remote, file, out) => {
    expect(joinRootPath(remote, file, linux)).toBe(out);
  });
});

describe.runIf(hasRclone)('error texts match the installed rclone', () => {
  const bad = [':bad name!:', ':', '::', ',x:', 'a,=c:', 'a,b-c:', "a,b='c'x:", ':x,b', ':x,b=c', ":x,b='c", ':/x'];
  it.each(bad)('%j', (text) => {
    const res = spawnSync('rclone', ['--config', '/dev/null', 'lsf', text], { encoding: 'utf8' });
    const m = /Failed to create file system for ".*": (.*)$/m.exec(res.stderr);
    expect(m?.[1]).toBe(parseError(text));
  });
});
