// Checks MultiEncoder against every vector in shared/test-vectors/encoder-*.json, in both directions.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EncodeFlag, type EncodeFlagName, MultiEncoder, STANDARD_ENCODER } from '../src/encoding/index.js';
import { decodeUtf8Escaped } from '../src/util/utf8.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const vectorDir = path.resolve(repoRoot, '../shared/test-vectors');

type Vector = Record<string, unknown>;
type VectorFile = Record<string, unknown>;

const load = (name: string): VectorFile => JSON.parse(readFileSync(path.join(vectorDir, name), 'utf8')) as VectorFile;

/** The text field, or the hex field decoded with the invalid-UTF-8 escape convention. */
function text(v: Vector, field: string): string {
  const s = v[field];
  const hex = v[`${field}_hex`];
  if (typeof hex === 'string') {
    const fromHex = decodeUtf8Escaped(Buffer.from(hex, 'hex'));
    if (typeof s === 'string') expect(fromHex, `${field} vs ${field}_hex`).toBe(s);
    return fromHex;
  }
  if (typeof s !== 'string') throw new Error(`vector has neither ${field} nor ${field}_hex: ${JSON.stringify(v)}`);
  return s;
}

function maskOf(v: Vector): number {
  const names = v.mask as EncodeFlagName[];
  let mask = 0;
  for (const n of names) {
    expect(EncodeFlag, `unknown flag ${n}`).toHaveProperty(n);
    mask |= EncodeFlag[n];
  }
  if (v.mask_value !== undefined) expect(mask).toBe(v.mask_value);
  return mask;
}

const encoders = new Map<number, MultiEncoder>();
const encoderFor = (mask: number): MultiEncoder => {
  let e = encoders.get(mask);
  if (e === undefined) encoders.set(mask, (e = new MultiEncoder(mask)));
  return e;
};

const counts = { encode: 0, decode: 0, display: 0 };
const label = (v: Vector, i: number): string => String(v.id ?? `${String(v.source)} ${String(v.array ?? v.kind)} #${i}`);

/** Encode(input) == encoded and Decode(encoded) == input. */
function checkRoundTrip(v: Vector, i: number): void {
  const enc = encoderFor(maskOf(v));
  const input = text(v, 'input');
  const encoded = text(v, 'encoded');
  expect(enc.encode(input), `encode ${label(v, i)}`).toBe(encoded);
  counts.encode++;
  expect(enc.decode(encoded), `decode ${label(v, i)}`).toBe(input);
  counts.decode++;
  if (typeof v.display === 'string') {
    expect(enc.toStandardName(encoded), `toStandardName ${label(v, i)}`).toBe(v.display);
    expect(enc.fromStandardName(v.display), `fromStandardName ${label(v, i)}`).toBe(encoded);
    expect(STANDARD_ENCODER.encode(input)).toBe(v.display);
    counts.display++;
  }
}

/** Decode(remote_name) == decoded; re-encoding gives the remote name back exactly when rclone can access it. */
function checkDecodeVector(v: Vector, i: number): void {
  const enc = encoderFor(maskOf(v));
  const remote = text(v, 'remote_name');
  const decoded = text(v, 'decoded');
  expect(enc.decode(remote), `decode ${label(v, i)}`).toBe(decoded);
  counts.decode++;
  expect(enc.encode(decoded) === remote, `accessible ${label(v, i)}`).toBe(v.accessible_in_rclone);
  expect(v.canonical).toBe(enc.encode(decoded) === remote);
  if (typeof v.display === 'string') {
    expect(enc.toStandardName(remote), `display ${label(v, i)}`).toBe(v.display);
    counts.display++;
  }
}

/** Upstream hand-written cases: `roundtrip`, or `decode-only` where Decode(input) == encoded. */
function checkHandWritten(v: Vector, i: number): void {
  if (v.kind === 'roundtrip') return checkRoundTrip(v, i);
  if (v.kind !== 'decode-only') throw new Error(`unhandled hand-written case kind ${String(v.kind)}`);
  const enc = encoderFor(maskOf(v));
  expect(enc.decode(text(v, 'input')), `decode-only ${label(v, i)}`).toBe(text(v, 'encoded'));
  counts.decode++;
}

const handlers: Record<string, Record<string, (v: Vector, i: number) => void>> = {
  'encoder-vectors.json': { vectors: checkRoundTrip, per_flag_vectors: checkRoundTrip, decode_vectors: checkDecodeVector },
  'encoder-upstream-vectors.json': {
    single_mask_cases: checkRoundTrip,
    hand_written_cases: checkHandWritten,
    edge_case_sample: checkRoundTrip,
  },
};

describe('encoder vectors', () => {
  afterAll(() => {
    console.log(
      `encoder vectors checked: ${counts.encode} encode, ${counts.decode} decode, ${counts.display} Standard/display`,
    );
  });

  for (const [file, kinds] of Object.entries(handlers)) {
    describe(file, () => {
      const data = load(file);

      it('contains only vector kinds this test handles', () => {
        const arrays = Object.keys(data).filter((k) => Array.isArray(data[k]));
        expect(arrays.filter((k) => !(k in kinds))).toEqual([]);
        expect(arrays.sort()).toEqual(Object.keys(kinds).sort());
      });

      for (const [kind, check] of Object.entries(kinds)) {
        it(kind, () => {
          const list = data[kind] as Vector[];
          expect(list.length).toBeGreaterThan(0);
          const declared = (data.counts as Record<string, number> | undefined)?.[kind];
          if (declared !== undefined) expect(list.length).toBe(declared);
          list.forEach((v, i) => check(v, i));
        });
      }
    });
  }
});
