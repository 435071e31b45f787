import { isJsyncError, Timestamp } from '@jsync/core';
import { describe, expect, it } from 'vitest';
import { parseListStream, type ListStreamItem, type ListStreamOptions } from '../../src/api/liststream.js';

const enc = new TextEncoder();

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}

async function collect(xml: string | Uint8Array, opts?: ListStreamOptions, chunkSize = 1 << 16): Promise<ListStreamItem[][]> {
  const pages: ListStreamItem[][] = [];
  const bytes = typeof xml === 'string' ? enc.encode(xml) : xml;
  for await (const page of parseListStream(chunks(bytes, chunkSize), opts)) pages.push(page);
  return pages;
}

async function items(xml: string, opts?: ListStreamOptions, chunkSize?: number): Promise<ListStreamItem[]> {
  return (await collect(xml, opts, chunkSize)).flat();
}

async function failure(xml: string | Uint8Array, opts?: ListStreamOptions, chunkSize?: number): Promise<Error> {
  try {
    await collect(xml, opts, chunkSize);
  } catch (err) {
    expect(isJsyncError(err, 'IO')).toBe(true);
    return err as Error;
  }
  throw new Error('parsed without error');
}

const file = (path: string, name: string, extra = ''): string =>
  `<file name="${name}" uuid="u"><path>${path}</path><filename>${name}</filename><md5>0cc175b9c0f1b6a831c399e269772661</md5>` +
  `<size>12</size><modified>2020-05-06T07:08:09.000Z</modified><created>2020-05-06T09:08:09.500+02:00</created>${extra}</file>`;
const folder = (path: string): string => `<folder name="x"><path>${path}</path></folder>`;
const stats = (folders: number, files: number): string => `<stats><folders>${folders}</folders><files>${files}</files></stats>`;
const tree = (...parts: string[]): string => `<?xml version="1.0" encoding="UTF-8"?><filetree>${parts.join('')}</filetree>`;

describe('parseListStream: rclone counting (§6.4)', () => {
  it('emits folders and files with raw paths and decoded values', async () => {
    const got = await items(tree(folder('/Archive/r'), file('/Archive/r', 'a.txt'), folder('/Archive/r/sub'), file('/Archive/r/sub', 'b'), stats(2, 2)));
    expect(got).toEqual([
      { kind: 'folder', path: '/Archive/r' },
      { kind: 'file', path: '/Archive/r', name: 'a.txt', md5: '0cc175b9c0f1b6a831c399e269772661', size: 12,
        modified: Timestamp.parse('2020-05-06T07:08:09Z'), created: Timestamp.parse('2020-05-06T07:08:09.5Z') },
      { kind: 'folder', path: '/Archive/r/sub' },
      { kind: 'file', path: '/Archive/r/sub', name: 'b', md5: '0cc175b9c0f1b6a831c399e269772661', size: 12,
        modified: Timestamp.parse('2020-05-06T07:08:09Z'), created: Timestamp.parse('2020-05-06T07:08:09.5Z') },
    ]);
  });

  it('a file in an unseen folder emits that folder first and counts it', async () => {
    const got = await items(tree(file('/A/x', 'f1'), file('/A/x', 'f2'), file('/A/y', 'f3'), stats(2, 3)));
    expect(got.map((i) => `${i.kind}:${i.path}${i.kind === 'file' ? `/${i.name}` : ''}`)).toEqual(['folder:/A/x', 'file:/A/x/f1', 'file:/A/x/f2', 'folder:/A/y', 'file:/A/y/f3']);
  });

  it('every <folder> counts, even one already seen through a file or twice', async () => {
    await expect(items(tree(file('/A/x', 'f'), folder('/A/x'), folder('/A/x'), stats(3, 1)))).resolves.toHaveLength(4);
    const err = await failure(tree(file('/A/x', 'f'), folder('/A/x'), stats(1, 1)));
    expect(err.message).toBe('invalid result from listStream: expected[jottacloud.stats{Folders:1, Files:1}] != actual[jottacloud.stats{Folders:2, Files:1}]');
  });

  it('pathKey decides which folders count as seen', async () => {
    const key = (p: string): string => p.replace(/^\/A\/root\/?/, '');
    const got = await items(tree(folder('/A/root/x'), file('/A/rootx', 'f'), stats(1, 1)), { pathKey: key });
    expect(got.map((i) => i.kind)).toEqual(['folder', 'file']);
  });

  it('stats mismatch, missing stats and empty documents are errors', async () => {
    expect((await failure(tree(folder('/A'), file('/A', 'f'), stats(1, 2)))).message).toMatch(/^invalid result from listStream: expected\[.*Files:2\}\] != actual\[.*Files:1\}\]$/);
    expect((await failure(tree(folder('/A'), file('/A', 'f')))).message).toBe('invalid result from listStream: no <stats> element');
    await failure('');
    await failure('   ');
    await expect(items(tree(stats(0, 0)))).resolves.toEqual([]);
  });

  it('ignores unknown elements and attributes, and files nested inside items (rclone decodes whole elements)', async () => {
    const got = await items(tree('<meta a="1"><x>y</x></meta>', `<folder name="<not>"><path>/A</path><file><path>/B</path></file><extra/></folder>`,
      `<group>${file('/A', 'f', '<path2>zz</path2><size2>x</size2>')}</group>`, '<!-- comment <file> -->', '<?pi x?>', stats(1, 1)));
    expect(got.map((i) => i.path)).toEqual(['/A', '/A']);
  });

  it('the last repeated field wins; empty fields give zero values; missing times stay undefined', async () => {
    const got = await items(tree(`<file><path>/A</path><path>/B</path><filename></filename><size></size><md5/><modified></modified></file>`, stats(1, 1)));
    expect(got).toEqual([{ kind: 'folder', path: '/B' }, { kind: 'file', path: '/B', name: '', md5: '', size: 0 }]);
  });

  it('decodes entities and CDATA, keeps spaces and number-like names', async () => {
    const names = [' spaced ', '007', '1e5', 'a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;', '&#x1F600; &#128512;', 'cr&#13;', '<![CDATA[raw &amp; <x>]]>'];
    const got = await items(tree(...names.map((n) => file('/A/&#x2400;', n)), stats(1, names.length)));
    expect(got.filter((i) => i.kind === 'file').map((i) => (i as { name: string }).name))
      .toEqual([' spaced ', '007', '1e5', `a & b <c> "d" 'e'`, '😀 😀', 'cr\r', 'raw &amp; <x>']);
    expect(got[0]).toEqual({ kind: 'folder', path: '/A/\u2400' });
  });

  it('is strict like rclone\'s liststream decoder: no HTML entities, no bare &, legal characters only', async () => {
    for (const bad of ['&nbsp;', 'AT&T', '&#0;', '\u0001']) {
      expect((await failure(tree(file('/A', bad), stats(1, 1)))).message).toMatch(/^invalid XML from Jottacloud: /);
    }
  });

  it('rejects malformed numbers and times', async () => {
    expect((await failure(tree(`<file><path>/A</path><size>12x</size></file>`, stats(1, 1)))).message).toMatch(/size/);
    expect((await failure(tree(`<file><path>/A</path><modified>2020-05-06-T07:08:09Z</modified></file>`, stats(1, 1)))).message).toMatch(/2020-05-06-T07:08:09Z/);
    expect((await failure(tree(`<stats><folders>one</folders></stats>`))).message).toMatch(/folders/);
  });

  it('rejects DOCTYPE, mismatched tags, second roots and invalid UTF-8', async () => {
    expect((await failure(`<!DOCTYPE x [<!ENTITY a "b">]>${tree(stats(0, 0))}`)).message).toMatch(/DOCTYPE/);
    await failure('<filetree><folder><path>/A</folder></path></filetree>');
    await failure('<filetree></filetree><filetree></filetree>');
    await failure('<filetree></x>');
    const bytes = enc.encode(tree(file('/A', 'XX'), stats(1, 1)));
    const i = bytes.indexOf(0x58);
    bytes[i] = 0xff;
    expect((await failure(bytes)).message).toMatch(/invalid UTF-8/);
  });
});

