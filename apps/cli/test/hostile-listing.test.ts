// A hostile Jottacloud (a loopback stub serving what no honest server sends) as the source of `jsync copy`/`sync`
// (in-process main(), its own registry): names like `..`, `a/b`, `../../x` and liststream paths escaping the root
// fail their folder's listing, the run exits non-zero, nothing outside the destination is ever created or changed,
// the rest of the tree is copied and a sync deletes nothing. Broken XML: the same, the error names the folder.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from '@jsync/core';
import { createJottacloudBackend } from '@jsync/backend-jottacloud';
import { localBackend } from '@jsync/backend-local';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';
// The stub lives with the backend's hostile-input tests (not a package export): by path.
import { listStreamXml, startJfsStub } from '../../../packages/backend-jottacloud/test/hostile/jfs-stub.js';
import type { JfsStub } from '../../../packages/backend-jottacloud/test/hostile/jfs-stub.js';

/** Every path below `root` with its kind, size and content (files), sorted: a snapshot to compare. */
function snapshot(root: string, skip?: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      if (r === skip) continue;
      const st = statSync(p);
      if (st.isDirectory()) {
        out.push(`${r}/`);
        walk(p, r);
      } else out.push(`${r} ${st.size} ${readFileSync(p).toString('hex')} ${st.mtimeMs}`);
    }
  };
  walk(root, '');
  return out;
}

const DEST_REL = 'l1/l2/l3/l4/dest';

/** Paths below `root` (directories with a trailing `/`), sorted. */
const tree = (root: string): string[] => snapshot(root).map((l) => l.split(' ')[0]!);

const HOSTILE_FILES = ['..', '.', '', 'a/b', '../../../escaped.txt', '/tmp/escaped-abs.txt'];
const HOSTILE_DIRS = ['..', '../..', '../../escaped-dir', '/escaped-abs-dir'];

let stub: JfsStub;
let work: string;
/** The destination, deep enough below `work` that every `..` chain the tests use would still land inside `work`. */
let dest: string;
let conf: string;
let registry: Registry;
let outside: string[];

async function jsync(args: string[]): Promise<{ code: number; stderr: string }> {
  const io = memoryIo({ env: { TZ: 'UTC' }, cwd: work, homeDir: work });
  const code = await main(['--config', conf, '--retries', '1', '--low-level-retries', '1', ...args], { io, registry });
  return { code, stderr: io.err() };
}

beforeAll(async () => {
  stub = await startJfsStub({
    '': { folders: ['src', 'clean'], files: [] },
    // No hostile entries: the malformed-XML tests break one document of this tree.
    clean: { folders: ['good'], files: [{ name: 'top.txt', data: 'top' }] },
    'clean/good': { folders: [], files: [{ name: 'g.txt', data: 'good' }] },
    src: {
      folders: ['good', 'legit', ...HOSTILE_FILES.map((_, i) => `evil-file-${i}`), ...HOSTILE_DIRS.map((_, i) => `evil-dir-${i}`)],
      files: [{ name: 'top.txt', data: 'top' }],
    },
    'src/good': { folders: [], files: [{ name: 'g.txt', data: 'good' }] },
    // Encoded `..` and `/`: ordinary names that must land as single entries inside the destination.
    'src/legit': { folders: ['．．'], files: [{ name: 'a／b', data: 'ab' }] },
    'src/legit/．．': { folders: [], files: [{ name: 'x.txt', data: 'x' }] },
    ...Object.fromEntries(HOSTILE_FILES.map((n, i) => [`src/evil-file-${i}`, { folders: [], files: [{ name: n, data: 'EVIL' }, { name: 'ok.txt', data: 'ok' }] }])),
    ...Object.fromEntries(HOSTILE_DIRS.map((n, i) => [`src/evil-dir-${i}`, { folders: [n], files: [{ name: 'ok.txt', data: 'ok' }] }])),
  });
  registry = new Registry([createJottacloudBackend({ jfsUrl: stub.jfsUrl, apiUrl: stub.apiUrl, env: {} }), localBackend]);
});
afterAll(() => stub?.stop());

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'jsync-hostile-'));
  conf = join(work, 'jsync.conf');
  const section = Object.entries(stub.section()).map(([k, v]) => `${k} = ${v}`).join('\n');
  writeFileSync(conf, `[jc]\n${section}\n\n[jcstd]\n${section}\nencoding = Slash,Del,Ctl,Dot\n`);
  dest = join(work, 'l1', 'l2', 'l3', 'l4', 'dest');
  mkdirSync(dest, { recursive: true });
  writeFileSync(join(dest, 'keep.txt'), 'keep');
  writeFileSync(join(work, 'sentinel.txt'), 'outside');
  writeFileSync(join(work, 'l1', 'l2', 'l3', 'l4', 'sentinel.txt'), 'outside');
  mkdirSync(join(work, 'sibling'));
  outside = snapshot(work, DEST_REL);
});
afterEach(() => {
  stub.overrides.clear();
  rmSync(work, { recursive: true, force: true });
});

