// jsync ⇄ rclone v1.60.1 through ONE emulator account (HTTPS_PROXY + --ca-cert, as against jottacloud.com): what
// jsync writes, rclone lists, hashes and downloads identically (same stored names, md5, modtime to the second), and
// the reverse; listing commands print the same bytes; both tools share one config file, each refreshing tokens of
// a remote the other created and writing them back. Without `rclone` on PATH this file is skipped (CI installs it).

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  escapedPaths, essentials, lineDiff, maskDirTimes, maskLsJsonDirTimes, parseLsJson, readLocalTree, restrictToKeysOf, serverTree, sortedLines,
} from './helpers/jotta-compare.js';
import { ENCODERS, JOTTA_ENCODINGS, fixtureFiles, upstreamNames, vectorNames, writeFixture, type JottaEncoding, type TreeFile } from './helpers/jotta-names.js';
import { JSYNC_BIN } from './helpers/scenario-run.js';
import { hasRclone, readSection, readToken, setTokenExpiry, startJottaEnv, type JottaEnv, type Tool } from './helpers/jotta-tools.js';

const CAPACITY = 20 * 2 ** 30;

/** One encoding both tools use for a round of tests, and the folders each tool writes. */
interface Mode {
  title: string;
  enc: JottaEncoding;
  flags: Record<Tool, string[]>;
  tops: [jsyncWrites: string, rcloneWrites: string];
}

const MODES: readonly Mode[] = [
  {
    title: "jsync's default encoding (rclone v1.74+'s, with Percent; rclone v1.60 gets it by --jottacloud-encoding)",
    enc: 'v1.74', flags: { jsync: [], rclone: ['--jottacloud-encoding', JOTTA_ENCODINGS['v1.74']] }, tops: ['A', 'B'],
  },
  {
    title: "rclone v1.60's default encoding (jsync gets it by --jottacloud-encoding)",
    enc: 'v1.60', flags: { jsync: ['--jottacloud-encoding', JOTTA_ENCODINGS['v1.60']], rclone: [] }, tops: ['C', 'D'],
  },
];
const SAME = { onlyA: [], onlyB: [] };
const PAST = '2001-01-01T00:00:00Z';

const TITLE = hasRclone ? 'jottacloud interop: jsync and rclone v1.60 on one account' : 'jottacloud interop (skipped: no `rclone` on PATH; CI installs it)';