describe('parseListStream: streaming', () => {
  const doc = tree(folder('/Arkiv/ålbum'), ...Array.from({ length: 25 }, (_, i) => file(i % 2 ? '/Arkiv/ålbum' : '/Arkiv/😀 dir', `fïlé ${i} &amp; 😀`)), stats(2, 25));

  it('gives the same items for every chunk size, including splits inside UTF-8 sequences, references and tags', async () => {
    const expected = await items(doc);
    expect(expected.filter((i) => i.kind === 'file')).toHaveLength(25);
    for (const size of [1, 2, 3, 5, 7, 13, 64, 1000]) expect(await items(doc, {}, size)).toEqual(expected);
  });

  it('pages hold at most pageSize items and keep the order', async () => {
    const all = await items(doc);
    for (const pageSize of [1, 4, 27, 1000]) {
      const pages = await collect(doc, { pageSize }, 3);
      expect(pages.every((p) => p.length >= 1 && p.length <= pageSize)).toBe(true);
      expect(pages.slice(0, -1).every((p) => p.length === pageSize)).toBe(true);
      expect(pages.flat()).toEqual(all);
    }
  });

  it('every truncation of a document is an error, never a shorter listing', async () => {
    const small = tree(folder('/A'), file('/A', 'f'), file('/A/b', 'g'), stats(2, 2));
    const bytes = enc.encode(small);
    for (let cut = 0; cut < bytes.length; cut++) {
      const err = await failure(bytes.subarray(0, cut), {}, 5);
      expect(err.message).toMatch(/^invalid (XML from Jottacloud|result from listStream): /);
    }
  });

  it('bounds one element (maxElementBytes), wherever it is cut into chunks', async () => {
    const long = 'n'.repeat(5000);
    for (const size of [100, 1 << 16]) {
      expect((await failure(tree(file('/A', long), stats(1, 1)), { maxElementBytes: 4096 }, size)).message).toMatch(/larger than|longer than/);
      expect((await failure(tree(`<file><path>/A</path>${'<x/>'.repeat(2000)}</file>`, stats(1, 1)), { maxElementBytes: 4096 }, size)).message).toMatch(/larger than/);
      expect((await failure(tree(`<unknown a="${long}"/>`, stats(0, 0)), { maxElementBytes: 4096 }, size)).message).toMatch(/longer than/);
    }
    await expect(items(tree(file('/A', long.slice(0, 1800)), stats(1, 1)), { maxElementBytes: 4096 }, 100)).resolves.toHaveLength(2);
  });

  it('passes errors of the body through and stops reading when the consumer stops', async () => {
    const boom = new Error('socket hang up');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield enc.encode('<filetree>' + folder('/A'));
      throw boom;
    }
    await expect((async () => { for await (const _ of parseListStream(failing())) { /* drain */ } })()).rejects.toBe(boom);

    let produced = 0;
    let closed = false;
    async function* endless(): AsyncGenerator<Uint8Array> {
      try {
        yield enc.encode('<filetree>');
        for (;;) {
          produced++;
          yield enc.encode(folder(`/A/${produced}`));
        }
      } finally {
        closed = true;
      }
    }
    for await (const page of parseListStream(endless(), { pageSize: 10 })) {
      expect(page).toHaveLength(10);
      break;
    }
    expect(closed).toBe(true);
    expect(produced).toBeLessThan(20);
  });
});
