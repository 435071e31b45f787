import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { obscure, reveal } from '../src/config/index.js';
import { isJsyncError } from '../src/fs/errors.js';

// CI installs rclone (v1.60.1) so the interoperability tests run there; locally they are skipped without it.
const hasRclone = spawnSync('rclone', ['version'], { stdio: 'ignore' }).status === 0;

const ALPHA46 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ';
const iv = (hex: string): Uint8Array => Buffer.from(hex, 'hex');

// Spec §3.4: deterministic-IV vectors, each revealed by rclone v1.60.1.
const FIXED: ReadonlyArray<[string, string, string]> = [
  ['', '61'.repeat(16), 'YWFhYWFhYWFhYWFhYWFhYQ'],
  ['potato', '61'.repeat(16), 'YWFhYWFhYWFhYWFhYWFhYXMaGgIlEQ'],
  ['potato', '62'.repeat(16), 'YmJiYmJiYmJiYmJiYmJiYp3gcEWbAw'],
  ['jsync-secret', '000102030405060708090a0b0c0d0e0f', 'AAECAwQFBgcICQoLDA0OD2vsHktk_zPvrlNtEQ'],
  ['ÆØÅ-jotta', 'ff'.repeat(16), '_____________________y-VFDvft6bz3TMRfg'],
  [ALPHA46, 'ff'.repeat(16), '_____________________9wi5ZAoB72uin4EfZCfsKQjs8AIPpPFr05BZVmA8ex7vOyKtIovOpsXnvwGb8Q'],
  [ALPHA46, '00000000000000000000000000fffffe', 'AAAAAAAAAAAAAAAAAP___rw6Q-KXWUp_NVXeIMa7FjYY3OG27acBI2GRuH5VuhU3fylEJ4g4xGMF8Jy49_Y'],
];

// Spec §3.4: random-IV outputs of `rclone obscure`.
const FROM_RCLONE: ReadonlyArray<[string, string]> = [
  ['', 'tAfbXPe8NJSwF-ISoOCHMw'],
  ['', 'UjnnjCtC8zUk8HqH_p9yzA'],
  ['a', 'Q_BG0jy-yWIEO9B-l3Pz_vU'],
  ['potato', 'K4mILxI_n-1UZF0vXi5KQm_lTOtXQg'],
  ['potato', 'DBw73CiiPj_SEtanmzY-4Fx_88wcjw'],
  ['hunter2', 'YvOhxh7AHdQXjAsAcyHKE8vF2-Ch6w4'],
  ['secret', 'W55LdmPXOUzHFuLpiwAXyOye8ypDXQ'],
  ['p@ss wörd/+=', 'Kv7lRHtB8Kx8bxaN_IQTQPssHhpepPF7Z27q74A'],
  ['correct horse battery staple', 'vR5zQNKZIQ1tvw-rc9o1KKgB4rbbmkN0-DUqPNTky8kC8vA-wRATvqJnZ9s'],
  ['jottacloud-password', 'ql1y8q4nCD1Jbvyfd23dhXgdUR3gKLO6WRvpHbTiazZNb6c'],
  ['pässwörd ✓', '56N4O1WrpoE8OFrMRLB0UUubRrnIn7pYpt5PtduH'],
  ['ÆØÅ-jotta', 'Bnp6W3HpEKls7_YLCXu6WH5if3WjAnB3zL4Mtg'],
];

const B64 = 'base64 decode failed when revealing password - is it obscured?: illegal base64 data at input byte';
const SHORT = 'input too short when revealing password - is it obscured?';

function revealError(text: string): string {
  try {
    reveal(text);
  } catch (err) {
    expect(isJsyncError(err, 'INVALID_ARGUMENT')).toBe(true);
    return (err as Error).message;
  }
  throw new Error('expected reveal to fail');
}

describe('obscure', () => {
  it.each(FIXED)('obscure(%j, iv=%s) = %s', (plain, ivHex, expected) => {
    expect(obscure(plain, { iv: iv(ivHex) })).toBe(expected);
    expect(reveal(expected)).toBe(plain);
  });

  it('uses a fresh random IV each time and round-trips', () => {
    const a = obscure('potato');
    const b = obscure('potato');
    expect(a).not.toBe(b);
    expect(a).toHaveLength(30);
    expect(obscure('')).toHaveLength(22);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(reveal(a)).toBe('potato');
    expect(reveal(b)).toBe('potato');
  });

  it('rejects an IV of the wrong size', () => {
    expect(() => obscure('x', { iv: new Uint8Array(8) })).toThrow(/16 bytes/);
  });
});

describe('reveal', () => {
  it.each(FROM_RCLONE)('reveals rclone output for %j', (plain, obscured) => {
    expect(reveal(obscured)).toBe(plain);
  });

  it.each([
    ['aGVsbG8', SHORT],
    ['', SHORT],
    ['YmJiYmJiYmJiYmJiYmJiYp*gcEWbAw', `${B64} 22`],
    ['YWFhYWFhYWFhYWFhYWFhYQ==', `${B64} 22`],
    ['YWFhYWFhYWFhYWFhYWFhY', `${B64} 20`], // a lone trailing character
    ['ÆWFhYWFhYWFhYWFhYWFhYQ', `${B64} 0`],
    ['YWFh+WFhYWFhYWFhYWFhYQ', `${B64} 4`], // standard alphabet rejected
  ])('%j fails with %s', (text, message) => {
    expect(revealError(text)).toBe(message);
  });

  it('ignores CR/LF and unused trailing bits like Go', () => {
    expect(reveal('YWFhYWFh\nYWFhYWFhYWFhYQ')).toBe('');
    expect(reveal('YWFhYWFhYWFhYWFhYWFhYQ\r\n')).toBe('');
    expect(reveal('YWFhYWFhYWFhYWFhYWFhYR')).toBe('');
  });

  it('maps invalid UTF-8 in the plaintext to lone surrogates', () => {
    const ivBytes = Buffer.alloc(16, 0x61);
    // The keystream is the ciphertext of zero bytes; XOR it with the raw bytes 0xff 'a'.
    const keystream = Buffer.from(obscure('\0\0', { iv: ivBytes }), 'base64url').subarray(16);
    const cipher = Buffer.from([0xff, 0x61].map((b, i) => b ^ (keystream[i] ?? 0)));
    const text = Buffer.concat([ivBytes, cipher]).toString('base64url');
    expect(reveal(text)).toBe('\udcffa');
    expect(obscure('\udcffa', { iv: ivBytes })).toBe(text);
  });
});

describe.runIf(hasRclone)('interoperability with the installed rclone', () => {
  const samples = ['', 'potato', 'p@ss wörd/+=', 'pässwörd ✓', 'x'.repeat(100), ' leading and trailing '];

  // `--`: a random obscured value may start with `-`, which rclone would otherwise parse as a flag.
  it.each(samples)('rclone reveals our obscure(%j)', (plain) => {
    const out = execFileSync('rclone', ['reveal', '--', obscure(plain)], { encoding: 'utf8' });
    expect(out).toBe(`${plain}\n`);
  });

  it.each(samples.filter((s) => s !== ''))('we reveal rclone obscure %j', (plain) => {
    const out = execFileSync('rclone', ['obscure', '--', plain], { encoding: 'utf8' }).trimEnd();
    expect(reveal(out)).toBe(plain);
  });
});