// Skip reason: rclone is an optional system binary (CI installs it); without it there is nothing to compare with.
describe.skipIf(!hasRclone)(TITLE, () => {
  let env: JottaEnv;
  let conf: string;
  let src: string;
  let files: TreeFile[];

  beforeAll(async () => {
    // No dedup: every copy really uploads its bytes (the emulator would otherwise answer COMPLETED for known content).
    env = await startJottaEnv({ capacity: CAPACITY, seed: 23, behaviour: { dedup: false } });
    conf = join(env.work, 'shared.conf');
    src = join(env.work, 'src');
    files = writeFixture(src, fixtureFiles());
  });
  afterAll(async () => {
    await env?.stop();
  });

  const both = async (args: readonly string[]) => ({ j: await env.ok('jsync', conf, args), r: await env.ok('rclone', conf, args) });

  it('the fixture uses the shared vectors, invalid UTF-8 included (exclusions only for non-Linux names and case twins)', () => {
    const { names, excluded } = vectorNames();
    expect(names.length).toBeGreaterThan(80);
    expect(upstreamNames().length).toBeGreaterThan(100);
    // The upstream names' disk/display/stored forms are computed with these encoders: they must reproduce the vectors.
    expect(names.filter((n) => n.input === null).length).toBeGreaterThanOrEqual(7);
    for (const n of names) {
      if (n.input === null) continue;
      expect(ENCODERS.local.encode(n.input), n.id).toBe(n.local.toString('utf8'));
      expect(ENCODERS.display.encode(n.input), n.id).toBe(n.display);
      expect(ENCODERS['v1.60'].encode(n.input), n.id).toBe(n.jotta['v1.60']);
      expect(ENCODERS['v1.74'].encode(n.input), n.id).toBe(n.jotta['v1.74']);
    }
    for (const e of excluded) expect(e.reason).toMatch(/Linux file name|ignoring case/);
    expect(files.some((f) => f.data.length === 0)).toBe(true);
    expect(files.some((f) => f.data.length > 3 * 2 ** 20)).toBe(true);
  });

  it('rclone creates one remote and jsync another in the same config file, with the same keys', async () => {
    await env.createRemote('rclone', conf, 'jr');
    await env.createRemote('jsync', conf, 'jj');
    const r = readSection(conf, 'jr');
    const j = readSection(conf, 'jj');
    expect(Object.keys(j).sort()).toEqual(Object.keys(r).sort());
    for (const k of ['type', 'configVersion', 'client_id', 'client_secret', 'tokenURL', 'device', 'mountpoint']) expect(j[k], k).toBe(r[k]);
    expect(readToken(conf, 'jj').refresh_token).not.toBe(readToken(conf, 'jr').refresh_token);
  });

  for (const mode of MODES) {
    describe(mode.title, () => {
      const tool = (t: Tool, args: readonly string[]) => env.ok(t, conf, [...mode.flags[t], ...args]);
      const both = async (args: readonly string[]) => ({ j: await tool('jsync', args), r: await tool('rclone', args) });
      const [topJ, topR] = mode.tops;

      for (const [writer, remote, top] of [['jsync', 'jr', topJ], ['rclone', 'jj', topR]] as const) {
        const reader: Tool = writer === 'jsync' ? 'rclone' : 'jsync';
        describe(`${writer} writes ${remote}:${top}, ${reader} reads it`, () => {
          it(`${writer} copy uploads the tree`, async () => {
            const r = await tool(writer, ['copy', src, `${remote}:${top}`]);
            expect(r.stderr).not.toMatch(/ERROR/);
          });

          it('lsf -R, ls, lsl, md5sum, size, lsd print the same bytes in both tools, and match the local source', async () => {
            for (const fl of [[], ['--fast-list']]) {
              for (const cmd of [['lsf', '-R'], ['lsl'], ['md5sum'], ['ls'], ['lsf', '-R', '--format', 'pstmh', '--hash', 'md5']]) {
                const { j, r } = await both([...cmd, ...fl, `${remote}:${top}`]);
                const jl = maskDirTimes(sortedLines(j.stdout)).sort();
                expect(lineDiff(jl, maskDirTimes(sortedLines(r.stdout)).sort()), `${cmd.join(' ')} ${fl.join(' ')}`).toEqual(SAME);
                const local = await env.ok('rclone', conf, [...cmd, src]);
                expect(lineDiff(jl, maskDirTimes(sortedLines(local.stdout)).sort()), `${cmd.join(' ')} vs local`).toEqual(SAME);
              }
              for (const cmd of [['size'], ['size', '--json']]) {
                const { j, r } = await both([...cmd, ...fl, `${remote}:${top}`]);
                expect(j.out, cmd.join(' ')).toBe(r.out);
              }
            }
            for (const target of [`${remote}:${top}`, `${remote}:${top}/deep/a b`, `${remote}:`]) {
              const { j, r } = await both(['lsd', target]);
              expect(j.out).not.toBe('');
              expect(maskDirTimes(j.out.split('\n')), `lsd ${target}`).toEqual(maskDirTimes(r.out.split('\n')));
            }
            const md5 = sortedLines((await tool(reader, ['md5sum', `${remote}:${top}`])).stdout);
            expect(md5).toEqual(files.map((f) => `${f.md5}  ${f.display}`).sort());
          });

          it("lsjson -R --hash agrees (rclone's fields) in both tools and with the local source", async () => {
            for (const fl of [[], ['--fast-list']]) {
              const { j, r } = await both(['lsjson', '-R', '--hash', ...fl, `${remote}:${top}`]);
              const ji = maskLsJsonDirTimes(parseLsJson(j.stdout));
              const ri = maskLsJsonDirTimes(parseLsJson(r.stdout));
              expect(restrictToKeysOf(ji, ri), fl.join(' ')).toEqual(ri);
              const local = parseLsJson((await env.ok('rclone', conf, ['lsjson', '-R', '--hash', src])).stdout);
              expect(essentials(ji)).toEqual(essentials(local));
            }
          });

          it(`${reader} copy downloads identical bytes, names and modtimes (and so does ${writer})`, async () => {
            const want = readLocalTree(src);
            for (const t of [reader, writer]) {
              const dst = join(env.work, `down-${top}-${t}`);
              mkdirSync(dst);
              await tool(t, ['copy', `${remote}:${top}`, dst]);
              expect(readLocalTree(dst), t).toEqual(want);
            }
          });
        });
      }

      it(`the server holds the same raw names (${mode.enc} encoding), sizes, md5s and times whichever tool wrote them`, () => {
        const a = serverTree((p) => env.emu.state.stat(p), `Jotta/Archive/${topJ}`);
        const b = serverTree((p) => env.emu.state.stat(p), `Jotta/Archive/${topR}`);
        expect(a).toEqual(b);
        const byPath = new Map(a.filter((e) => e.kind === 'file').map((e) => [e.path, e]));
        expect(byPath.size).toBe(files.length);
        for (const f of files) {
          const e = byPath.get(f.jotta[mode.enc]);
          expect(e, f.jotta[mode.enc]).toBeDefined();
          expect({ size: e?.size, md5: e?.md5, modified: e?.modified }).toEqual({ size: f.data.length, md5: f.md5, modified: f.mtime.getTime() / 1000 });
        }
      });

      it('both tools escape every path the same way on the wire', () => {
        const user = env.emu.state.username;
        const a = escapedPaths(env.emu.state.requests, user, topJ);
        const b = escapedPaths(env.emu.state.requests, user, topR);
        let common = 0;
        for (const [decoded, spellings] of a) {
          const other = b.get(decoded);
          if (!other) continue;
          common++;
          expect(new Set([...spellings, ...other]).size, decoded).toBe(1);
        }
        expect(common).toBeGreaterThan(files.length / 2);
      });
    });
  }

  describe('each tool at its own default encoding: only names with % or ％ differ (jsync adds Percent, as rclone v1.74+)', () => {
    it('rclone v1.60 lists what jsync wrote with the stored full-width ％; every other name agrees', async () => {
      const j = sortedLines((await env.ok('jsync', conf, ['lsf', '-R', 'jr:A'])).stdout);
      const r = sortedLines((await env.ok('rclone', conf, ['lsf', '-R', 'jr:A'])).stdout);
      const d = lineDiff(j, r);
      expect(d.onlyA).toEqual(j.filter((l) => /[%％]/.test(l)));
      expect(d.onlyA.length).toBeGreaterThan(5);
      expect(d.onlyB.every((l) => l.includes('％'))).toBe(true);
      expect(r).toContain('names/100％');
      expect(j).toContain('names/100%');
    });

    it('jsync lists what rclone v1.60 wrote: raw % names agree, a stored full-width ％ reads as %', async () => {
      const j = sortedLines((await env.ok('jsync', conf, ['lsf', '-R', 'jj:D'])).stdout);
      const r = sortedLines((await env.ok('rclone', conf, ['lsf', '-R', 'jj:D'])).stdout);
      const d = lineDiff(j, r);
      expect(d.onlyB.length).toBeGreaterThan(0);
      expect(d.onlyB.every((l) => l.includes('％'))).toBe(true);
      expect(d.onlyB.map((l) => l.replaceAll('％', '%')).sort()).toEqual(d.onlyA);
      expect(j).toContain('names/100%');
      expect(j).toContain('names/Pinus%20palustris.jpg');
    });
  });

  // The root `pnpm test` builds first; the registry there is the CLI's own and HTTPS_PROXY comes from the process environment.
  it.runIf(existsSync(JSYNC_BIN))('the built CLI (its own registry, HTTPS_PROXY from its environment) lists and hashes as rclone', async () => {
    for (const args of [['lsf', '-R', 'jr:A'], ['md5sum', 'jj:B'], ['lsl', '--fast-list', 'jr:A']]) {
      const b = await env.jsyncBin(conf, args);
      expect(b.code, b.stderr).toBe(0);
      const r = await env.ok('rclone', conf, ['--jottacloud-encoding', JOTTA_ENCODINGS['v1.74'], ...args]);
      expect(lineDiff(sortedLines(b.stdout), sortedLines(r.stdout)), args.join(' ')).toEqual(SAME);
      expect(sortedLines(b.stdout).length).toBe(args[0] === 'lsf' ? sortedLines(r.stdout).length : files.length);
    }
  });

  it('about and about --json print the same', async () => {
    for (const cmd of [['about'], ['about', '--json']]) {
      const { j, r } = await both([...cmd, 'jr:']);
      expect(j.out, cmd.join(' ')).toBe(r.out);
    }
  });

  for (const [first, second, remote] of [['jsync', 'rclone', 'jr'], ['rclone', 'jsync', 'jj']] as const) {
    it(`${first} refreshes the token of ${remote} and writes it back; ${second} keeps working`, async () => {
      const before = readToken(conf, remote);
      setTokenExpiry(conf, remote, PAST);
      await env.ok(first, conf, ['lsf', `${remote}:A/data`]);
      const mid = readToken(conf, remote);
      expect(mid.refresh_token).not.toBe(before.refresh_token);
      expect(Date.parse(mid.expiry)).toBeGreaterThan(Date.now());
      // Had the new refresh token not been saved, the next refresh would reuse a rotated one and revoke the login.
      setTokenExpiry(conf, remote, PAST);
      const r = await env.ok(second, conf, ['lsf', `${remote}:A/data`]);
      expect(sortedLines(r.stdout)).toEqual(['big.bin', 'empty.bin', 'one.txt']);
      expect(readToken(conf, remote).refresh_token).not.toBe(mid.refresh_token);
      const again = await env.ok(first, conf, ['lsf', `${remote}:A/data`]);
      expect(again.out).toBe(r.out);
      expect(env.emu.state.tokenStats()).toMatchObject({ revokedFamilies: 0 });
    });
  }
});
