// A local tree of hostile file names for the jottacloud interop tests: the shared encoder vectors
// (/work/shared/test-vectors, next to the repository) plus extra punctuation, spaces, emoji and NFD names.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MultiEncoder, parseEncoding } from '@jsync/core';

/** The shared test vectors directory (`../shared/test-vectors` relative to the repository root). */
export const TEST_VECTORS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/test-vectors');

/** The two default jottacloud encodings: rclone v1.60–v1.73, and v1.74+ (adds `Percent`; jsync's default). */
export type JottaEncoding = 'v1.60' | 'v1.74';

/** The encoding masks, as `--jottacloud-encoding` values. */
export const JOTTA_ENCODINGS: Readonly<Record<JottaEncoding, string>> = {
  'v1.60': 'Slash,LtGt,DoubleQuote,Colon,Question,Asterisk,Pipe,Del,Ctl,InvalidUtf8,Dot',
  'v1.74': 'Slash,LtGt,DoubleQuote,Colon,Question,Asterisk,Pipe,Percent,Del,Ctl,InvalidUtf8,Dot',
};

interface Vector {
  id: string;
  set: string;
  input: string | null;
  input_hex: string;
  encoded_hex: string;
  display: string | null;
}

/** One vector name usable on both sides. */
export interface VectorName {
  id: string;
  /** The rclone-internal (decoded) name; null when it is not valid UTF-8. */
  input: string | null;
  /** Bytes of the name on a Linux disk (rclone's local encoding). */
  local: Buffer;
  /** The name stored on Jottacloud with each default encoding (rclone v1.60, and v1.74+ which adds `Percent`). */
  jotta: Record<JottaEncoding, string>;
  /** How rclone prints it (Standard encoding). */
  display: string;
}

/** A vector left out of the tree, and why. */
export interface ExcludedVector {
  id: string;
  reason: string;
}

/**
 * The `local-default-linux` vectors with both jottacloud default encodings. Names that are not valid UTF-8 are
 * kept: rclone 1.60's local backend only prints them with U+FFFD (and logs "Replacing invalid UTF-8 characters"),
 * the bytes themselves reach Jottacloud as `‛XX` and come back unchanged, in both tools. Left out (with the
 * reason): names whose local form is empty, over 255 bytes or holds NUL or `/` (not a Linux file name), and
 * names equal to an earlier one ignoring case (Jottacloud is case-insensitive: both would be one file there).
 */
export function vectorNames(): { names: VectorName[]; excluded: ExcludedVector[] } {
  const doc = JSON.parse(readFileSync(path.join(TEST_VECTORS_DIR, 'encoder-vectors.json'), 'utf8')) as { vectors: Vector[] };
  const encoded = (set: string) => new Map(doc.vectors.filter((v) => v.set === set).map((v) => [v.input_hex, Buffer.from(v.encoded_hex, 'hex').toString('utf8')]));
  const v160 = encoded('jottacloud-default-v1.60');
  const v174 = encoded('jottacloud-default-v1.74+');
  const names: VectorName[] = [];
  const excluded: ExcludedVector[] = [];
  const seen = new Map<string, string>();
  for (const v of doc.vectors) {
    if (v.set !== 'local-default-linux') continue;
    const local = Buffer.from(v.encoded_hex, 'hex');
    const e160 = v160.get(v.input_hex);
    const e174 = v174.get(v.input_hex);
    // Printed names: Standard encoding of valid ones (the vector's display); invalid bytes print as U+FFFD each.
    const display = v.display ?? local.toString('utf8');
    const fold = display.toLowerCase();
    if (e160 === undefined || e174 === undefined) {
      excluded.push({ id: v.id, reason: 'no jottacloud-default vectors for this input' });
    } else if (local.length === 0 || local.length > 255 || local.includes(0) || local.includes(0x2f)) {
      excluded.push({ id: v.id, reason: 'not a valid Linux file name in its local encoding' });
    } else if (seen.has(fold)) {
      excluded.push({ id: v.id, reason: `same name ignoring case as ${seen.get(fold)} (Jottacloud is case-insensitive)` });
    } else {
      seen.set(fold, v.id);
      names.push({ id: v.id, input: v.input, local, jotta: { 'v1.60': e160, 'v1.74': e174 }, display });
    }
  }
  return { names, excluded };
}

