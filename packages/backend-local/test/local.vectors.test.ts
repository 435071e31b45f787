// The shared encoder vectors for the local Linux mask (checked against rclone v1.60.1): on-disk bytes ⇄ listed names.

import { readFileSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_ENCODER, decodeUtf8Escaped } from '@jsync/core';
import type { LocalFs } from '../src/index.js';
import { chunks, listNames, openLocal, removeDir, srcInfo, tempDir } from './helpers.js';

interface Vector {
  id: string;
  set: string;
  input_hex: string;
  encoded_hex: string;
  display: string | null;
}

const file = fileURLToPath(new URL('../../../../shared/test-vectors/encoder-vectors.json', import.meta.url));
const vectors = (JSON.parse(readFileSync(file, 'utf8')) as { vectors: Vector[] }).vectors
  .filter((v) => v.set === 'local-default-linux' && v.input_hex !== '');

/** How rclone lists a raw name: Standard encoding of the raw bytes (invalid bytes kept as escapes). */
const listed = (v: Vector) => v.display ?? STANDARD_ENCODER.encode(decodeUtf8Escaped(Buffer.from(v.input_hex, 'hex')));

let dir: string;
let fs: LocalFs;
beforeAll(async () => {
  dir = await tempDir();
  fs = (await openLocal(dir)).fs;
});
afterAll(() => removeDir(dir));

describe('local Linux encoder vectors', () => {
  it('has vectors to check', () => expect(vectors.length).toBeGreaterThan(90));

  it.each(vectors.map((v, i) => [v.id, v, i] as const))('%s', async (_id, v, i) => {
    const sub = `v${i}`;
    const onDisk = Buffer.from(v.encoded_hex, 'hex');
    // Listing a file stored under the encoded bytes shows rclone's display name …
    await mkdir(join(dir, sub, 'ls'), { recursive: true });
    await writeFile(Buffer.concat([Buffer.from(join(dir, sub, 'ls') + '/'), onDisk]), 'x');
    expect(await listNames(fs, `${sub}/ls`)).toEqual([`${sub}/ls/${listed(v)}`]);
    // … and uploading under the display name stores exactly the encoded bytes.
    await fs.put(chunks('y'), srcInfo(`${sub}/put/${listed(v)}`, 1));
    expect(await readdir(Buffer.from(join(dir, sub, 'put')), { encoding: 'buffer' })).toEqual([onDisk]);
    expect((await fs.newObject(`${sub}/put/${listed(v)}`)).size).toBe(1);
  });
});
