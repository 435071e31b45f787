// Unit tests of the listing formatters against rclone v1.60.1's documented and observed output (spec §7.1–7.6).

import { afterEach, describe, expect, it } from 'vitest';
import { type Directory, type FsObject, HashSet, Timestamp } from '@jsync/core';
import { countStringField, formatLocalTime, sizeString, sizeStringField } from '../src/output/format.js';
import { ListFormat, csvRecord, formatLsLine, formatLsdLine, formatLslLine } from '../src/output/listing.js';
import {
  type ListJsonItem, buildListJsonItem, goJsonString, goPathBase, marshalItem, marshalItemIndent, modTimeDigitsForPrecision,
} from '../src/output/lsjson.js';
import { hashHelpString, hashSumLine, hashWidth, parseHashChoice } from '../src/output/hashsum.js';
import { catOpenOptions } from '../src/commands/cat.js';

process.env['TZ'] = 'UTC';
afterEach(() => {
  process.env['TZ'] = 'UTC';
});

const t = (s: string) => Timestamp.parse(s);

function obj(remote: string, size: number, mtime: string, extra: Partial<FsObject> = {}): FsObject {
  return {
    isDir: false, remote, size, modTime: () => t(mtime), toString: () => remote, storable: true,
    hash: async (ty: string) => (ty === 'md5' ? 'b1946ac92492d2347c6235b4d2611184' : ''),
    ...extra,
  } as unknown as FsObject;
}

function dir(remote: string, mtime: string, extra: Partial<Directory> = {}): Directory {
  return { isDir: true, remote, size: -1, items: -1, id: '', modTime: () => t(mtime), toString: () => remote, ...extra };
}

describe('numbers (SizeString / CountString)', () => {
  it('prints raw numbers or rclone suffixes', () => {
    expect(sizeString(12345, false)).toBe('12345');
    expect(sizeString(12345, true)).toBe('12.056Ki');
    expect(sizeString(6, true)).toBe('6');
    expect(sizeString(-1, true)).toBe('-1');
    expect(sizeStringField(12345, true, 12)).toBe(' 12.056Ki');
    expect(sizeStringField(-1, false, 12)).toBe('          -1');
    expect(countStringField(1500, true, 9)).toBe('  1.500k');
    expect(countStringField(-1, false, 9)).toBe('       -1');
  });
});

describe('times', () => {
  it('formats in the local zone with truncated fractions', () => {
    const ts = t('2022-03-04T05:06:07.123456789Z');
    expect(formatLocalTime(ts, { digits: 9 })).toBe('2022-03-04 05:06:07.123456789');
    expect(formatLocalTime(ts)).toBe('2022-03-04 05:06:07');
    expect(formatLocalTime(ts, { digits: 3, rfc3339: true })).toBe('2022-03-04T05:06:07.123Z');
    process.env['TZ'] = 'Europe/Oslo';
    expect(formatLocalTime(ts, { digits: 9, rfc3339: true })).toBe('2022-03-04T06:06:07.123456789+01:00');
    expect(formatLocalTime(t('2022-07-01T00:00:00Z'), { rfc3339: true })).toBe('2022-07-01T02:00:00+02:00');
  });

  it('handles times before 1970', () => {
    expect(formatLocalTime(t('1960-07-30T07:18:09.25Z'), { digits: 9 })).toBe('1960-07-30 07:18:09.250000000');
  });

  it('maps Fs precision to lsjson fraction digits (formatForPrecision)', () => {
    expect(modTimeDigitsForPrecision(1n)).toBe(9);
    expect(modTimeDigitsForPrecision(10n)).toBe(8);
    expect(modTimeDigitsForPrecision(11n)).toBe(7);
    expect(modTimeDigitsForPrecision(1000n)).toBe(6);
    expect(modTimeDigitsForPrecision(1_000_000n)).toBe(3);
    expect(modTimeDigitsForPrecision(100_000_000n)).toBe(1);
    expect(modTimeDigitsForPrecision(1_000_000_000n)).toBe(0);
  });
});

describe('ls / lsl / lsd lines', () => {
  it('matches the spec examples', () => {
    expect(formatLsLine(obj('dir1/sub/c.bin', 12345, '2021-01-02T03:04:05Z'), false)).toBe('    12345 dir1/sub/c.bin\n');
    expect(formatLsLine(obj('dir1/sub/c.bin', 12345, '2021-01-02T03:04:05Z'), true)).toBe(' 12.056Ki dir1/sub/c.bin\n');
    expect(formatLslLine(obj('a.txt', 6, '2022-03-04T05:06:07.123456789Z'), false)).toBe('        6 2022-03-04 05:06:07.123456789 a.txt\n');
    expect(formatLsdLine(dir('dir1', '2023-05-06T07:08:09Z'), false)).toBe('          -1 2023-05-06 07:08:09        -1 dir1\n');
    expect(formatLsdLine(dir('dir1', '2023-05-06T07:08:09Z'), true)).toBe('       -1 2023-05-06 07:08:09       -1 dir1\n');
    expect(formatLsdLine(dir('b', '2023-05-06T07:08:09Z', { size: 494000, items: 10000 }), false)).toBe('      494000 2023-05-06 07:08:09     10000 b\n');
  });
});

