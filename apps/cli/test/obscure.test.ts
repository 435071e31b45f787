// `obscure` / `reveal`: rclone's vectors, stdin handling, error texts and exit codes, and interop with rclone.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';
import { readFirstLine } from '../src/commands/obscure.js';

// Obscured text may start with '-', so it is passed after '--' (as users must, for both tools).
// CI installs rclone v1.60.1; the interop blocks are skipped where it is missing.
const rcloneAvailable = spawnSync('rclone', ['version'], { encoding: 'utf8' }).status === 0;

async function run(argv: string[], opts: { stdin?: string } = {}) {
  const io = memoryIo({ stdin: opts.stdin, env: {} });
  const code = await main(['--config', '', ...argv], { io });
  return { code, out: io.out(), err: io.err(), outBytes: io.outBytes() };
}

function rclone(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync('rclone', ['--config', '/dev/null', ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const SAMPLES = ['', 'a', 'potato', 'p@ss wörd/+=', 'pässwörd ✓', 'ÆØÅ-jotta', '😀 emoji', 'correct horse battery staple', 'x'.repeat(300)];

describe('jsync reveal', () => {
  it('reveals the spec vectors (fixed IVs and real rclone outputs)', async () => {
    const vectors: Array<[string, string]> = [
      ['YWFhYWFhYWFhYWFhYWFhYQ', ''],
      ['YWFhYWFhYWFhYWFhYWFhYXMaGgIlEQ', 'potato'],
      ['AAECAwQFBgcICQoLDA0OD2vsHktk_zPvrlNtEQ', 'jsync-secret'],
      ['_____________________y-VFDvft6bz3TMRfg', 'ÆØÅ-jotta'],
      ['K4mILxI_n-1UZF0vXi5KQm_lTOtXQg', 'potato'],
      ['56N4O1WrpoE8OFrMRLB0UUubRrnIn7pYpt5PtduH', 'pässwörd ✓'],
      ['W55LdmPXOUzHFuLpiwAXyOye8ypDXQ', 'secret'],
    ];
    for (const [obscured, plain] of vectors) {
      const r = await run(['reveal', obscured]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(plain + '\n');
    }
  });

  it('fails like rclone on bad input: Failed to reveal, exit 1', async () => {
    const short = await run(['reveal', 'aGVsbG8']);
    expect(short.code).toBe(1);
    expect(short.out).toBe('');
    expect(short.err).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Failed to reveal: input too short when revealing password - is it obscured\?\n$/);
    const padded = await run(['reveal', 'YWFhYWFhYWFhYWFhYWFhYQ==']);
    expect(padded.code).toBe(1);
    expect(padded.err).toContain('Failed to reveal: base64 decode failed when revealing password - is it obscured?: illegal base64 data at input byte 22');
  });

  it('checks the argument count', async () => {
    const r = await run(['reveal']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Command reveal needs 1 arguments minimum: you provided 0 non flag arguments: []');
  });
});

describe('jsync obscure', () => {
  it('round-trips through reveal and changes every run (random IV)', async () => {
    for (const s of SAMPLES) {
      const a = await run(['obscure', s]);
      expect(a.code).toBe(0);
      expect(a.out).toMatch(/^[A-Za-z0-9_-]+\n$/);
      const back = await run(['reveal', '--', a.out.trim()]);
      expect(back.out).toBe(s + '\n');
    }
    const x = await run(['obscure', 'same']);
    const y = await run(['obscure', 'same']);
    expect(x.out).not.toBe(y.out);
  });

  it('reads the first line of stdin for "-" (trailing CR dropped, empty stdin = empty password)', async () => {
    const cases: Array<[string, string]> = [['secret\n', 'secret'], ['abc\r\ndef\n', 'abc'], ['', ''], ['no newline', 'no newline']];
    for (const [stdin, want] of cases) {
      const o = await run(['obscure', '-'], { stdin });
      const back = await run(['reveal', '--', o.out.trim()]);
      expect(back.out).toBe(want + '\n');
    }
  });

  it('obscures a literal "-" when stdin is a terminal, like rclone', async () => {
    const io = memoryIo({ env: {} });
    const tty = Object.assign((async function* () { throw new Error('must not read a terminal'); })(), { isTTY: true });
    const code = await main(['obscure', '-'], { io: { ...io, stdin: tty } });
    expect(code).toBe(0);
    const back = await run(['reveal', '--', io.out().trim()]);
    expect(back.out).toBe('-\n');
  });

  it('readFirstLine stops at the first newline across chunks', async () => {
    async function* chunks() {
      yield 'ab';
      yield Buffer.from('c\nrest');
      throw new Error('must not read past the line');
    }
    expect(await readFirstLine(chunks())).toBe('abc');
  });

  it('checks the argument count', async () => {
    const r = await run(['obscure', 'a', 'b']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Command obscure needs 1 arguments maximum: you provided 2 non flag arguments: ["a" "b"]');
  });
});

describe.runIf(rcloneAvailable)('obscure/reveal interop with rclone', () => {
  it('jsync reveals what rclone obscures', async () => {
    for (const s of SAMPLES) {
      const o = rclone(['obscure', '--', s]);
      expect(o.code).toBe(0);
      const r = await run(['reveal', '--', o.out.trim()]);
      expect(r.out).toBe(s + '\n');
    }
  });

  it('rclone reveals what jsync obscures', async () => {
    for (const s of SAMPLES) {
      const o = await run(['obscure', s]);
      const r = rclone(['reveal', '--', o.out.trim()]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(s + '\n');
    }
  });

  it('fails with the same message and exit code as rclone', async () => {
    for (const bad of ['aGVsbG8', 'YmJiYmJiYmJiYmJiYmJiYp*gcEWbAw', 'YWFhYWFhYWFhYWFhYWFhYQ==']) {
      const theirs = rclone(['reveal', bad]);
      const ours = await run(['reveal', bad]);
      expect(ours.code).toBe(theirs.code);
      expect(ours.err.slice(20)).toBe(theirs.err.slice(20));
    }
  });
});
