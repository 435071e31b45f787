// Listing commands on a populated memory backend, in-process only (rclone's memory store lives per process, so
// these cases cannot be compared with a second rclone run): bucket flags, ListR directory synthesis, backend MIME
// types, and hashes the backend does not have.

import { beforeAll, describe, expect, it } from 'vitest';
import { type Fs, type ObjectInfo, Registry, Timestamp } from '@jsync/core';
import { createMemoryBackend } from '@jsync/backend-memory';
import { localBackend } from '@jsync/backend-local';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';

process.env['TZ'] = 'UTC';

const memory = createMemoryBackend();
const registry = new Registry([localBackend, memory]);

async function put(fs: Fs, remote: string, text: string, mtime: string, mimeType?: string): Promise<void> {
  const data = Buffer.from(text);
  const src = {
    isDir: false, remote, size: data.length, fs, storable: true, modTime: () => Timestamp.parse(mtime), toString: () => remote,
    hash: async () => '', ...(mimeType ? { mimeType: () => mimeType } : {}),
  } as unknown as ObjectInfo;
  await fs.put((async function* () { yield data; })(), src);
}

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ env: {} });
  const code = await main(['--config', '/dev/null', ...args], { io, registry });
  return { code, out: io.out(), err: io.err().replace(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /gm, '') };
}

beforeAll(async () => {
  const { fs } = await memory.newFs({ name: ':memory', root: 'b', options: {}, rawOptions: {}, logger: { log() {}, enabled: () => false } as never, global: {} });
  await put(fs, 'a.txt', 'hello\n', '2022-03-04T05:06:07.123456789Z');
  await put(fs, 'd/x.bin', 'xx', '2021-01-02T03:04:05Z', 'application/x-custom');
  await put(fs, 'd/e/y.txt', 'yyy', '2021-01-02T03:04:05Z');
});

describe('memory backend listings', () => {
  it('ls / lsl / size / md5sum / cat read the bucket', async () => {
    expect((await run('ls', ':memory:b')).out.split('\n').sort()).toEqual(['', '        2 d/x.bin', '        3 d/e/y.txt', '        6 a.txt'].sort());
    expect((await run('lsl', ':memory:b/a.txt')).out).toBe('        6 2022-03-04 05:06:07.123456789 a.txt\n');
    expect((await run('size', '--json', ':memory:')).out).toBe('{"count":3,"bytes":11,"sizeless":0}\n');
    expect((await run('md5sum', ':memory:b/a.txt')).out).toBe('b1946ac92492d2347c6235b4d2611184  a.txt\n');
    expect((await run('cat', '--offset', '1', '--count', '3', ':memory:b/a.txt')).out).toBe('ell');
  });

  it('marks buckets at the root, and every directory of a recursive root listing (rclone quirk)', async () => {
    const top = await run('lsjson', '--no-modtime', ':memory:');
    expect(top.out).toBe('[\n{"Path":"b","Name":"b","Size":-1,"MimeType":"inode/directory","ModTime":"","IsDir":true,"IsBucket":true}\n]\n');
    const all = await run('lsjson', '-R', '--dirs-only', '--no-modtime', ':memory:');
    expect(all.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l.replace(/,$/, '')) as { Path: string; IsBucket?: boolean }))
      .toEqual(expect.arrayContaining([
        expect.objectContaining({ Path: 'b', IsBucket: true }),
        expect.objectContaining({ Path: 'b/d', IsBucket: true }),
        expect.objectContaining({ Path: 'b/d/e', IsBucket: true }),
      ]));
    const inBucket = await run('lsjson', '-R', '--dirs-only', '--no-modtime', ':memory:b');
    expect(inBucket.out).not.toContain('IsBucket');
    expect(inBucket.out).toContain('"Path":"d/e"');
  });

  it('synthesises directories for lsd -R and lsf -R over a bucket', async () => {
    const lsd = await run('lsd', '-R', ':memory:b');
    expect(lsd.out.split('\n').filter(Boolean).map((l) => l.slice(43)).sort()).toEqual(['d', 'd/e']);
    const lsf = await run('lsf', '-R', ':memory:b');
    expect(lsf.out.split('\n').filter(Boolean).sort()).toEqual(['a.txt', 'd/', 'd/e/', 'd/e/y.txt', 'd/x.bin']);
  });

  it('prints the MIME type the backend stored', async () => {
    const r = await run('lsf', '-F', 'pm', ':memory:b/d');
    expect(r.out).toBe('e/;inode/directory\nx.bin;application/x-custom\n');
  });

  it('lsjson logs unreadable hashes without counting them', async () => {
    const r = await run('lsjson', '--hash-type', 'sha1', '--hash-type', 'md5', '--files-only', ':memory:b');
    expect(r.code).toBe(0);
    expect(r.out).toBe('[\n{"Path":"a.txt","Name":"a.txt","Size":6,"MimeType":"text/plain; charset=utf-8","ModTime":"2022-03-04T05:06:07.123456789Z","IsDir":false,"Hashes":{"md5":"b1946ac92492d2347c6235b4d2611184"}}\n]\n');
    expect(r.err).toBe('ERROR : a.txt: Failed to read hash: hash type not supported\n');
  });

  it('hashsum counts objects whose hash the backend lacks and exits 1', async () => {
    const r = await run('hashsum', 'sha1', ':memory:b');
    expect(r.out).toBe('');
    expect(r.code).toBe(1);
    expect(r.err.split('\n').filter(Boolean).sort()).toEqual([
      'ERROR : a.txt: hash unsupported: hash type not supported',
      'ERROR : d/e/y.txt: hash unsupported: hash type not supported',
      'ERROR : d/x.bin: hash unsupported: hash type not supported',
      'Failed to hashsum with 3 errors: last error was: hash unsupported: hash type not supported',
    ]);
    const dl = await run('hashsum', 'sha1', '--download', ':memory:b/a.txt');
    expect(dl.out).toBe('f572d396fae9206628714fb2ce00f72e94f2258f  a.txt\n');
    expect(dl.code).toBe(0);
  });

  it('lsjson --stat finds files and directories inside a bucket', async () => {
    const f = await run('lsjson', '--stat', '--no-modtime', ':memory:b/d/x.bin');
    expect(f.out).toBe('{\n\t"Path": "x.bin",\n\t"Name": "x.bin",\n\t"Size": 2,\n\t"MimeType": "application/x-custom",\n\t"ModTime": "",\n\t"IsDir": false\n}\n');
    const d = await run('lsjson', '--stat', '--no-modtime', ':memory:b/d');
    expect(d.out).toContain('"IsDir": true');
  });
});