describe('lsf ListFormat', () => {
  const item = (p: Partial<ListJsonItem>): ListJsonItem => ({ path: 'a.txt', name: 'a.txt', size: 6, isDir: false, ...p });
  const base = { separator: ';', dirSlash: true, absolute: false, csv: false, hashName: 'md5' };

  it('joins columns with the separator, slashes directories, prints empty hashes for dirs', () => {
    const f = ListFormat.create({ ...base, format: 'pst' });
    expect(f.format(item({ modTime: t('2022-03-04T05:06:07.9Z') }))).toBe('a.txt;6;2022-03-04 05:06:07');
    expect(f.format(item({ path: 'dir1', isDir: true, size: -1, modTime: t('2023-05-06T07:08:09Z') }))).toBe('dir1/;-1;2023-05-06 07:08:09');
    const h = ListFormat.create({ ...base, format: 'tshp', separator: ',' });
    expect(h.format(item({ modTime: t('2022-03-04T05:06:07Z'), hashes: { md5: 'b1946ac92492d2347c6235b4d2611184' } })))
      .toBe('2022-03-04 05:06:07,6,b1946ac92492d2347c6235b4d2611184,a.txt');
    expect(h.format(item({ isDir: true, path: 'd', size: -1, modTime: t('2022-03-04T05:06:07Z'), hashes: { md5: 'x' } }))).toBe('2022-03-04 05:06:07,-1,,d/');
  });

  it('honours --absolute and --dir-slash=false', () => {
    const f = ListFormat.create({ ...base, format: 'p', absolute: true, dirSlash: false });
    expect(f.format(item({ path: 'dir1', isDir: true }))).toBe('/dir1');
    expect(f.format(item({}))).toBe('/a.txt');
  });

  it('quotes CSV fields like Go encoding/csv', () => {
    const f = ListFormat.create({ ...base, format: 'pst', separator: ':', csv: true });
    expect(f.format(item({ modTime: t('2021-01-02T03:04:05Z') }))).toBe('a.txt:6:"2021-01-02 03:04:05"');
    const g = ListFormat.create({ ...base, format: 'pst', separator: 'ab', csv: true });
    expect(g.format(item({ modTime: t('2021-01-02T03:04:05Z') }))).toBe('"a.txt"a6a2021-01-02 03:04:05');
    expect(csvRecord(['this file contains a comma, in the file name.txt', '6'], ',')).toBe('"this file contains a comma, in the file name.txt",6\n');
    expect(csvRecord(['say "hi"', ' lead', 'x'], ',')).toBe('"say ""hi"""," lead",x\n');
    expect(csvRecord(['\\.', ''], ',')).toBe('"\\.",\n');
    expect(csvRecord(['a'], '"')).toBe('');
  });

  it('rejects unknown letters with rclone message', () => {
    expect(() => ListFormat.create({ ...base, format: 'px' })).toThrow("unknown format character 'x'");
  });
});

describe('lsjson items', () => {
  it('escapes strings like Go 1.19 encoding/json', () => {
    expect(goJsonString('a<b>&c')).toBe('"a\\u003cb\\u003e\\u0026c"');
    expect(goJsonString('q"\\\n\r\t\x01\x7f')).toBe('"q\\"\\\\\\n\\r\\t\\u0001\x7f"');
    expect(goJsonString('bad\udcfe.txt')).toBe('"bad\\ufffd.txt"');
    expect(goJsonString('line\u2028sep😀')).toBe('"line\\u2028sep😀"');
  });

  it('builds Go path.Base names', () => {
    expect(goPathBase('dir1/sub/c.bin')).toBe('c.bin');
    expect(goPathBase('')).toBe('');
    expect(goPathBase('a')).toBe('a');
  });

  it('marshals the spec example lines', async () => {
    const a = await buildListJsonItem(obj('a.txt', 6, '2022-03-04T05:06:07.123456789Z'));
    expect(marshalItem(a, { modTimeDigits: 9 })).toBe(
      '{"Path":"a.txt","Name":"a.txt","Size":6,"MimeType":"text/plain; charset=utf-8","ModTime":"2022-03-04T05:06:07.123456789Z","IsDir":false}',
    );
    const d = await buildListJsonItem(dir('dir1', '2023-05-06T07:08:09Z'), { isBucket: true });
    expect(marshalItem(d, { modTimeDigits: 0 })).toBe(
      '{"Path":"dir1","Name":"dir1","Size":-1,"MimeType":"inode/directory","ModTime":"2023-05-06T07:08:09Z","IsDir":true,"IsBucket":true}',
    );
    const h = await buildListJsonItem(obj('sub/c.bin', 1, '2021-01-02T03:04:05Z', { id: () => 'ID1' }), { hashTypes: ['sha1', 'md5'], noMimeType: true });
    expect(marshalItem(h, { modTimeDigits: 3 })).toBe(
      '{"Path":"sub/c.bin","Name":"c.bin","Size":1,"ModTime":"2021-01-02T03:04:05.000Z","IsDir":false,"Hashes":{"md5":"b1946ac92492d2347c6235b4d2611184"},"ID":"ID1"}',
    );
    const none = await buildListJsonItem(obj('x', 1, '2021-01-02T03:04:05Z'), { noModTime: true, hashTypes: ['sha1'] });
    expect(marshalItem(none, { modTimeDigits: 9 })).toBe('{"Path":"x","Name":"x","Size":1,"MimeType":"application/octet-stream","ModTime":"","IsDir":false}');
  });

  it('reports hash errors through onHashError and leaves the hash out', async () => {
    const failing = obj('f', 1, '2021-01-02T03:04:05Z', { hash: async () => { throw new Error('boom'); } });
    const seen: string[] = [];
    const item = await buildListJsonItem(failing, { hashTypes: ['md5'], onHashError: (e, err) => seen.push(`${e.remote}: ${(err as Error).message}`) });
    expect(item.hashes).toEqual({});
    expect(seen).toEqual(['f: boom']);
  });

  it('indents --stat output with tabs, null for nothing', async () => {
    const a = await buildListJsonItem(obj('a.txt', 6, '2022-03-04T05:06:07.123456789Z'), { hashTypes: ['md5'] });
    expect(marshalItemIndent(a, { modTimeDigits: 9 })).toBe(
      '{\n\t"Path": "a.txt",\n\t"Name": "a.txt",\n\t"Size": 6,\n\t"MimeType": "text/plain; charset=utf-8",\n' +
        '\t"ModTime": "2022-03-04T05:06:07.123456789Z",\n\t"IsDir": false,\n\t"Hashes": {\n\t\t"md5": "b1946ac92492d2347c6235b4d2611184"\n\t}\n}',
    );
    expect(marshalItemIndent(undefined, { modTimeDigits: 9 })).toBe('null');
  });
});

