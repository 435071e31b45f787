import { describe, expect, it } from 'vitest';
import { encodeQuery, escapeJfsPath, queryEscape } from '../../src/http/escape.js';

describe('escapeJfsPath (Go URL path escaping, then + → %2B)', () => {
  it('matches the requests rclone was observed sending (spec §3.1)', () => {
    expect(escapeJfsPath('testuser/Jotta/Archive/dir one/a&b #1.txt')).toBe('testuser/Jotta/Archive/dir%20one/a&b%20%231.txt');
    expect(escapeJfsPath('testuser/Jotta/Archive/dir one/sub+plus')).toBe('testuser/Jotta/Archive/dir%20one/sub%2Bplus');
    expect(escapeJfsPath('testuser/Jotta/Archive/p+q#r 50%')).toBe('testuser/Jotta/Archive/p%2Bq%23r%2050%25');
  });

  it('keeps unreserved bytes and $&,/:;=@, escapes the rest with upper-case hex', () => {
    expect(escapeJfsPath('AZaz09-_.~')).toBe('AZaz09-_.~');
    expect(escapeJfsPath('$&,/:;=@')).toBe('$&,/:;=@');
    expect(escapeJfsPath("?!'()*[]")).toBe('%3F%21%27%28%29%2A%5B%5D');
    expect(escapeJfsPath('"<>\\^`{|}')).toBe('%22%3C%3E%5C%5E%60%7B%7C%7D');
    expect(escapeJfsPath('tab\there\nnl\x7f')).toBe('tab%09here%0Anl%7F');
  });

  it('percent-encodes the UTF-8 bytes of non-ASCII names (NFC and NFD stay distinct)', () => {
    expect(escapeJfsPath('blåbær')).toBe('bl%C3%A5b%C3%A6r');
    expect(escapeJfsPath('e\u0301')).toBe('e%CC%81');
    expect(escapeJfsPath('😀')).toBe('%F0%9F%98%80');
    expect(escapeJfsPath('１％')).toBe('%EF%BC%91%EF%BC%85');
  });

  it('leaves an empty path empty', () => {
    expect(escapeJfsPath('')).toBe('');
  });
});

describe('encodeQuery (Go url.Values.Encode)', () => {
  it('form-encodes path values as rclone sends cp/mv (spec §3.2)', () => {
    expect(encodeQuery({ cp: '/testuser/Jotta/Archive/dir two/copy.txt' })).toBe('cp=%2Ftestuser%2FJotta%2FArchive%2Fdir+two%2Fcopy.txt');
  });

  it('sorts keys and escapes everything outside A-Za-z0-9-_.~', () => {
    expect(encodeQuery({ mode: 'bin', dl: 'true', cphash: 'abc' })).toBe('cphash=abc&dl=true&mode=bin');
    expect(encodeQuery({ q: 'a+b&c=d?e/f g#%' })).toBe('q=a%2Bb%26c%3Dd%3Fe%2Ff+g%23%25');
    expect(encodeQuery({ 'k y': '$,:;@~' })).toBe('k+y=%24%2C%3A%3B%40~');
    expect(encodeQuery({ a: '', b: 'ø' })).toBe('a=&b=%C3%B8');
    expect(encodeQuery({})).toBe('');
  });

  it('sorts keys by UTF-8 bytes like Go (upper case before lower case)', () => {
    expect(encodeQuery({ b: '1', B: '2', a: '3' })).toBe('B=2&a=3&b=1');
  });

  it('queryEscape turns spaces into +', () => {
    expect(queryEscape('a b')).toBe('a+b');
  });
});
