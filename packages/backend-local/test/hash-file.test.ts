// consumeFile (the hashing read loop) and LocalObject.hash over it: same bytes, same digests as hashing the whole file.
import { createHash, randomFillSync } from 'node:crypto';
import { appendFile, mkdir, open, rm, writeFile } from 'node:fs/promises';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HASH_TYPES, hashBytes } from '@jsync/core';
import { HASH_READ_CHUNK, consumeFile, readFdSync } from '../src/hash-file.js';
import { InPlaceIo } from '../src/in-place-io.js';
import { openLocal, removeDir, tempDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

const bytes = (n: number, seed = n): Buffer => {
  const b = Buffer.alloc(n);
  randomFillSync(b);
  if (n > 0) b[0] = seed & 0xff;
  return b;
};

/** Runs consumeFile and returns what the consumer saw (copied, since the buffers are reused) and the count. */
async function consumed(path: string, opts: { limit: number; sizeHint: number; chunkSize?: number; signal?: AbortSignal }) {
  const fh = await open(path, 'r');
  const seen: Buffer[] = [];
  try {
    const n = await consumeFile(fh, opts, (c) => seen.push(Buffer.from(c)));
    return { n, data: Buffer.concat(seen), pieces: seen.map((s) => s.length) };
  } finally {
    await fh.close();
  }
}

describe('consumeFile', () => {
  const chunk = 4096;
  for (const size of [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 5]) {
    it(`hands over exactly the file's ${size} bytes in order, whatever the size hint`, async () => {
      const data = bytes(size);
      const p = join(dir, `f${size}`);
      await writeFile(p, data);
      for (const sizeHint of [size, -1, 0, Math.max(0, size - 100), size + 5000]) {
        const r = await consumed(p, { limit: -1, sizeHint, chunkSize: chunk });
        expect(r.n, `hint ${sizeHint}`).toBe(size);
        expect(r.data.equals(data), `hint ${sizeHint}`).toBe(true);
        expect(Math.max(0, ...r.pieces)).toBeLessThanOrEqual(chunk);
        expect(r.pieces.every((l) => l > 0)).toBe(true);
      }
    });
  }

  it('stops at the limit', async () => {
    const data = bytes(3 * chunk);
    const p = join(dir, 'lim');
    await writeFile(p, data);
    for (const limit of [0, 1, chunk, chunk + 7, 3 * chunk, 10 * chunk]) {
      const r = await consumed(p, { limit, sizeHint: data.length, chunkSize: chunk });
      expect(r.data.equals(data.subarray(0, limit)), `limit ${limit}`).toBe(true);
    }
  });

  it('really reuses two buffers (the consumer must not keep them) and reads the default 1 MiB at a time', async () => {
    const data = bytes(3 * HASH_READ_CHUNK + 7);
    const p = join(dir, 'big');
    await writeFile(p, data);
    const fh = await open(p, 'r');
    const arrays = new Set<ArrayBufferLike>();
    const sizes: number[] = [];
    const md5 = createHash('md5');
    await consumeFile(fh, { limit: -1, sizeHint: data.length }, (c) => {
      arrays.add(c.buffer);
      sizes.push(c.length);
      md5.update(c);
    });
    await fh.close();
    expect(sizes).toEqual([HASH_READ_CHUNK, HASH_READ_CHUNK, HASH_READ_CHUNK, 7]);
    expect(arrays.size).toBeLessThanOrEqual(2);
    expect(md5.digest('hex')).toBe(createHash('md5').update(data).digest('hex'));
  });

  it('rejects with the signal reason when aborted, and with the consumer error when it throws', async () => {
    const p = join(dir, 'ab');
    await writeFile(p, bytes(5 * chunk));
    const ac = new AbortController();
    const reason = new Error('stop now');
    ac.abort(reason);
    await expect(consumed(p, { limit: -1, sizeHint: -1, chunkSize: chunk, signal: ac.signal })).rejects.toBe(reason);

    const mid = new AbortController();
    const fh = await open(p, 'r');
    let calls = 0;
    await expect(consumeFile(fh, { limit: -1, sizeHint: -1, chunkSize: chunk, signal: mid.signal }, () => {
      if (++calls === 2) mid.abort(reason);
    })).rejects.toBe(reason);
    expect(calls).toBe(2);
    const boom = new Error('consumer failed');
    await expect(consumeFile(fh, { limit: -1, sizeHint: -1, chunkSize: chunk }, () => {
      throw boom;
    })).rejects.toBe(boom);
    await fh.close();
  });
});

describe('LocalObject.hash over consumeFile', () => {
  it('gives every hash type of a multi-chunk file, as hashing it in one piece does', async () => {
    const data = bytes(2 * HASH_READ_CHUNK + 12345);
    await writeFile(join(dir, 'big.bin'), data);
    await writeFile(join(dir, 'empty'), '');
    const { fs } = await openLocal(dir);
    const o = await fs.newObject('big.bin');
    for (const t of HASH_TYPES) expect(await o.hash(t), t).toBe(hashBytes(t, data));
    expect(await (await fs.newObject('empty')).hash('md5')).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('hashes what is on disk when the file grew after the stat, and fails to open a vanished file as before', async () => {
    await writeFile(join(dir, 'g'), 'abc');
    const { fs } = await openLocal(dir);
    const o = await fs.newObject('g');
    await appendFile(join(dir, 'g'), 'defgh');
    expect(await o.hash('md5')).toBe(hashBytes('md5', Buffer.from('abcdefgh')));
    await rm(join(dir, 'g'));
    await writeFile(join(dir, 'g2'), 'x');
    const o2 = await fs.newObject('g2');
    await rm(join(dir, 'g2'));
    await expect(o2.hash('md5')).rejects.toThrow(/^hash: failed to open: open .*g2: no such file or directory$/);
  });
});

describe('readFdSync (in place)', () => {
  const chunk = 4096;
  it('gives the same bytes as consumeFile for every size, hint and limit', async () => {
    for (const size of [0, 1, chunk - 1, chunk, chunk + 1, 3 * chunk + 5]) {
      const data = bytes(size);
      const p = join(dir, `s${size}`);
      await writeFile(p, data);
      for (const sizeHint of [size, -1, 0, size + 10]) {
        for (const limit of [-1, 0, 5, chunk + 3]) {
          const fd = openSync(p, 'r');
          const got = readFdSync(fd, { limit, sizeHint, chunkSize: chunk });
          closeSync(fd);
          const async = await consumed(p, { limit, sizeHint, chunkSize: chunk });
          expect(got.equals(async.data), `size ${size} hint ${sizeHint} limit ${limit}`).toBe(true);
        }
      }
    }
  });
});

describe('LocalObject.hash in place and via the thread pool', () => {
  it('gives the same digests and the same errors either way', async () => {
    const sizes = [0, 1, 5000, 256 * 1024, 256 * 1024 + 1, 3 * 1024 * 1024];
    for (const n of sizes) await writeFile(join(dir, `f${n}`), bytes(n));
    await writeFile(join(dir, 'grow'), 'abc');
    await writeFile(join(dir, 'gone'), 'x');
    await mkdir(join(dir, 'swapped'));
    const outcomes = [];
    for (const inPlace of [true, false]) {
      await writeFile(join(dir, 'grow'), 'abc');
      await writeFile(join(dir, 'gone'), 'x');
      const { fs } = await openLocal(dir);
      // A frozen clock: nothing looks slow, so the in-place round stays in place on a busy machine too.
      (fs as unknown as { io: InPlaceIo }).io = new InPlaceIo(() => ({ wallNs: 0n, queuedNs: 0n, switches: 0 }));
      if (!inPlace) fs.io.disable();
      const o = await Promise.all(['grow', 'gone'].map((r) => fs.newObject(r)));
      await appendFile(join(dir, 'grow'), 'defgh');
      await rm(join(dir, 'gone'));
      const got: Record<string, string> = {};
      for (const n of sizes) {
        const obj = await fs.newObject(`f${n}`);
        for (const t of ['md5', 'sha1', 'crc32'] as const) got[`f${n} ${t}`] = await obj.hash(t);
      }
      got['grow'] = await o[0]!.hash('md5');
      got['gone'] = await o[1]!.hash('md5').catch((e: Error) => `error: ${e.message}`);
      outcomes.push({ got, enabled: fs.io.enabled });
    }
    expect(outcomes[0]!.enabled).toBe(true);
    expect(outcomes[1]!.enabled).toBe(false);
    expect(outcomes[0]!.got).toEqual(outcomes[1]!.got);
    expect(outcomes[0]!.got['grow']).toBe(hashBytes('md5', Buffer.from('abcdefgh')));
    expect(outcomes[0]!.got['f5000 md5']).toBe(createHash('md5').update(readFileSync(join(dir, 'f5000'))).digest('hex'));
    expect(outcomes[0]!.got['gone']).toMatch(/^error: hash: failed to open: open .*gone: no such file or directory$/);
  });
});