describe('hash helpers', () => {
  it('parses names like rclone hash.Type.Set', () => {
    expect(parseHashChoice('md5')).toBe('md5');
    expect(parseHashChoice('MD5')).toBe('md5');
    expect(parseHashChoice('Md5')).toBe('md5');
    expect(parseHashChoice('SHA1')).toBe('sha1');
    expect(parseHashChoice('SHA-1')).toBe('sha1');
    expect(parseHashChoice('sha-1')).toBeUndefined();
    expect(parseHashChoice('DropboxHash')).toBe('dropbox');
    expect(parseHashChoice('none')).toBe('none');
    expect(parseHashChoice('NONE')).toBeUndefined();
  });

  it('prints the supported list and widths', () => {
    expect(hashHelpString(0).split('\n').slice(0, 3)).toEqual(['Supported hashes are:', '  * md5', '  * sha1']);
    expect(hashHelpString(0).trimEnd().split('\n')).toHaveLength(1 + HashSet.all().size);
    expect(hashWidth('md5', false)).toBe(32);
    expect(hashWidth('md5', true)).toBe(24);
    expect(hashWidth('crc32', true)).toBe(8);
    expect(hashWidth('quickxor', true)).toBe(28);
    expect(hashWidth('whirlpool', true)).toBe(88);
    expect(hashWidth('none', false)).toBe(0);
    expect(hashSumLine('', 32, 'a')).toBe(`${' '.repeat(32)}  a\n`);
  });
});

describe('cat ranges', () => {
  it('derives rclone RangeOptions', () => {
    expect(catOpenOptions(6, 0, -1)).toEqual({});
    expect(catOpenOptions(6, 2, 3)).toEqual({ range: { start: 2, end: 4 } });
    expect(catOpenOptions(6, -3, -1)).toEqual({ range: { start: 3, end: -1 } });
    expect(catOpenOptions(6, -100, -1)).toEqual({});
    expect(catOpenOptions(6, 0, 2)).toEqual({ range: { start: 0, end: 1 } });
    expect(catOpenOptions(6, 0, 0)).toEqual({});
    expect(catOpenOptions(6, -100, 97)).toEqual({ range: { start: -1, end: 2 } });
  });
});

describe('Go int64 flag values', () => {
  it('parses like strconv.ParseInt(s, 0, 64)', async () => {
    const { parseGoInt64 } = await import('../src/output/format.js');
    expect(parseGoInt64('10')).toEqual({ value: 10 });
    expect(parseGoInt64('-0x10')).toEqual({ value: -16 });
    expect(parseGoInt64('+017')).toEqual({ value: 15 });
    expect(parseGoInt64('0o17')).toEqual({ value: 15 });
    expect(parseGoInt64('0b101')).toEqual({ value: 5 });
    expect(parseGoInt64('1_000')).toEqual({ value: 1000 });
    expect(parseGoInt64('0x_1f')).toEqual({ value: 31 });
    expect(parseGoInt64('0')).toEqual({ value: 0 });
    for (const bad of ['x', '', '08', '1__0', '_1', '1_', '0x', '1.5', ' 1']) expect(parseGoInt64(bad), bad).toEqual({ error: 'invalid syntax' });
    expect(parseGoInt64('9223372036854775808')).toEqual({ error: 'value out of range' });
  });
});