/** One file of the fixture (before it is written). */
export interface FixtureFile {
  /** Path relative to the tree root as bytes on disk. */
  rel: Buffer;
  /** The path as both tools print it. */
  display: string;
  /** The path as stored on Jottacloud with each encoding (names joined by `/`). */
  jotta: Record<JottaEncoding, string>;
  data: Buffer;
}

/** One file of the written fixture tree. */
export interface TreeFile extends FixtureFile {
  md5: string;
  /** Whole-second modtime. */
  mtime: Date;
}

/** Deterministic pseudo-random bytes. */
export function pseudoRandom(n: number, seed: string): Buffer {
  const out = Buffer.alloc(n);
  let block = createHash('sha256').update(seed).digest();
  for (let off = 0; off < n; off += block.length) {
    block.copy(out, off);
    block = createHash('sha256').update(block).digest();
  }
  return out;
}

/** Extra names (valid on Linux), in `extra/`: punctuation, `%` escapes, spaces at the ends, emoji, a tab. */
export const EXTRA_NAMES: readonly string[] = [
  'a+b c.txt', '+', '++plus++', '#start#end#', 'semi;colon;', '50% off', '%', 'x%20y', '%2F not a slash', '%41%',
  'time 12:30', 'why?', 'glob*', 'pipe|line', '<angle>', '"quoted"', ' one leading', 'one trailing ', '  two leading',
  'two trailing  ', ' both ', '🎉 party 👩‍👩‍👧.txt', '日本語 ファイル', 'Ǆ dz ǅ', 'tab\tinside', 'mix +#;%:?*|<>" end',
];

/** The jottacloud encodings of a name made of ASCII, emoji, CJK and a tab (no `‛`, full-width forms or dot names). */
function jottaEncodeSimple(name: string, enc: JottaEncoding): string {
  const map: Record<string, string> = { ':': '：', '?': '？', '*': '＊', '|': '｜', '<': '＜', '>': '＞', '"': '＂', '\t': '␉' };
  if (enc === 'v1.74') map['%'] = '％';
  return [...name].map((c) => map[c] ?? c).join('');
}

/** rclone's encoders the fixture needs: local on Linux (`Slash,Dot`), Standard (display), both jottacloud defaults. */
export const ENCODERS = {
  local: new MultiEncoder(parseEncoding('Slash,Dot')),
  display: new MultiEncoder(parseEncoding('Slash,Del,Ctl,Dot')),
  'v1.60': new MultiEncoder(parseEncoding(JOTTA_ENCODINGS['v1.60'])),
  'v1.74': new MultiEncoder(parseEncoding(JOTTA_ENCODINGS['v1.74'])),
} as const;

/**
 * Raw names from rclone's own encoder tests (encoder-upstream-vectors.json: the generated single-mask cases, the
 * hand-written cases and every 8th edge case) that are usable file names: valid UTF-8, no `/` or NUL, not `.` or
 * `..`, at most 255 bytes, and unique ignoring case. They are random mixes of control characters, full-width
 * look-alikes, control pictures, `‛` and edge spaces/periods/tildes. (Their disk, display and stored forms are
 * computed with {@link ENCODERS}, which the first interop test checks against the shared vectors.)
 */
