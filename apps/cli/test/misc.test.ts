// listremotes, mkdir, rmdir and touch: in-process behaviour and side-by-side runs against rclone on local paths.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';
import { parseGoTime } from '../src/commands/touch.js';

// CI installs rclone v1.60.1; the interop blocks are skipped where it is missing.
const rcloneAvailable = spawnSync('rclone', ['version'], { encoding: 'utf8' }).status === 0;

let dir: string;
let cfg: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-misc-'));
  cfg = join(dir, 'rclone.conf');
  writeFileSync(cfg, '[mem]\ntype = memory\n\n[loc]\ntype = local\n\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ env, homeDir: join(dir, 'home'), cwd: dir });
  const code = await main(['--config', cfg, ...argv], { io });
  return { code, out: io.out(), err: io.err() };
}

function rclone(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('rclone', ['--config', cfg, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', ...env } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const stripDates = (s: string) => s.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '');
const mtime = (p: string) => statSync(p, { bigint: true }).mtimeNs;

/** A snapshot of a directory tree: relative path → 'dir' or `size@mtimeNs`. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out[p] = 'dir';
        walk(p);
      } else out[p] = `${statSync(join(root, p)).size}`;
    }
  };
  walk('');
  return out;
}

describe('listremotes', () => {
  it('lists sections sorted, --long aligns the type column', async () => {
    writeFileSync(cfg, '[zeta]\ntype = local\n\n[Alpha]\ntype = memory\n\n[mid-name.x]\ntype = sftp\n\n[notype]\nk = v\n\n');
    expect((await run(['listremotes'])).out).toBe('Alpha:\nmid-name.x:\nnotype:\nzeta:\n');
    expect((await run(['listremotes', '--long'])).out).toBe('Alpha:      memory\nmid-name.x: sftp\nnotype:     \nzeta:       local\n');
  });

  it('includes remotes defined only by JSYNC_/RCLONE_CONFIG_X_TYPE (lower-cased, duplicates of file sections kept)', async () => {
    const r = await run(['listremotes', '--long'], { RCLONE_CONFIG_ENVY_TYPE: 'local', JSYNC_CONFIG_JS_TYPE: 'memory', RCLONE_CONFIG_MEM_TYPE: 'local' });
    expect(r.out).toBe('envy: local\njs:   memory\nloc:  local\nmem:  memory\nmem:  memory\n');
  });

  it('prints nothing for an empty config and rejects arguments', async () => {
    writeFileSync(cfg, '');
    expect(await run(['listremotes'])).toMatchObject({ code: 0, out: '' });
    const r = await run(['listremotes', 'x']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Command listremotes needs 0 arguments maximum: you provided 1 non flag arguments: ["x"]');
  });
});

describe('mkdir / rmdir', () => {
  it('mkdir is idempotent and creates parents; rmdir removes only empty dirs', async () => {
    expect((await run(['mkdir', join(dir, 'a/b/c')])).code).toBe(0);
    expect((await run(['mkdir', join(dir, 'a/b/c')])).code).toBe(0);
    expect(statSync(join(dir, 'a/b/c')).isDirectory()).toBe(true);
    const notEmpty = await run(['rmdir', join(dir, 'a')]);
    expect(notEmpty.code).toBe(1);
    expect(stripDates(notEmpty.err)).toMatch(/^ERROR : Attempt 1\/3 failed with 1 errors and: .+\nERROR : Attempt 2\/3 .+\nERROR : Attempt 3\/3 .+\nFailed to rmdir: .+\n$/);
    expect((await run(['rmdir', join(dir, 'a/b/c')])).code).toBe(0);
    expect(() => statSync(join(dir, 'a/b/c'))).toThrow();
  });

  it('mkdir on a file path fails before running', async () => {
    writeFileSync(join(dir, 'f'), 'x');
    const r = await run(['mkdir', join(dir, 'f')]);
    expect(r.code).toBe(1);
    expect(stripDates(r.err)).toBe(`Failed to create file system for ${JSON.stringify(join(dir, 'f'))}: is a file not a directory\n`);
  });

  it('unknown remote and memory rmdir of a missing dir', async () => {
    const r = await run(['mkdir', 'nope:x']);
    expect(r.code).toBe(1);
    expect(stripDates(r.err)).toBe('Failed to create file system for "nope:x": didn\'t find section in config file\n');
    const m = await run(['rmdir', 'mem:bucket']);
    expect(m.code).toBe(3);
    expect(stripDates(m.err)).toContain('Failed to rmdir: directory not found\n');
  });
});

describe('touch', () => {
  it('creates an empty file with the given UTC time; -C does not create', async () => {
    const f = join(dir, 'new.txt');
    expect((await run(['touch', '-t', '2020-01-02T03:04:05.123456789', f])).code).toBe(0);
    expect(statSync(f).size).toBe(0);
    expect(mtime(f)).toBe(BigInt(Date.UTC(2020, 0, 2, 3, 4, 5)) * 1_000_000n + 123_456_789n);
    const g = join(dir, 'nope.txt');
    const r = await run(['touch', '-C', g]);
    expect(r.code).toBe(0);
    expect(stripDates(r.err)).toBe(`NOTICE: Local file system at ${dir}: Not touching nonexistent file due to --no-create\n`);
    expect(() => statSync(g)).toThrow();
  });

  it('sets the time of an existing file and of files in a directory (recursively with -R)', async () => {
    mkdirSync(join(dir, 'd/sub'), { recursive: true });
    writeFileSync(join(dir, 'd/a'), 'x');
    writeFileSync(join(dir, 'd/sub/b'), 'y');
    utimesSync(join(dir, 'd/a'), 1, 1);
    utimesSync(join(dir, 'd/sub/b'), 1, 1);
    await run(['touch', '-t', '201231', join(dir, 'd')]);
    const t1 = BigInt(Date.UTC(2020, 11, 31)) * 1_000_000n;
    expect([mtime(join(dir, 'd/a')), mtime(join(dir, 'd/sub/b'))]).toEqual([t1, 1_000_000_000n]);
    await run(['touch', '-R', '-t', '2012-01-01T00:00:00', join(dir, 'd')]);
    const t2 = BigInt(Date.UTC(2012, 0, 1)) * 1_000_000n;
    expect([mtime(join(dir, 'd/a')), mtime(join(dir, 'd/sub/b'))]).toEqual([t2, t2]);
    expect(statSync(join(dir, 'd/a')).size).toBe(1);
  });

  it('a bad timestamp fails with Go\'s parse error after 3 attempts', async () => {
    const r = await run(['touch', '-t', '17.10.30', join(dir, 'x')]);
    expect(r.code).toBe(1);
    const msg = 'failed to parse timestamp argument: parsing time "17.10.30" as "060102": cannot parse ".10.30" as "01"';
    expect(stripDates(r.err)).toBe([1, 2, 3].map((i) => `ERROR : Attempt ${i}/3 failed with 1 errors and: ${msg}\n`).join('') + `Failed to touch: ${msg}\n`);
  });

  it('an empty remote path in a bucket-less root is not touched', async () => {
    const r = await run(['touch', 'mem:']);
    expect(r.code).toBe(0);
    expect(stripDates(r.err)).toBe("NOTICE: Memory root '': Not touching empty directory\n");
  });

  it('parseGoTime handles the three layouts, two-digit years and --localtime', () => {
    expect(parseGoTime('700101', false).ns).toBe(0n);
    expect(parseGoTime('691231', false).toDate().toISOString()).toBe('1969-12-31T00:00:00.000Z');
    expect(parseGoTime('681231', false).toDate().toISOString()).toBe('2068-12-31T00:00:00.000Z');
    expect(parseGoTime('2006-01-02T15:04:05.5', false).ns).toBe(BigInt(Date.UTC(2006, 0, 2, 15, 4, 5)) * 1_000_000n + 500_000_000n);
    expect(parseGoTime('2006-01-02T15:04:05', true).ns).toBe(BigInt(new Date(2006, 0, 2, 15, 4, 5).getTime()) * 1_000_000n);
    const errors: Array<[string, string]> = [
      ['2020-01-02', 'parsing time "2020-01-02": month out of range'],
      ['2020-02-30T03:04:05', 'parsing time "2020-02-30T03:04:05": day out of range'],
      ['2020-01-02T03:04:05.1234567891', 'parsing time "2020-01-02T03:04:05.1234567891": extra text: "1"'],
      ['20a0-01-02T03:04:05', 'parsing time "20a0-01-02T03:04:05" as "2006-01-02T15:04:05": cannot parse "-01-02T03:04:05" as "2006"'],
      ['2020-01-02 03:04:05', 'parsing time "2020-01-02 03:04:05" as "2006-01-02T15:04:05": cannot parse " 03:04:05" as "T"'],
      ['ÆØÅ', 'parsing time "\\xc3\\x86\\xc3\\x98\\xc3\\x85" as "060102": cannot parse "\\xc3\\x86\\xc3\\x98\\xc3\\x85" as "06"'],
    ];
    for (const [input, msg] of errors) expect(() => parseGoTime(input, false), input).toThrow(msg);
  });
});

describe.runIf(rcloneAvailable)('mkdir / rmdir / touch against rclone on local paths', () => {
  /** Runs the same command in two sibling trees and compares exit codes, stderr (minus dates/paths) and trees. */
  async function same(setup: (root: string) => void, args: (root: string) => string[]) {
    const ours = join(dir, 'ours');
    const theirs = join(dir, 'theirs');
    for (const r of [ours, theirs]) {
      mkdirSync(r);
      setup(r);
    }
    const a = await run(args(ours));
    const b = rclone(args(theirs));
    expect(a.code, args('ROOT').join(' ')).toBe(b.code);
    expect(stripDates(a.err).replaceAll(ours, 'ROOT'), args('ROOT').join(' ')).toBe(stripDates(b.err).replaceAll(theirs, 'ROOT'));
    expect(tree(ours)).toEqual(tree(theirs));
    rmSync(ours, { recursive: true });
    rmSync(theirs, { recursive: true });
  }
  const withFiles = (r: string) => {
    mkdirSync(join(r, 'd/sub'), { recursive: true });
    writeFileSync(join(r, 'd/a'), 'x');
    writeFileSync(join(r, 'f'), 'y');
  };

  it('matches exit codes, messages and resulting trees', async () => {
    await same(() => {}, (r) => ['mkdir', join(r, 'a/b/c')]);
    await same(withFiles, (r) => ['mkdir', join(r, 'd')]);
    await same(withFiles, (r) => ['mkdir', join(r, 'f')]);
    await same(withFiles, (r) => ['rmdir', join(r, 'd/sub')]);
    await same(withFiles, (r) => ['rmdir', join(r, 'd')]);
    await same(withFiles, (r) => ['touch', '-t', '2020-01-02T03:04:05', join(r, 'new')]);
    await same(withFiles, (r) => ['touch', '-C', join(r, 'new')]);
    await same(withFiles, (r) => ['touch', '-R', join(r, 'new')]);
    await same(withFiles, (r) => ['touch', '-t', '2020-13-02T03:04:05', join(r, 'new')]);
    await same(withFiles, (r) => ['touch', join(r, 'nodir/x.txt')]);
    await same(withFiles, (r) => ['touch', join(r, 'd') + '/']);
    await same(withFiles, (r) => ['touch', '-R', join(r, 'missing') + '/']);
  });

  it('touching a directory sets the times of its files like rclone', async () => {
    for (const [flags, path] of [[['-t', '2011-01-01T00:00:00'], 'd'], [['-t', '2011-01-01T00:00:00'], 'd/'], [['-R', '-t', '2012-01-01T00:00:00'], 'd']] as const) {
      const times: bigint[][] = [];
      for (const who of ['ours', 'theirs']) {
        const root = join(dir, who);
        mkdirSync(join(root, 'd/sub'), { recursive: true });
        writeFileSync(join(root, 'd/a'), 'x');
        writeFileSync(join(root, 'd/sub/b'), 'y');
        utimesSync(join(root, 'd/a'), 1, 1);
        utimesSync(join(root, 'd/sub/b'), 1, 1);
        const args = ['touch', ...flags, join(root, path)];
        if (who === 'ours') expect((await run(args)).code).toBe(0);
        else expect(rclone(args).code).toBe(0);
        times.push([mtime(join(root, 'd/a')), mtime(join(root, 'd/sub/b'))]);
        rmSync(root, { recursive: true });
      }
      expect(times[0], `${flags.join(' ')} ${path}`).toEqual(times[1]);
    }
  });

  it('touch sets the same times as rclone', async () => {
    for (const t of ['201231', '2020-01-02T03:04:05', '2020-01-02T03:04:05.000000001', '2020-01-02T03:04:05.1']) {
      const a = join(dir, 'a');
      const b = join(dir, 'b');
      await run(['touch', '-t', t, a]);
      rclone(['touch', '-t', t, b]);
      expect(mtime(a), t).toBe(mtime(b));
      rmSync(a);
      rmSync(b);
    }
  });

  it('touch --localtime uses the local zone like rclone (TZ from the environment)', async () => {
    // This process's zone is whatever vitest runs with; compare rclone run in the same zone.
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await run(['touch', '--localtime', '-t', '2020-06-02T03:04:05', a]);
    rclone(['touch', '--localtime', '-t', '2020-06-02T03:04:05', b], { TZ: zone });
    expect(mtime(a)).toBe(mtime(b));
  });
});
