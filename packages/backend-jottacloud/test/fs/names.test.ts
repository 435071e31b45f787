// The shared encoder vectors for rclone's newest Jottacloud default mask: server names ⇄ listed names, through the Fs.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STANDARD_ENCODER, decodeUtf8Escaped } from '@jsync/core';
import type { Fs } from '@jsync/core';
import { DEFAULT_ENCODING } from '../../src/index.js';
import { names, put, startJotta } from './helpers.js';
import type { JottaHarness } from './helpers.js';

interface Vector {
  id: string;
  set: string;
  mask_value: number;
  input_hex: string;
  encoded: string | null;
  encoded_hex: string;
  display: string | null;
}

const file = fileURLToPath(new URL('../../../../../shared/test-vectors/encoder-vectors.json', import.meta.url));
const vectors = (JSON.parse(readFileSync(file, 'utf8')) as { vectors: Vector[] }).vectors
  .filter((v) => v.set === 'jottacloud-default-v1.74+' && v.input_hex !== '');

/** How rclone lists a raw name: Standard encoding of the raw bytes (invalid bytes kept as escapes). */
const listed = (v: Vector): string => v.display ?? STANDARD_ENCODER.encode(decodeUtf8Escaped(Buffer.from(v.input_hex, 'hex')));
/** The name as stored on the server (always valid UTF-8: invalid bytes are encoded). */
const stored = (v: Vector): string => v.encoded ?? Buffer.from(v.encoded_hex, 'hex').toString('utf8');

let h: JottaHarness;
let fs: Fs;
beforeAll(async () => {
  h = await startJotta();
  fs = (await h.open('names')).fs;
});
afterAll(() => h?.stop());

describe('jottacloud default encoding vectors', () => {
  it('uses the mask of the vectors and has vectors to check', () => {
    expect(vectors.length).toBeGreaterThan(90);
    expect(vectors.every((v) => v.mask_value === DEFAULT_ENCODING)).toBe(true);
  });

  it.each(vectors.map((v, i) => [v.id, v, i] as const))('%s', async (_id, v, i) => {
    const dir = `v${i}`;
    // Uploading under the listed name stores exactly the encoded name …
    await put(fs, `${dir}/put/${listed(v)}`, 'y');
    const node = h.emu.state.stat(`Jotta/Archive/names/${dir}/put/${stored(v)}`);
    expect(node?.name).toBe(stored(v));
    expect(h.emu.state.stat(`Jotta/Archive/names/${dir}/put`)?.children).toEqual([stored(v)]);
    // … listing and listR show it back under the listed name, and newObject finds it.
    expect(await names(fs.list(`${dir}/put`))).toEqual([`${dir}/put/${listed(v)}`]);
    expect(await names(fs.features.listR!(`${dir}/put`))).toEqual([`${dir}/put/${listed(v)}`]);
    expect((await fs.newObject(`${dir}/put/${listed(v)}`)).size).toBe(1);
    // A name stored by another client under the encoded form lists the same way (also as a directory).
    await h.emu.state.putFile(`Jotta/Archive/names/${dir}/seeded/${stored(v)}/f`, 'z');
    expect(await names(fs.list(`${dir}/seeded`))).toEqual([`${dir}/seeded/${listed(v)}/`]);
    expect(await names(fs.features.listR!(`${dir}/seeded`))).toEqual([`${dir}/seeded/${listed(v)}/`, `${dir}/seeded/${listed(v)}/f`]);
  });
});
