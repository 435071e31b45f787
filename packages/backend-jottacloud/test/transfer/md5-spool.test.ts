// spoolWithMd5: memory vs temp file, size checks, cleanup on success, error and abort.

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { readdirSync, readlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bytesSource, randomContent } from '@jsync/testkit';
import { SPOOL_PREFIX, spoolWithMd5 } from '../../src/transfer/md5-spool.js';
import type { UploadSource } from '../../src/transfer/source.js';

const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

async function readAll(src: UploadSource, offset = 0): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of src.read(offset)) parts.push(c);
  return Buffer.concat(parts);
}

/** Paths of spool files this process holds open (Linux: /proc/self/fd links, "(deleted)" once unlinked). */
function openSpoolFiles(): string[] {
  return openSpoolFds().map((f) => f.target);
}

function openSpoolFds(): { fd: string; target: string }[] {
  if (process.platform !== 'linux') return [];
  const out: { fd: string; target: string }[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.includes(SPOOL_PREFIX)) out.push({ fd, target });
    } catch {
      // fd closed meanwhile
    }
  }
  return out;
}

describe('spoolWithMd5', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jc-spool-test-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a small input in memory and replays it from any offset', async () => {
    const data = randomContent(10_000);
    const src = await spoolWithMd5(bytesSource(data, { chunkSize: 999 }), { sizeHint: data.length, memoryLimit: 10_000, tempDir: dir });
    try {
      expect(src.kind).toBe('memory');
      expect(src.md5).toBe(md5(data));
      expect(src.size).toBe(10_000);
      expect((await readAll(src)).equals(data)).toBe(true);
      expect((await readAll(src, 4321)).equals(data.subarray(4321))).toBe(true);
      expect((await readAll(src, 10_000)).length).toBe(0);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await src.dispose();
    }
  });

  it('spools a larger input to a 0600 temp file in the temp dir and removes it', async () => {
    const data = randomContent(300_000);
    const src = await spoolWithMd5(bytesSource(data, { chunkSize: 65_536 }), { sizeHint: -1, memoryLimit: 100_000, tempDir: dir });
    try {
      expect(src.kind).toBe('file');
      expect(src.md5).toBe(md5(data));
      expect(src.size).toBe(data.length);
      expect((await readAll(src)).equals(data)).toBe(true);
      expect((await readAll(src, 123_457)).equals(data.subarray(123_457))).toBe(true);
      if (process.platform === 'linux') {
        // Unlinked at once: the directory is already clean while the handle still serves the data.
        expect(await readdir(dir)).toEqual([]);
        const held = openSpoolFds().filter((f) => f.target.startsWith(join(dir, SPOOL_PREFIX)) && f.target.endsWith('(deleted)'));
        expect(held).toHaveLength(1);
        const st = statSync(`/proc/self/fd/${held[0]!.fd}`);
        expect(st.mode & 0o777).toBe(0o600);
        expect(st.size).toBe(data.length);
      }
    } finally {
      await src.dispose();
    }
    expect(await readdir(dir)).toEqual([]);
    expect(openSpoolFiles().filter((p) => p.startsWith(dir))).toEqual([]);
    await src.dispose(); // idempotent
  });

  it('goes straight to a file when the declared size is above the limit', async () => {
    const data = randomContent(5000);
    const src = await spoolWithMd5(bytesSource(data), { sizeHint: 5000, memoryLimit: 4999, tempDir: dir });
    try {
      expect(src.kind).toBe('file');
      expect((await readAll(src, 1)).equals(data.subarray(1))).toBe(true);
    } finally {
      await src.dispose();
    }
  });

  it('fails a short input (FsPutShortEOF) and a long one, leaving no temp file', async () => {
    const data = randomContent(200_000);
    await expect(spoolWithMd5(bytesSource(data), { sizeHint: 200_001, memoryLimit: 1000, tempDir: dir })).rejects.toThrow(
      /unexpected EOF: source ended after 200000 of 200001 bytes/,
    );
    await expect(spoolWithMd5(bytesSource(data), { sizeHint: 199_999, memoryLimit: 1000, tempDir: dir })).rejects.toThrow(
      /longer than its declared size of 199999/,
    );
    expect(await readdir(dir)).toEqual([]);
    expect(openSpoolFiles().filter((p) => p.startsWith(dir))).toEqual([]);
  });

  it('passes a read error of the input through and removes the temp file', async () => {
    const boom = new Error('disk on fire');
    const data = randomContent(50_000);
    await expect(spoolWithMd5(bytesSource(data, { failWith: boom }), { sizeHint: -1, memoryLimit: 10_000, tempDir: dir })).rejects.toBe(boom);
    expect(await readdir(dir)).toEqual([]);
    expect(openSpoolFiles().filter((p) => p.startsWith(dir))).toEqual([]);
  });

  it('stops on abort and removes the temp file', async () => {
    const ac = new AbortController();
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (let i = 0; ; i++) {
        if (i === 20) ac.abort(new Error('stop'));
        yield randomContent(10_000);
      }
    }
    await expect(spoolWithMd5(endless(), { sizeHint: -1, memoryLimit: 50_000, tempDir: dir, signal: ac.signal })).rejects.toThrow('stop');
    expect(await readdir(dir)).toEqual([]);
    expect(openSpoolFiles().filter((p) => p.startsWith(dir))).toEqual([]);
  });

  it('handles an empty input', async () => {
    const src = await spoolWithMd5(bytesSource(new Uint8Array(0)), { sizeHint: 0, memoryLimit: 10, tempDir: dir });
    expect(src.md5).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(src.size).toBe(0);
    expect((await readAll(src)).length).toBe(0);
    await src.dispose();
  });

  it('fails when the temp dir is unusable', async () => {
    await expect(
      spoolWithMd5(bytesSource(randomContent(100)), { sizeHint: -1, memoryLimit: 10, tempDir: join(dir, 'missing') }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
