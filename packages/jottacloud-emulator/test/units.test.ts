// Unit tests of the small pieces: JFS/RFC 3339 times, the XML writer, request parsing, CLI arguments.

import { describe, expect, it } from 'vitest';
import { parseBehaviour, parseBytes } from '../src/cli-args.js';
import { parseCliArgs } from '../src/index.js';
import { decodeSegments, parseRange, parseTarget, percentDecode } from '../src/http/request.js';
import { formatJfsTime, formatRfc3339Millis, parseFlexibleTime, parseJfsTime, parseRfc3339 } from '../src/xml/time.js';
import { escapeAttr, XmlWriter } from '../src/xml/writer.js';
import { parseXml } from './helpers/xml.js';

describe('times', () => {
  it('formats and parses the JFS layout 2006-01-02-T15:04:05Z0700', () => {
    const t = Date.UTC(2018, 6, 5, 15, 8, 2) / 1000;
    expect(formatJfsTime(t)).toBe('2018-07-05-T15:08:02Z');
    expect(parseJfsTime('2018-07-05-T15:08:02Z')).toBe(t);
    expect(parseJfsTime('2018-07-05-T17:08:02+0200')).toBe(t);
    expect(parseJfsTime('2018-07-05-T13:38:02-0130')).toBe(t);
    expect(parseJfsTime('2018-07-05-T15:08:02.999Z')).toBe(t);
    for (const bad of ['2018-07-05T15:08:02Z', '2018-07-05-T15:08:02+02:00', '2018-02-30-T00:00:00Z', '2018-07-05-T24:00:00Z', '', 'now']) {
      expect(parseJfsTime(bad), bad).toBeUndefined();
    }
    expect(formatJfsTime(null)).toBe('');
    expect(formatJfsTime(-62135596800)).toBe('0001-01-01-T00:00:00Z');
    expect(formatJfsTime(1e12)).toBe('');
    expect(formatJfsTime(-1)).toBe('1969-12-31-T23:59:59Z');
    expect(parseJfsTime('2000-02-29-T00:00:00Z')).toBe(Date.UTC(2000, 1, 29) / 1000);
    expect(parseJfsTime('1900-02-29-T00:00:00Z')).toBeUndefined();
  });

  it('RFC 3339 with fractions and offsets, and epoch milliseconds', () => {
    const t = Date.UTC(2020, 4, 6, 7, 8, 9) / 1000;
    expect(parseRfc3339('2020-05-06T07:08:09Z')).toBe(t);
    expect(parseRfc3339('2020-05-06T09:08:09.123456789+02:00')).toBe(t);
    expect(parseRfc3339('2020-05-06T07:08:09+0200')).toBeUndefined();
    expect(formatRfc3339Millis(t)).toBe('2020-05-06T07:08:09.000Z');
    expect(parseFlexibleTime(t * 1000 + 999)).toBe(t);
    expect(parseFlexibleTime(String(t * 1000))).toBe(t);
    expect(parseFlexibleTime('2020-05-06-T07:08:09Z')).toBe(t);
    expect(parseFlexibleTime(true)).toBeUndefined();
    expect(parseFlexibleTime(1.5)).toBeUndefined();
  });
});

describe('XML writer', () => {
  it('escapes text and attributes and nests elements', () => {
    const name = `a<b>&"c' d\te\nf`;
    const w = new XmlWriter();
    w.open('folder', { name, skipped: undefined }).preserve('path', '/x & <y>').leaf('empty', null).empty('metadata', { total: 3 }).close();
    const doc = parseXml(w.toString());
    expect(doc.attrs).toEqual({ name });
    expect(doc.children.map((c) => [c.name, c.text])).toEqual([['path', '/x & <y>'], ['empty', ''], ['metadata', '']]);
    expect(escapeAttr('"&')).toBe('&#34;&#38;');
    expect(() => new XmlWriter().open('x').toString()).toThrow(/unclosed/);
    expect(() => new XmlWriter().close()).toThrow();
    expect(new XmlWriter(true).open('a').leaf('b', 1).close().toString()).toBe('<?xml version="1.0" encoding="UTF-8"?><a><b>1</b></a>');
  });
});