export function upstreamNames(): { id: string; name: string }[] {
  const doc = JSON.parse(readFileSync(path.join(TEST_VECTORS_DIR, 'encoder-upstream-vectors.json'), 'utf8')) as Record<string, unknown>;
  const pick = (key: string, every = 1) => ((doc[key] ?? []) as { input: string | null; input_hex: string }[]).filter((_, i) => i % every === 0).map((v, i) => ({ ...v, id: `${key}/${i}` }));
  const seen = new Set<string>();
  const out: { id: string; name: string }[] = [];
  for (const v of [...pick('single_mask_cases'), ...pick('hand_written_cases'), ...pick('edge_case_sample', 8)]) {
    if (v.input === null) continue;
    const bytes = Buffer.from(v.input_hex, 'hex');
    if (!bytes.equals(Buffer.from(bytes.toString('utf8'), 'utf8'))) continue;
    if (v.input.includes('/') || v.input.includes('\0') || v.input === '.' || v.input === '..' || v.input === '' || bytes.length > 255) continue;
    if (seen.has(v.input.toLowerCase())) continue;
    seen.add(v.input.toLowerCase());
    out.push({ id: v.id, name: v.input });
  }
  return out;
}

/** The fixture: vector names, upstream encoder inputs, extras, NFC/NFD twins in separate folders, empty and ~3 MiB files, nested folders. */
export function fixtureFiles(): FixtureFile[] {
  const files: FixtureFile[] = [];
  for (const n of vectorNames().names) {
    files.push({
      rel: Buffer.concat([Buffer.from('names/'), n.local]), display: `names/${n.display}`, data: Buffer.from(`${n.id}\n`),
      jotta: { 'v1.60': `names/${n.jotta['v1.60']}`, 'v1.74': `names/${n.jotta['v1.74']}` },
    });
  }
  const plain = (p: string, data: Buffer) => files.push({
    rel: Buffer.from(p), display: p.replaceAll('\t', '␉'), data,
    jotta: { 'v1.60': p.split('/').map((n) => jottaEncodeSimple(n, 'v1.60')).join('/'), 'v1.74': p.split('/').map((n) => jottaEncodeSimple(n, 'v1.74')).join('/') },
  });
  for (const u of upstreamNames()) {
    files.push({
      rel: Buffer.from(`upstream/${ENCODERS.local.encode(u.name)}`), display: `upstream/${ENCODERS.display.encode(u.name)}`, data: Buffer.from(`${u.id}\n`),
      jotta: { 'v1.60': `upstream/${ENCODERS['v1.60'].encode(u.name)}`, 'v1.74': `upstream/${ENCODERS['v1.74'].encode(u.name)}` },
    });
  }
  for (const [i, n] of EXTRA_NAMES.entries()) plain(`extra/${n}`, Buffer.from(`extra ${i}\n`));
  plain('nfc/Caf\u00e9 \u00c5ngstr\u00f6m.txt', Buffer.from('composed\n'));
  plain('nfd/Cafe\u0301 A\u030angstro\u0308m.txt', Buffer.from('decomposed\n'));
  plain('data/empty.bin', Buffer.alloc(0));
  plain('data/big.bin', pseudoRandom(3 * 2 ** 20 + 17, 'big'));
  plain('data/one.txt', Buffer.from('1'));
  plain('deep/a b/c+d/e%20f/g#h/i;j/file.txt', Buffer.from('deep file\n'));
  plain('deep/a b/c+d/sibling.txt', Buffer.from('sibling\n'));
  plain('dir: with ? * | < > "/inner.txt', Buffer.from('inside a hostile folder\n'));
  plain(' spaced dir /  file  ', Buffer.from('spaced\n'));
  return files;
}

/** Writes `files` under `root` with whole-second modtimes one second apart from `base`. */
export function writeFixture(root: string, files: readonly FixtureFile[], base = Date.UTC(2024, 2, 4, 5, 6, 7)): TreeFile[] {
  return files.map((f, i) => {
    const full = Buffer.concat([Buffer.from(`${root}/`), f.rel]);
    mkdirSync(full.subarray(0, full.lastIndexOf(0x2f)), { recursive: true });
    writeFileSync(full, f.data);
    const mtime = new Date(base + i * 1000);
    utimesSync(full, mtime, mtime);
    return { ...f, md5: createHash('md5').update(f.data).digest('hex'), mtime };
  });
}
