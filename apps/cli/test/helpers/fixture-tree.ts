// Builds a fixture tree from a data description (test-fixtures/trees/*.json) into a directory: byte-exact names
// (lone surrogates = raw bytes), generated contents, and nanosecond modtimes set with one GNU `touch` script.

import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Timestamp, encodeUtf8Escaped } from '@jsync/core';

/** One file of a tree description. */
export interface FileSpec {
  /** `/`-separated path; U+DC00+b stands for raw byte b. */
  path: string;
  /** RFC 3339 modtime with up to 9 fractional digits. */
  mtime: string;
  /** UTF-8 content. */
  text?: string;
  /** Generated content length (with `fill`). */
  size?: number;
  fill?: 'pattern' | 'zero';
}

/** One directory whose modtime is fixed. */
export interface DirSpec {
  path: string;
  mtime: string;
}

/** A whole tree description. */
export interface TreeSpec {
  description?: string;
  files: FileSpec[];
  dirs: DirSpec[];
}

const FIXTURE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../test-fixtures/trees');

/** Loads `test-fixtures/trees/<name>.json`. */
export function loadTreeSpec(name: string): TreeSpec {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as TreeSpec;
}

/** The content of a file spec as bytes. */
export function fileContent(f: FileSpec): Buffer {
  if (f.size !== undefined) {
    const buf = Buffer.alloc(f.size);
    if (f.fill !== 'zero') for (let i = 0; i < f.size; i++) buf[i] = (i * 7 + (i >> 8)) & 255;
    return buf;
  }
  return Buffer.from(f.text ?? '', 'utf8');
}

/** `root/rel` as raw bytes (so invalid UTF-8 names reach the file system unchanged). */
export function bytePath(root: string, rel: string): Buffer {
  return Buffer.concat([Buffer.from(root + '/', 'utf8'), encodeUtf8Escaped(rel)]);
}

/** GNU touch's `@seconds.nanoseconds` for an RFC 3339 time (exact, also before 1970). */
export function touchStamp(mtime: string): string {
  const ns = Timestamp.parse(mtime).ns;
  const abs = ns < 0n ? -ns : ns;
  return `@${ns < 0n ? '-' : ''}${abs / 1_000_000_000n}.${String(abs % 1_000_000_000n).padStart(9, '0')}`;
}

function shellQuote(bytes: Buffer): Buffer {
  const parts: Buffer[] = [Buffer.from("'")];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x27) {
      parts.push(bytes.subarray(start, i), Buffer.from("'\\''"));
      start = i + 1;
    }
  }
  parts.push(bytes.subarray(start), Buffer.from("'"));
  return Buffer.concat(parts);
}

/** Creates every file and directory of `spec` below `root` (which must exist) and sets all modtimes. */
export function buildTree(spec: TreeSpec, root: string): void {
  const parentOf = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
  for (const d of spec.dirs) mkdirSync(bytePath(root, d.path), { recursive: true });
  for (const f of spec.files) {
    const parent = parentOf(f.path);
    if (parent !== '') mkdirSync(bytePath(root, parent), { recursive: true });
    writeFileSync(bytePath(root, f.path), fileContent(f));
  }
  // Files first, then directories deepest first, so no later step changes an earlier modtime.
  const dirs = [...spec.dirs].sort((a, b) => b.path.split('/').length - a.path.split('/').length);
  const lines: Buffer[] = [];
  for (const e of [...spec.files, ...dirs]) {
    lines.push(Buffer.from(`touch -h -d ${touchStamp(e.mtime)} -- `), shellQuote(encodeUtf8Escaped('./' + e.path)), Buffer.from('\n'));
  }
  const script = `${root}.touch.sh`;
  writeFileSync(script, Buffer.concat(lines));
  try {
    execFileSync('sh', [script], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  } finally {
    rmSync(script, { force: true });
  }
}
