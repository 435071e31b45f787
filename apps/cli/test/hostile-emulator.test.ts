// The Jottacloud emulator as a hostile server (raw entries served verbatim, `malformed` and `huge` faults), reached as
// users reach jottacloud.com (HTTPS proxy + --ca-cert), jsync in-process: entries named `../x`, `a/b`, `/abs`, `..`,
// `.` or with a NUL reference (the emulator really serves their bytes) and liststream paths escaping the mountpoint
// never make a download write outside its destination; broken or enormous documents fail clearly, delete nothing.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startJottaEnv, type JottaEnv } from './helpers/jotta-tools.js';

const HUGE = 300 * 2 ** 20;
const DEST_REL = 'l1/l2/l3/l4/dest';

let env: JottaEnv;
let conf: string;
let work: string;
let dest: string;
let outside: string[];

/** Every path below `root` (files with size and content hash input), sorted; `skip` (relative) left out. */
function snapshot(root: string, skip?: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (r === skip) continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        out.push(`${r}/`);
        walk(p, r);
      } else out.push(`${r} ${readFileSync(p).toString('hex')}`);
    }
  };
  walk(root, '');
  return out;
}
const tree = (root: string): string[] => snapshot(root).map((l) => l.split(' ')[0]!);

const RAW_FILES = ['../../../escaped.txt', '..', '.', 'a/b', '/tmp/jsync-abs-escaped.txt'];

beforeAll(async () => {
  env = await startJottaEnv({ capacity: -1, seed: 17, behaviour: { hugeBytes: HUGE } });
  conf = join(env.work, 'hostile.conf');
  writeFileSync(conf, '');
  await env.createRemote('jsync', conf, 'jc');
  const s = env.emu.state;
  await s.putFile('Jotta/Archive/src/top.txt', 'top');
  await s.putFile('Jotta/Archive/src/good/g.txt', 'good');
  await s.putFile('Jotta/Archive/src/evil/ok.txt', 'ok');
  for (const rawName of RAW_FILES) await s.injectRawEntry({ folder: 'Jotta/Archive/src/evil', kind: 'file', rawName, content: 'EVIL' });
  await s.injectRawEntry({ folder: 'Jotta/Archive/src/evildir', kind: 'folder', rawName: '..' });
  // A NUL character reference: XML forbids it, so the whole document is refused.
  await s.injectRawEntry({ folder: 'Jotta/Archive/src/evilnul', kind: 'file', rawName: 'nul&#0;name', content: 'EVIL' });
  // A liststream <path> escaping the mountpoint (only liststream shows it).
  await s.putFile('Jotta/Archive/fl/good.txt', 'good');
  await s.injectRawEntry({ folder: 'Jotta/Archive/fl/sub', kind: 'file', rawName: 'escaped.txt', rawPath: '/Archive/fl/../../../..', content: 'EVIL' });
  await s.putFile('Jotta/Archive/clean/top.txt', 'top');
  await s.putFile('Jotta/Archive/clean/sub/s.txt', 's');
}, 60_000);
afterAll(() => env?.stop());

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'jsync-hostile-emu-'));
  dest = join(work, DEST_REL);
  mkdirSync(dest, { recursive: true });
  writeFileSync(join(dest, 'keep.txt'), 'keep');
  writeFileSync(join(work, 'l1', 'l2', 'l3', 'l4', 'sentinel.txt'), 'outside');
  outside = snapshot(work, DEST_REL);
  env.emu.state.clearFaults();
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync('/tmp/jsync-abs-escaped.txt', { force: true });
});

