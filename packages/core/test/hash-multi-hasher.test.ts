// MultiHasher, hashStream, the hashing pass-through and the base64 digest form.
import { describe, expect, it } from 'vitest';
import { HASH_TYPES, HashSet, MultiHasher, hashBytes, hashStream, hashToBase64, hashingPassThrough } from '../src/hash/index.js';

function pattern(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + (i >>> 9)) & 0xff;
  return b;
}

async function* chunks(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

const DATA = pattern(4 * 1024 * 1024 + 4097);

describe('MultiHasher', () => {
  it('computes every type in one pass, equal to the individual hashes', () => {
    const mh = new MultiHasher(HashSet.all());
    for (let i = 0; i < DATA.length; i += 100_003) mh.update(DATA.subarray(i, i + 100_003));
    const got = mh.digests();
    expect([...got.keys()]).toEqual([...HASH_TYPES]);
    for (const type of HASH_TYPES) expect(got.get(type)).toBe(hashBytes(type, DATA));
    expect(mh.size).toBe(DATA.length);
    expect(mh.digest('sha1')).toBe(got.get('sha1'));
    expect(mh.digests()).toEqual(got);
  });

  it('computes only the requested types', () => {
    const mh = new MultiHasher(['sha256', 'md5']);
    mh.update(DATA);
    expect(mh.types.toString()).toBe('[md5, sha256]');
    expect([...mh.digests().keys()]).toEqual(['md5', 'sha256']);
    expect(() => mh.digest('crc32')).toThrow(/not computed/);
  });

  it('with no types still counts bytes', () => {
    const mh = new MultiHasher(HashSet.none());
    mh.update(DATA.subarray(0, 10));
    expect(mh.size).toBe(10);
    expect(mh.digests().size).toBe(0);
  });
});

describe('hashStream', () => {
  it('hashes an async iterable once into the requested types', async () => {
    const got = await hashStream(chunks(DATA, 65536), new HashSet(['md5', 'quickxor', 'hidrive']));
    expect(Object.fromEntries(got)).toEqual({
      md5: hashBytes('md5', DATA),
      hidrive: hashBytes('hidrive', DATA),
      quickxor: hashBytes('quickxor', DATA),
    });
  });

  it('handles an empty stream (rclone values for empty input)', async () => {
    const got = await hashStream(chunks(new Uint8Array(0), 1), new HashSet(['md5', 'crc32', 'hidrive']));
    expect(Object.fromEntries(got)).toEqual({
      md5: 'd41d8cd98f00b204e9800998ecf8427e',
      crc32: '00000000',
      hidrive: '0000000000000000000000000000000000000000',
    });
  });

  it('propagates source errors', async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield DATA.subarray(0, 10);
      throw new Error('boom');
    }
    await expect(hashStream(failing(), HashSet.all())).rejects.toThrow('boom');
  });
});

describe('hashingPassThrough', () => {
  it('yields the very same chunks and exposes digests at the end', async () => {
    const source = [...Array(9).keys()].map((i) => DATA.subarray(i * 1000, i * 1000 + 1000));
    const pt = hashingPassThrough(chunks(DATA.subarray(0, 9000), 1000), new HashSet(['sha1', 'mailru']));
    expect(pt.done).toBe(false);
    expect(() => pt.digests()).toThrow(/before the stream was fully read/);
    const seen: Uint8Array[] = [];
    for await (const c of pt) seen.push(c);
    expect(seen).toEqual(source);
    expect(seen[3]!.buffer).toBe(DATA.buffer); // passed through, not copied
    expect(pt.done).toBe(true);
    expect(pt.size).toBe(9000);
    expect(Object.fromEntries(pt.digests())).toEqual({
      sha1: hashBytes('sha1', DATA.subarray(0, 9000)),
      mailru: hashBytes('mailru', DATA.subarray(0, 9000)),
    });
  });

  it('refuses digests after a partial read and a second iteration', async () => {
    const pt = hashingPassThrough(chunks(DATA, 1000), new HashSet(['md5']));
    for await (const c of pt) {
      expect(c.length).toBe(1000);
      break;
    }
    expect(pt.size).toBe(1000);
    expect(pt.done).toBe(false);
    expect(() => pt.digests()).toThrow();
    await expect(async () => {
      for await (const _ of pt) void _;
    }).rejects.toThrow(/only be iterated once/);
  });
});

describe('hashToBase64', () => {
  // Captured from rclone v1.60.1 `hashsum <type> --base64` (spec §7.4 examples for the first two).
  it.each([
    ['df3a6cb27652375a816fec88498bbe62', '3zpssnZSN1qBb-yISYu-Yg=='],
    ['cc0c8d81fc54e0bd077a5678eaadf2ff', 'zAyNgfxU4L0HelZ46q3y_w=='],
    ['d41d8cd98f00b204e9800998ecf8427e', '1B2M2Y8AsgTpgAmY7PhCfg=='],
    ['cee02aef5cb718ab5838c9673deb86f47f479f68', 'zuAq71y3GKtYOMlnPeuG9H9Hn2g='],
    ['363a3020', 'NjowIA=='],
    ['5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03', 'WJG1tSLV3whtD_CxEPvZ0hu0_HFjrzTQgoai6Eb2vgM='],
    ['fe9fc308315b0ced08f96e19e4716212beaee7a4', '_p_DCDFbDO0I-W4Z5HFiEr6u56Q='],
    ['68656c6c6f0a0000000000000000000000000000', 'aGVsbG8KAAAAAAAAAAAAAAAAAAA='],
  ])('%s → %s', (hex, b64) => {
    expect(hashToBase64(hex)).toBe(b64);
    expect(hashToBase64(hex.toUpperCase())).toBe(b64);
  });

  it('keeps the unknown hash empty and rejects non-hex', () => {
    expect(hashToBase64('')).toBe('');
    expect(() => hashToBase64('abc')).toThrow(TypeError);
    expect(() => hashToBase64('zz')).toThrow(TypeError);
  });
});