describe('request parsing', () => {
  it('decodes paths strictly', () => {
    expect(percentDecode('a%20b+c', true)).toBe('a b c');
    expect(percentDecode('a+c', false)).toBe('a+c');
    expect(percentDecode('%C3%A6%F0%9F%98%80', false)).toBe('æ😀');
    expect(() => percentDecode('%C3', false)).toThrow();
    expect(() => percentDecode('%g0', false)).toThrow();
    expect(decodeSegments('/a/b%20c/', true)).toEqual({ names: ['a', 'b c'], trailingSlash: true });
    expect(decodeSegments('', true)).toEqual({ names: [], trailingSlash: false });
    for (const bad of ['/a//b', '/a/%2F', '/a/..', '/a/%2e']) expect(() => decodeSegments(bad, true), bad).toThrow();
    expect(decodeSegments('/a/%2e%2e%2e', true).names).toEqual(['a', '...']);
    expect(parseTarget('http://jfs.jottacloud.com/jfs/u?mode=bin&mode=list&x=a+b%26').path).toBe('/jfs/u');
    expect([...parseTarget('/jfs/u?mode=bin&mode=list&x=a+b%26&flag').query]).toEqual([['mode', 'bin'], ['x', 'a b&'], ['flag', '']]);
  });

  it('parses download ranges', () => {
    expect(parseRange(undefined, 10)).toBeNull();
    expect(parseRange('bytes=2-5', 10)).toEqual({ start: 2, end: 6 });
    expect(parseRange('bytes=2-', 10)).toEqual({ start: 2, end: 10 });
    expect(parseRange('bytes=-4', 10)).toEqual({ start: 6, end: 10 });
    expect(parseRange('bytes=-40', 10)).toEqual({ start: 0, end: 10 });
    expect(parseRange('bytes=8-100', 10)).toEqual({ start: 8, end: 10 });
    for (const bad of ['bytes=10-', 'bytes=5-2', 'bytes=-0', 'bytes=-', 'items=0-1', 'bytes=a-b']) expect(parseRange(bad, 10), bad).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,3-4', 10)).toBeNull();
  });
});

describe('CLI arguments', () => {
  it('parses every flag in both forms', () => {
    const r = parseCliArgs(['--host', '0.0.0.0', '--port=8080', '--data-dir', '/d', '--tls-dir=/t', '--seed', '9', '--fault', 'upload=reset@2',
      '--fault=list=503:0.5', '--capacity', '10M', '--token-lifetime', '60', '--username', 'u1', '--login-name', 'me@x', '--behaviour', 'maxRevisions=0',
      '--behaviour=plusInPath=literal', '--behaviour', 'dedup=false', '--no-proxy']);
    expect(r).toEqual({ help: false, options: {
      host: '0.0.0.0', port: 8080, dataDir: '/d', tlsDir: '/t', seed: 9, faults: ['upload=reset@2', 'list=503:0.5'], capacity: 10 * 1024 * 1024,
      tokenLifetimeSeconds: 60, username: 'u1', loginName: 'me@x', behaviour: { maxRevisions: 0, plusInPath: 'literal', dedup: false }, proxy: false,
    } });
    expect(parseCliArgs(['-h'])).toEqual({ help: true });
    expect(parseCliArgs([])).toEqual({ help: false, options: {} });
  });

  it('rejects bad values with clear messages', () => {
    expect(() => parseCliArgs(['--port', 'x'])).toThrow(/invalid port/);
    expect(() => parseCliArgs(['--fault', 'upload=explode'])).toThrow(/invalid fault kind/);
    expect(() => parseCliArgs(['--seed'])).toThrow(/needs an argument/);
    expect(() => parseCliArgs(['--bogus'])).toThrow(/unknown flag/);
    expect(() => parseBehaviour('nope=1')).toThrow(/unknown behaviour/);
    expect(() => parseBehaviour('dedup=yes')).toThrow(/true or false/);
    expect(() => parseBehaviour('plusInPath=tab')).toThrow(/space or literal/);
    expect(parseBytes('-1')).toBe(-1);
    expect(parseBytes('1.5K')).toBe(1536);
    expect(parseBytes('2GiB')).toBe(2 * 1024 ** 3);
    expect(parseBytes('123')).toBe(123);
    expect(() => parseBytes('lots')).toThrow(/invalid size/);
  });
});
