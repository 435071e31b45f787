// Awkward local sources synced to Jottacloud (in-process jsync against the emulator through its HTTPS proxy):
// case collisions and NFC/NFD twins are reported (each spelling, as an error), skipped, the other files synced,
// the run exits non-zero and nothing is lost on either side; names that are not valid UTF-8 are stored with
// InvalidUtf8 quoting (`‛XX`, as rclone), listed back, and downloaded to byte-identical names and contents.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_ENCODER, decodeUtf8Escaped, encodeUtf8Escaped } from '@jsync/core';
import { startJottaEnv, type JottaEnv } from './helpers/jotta-tools.js';

let env: JottaEnv;
let conf: string;
let scratch: string;

beforeAll(async () => {
  env = await startJottaEnv({ capacity: -1, seed: 13 });
  conf = join(env.work, 'hostile.conf');
  writeFileSync(conf, '');
  await env.createRemote('jsync', conf, 'jc');
  scratch = mkdtempSync(join(tmpdir(), 'jsync-hostile-local-'));
}, 60_000);
afterAll(async () => {
  await env?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Every file below `root` as `relative path bytes (hex) → content`, names read as raw bytes. */
function filesByBytes(root: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: Buffer, rel: Buffer): void => {
    for (const name of readdirSync(dir, { encoding: 'buffer' })) {
      const p = Buffer.concat([dir, Buffer.from('/'), name]);
      const r = rel.length === 0 ? name : Buffer.concat([rel, Buffer.from('/'), name]);
      if (statSync(p).isDirectory()) walk(p, r);
      else out.set(r.toString('hex'), readFileSync(p).toString('utf8'));
    }
  };
  walk(root, Buffer.alloc(0));
  return out;
}

/** The names of the live (not trashed) children of `Jotta/Archive/<path>` on the server, sorted. */
const serverChildren = (path: string): string[] =>
  (env.emu.state.stat(`Jotta/Archive/${path}`)?.children ?? []).filter((n) => env.emu.state.stat(`Jotta/Archive/${path}/${n}`)?.deleted === null).sort();

describe('case collisions and NFC/NFD twins in a local source (jottacloud is case-insensitive)', () => {
  const NFC = 'caf\u00e9.txt';
  const NFD = 'cafe\u0301.txt';

  it('sync: each spelling reported as an error, skipped; other files synced; exit non-zero; nothing lost', async () => {
    const src = join(scratch, 'collide-src');
    mkdirSync(join(src, 'Dir'), { recursive: true });
    mkdirSync(join(src, 'dir'));
    mkdirSync(join(src, 'sub'));
    const files: Record<string, string> = {
      'A.txt': 'upper', 'a.txt': 'lower', [NFC]: 'nfc', [NFD]: 'nfd', 'Dir/x.txt': 'Dir-x', 'dir/y.txt': 'dir-y',
      'plain.txt': 'plain', 'sub/README': 'readme', 'sub/B.md': 'B', 'sub/b.MD': 'b',
    };
    for (const [p, c] of Object.entries(files)) writeFileSync(join(src, p), c);
    // Already on the destination under one of the colliding names, plus one file only there.
    await env.ok('jsync', conf, ['copyto', join(src, 'plain.txt'), 'jc:collide/a.txt']);
    await env.ok('jsync', conf, ['copyto', join(src, 'plain.txt'), 'jc:collide/only-remote.txt']);
    const before = filesByBytes(Buffer.from(src));

    const r = await env.jsync(conf, ['sync', src, 'jc:collide']);
    expect(r.code).not.toBe(0);
    for (const name of ['A.txt', 'a.txt', NFC, NFD, 'Dir', 'dir', 'sub/B.md', 'sub/b.MD']) {
      expect(r.stderr).toMatch(new RegExp(`ERROR : ${name.replace('.', '\\.')}: name collides with .* - skipping all of them`));
    }
    expect(r.stderr).toMatch(/not deleting files as there were IO errors/i);
    // The unambiguous files arrived; the colliding ones did not replace anything; nothing was deleted.
    expect(serverChildren('collide')).toEqual(['a.txt', 'only-remote.txt', 'plain.txt', 'sub'].sort());
    expect(serverChildren('collide/sub')).toEqual(['README']);
    expect((await env.emu.state.readFile('Jotta/Archive/collide/a.txt'))?.toString()).toBe('plain');
    // The source is untouched.
    expect(filesByBytes(Buffer.from(src))).toEqual(before);
  });

  it('control: without collisions the same sync succeeds and deletes the remote-only file', async () => {
    const src = join(scratch, 'nocollide-src');
    mkdirSync(src);
    writeFileSync(join(src, 'a.txt'), 'lower');
    writeFileSync(join(src, NFC), 'nfc');
    const r = await env.jsync(conf, ['sync', src, 'jc:collide']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(serverChildren('collide')).toEqual(['a.txt', NFC].sort());
  });
});

describe('names that are not valid UTF-8', () => {
  // Raw bytes of local names: lone continuation bytes, 0xFE/0xFF, a truncated sequence, Latin-1, mixed with valid text.
  const NAMES: readonly Buffer[] = [
    Buffer.from([0x62, 0x61, 0x64, 0xfe, 0x2e, 0x74, 0x78, 0x74]), // bad\xFE.txt
    Buffer.from([0xff, 0xfe]),
    Buffer.from([0x63, 0x61, 0x66, 0xe9]), // "café" in Latin-1
    Buffer.concat([Buffer.from('ok-\u00e9-'), Buffer.from([0xc3]), Buffer.from('-end')]), // truncated 2-byte sequence
    Buffer.from([0x80, 0x81, 0xbf]),
    // An encoded surrogate: not UTF-8. (Not bare: core's case-insensitive pairing key maps every invalid byte to U+FFFD
    // like Go's strings.ToLower, so it would collide with the three bytes above.)
    Buffer.from([0x78, 0xed, 0xa0, 0x80]),
    // Quote marks around a bad byte. (A literal ‛ is left out: rclone's local encoding lists an on-disk "‛41" as "‛‛41" and
    // writes that back, whatever the remote.)
    Buffer.concat([Buffer.from('\u2018quoted'), Buffer.from([0xfe]), Buffer.from('\u2019 41')]),
  ];
  const DIR = Buffer.from([0x64, 0x69, 0x72, 0xfc]); // dir\xFC

  it('copy up, list back, copy down: stored with ‛XX quoting, names and contents byte-identical', async () => {
    const src = Buffer.from(join(scratch, 'utf8-src'));
    const sub = Buffer.concat([src, Buffer.from('/'), DIR]);
    mkdirSync(sub, { recursive: true });
    NAMES.forEach((n, i) => {
      writeFileSync(Buffer.concat([src, Buffer.from('/'), n]), `top ${i}`);
      writeFileSync(Buffer.concat([sub, Buffer.from('/'), n]), `sub ${i}`);
    });
    const up = await env.jsync(conf, ['copy', join(scratch, 'utf8-src'), 'jc:utf8']);
    expect(up.stderr.replace(/.*NOTICE.*Replacing invalid UTF-8 characters.*\n/g, '')).toBe('');
    expect(up.code).toBe(0);

    // On the server: valid UTF-8 names, each invalid byte as ‛ + two upper-case hex digits.
    expect(serverChildren('utf8')).toEqual(['bad‛FE.txt', '‛FF‛FE', 'caf‛E9', 'ok-é-‛C3-end', '‛80‛81‛BF', 'x‛ED‛A0‛80', '\u2018quoted‛FE\u2019 41', 'dir‛FC'].sort());
    expect(serverChildren('utf8/dir‛FC')).toHaveLength(NAMES.length);

    // Listed back as rclone lists them: the Standard encoding of the raw name, invalid bytes as is.
    const ls = await env.ok('jsync', conf, ['lsf', '-R', '--files-only', 'jc:utf8']);
    const listed = ls.stdout.toString('hex').split('0a').filter((h) => h !== '').sort();
    const display = (b: Buffer): string => encodeUtf8Escaped(STANDARD_ENCODER.encode(decodeUtf8Escaped(b))).toString('hex');
    const want = [...NAMES.map(display), ...NAMES.map((n) => `${display(DIR)}2f${display(n)}`)].sort();
    expect(listed).toEqual(want);

    // Downloaded: the same bytes and contents as the source tree.
    const back = join(scratch, 'utf8-back');
    const down = await env.jsync(conf, ['copy', 'jc:utf8', back]);
    expect(down.stderr.replace(/.*NOTICE.*Replacing invalid UTF-8 characters.*\n/g, '')).toBe('');
    expect(down.code).toBe(0);
    expect(filesByBytes(Buffer.from(back))).toEqual(filesByBytes(src));
    expect(filesByBytes(src).size).toBe(2 * NAMES.length);
    // And check agrees (md5 on both sides).
    const check = await env.jsync(conf, ['check', join(scratch, 'utf8-src'), 'jc:utf8']);
    expect(check.code).toBe(0);
  });
});