/** The destination tree a copy of the stub's `src` leaves: everything but the hostile folders' contents. */
const GOOD = ['good/', 'good/g.txt', 'keep.txt', 'legit/', 'legit/a／b', 'legit/．．/', 'legit/．．/x.txt', 'top.txt'];

describe('hostile names from a Jottacloud source', () => {
  for (const remote of ['jc', 'jcstd']) {
    for (const cmd of ['copy', 'sync'] as const) {
      it(`${cmd} ${remote}:src: exit non-zero, errors name each bad folder, good files copied, nothing outside dest, nothing deleted`, async () => {
        const r = await jsync([cmd, `${remote}:src`, dest]);
        expect(snapshot(work, DEST_REL)).toEqual(outside);
        expect(r.code).not.toBe(0);
        for (let i = 0; i < HOSTILE_FILES.length; i++) expect(r.stderr).toContain(`in folder "evil-file-${i}"`);
        for (let i = 0; i < HOSTILE_DIRS.length; i++) expect(r.stderr).toContain(`in folder "evil-dir-${i}"`);
        expect(r.stderr).toContain('invalid entry "../../../escaped.txt"');
        const got = tree(dest).filter((p) => !/^evil-(file|dir)-\d+\/$/.test(p));
        expect(got).toEqual(GOOD);
        expect(readFileSync(join(dest, 'legit', '．．', 'x.txt'), 'utf8')).toBe('x');
        if (cmd === 'sync') expect(r.stderr).toMatch(/not deleting files as there were IO errors/i);
      });
    }
  }

  it('copy --fast-list with liststream paths escaping the root: fails, nothing written outside dest', async () => {
    const file = (name: string) => ({ name, data: 'EVIL' });
    for (const entries of [
      [{ path: '/Archive/src' }, { path: '/Archive/src/../../..', file: file('escaped.txt') }],
      [{ path: '/Archive/src' }, { path: '/Archive/src/good/../..' }, { path: '/Archive/src/good/../..', file: file('escaped.txt') }],
      [{ path: '/Archive/src' }, { path: '/Archive/src', file: file('../../escaped.txt') }],
      [{ path: '/Archive/src' }, { path: '/etc', file: file('escaped.txt') }],
    ]) {
      stub.overrides.set('liststream:src', { body: listStreamXml([...entries, { path: '/Archive/src/good', file: { name: 'g.txt', data: 'good' } }]) });
      const r = await jsync(['copy', '--fast-list', 'jc:src', dest]);
      expect(snapshot(work, DEST_REL)).toEqual(outside);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/invalid entry|is not below/);
      expect(tree(dest)).toEqual(['keep.txt']);
    }
  });
});

