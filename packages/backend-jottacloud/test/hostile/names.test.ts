// Hostile entry names and liststream paths from the server: never turned into remotes that are empty, `.`/`..` or
// more than one segment. Such an entry fails the folder's listing (IO, noRetry, naming folder and entry).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EncodingPreset, JsyncError, errorClassOf } from '@jsync/core';
import type { DirEntry, Fs } from '@jsync/core';
import { listStreamXml, startJfsStub } from './jfs-stub.js';
import type { JfsStub } from './jfs-stub.js';

async function collect(pages: AsyncIterable<readonly DirEntry[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const p of pages) for (const e of p) out.push(e.isDir ? `${e.remote}/` : e.remote);
  return out.sort();
}

/** The error a listing ends with (fails the test when it ends without one). */
async function listError(pages: AsyncIterable<readonly DirEntry[]>): Promise<JsyncError> {
  try {
    await collect(pages);
  } catch (err) {
    expect(err).toBeInstanceOf(JsyncError);
    return err as JsyncError;
  }
  throw new Error('listing succeeded');
}

// Names no encoder produces; each is stored (XML-escaped) in a folder document of its own.
const HOSTILE: ReadonlyArray<readonly [label: string, name: string]> = [
  ['empty', ''],
  ['dot', '.'],
  ['dotdot', '..'],
  ['slash', 'a/b'],
  ['dotdot-slash', '../../escaped.txt'],
  ['absolute', '/etc/passwd'],
  ['trailing-slash', 'x/'],
];

let stub: JfsStub;
let fs: Fs;
let std: Fs;

beforeAll(async () => {
  stub = await startJfsStub({
    '': { folders: ['src'], files: [] },
    src: { folders: ['good', ...HOSTILE.map(([l]) => `f-${l}`), ...HOSTILE.map(([l]) => `d-${l}`), 'legit'], files: [{ name: 'top.txt', data: 'top' }] },
    'src/good': { folders: [], files: [{ name: 'g.txt', data: 'good' }] },
    ...Object.fromEntries(HOSTILE.map(([l, n]) => [`src/f-${l}`, { folders: [], files: [{ name: n, data: 'evil' }, { name: 'ok.txt', data: 'ok' }] }])),
    ...Object.fromEntries(HOSTILE.map(([l, n]) => [`src/d-${l}`, { folders: [n], files: [{ name: 'ok.txt', data: 'ok' }] }])),
    // Encoded forms of `..`, `/` and NUL are ordinary names.
    'src/legit': { folders: ['．．'], files: [{ name: 'a／b', data: '1' }, { name: '␀', data: '2' }, { name: '．', data: '3' }] },
  });
  fs = await stub.open('src');
  // The Standard mask is special-cased by the encoder (names pass through unchanged): the check must hold there too.
  std = await stub.open('src', { encoding: EncodingPreset.STANDARD });
});
afterAll(() => stub?.stop());

describe('folder documents with hostile names', () => {
  it('a well-formed folder still lists', async () => {
    expect(await collect(fs.list('good'))).toEqual(['good/g.txt']);
    expect(await collect(fs.list(''))).toContain('good/');
  });

  it('encoded `..`, `/`, NUL and `.` list as single Standard-encoded segments', async () => {
    expect(await collect(fs.list('legit'))).toEqual(['legit/a／b', 'legit/␀', 'legit/．', 'legit/．．/']);
  });

  it('a NUL in a name (raw or as a character reference) is invalid XML: the listing fails', async () => {
    for (const name of ['nul\0byte', 'nul&#0;byte', 'nul&#x0;byte']) {
      stub.overrides.set('doc:src/nul', { body: `<?xml version="1.0"?><folder name="nul"><folders><folder name="${name}"/></folders></folder>` });
      for (const f of [fs, std]) {
        const err = await listError(f.list('nul'));
        expect(err.code).toBe('IO');
        expect(err.message).toMatch(/^couldn't list files: invalid XML from Jottacloud: /);
      }
    }
  });

  for (const [label, name] of HOSTILE) {
    for (const kind of ['f', 'd'] as const) {
      it(`${kind === 'f' ? 'file' : 'folder'} named ${JSON.stringify(name)} (${label}) fails the listing, naming folder and entry`, async () => {
        for (const f of [fs, std]) {
          const err = await listError(f.list(`${kind}-${label}`));
          expect(err.code).toBe('IO');
          expect(errorClassOf(err)).toBe('noRetry');
          expect(err.message).toContain(`in folder "${kind}-${label}"`);
          expect(err.message).toContain(`invalid entry ${JSON.stringify(name)}`);
        }
      });
    }
  }

  it('a hostile name on a trashed entry is not shown and not an error', async () => {
    const xml = '<?xml version="1.0"?><folder name="t"><folders><folder name=".." deleted="true"/></folders><files>' +
      '<file name="a/b" deleted="true"><currentRevision><state>COMPLETED</state><size>1</size><md5>x</md5></currentRevision></file></files></folder>';
    stub.overrides.set('doc:src/trashed', { body: xml });
    expect(await collect(fs.list('trashed'))).toEqual([]);
  });
});

describe('liststream answers with hostile paths', () => {
  const file = { name: 'f.txt', data: 'f' };
  const CASES: ReadonlyArray<readonly [label: string, entries: Array<{ path: string; file?: { name: string; data: string } }>, message: string]> = [
    ['`..` segments in a folder path', [{ path: '/Archive/src' }, { path: '/Archive/src/../../outside' }], 'invalid entry ".."'],
    ['`..` segments in a file path', [{ path: '/Archive/src' }, { path: '/Archive/src/a/..', file }], 'invalid entry ".."'],
    ['a `.` segment', [{ path: '/Archive/src' }, { path: '/Archive/src/./x', file }], 'invalid entry "."'],
    ['an empty segment', [{ path: '/Archive/src' }, { path: '/Archive/src/a//b', file }], 'invalid entry ""'],
    ['an absolute path outside the mountpoint', [{ path: '/Archive/src' }, { path: '/etc', file }], 'is not below'],
    ['a sibling folder of the root', [{ path: '/Archive/src' }, { path: '/Archive/srcx', file }], 'is not below'],
    ['a file name with `/`', [{ path: '/Archive/src' }, { path: '/Archive/src', file: { name: '../../x', data: 'x' } }], 'invalid entry "../../x"'],
    ['a file name `..`', [{ path: '/Archive/src' }, { path: '/Archive/src/d', file: { name: '..', data: 'x' } }], 'in folder "d"'],
    ['an empty file name', [{ path: '/Archive/src' }, { path: '/Archive/src', file: { name: '', data: 'x' } }], 'invalid entry ""'],
  ];
  for (const [label, entries, message] of CASES) {
    it(`${label} fails ListR`, async () => {
      stub.overrides.set('liststream:src', { body: listStreamXml(entries) });
      try {
        for (const f of [fs, std]) {
          const err = await listError(f.features.listR!(''));
          expect(err.code).toBe('IO');
          expect(err.message).toContain(message);
        }
      } finally {
        stub.overrides.delete('liststream:src');
      }
    });
  }

  it('an honest liststream of the same tree lists', async () => {
    stub.overrides.set('liststream:src', { body: listStreamXml([{ path: '/Archive/src' }, { path: '/Archive/src/a', file }, { path: '/Archive/src/．．', file }]) });
    try {
      expect(await collect(fs.features.listR!(''))).toEqual(['a/', 'a/f.txt', '．．/', '．．/f.txt']);
    } finally {
      stub.overrides.delete('liststream:src');
    }
  });
});
