// Interop with the real rclone (v1.60.1 when installed) on one emulator account: what jsync uploads rclone lists with
// the same names, sizes, MD5s and modtimes, and what rclone uploads jsync lists and reads back.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Timestamp } from '@jsync/core';
import type { Fs, FsObject } from '@jsync/core';
import { collect, md5, put, readAll, startJotta } from './helpers.js';
import type { JottaHarness } from './helpers.js';

const run = promisify(execFile);
const RCLONE = ['/usr/bin/rclone', '/usr/local/bin/rclone'].find((p) => existsSync(p));

// Names both sides encode alike (v1.60's default mask lacks Percent, so no `%`/`％` here).
const NAMES = ['dir one/a&b #1.txt', 'x/what?.txt', 'x/star*.txt', 'x/<tag>.html', 'x/plus+sign.txt', 'x/ lead', 'x/trail ', 'x/emoji 😀.txt', 'x/colon:pipe|quote".txt'];

// Skip reason: rclone is an optional system binary (CI installs it); without it there is nothing to compare with.
describe.skipIf(RCLONE === undefined)('interop with rclone', () => {
  let h: JottaHarness;
  let fs: Fs;
  let dir: string;

  beforeAll(async () => {
    h = await startJotta({ proxy: true });
    fs = (await h.open('interop')).fs;
    dir = await mkdtemp(join(tmpdir(), 'jsync-jc-interop-'));
    const v = h.state.values;
    await writeFile(join(dir, 'rclone.conf'), `[jc]\ntype = jottacloud\nconfigVersion = 1\nclient_id = jottacli\ntokenURL = ${v.tokenURL}\ntoken = ${v.token}\n`);
  });
  afterAll(async () => {
    await h?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const rclone = async (...args: string[]): Promise<string> => {
    const { stdout } = await run(RCLONE!, ['--config', join(dir, 'rclone.conf'), '--ca-cert', h.emu.caCert, '--low-level-retries', '2', '--retries', '1', ...args], {
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, HTTPS_PROXY: h.emu.proxy, NO_PROXY: '' },
    });
    return stdout;
  };

  it('rclone lists what jsync uploaded with the same names, sizes, MD5s and modtimes', async () => {
    const t = Timestamp.parse('2020-02-03T04:05:06Z');
    for (const [i, n] of NAMES.entries()) await put(fs, `up/${n}`, `content ${i}`, t);
    const listed = JSON.parse(await rclone('lsjson', '-R', '--files-only', '--hash', 'jc:interop/up')) as {
      Path: string; Size: number; ModTime: string; Hashes: { md5: string };
    }[];
    const got = listed.map((e) => [e.Path, e.Size, Date.parse(e.ModTime), e.Hashes.md5]).sort();
    const want = NAMES.map((n, i) => [n, `content ${i}`.length, t.toMs(), md5(`content ${i}`)]).sort();
    expect(got).toEqual(want);
  });

  it('jsync lists and reads what rclone uploaded, under the same names', async () => {
    const local = join(dir, 'src');
    for (const [i, n] of NAMES.entries()) {
      await mkdir(join(local, n, '..'), { recursive: true });
      await writeFile(join(local, n), `from rclone ${i}`);
      await utimes(join(local, n), 1_577_934_245, 1_577_934_245);
    }
    await rclone('copy', local, 'jc:interop/down');
    const entries = (await collect(fs.features.listR!('down'))).filter((e): e is FsObject => !e.isDir);
    expect(entries.map((e) => e.remote).sort()).toEqual(NAMES.map((n) => `down/${n}`).sort());
    for (const [i, n] of NAMES.entries()) {
      const o = await fs.newObject(`down/${n}`);
      expect(await readAll(o)).toBe(`from rclone ${i}`);
      expect(await o.hash('md5')).toBe(md5(`from rclone ${i}`));
      expect(o.modTime().toUnixSeconds()).toBe(1_577_934_245);
    }
  });
});