describe('raw hostile entries served by the emulator', () => {
  it('the emulator really serves the escaping entry and its bytes (the test would catch a trusting client)', async () => {
    expect(env.emu.state.rawEntries().map((e) => e.rawName)).toEqual(expect.arrayContaining(RAW_FILES));
  });

  for (const cmd of ['copy', 'sync'] as const) {
    it(`${cmd} jc:src: exit non-zero, bad folders named, good files copied, nothing outside dest`, async () => {
      const r = await env.jsync(conf, [cmd, '--retries', '1', 'jc:src', dest]);
      expect(snapshot(work, DEST_REL)).toEqual(outside);
      expect(readdirSync('/tmp').filter((n) => n.startsWith('jsync-abs-escaped'))).toEqual([]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/evil: error reading source directory: invalid entry "[^"]+" in folder "evil" from Jottacloud: /);
      expect(r.stderr).toContain('evildir: error reading source directory: invalid entry ".." in folder "evildir" from Jottacloud: name ".." is not allowed');
      expect(r.stderr).toContain("evilnul: error reading source directory: couldn't list files: invalid XML from Jottacloud: illegal character code U+0000");
      expect(tree(dest).filter((p) => !/^evil(dir|nul)?\/$/.test(p))).toEqual(['good/', 'good/g.txt', 'keep.txt', 'top.txt']);
      if (cmd === 'sync') expect(r.stderr).toMatch(/not deleting files as there were IO errors/i);
    });
  }

  it('copy --fast-list with a liststream path escaping the mountpoint: fails, nothing written', async () => {
    const r = await env.jsync(conf, ['copy', '--retries', '1', '--fast-list', 'jc:fl', dest]);
    expect(snapshot(work, DEST_REL)).toEqual(outside);
    expect(r.code).not.toBe(0);
    // (The emulator counts the raw entry in <stats> without the folder its path implies, so the count check fails first.)
    expect(r.stderr).toMatch(/invalid entry "\.\."|is not below|invalid result from listStream/);
    expect(tree(dest)).toEqual(['keep.txt']);
  });
});

describe('malformed and huge documents from the emulator', () => {
  it('sync with the listing of a subfolder malformed: error names it, exit non-zero, nothing deleted', async () => {
    writeFileSync(join(dest, 'extra.txt'), 'extra');
    mkdirSync(join(dest, 'sub'));
    writeFileSync(join(dest, 'sub', 'only-here.txt'), 'only');
    env.emu.state.clearRequests();
    // 1–3: the root's document (newFs, twice) and listing, 4: the listing of clean/sub (checked below).
    env.emu.state.addFaults(['list=malformed@4']);
    const r = await env.jsync(conf, ['sync', '--retries', '1', 'jc:clean', dest]);
    const faulted = env.emu.state.requests.filter((q) => q.fault !== null);
    expect(faulted.map((q) => decodeURIComponent(q.url))).toEqual([expect.stringMatching(/\/Jotta\/Archive\/clean\/sub$/)]);
    expect(tree(dest)).toEqual(['extra.txt', 'keep.txt', 'sub/', 'sub/only-here.txt', 'top.txt']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/sub: error reading source directory: couldn't list files: invalid XML from Jottacloud: /);
    expect(r.stderr).toMatch(/not deleting files as there were IO errors/i);
  });

  it('every listing malformed: newFs fails naming the remote, nothing touched', async () => {
    env.emu.state.addFaults(['list=malformed']);
    const r = await env.jsync(conf, ['sync', '--retries', '1', 'jc:clean', dest]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Failed to create file system for "jc:clean": read metadata failed: invalid XML from Jottacloud: ');
    expect(tree(dest)).toEqual(['keep.txt']);
  });

  it(`a ${HUGE / 2 ** 20} MiB folder document: the read stops at the cap, the error names the folder, nothing deleted`, async () => {
    env.emu.state.clearRequests();
    env.emu.state.addFaults(['list=huge@4']);
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    let r;
    try {
      r = await env.jsync(conf, ['sync', '--retries', '1', '--low-level-retries', '1', 'jc:clean', dest]);
    } finally {
      clearInterval(timer);
    }
    const faulted = env.emu.state.requests.filter((q) => q.fault !== null);
    expect(faulted.map((q) => decodeURIComponent(q.url))).toEqual([expect.stringMatching(/\/Jotta\/Archive\/clean\/sub$/)]);
    expect(faulted[0]!.bytesSent).toBeLessThan(HUGE);
    expect(peak - rss0).toBeLessThan(700 * 2 ** 20);
    expect(tree(dest)).toEqual(['keep.txt', 'top.txt']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/sub: error reading source directory: couldn't list files: response body of GET \S+\/clean\/sub exceeds 268435456 bytes/);
  }, 60_000);
});
