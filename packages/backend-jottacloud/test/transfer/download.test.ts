// openFile against the emulator: full and ranged reads, resume after truncated or reset bodies, 404, abort.

import type { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isJsyncError } from '@jsync/core';
import type { OpenOptions } from '@jsync/core';
import { randomContent } from '@jsync/testkit';
import { MAX_DOWNLOAD_RESUMES, openFile } from '../../src/transfer/download.js';
import { startHarness } from './harness.js';
import type { Harness, WireRecord } from './harness.js';

async function readAll(r: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(parts);
}

const isDownload = (r: WireRecord): boolean => r.query.mode === 'bin';

describe('openFile', () => {
  let h: Harness;
  const data = randomContent(1_000_000);
  const small = randomContent(100);

  beforeAll(async () => {
    h = await startHarness({ root: 'dl' });
    await h.emu.state.putFile(h.statPath('big.bin'), data);
    await h.emu.state.putFile(h.statPath('small.txt'), small);
    await h.emu.state.putFile(h.statPath('empty.txt'), Buffer.alloc(0));
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.wire.length = 0;
    h.emu.state.clearFaults();
  });

  const open = (remote: string, size: number, opts?: OpenOptions): Promise<Readable> =>
    openFile({ ctx: h.ctx, remote, size, ...(opts ? { opts } : {}) });

  it('reads the whole file with one GET ?mode=bin without a Range', async () => {
    expect((await readAll(await open('big.bin', data.length))).equals(data)).toBe(true);
    const gets = h.wire.filter(isDownload);
    expect(gets).toHaveLength(1);
    expect(gets[0]!.method).toBe('GET');
    expect(gets[0]!.headers.Range).toBeUndefined();
  });

  it('reads ranges as rclone decodes them (range, open end, suffix, seek)', async () => {
    expect((await readAll(await open('small.txt', 100, { range: { start: 5, end: 15 } }))).equals(small.subarray(5, 16))).toBe(true);
    expect(h.wire.at(-1)!.headers.Range).toBe('bytes=5-15');
    expect((await readAll(await open('small.txt', 100, { range: { start: 80, end: -1 } }))).equals(small.subarray(80))).toBe(true);
    expect(h.wire.at(-1)!.headers.Range).toBe('bytes=80-99');
    expect((await readAll(await open('small.txt', 100, { range: { start: -1, end: 20 } }))).equals(small.subarray(80))).toBe(true);
    expect((await readAll(await open('small.txt', 100, { seek: 42 }))).equals(small.subarray(42))).toBe(true);
    expect(h.wire.at(-1)!.headers.Range).toBe('bytes=42-99');
    // A range reaching past the end is clamped to the file.
    expect((await readAll(await open('small.txt', 100, { range: { start: 90, end: 500 } }))).equals(small.subarray(90))).toBe(true);
    expect(h.wire.at(-1)!.headers.Range).toBe('bytes=90-99');
    // Reading at the end needs no request.
    const before = h.wire.length;
    expect((await readAll(await open('small.txt', 100, { seek: 100 }))).length).toBe(0);
    expect(h.wire.length).toBe(before);
  });

  it('passes the body on as it comes when the size is unknown', async () => {
    expect((await readAll(await open('small.txt', -1))).equals(small)).toBe(true);
    expect((await readAll(await open('small.txt', -1, { seek: 60 }))).equals(small.subarray(60))).toBe(true);
    expect(h.wire.at(-1)!.headers.Range).toBe('bytes=60-');
  });

  it('reads a 0-byte file', async () => {
    expect((await readAll(await open('empty.txt', 0))).length).toBe(0);
  });

  it('resumes with a Range after a truncated (short but well-framed) body; content identical', async () => {
    h.emu.state.addFaults(['download=truncate@1']);
    expect((await readAll(await open('big.bin', data.length))).equals(data)).toBe(true);
    const gets = h.wire.filter(isDownload);
    expect(gets).toHaveLength(2);
    expect(gets[0]!.headers.Range).toBeUndefined();
    expect(gets[1]!.headers.Range).toBe(`bytes=${data.length / 2}-${data.length - 1}`);
  });

  it('resumes with a Range after the connection is reset mid-body; content identical', async () => {
    h.emu.state.addFaults(['download=reset@1']);
    expect((await readAll(await open('big.bin', data.length))).equals(data)).toBe(true);
    const gets = h.wire.filter(isDownload);
    expect(gets).toHaveLength(2);
    expect(gets[1]!.headers.Range).toMatch(new RegExp(`^bytes=\\d+-${data.length - 1}$`));
    const from = Number(/bytes=(\d+)-/.exec(gets[1]!.headers.Range!)![1]);
    expect(from).toBeGreaterThan(0);
  });

  it('resumes a ranged read from offset + delivered to the range end', async () => {
    h.emu.state.addFaults(['download=truncate@1']);
    const got = await readAll(await open('big.bin', data.length, { range: { start: 1000, end: 400_999 } }));
    expect(got.equals(data.subarray(1000, 401_000))).toBe(true);
    const gets = h.wire.filter(isDownload);
    expect(gets.map((g) => g.headers.Range)).toEqual(['bytes=1000-400999', `bytes=${1000 + 200_000}-400999`]);
  });

  it('gives up after a bounded number of resumes', async () => {
    h.emu.state.addFaults(['download=truncate']);
    const err = await readAll(await open('small.txt', 100)).then(() => undefined, (e: unknown) => e);
    expect(String(err)).toMatch(/stopped after \d+ of 100 bytes/);
    expect(h.wire.filter(isDownload)).toHaveLength(MAX_DOWNLOAD_RESUMES + 1);
  }, 20_000);

  it('fails when the server sends more bytes than expected', async () => {
    const err = await readAll(await open('small.txt', 50)).then(() => undefined, (e: unknown) => e);
    expect(String(err)).toMatch(/more than the expected 50 bytes/);
  });

  it('maps 404 to OBJECT_NOT_FOUND', async () => {
    const err = await open('missing.bin', 10).then(() => undefined, (e: unknown) => e);
    expect(isJsyncError(err, 'OBJECT_NOT_FOUND')).toBe(true);
  });

  it('is abortable mid-stream', async () => {
    const ac = new AbortController();
    const r = await open('big.bin', data.length, { signal: ac.signal });
    let got = 0;
    const err = await (async () => {
      for await (const c of r) {
        got += (c as Uint8Array).length;
        if (got > 0) ac.abort(new Error('stop reading'));
      }
    })().then(() => undefined, (e: unknown) => e);
    expect(err).toBeDefined();
    expect(got).toBeLessThan(data.length);
  });
});
