// `-i/--interactive`: rclone's question layout (with jsync's name), y/n/s/!/q answers and their memory, quitting
// with exit 0, end of input being fatal; single-answer runs compared with rclone where it is on PATH (CI installs
// rclone v1.60.1; rclone loses piped answers after the first to stdin buffering, so multi-answer runs are jsync only).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';

const rcloneAvailable = spawnSync('rclone', ['version'], { encoding: 'utf8' }).status === 0;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-interactive-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function files(sub: string, names: string[]): void {
  mkdirSync(join(dir, sub), { recursive: true });
  for (const n of names) writeFileSync(join(dir, sub, n), `${n}\n`);
}
const ls = (sub: string) => readdirSync(join(dir, sub)).sort();
const strip = (s: string) => s.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '');

async function jsync(args: string[], stdin: string) {
  const io = memoryIo({ env: {}, cwd: dir, stdin });
  const code = await main(['--config', '/dev/null', ...args], { io });
  return { code, out: io.out(), err: strip(io.err()) };
}

function rclone(args: string[], stdin: string) {
  const r = spawnSync('rclone', ['--config', '/dev/null', ...args], { cwd: dir, input: stdin, encoding: 'utf8', env: { PATH: process.env['PATH'], TZ: 'UTC', HOME: dir } });
  return { code: r.status ?? -1, out: r.stdout.replaceAll('rclone', 'jsync'), err: strip(r.stderr).replaceAll('rclone', 'jsync') };
}

const question = (action: string, subject: string) => `jsync: ${action} "${subject}"?
y) Yes, this is OK (default)
n) No, skip this
s) Skip all ${action} operations with no more questions
!) Do all ${action} operations with no more questions
q) Exit jsync now.
y/n/s/!/q> `;

describe('-i/--interactive', () => {
  it('asks before each delete and remembers "do all" (!)', async () => {
    files('d', ['a.txt', 'b.txt', 'c.txt']);
    const r = await jsync(['delete', '-i', '--transfers', '1', 'd'], 'n\n!\n');
    expect(r.code).toBe(0);
    expect(r.out).toBe(question('delete', 'a.txt') + question('delete', 'b.txt'));
    expect(r.err).toBe('NOTICE: a.txt: Skipped delete as --interactive is set (size 6)\nNOTICE: Doing all delete operations from now on without asking\n');
    expect(ls('d')).toEqual(['a.txt']);
  });

  it('Enter takes the default (yes) and an invalid answer is asked again', async () => {
    files('d', ['a.txt', 'b.txt']);
    const r = await jsync(['delete', '-i', '--transfers', '1', 'd'], '\nmaybe\nx\nn\n');
    expect(r.code).toBe(0);
    expect(r.out).toBe(question('delete', 'a.txt') + question('delete', 'b.txt') +
      'This value must be a single character, one of the following: y, n, s, !, q.\ny/n/s/!/q> ' +
      'This value must be one of the following characters: y, n, s, !, q.\ny/n/s/!/q> ');
    expect(ls('d')).toEqual(['b.txt']);
  });

  it('asks per action kind during sync and prints the stats at NOTICE', async () => {
    files('src', ['new.txt']);
    files('dst', ['extra.txt']);
    const r = await jsync(['sync', '-i', 'src', 'dst'], 'y\nn\n');
    expect(r.code).toBe(0);
    expect(r.out).toBe(question('copy', 'new.txt') + question('delete', 'extra.txt'));
    expect(ls('dst')).toEqual(['extra.txt', 'new.txt']);
    expect(r.err).toContain('NOTICE: extra.txt: Skipped delete as --interactive is set (size 10)\n');
    expect(r.err).toMatch(/NOTICE: \nTransferred: {3}\t +8 B \/ 8 B, 100%/);
  });

  it('--dry-run wins over -i: nothing is asked', async () => {
    files('d', ['a.txt']);
    const r = await jsync(['delete', '-i', '-n', 'd'], '');
    expect(r.out).toBe('');
    expect(r.err).toBe('NOTICE: a.txt: Skipped delete as --dry-run is set (size 6)\n');
    expect(ls('d')).toEqual(['a.txt']);
  });

  it('q stops at once with exit code 0, even with --error-on-no-transfer', async () => {
    files('src', ['a.txt', 'b.txt']);
    const r = await jsync(['copy', '-i', '--transfers', '1', '--error-on-no-transfer', 'src', 'dst'], 'q\n');
    expect(r.code).toBe(0);
    expect(r.out).toBe(question('copy', 'a.txt'));
    expect(r.err).toBe('NOTICE: Quitting jsync now\n');
  });

  const single: Array<[string, string[], string]> = [
    ['n', ['delete', '-i', 'd/a.txt'], 'n\n'],
    ['s', ['delete', '-i', '--transfers', '1', 'd'], 's\n'],
    ['q', ['delete', '-i', '--transfers', '1', 'd'], 'q\n'],
    ['end of input', ['delete', '-i', '--transfers', '1', 'd'], ''],
    ['a bad answer, then end of input', ['deletefile', '-i', 'd/a.txt'], 'x\n'],
  ];
  it.each(single)('answers %s like rclone', async (_name, args, stdin) => {
    files('d', ['a.txt', 'b.txt']);
    const got = await jsync(args, stdin);
    const tree = ls('d');
    expect(got.out.startsWith(question('delete', 'a.txt'))).toBe(true);
    expect(tree).toEqual(['a.txt', 'b.txt']);
    if (!rcloneAvailable) return;
    rmSync(join(dir, 'd'), { recursive: true });
    files('d', ['a.txt', 'b.txt']);
    const want = rclone(args, stdin);
    expect(got.code).toBe(want.code);
    expect(got.out).toBe(want.out);
    expect(got.err).toBe(want.err);
    expect(ls('d')).toEqual(tree);
  });
});