describe('encoded `..` and `/` with a local encoding that cannot hold them', () => {
  // An honest tree: folder "．．" is the raw name ".." (and "..／..／x" the raw "../../x"), as rclone stores them.
  // With --local-encoding None (no Dot, no Slash) they would become "..", "../../x" on disk: refused per entry.
  it('copy --local-encoding None: the entries are refused, nothing outside dest, the rest is copied', async () => {
    stub.folders.set('deep', { folders: ['a'], files: [{ name: '..／..／escaped-name.txt', data: 'EVIL' }, { name: 'fine.txt', data: 'fine' }] });
    stub.folders.set('deep/a', { folders: ['．．'], files: [] });
    stub.folders.set('deep/a/．．', { folders: ['．．'], files: [{ name: 'x1.txt', data: 'x' }] });
    stub.folders.set('deep/a/．．/．．', { folders: [], files: [{ name: 'escaped.txt', data: 'EVIL' }] });
    try {
      const r = await jsync(['copy', '--local-encoding', 'None', 'jc:deep', dest]);
      expect(snapshot(work, DEST_REL)).toEqual(outside);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`can't use name "．．" with encoding None: it would be ".."`);
      expect(r.stderr).toContain(`can't use name "..／..／escaped-name.txt" with encoding None: it would be "../../escaped-name.txt"`);
      expect(tree(dest)).toEqual(['fine.txt', 'keep.txt']);
    } finally {
      for (const k of ['deep', 'deep/a', 'deep/a/．．', 'deep/a/．．/．．']) stub.folders.delete(k);
    }
  });
});

describe('malformed XML from a Jottacloud source', () => {
  const BROKEN = [
    ['truncated', '<?xml version="1.0"?><folder name="good"><files><file name="g.txt"><currentRevision>'],
    ['unclosed tag', '<?xml version="1.0"?><folder name="good"><folders></files></folder>'],
    ['not XML', 'HTTP/1.1 500 oops'],
    ['entity bomb', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><folder name="&b;"/>'],
    ['bad number', '<?xml version="1.0"?><folder name="good"><files><file name="g.txt"><currentRevision><state>COMPLETED</state><size>12x</size></currentRevision></file></files></folder>'],
  ] as const;
  for (const [label, body] of BROKEN) {
    it(`sync with a ${label} folder document: the error names the folder, exit non-zero, nothing deleted`, async () => {
      writeFileSync(join(dest, 'extra.txt'), 'extra');
      mkdirSync(join(dest, 'good'));
      writeFileSync(join(dest, 'good', 'only-here.txt'), 'only');
      stub.overrides.set('doc:clean/good', { body });
      const r = await jsync(['sync', 'jc:clean', dest]);
      expect(tree(dest)).toEqual(['extra.txt', 'good/', 'good/only-here.txt', 'keep.txt', 'top.txt']);
      expect(snapshot(work, DEST_REL)).toEqual(outside);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/good: error reading source directory: couldn't list files: invalid XML from Jottacloud: /);
      expect(r.stderr).toMatch(/not deleting files as there were IO errors/i);
    });
  }

  it('control: the same sync with an honest document deletes the extra files', async () => {
    writeFileSync(join(dest, 'extra.txt'), 'extra');
    mkdirSync(join(dest, 'good'));
    writeFileSync(join(dest, 'good', 'only-here.txt'), 'only');
    const r = await jsync(['sync', 'jc:clean', dest]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(tree(dest)).toEqual(['good/', 'good/g.txt', 'top.txt']);
  });

  it('a malformed root folder document (read by newFs, as in rclone): the error names the remote, nothing deleted', async () => {
    stub.overrides.set('doc:clean', { body: '<folder name="clean"><files>' });
    const r = await jsync(['sync', 'jc:clean', dest]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Failed to create file system for "jc:clean": read metadata failed: invalid XML from Jottacloud: ');
    expect(tree(dest)).toEqual(['keep.txt']);
  });
});
