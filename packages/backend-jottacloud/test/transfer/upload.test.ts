// uploadFile against the emulator: md5 sources, spooling, sizes, resume, verification, no_versions, names.

import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Timestamp, errorClassOf, isJsyncError } from '@jsync/core';
import { bytesSource, randomContent } from '@jsync/testkit';
import { uploadFile } from '../../src/transfer/upload.js';
import { MAX_UPLOAD_ATTEMPTS } from '../../src/transfer/upload-session.js';
import { info, isAllocate, isUpload, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');
const T1 = Timestamp.fromSeconds(1_650_000_000);
const T2 = Timestamp.fromSeconds(1_700_000_123);

describe('uploadFile', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ root: 'base' });
  });
  afterEach(async () => {
    await h.close();
  });

  const put = (remote: string, data: Uint8Array, o: { md5?: string; size?: number; modTime?: Timestamp; replacing?: boolean; chunkSize?: number; failWith?: Error; signal?: AbortSignal } = {}) =>
    uploadFile({
      ctx: h.ctx, remote,
      input: bytesSource(data, { chunkSize: o.chunkSize ?? 65_536, ...(o.failWith ? { failWith: o.failWith } : {}) }),
      src: info(remote, o.size ?? data.length, { modTime: o.modTime ?? T1, ...(o.md5 !== undefined ? { md5: o.md5 } : {}) }),
      replacing: o.replacing ?? false,
      ...(o.signal ? { opts: { signal: o.signal } } : {}),
    });

  it('uploads with the source md5: one allocate, one upload, then a GET shows the content', async () => {
    const data = randomContent(200_000);
    const file = await put('dir/a.txt', data, { md5: md5(data) });
    expect(file.currentRevision).toMatchObject({ state: 'COMPLETED', md5: md5(data), size: data.length });
    expect(file.currentRevision?.modified?.seconds).toBe(T1.seconds);
    expect((await h.emu.state.readFile(h.statPath('dir/a.txt')))?.equals(data)).toBe(true);
    expect(h.wire.filter(isAllocate)).toHaveLength(1);
    const uploads = h.wire.filter(isUpload);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.headers['Content-Type']).toBe('application/octet-stream');
    expect(uploads[0]!.headers.Range).toBeUndefined();
    expect(uploads[0]!.contentLength).toBe(data.length);
    expect(uploads[0]!.bytes).toBe(data.length);
    expect(h.wire.find(isAllocate)!.headers['Content-Type']).toBe('application/json');
  });

  it('sends rclone\'s allocate body: bytes, created = modified (RFC 3339 seconds), md5, /jfs/<device>/<mountpoint>/<path>', async () => {
    const data = randomContent(1000);
    const bodies: string[] = [];
    h.tamper = (req) => {
      if (req.path === 'files/v1/allocate') bodies.push(String(req.body));
      return req;
    };
    await put('x y/b+c.txt', data, { md5: md5(data), modTime: Timestamp.fromMs(1_700_000_123_999) });
    expect(JSON.parse(bodies[0]!)).toEqual({
      bytes: 1000, created: '2023-11-14T22:15:23Z', md5: md5(data), modified: '2023-11-14T22:15:23Z', path: '/jfs/Jotta/Archive/base/x y/b+c.txt',
    });
  });

  it('spools a source without md5 in memory and stores the right content', async () => {
    const data = randomContent(50_000);
    const file = await put('nomd5.bin', data);
    expect(file.currentRevision?.md5).toBe(md5(data));
    expect((await h.emu.state.readFile(h.statPath('nomd5.bin')))?.equals(data)).toBe(true);
    expect(await readdir(h.tempDir)).toEqual([]);
  });

  it('spools a source above md5_memory_limit to a temp file in --temp-dir, and removes it', async () => {
    const data = randomContent(300_000);
    (h.ctx.opt as { md5_memory_limit: number }).md5_memory_limit = 100_000;
    await put('big.bin', data);
    expect((await h.emu.state.readFile(h.statPath('big.bin')))?.equals(data)).toBe(true);
    expect(await readdir(h.tempDir)).toEqual([]);
    // The file spool really uses --temp-dir: a missing one fails the put before any request.
    (h.ctx.global as { tempDir?: string }).tempDir = `${h.tempDir}/missing`;
    h.wire.length = 0;
    await expect(put('big2.bin', data)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(h.wire).toHaveLength(0);
    // …while a small file stays in memory and does not need it.
    await put('small.bin', data.subarray(0, 1000));
  });

  it('uploads a source of unknown size (spooled to learn it)', async () => {
    const data = randomContent(70_000);
    const file = await put('unknown.bin', data, { md5: md5(data), size: -1 });
    expect(file.currentRevision?.size).toBe(data.length);
    expect((await h.emu.state.readFile(h.statPath('unknown.bin')))?.equals(data)).toBe(true);
  });

  it('fails a short source (declared size not reached) without hanging and leaves no visible object', async () => {
    const data = randomContent(100_000);
    const full = Buffer.concat([data, randomContent(50_000)]);
    const t0 = Date.now();
    const err = await put('short.bin', data, { md5: md5(full), size: full.length }).then(() => undefined, (e: unknown) => e);
    expect(String(err)).toMatch(/unexpected EOF: source ended after 100000 of 150000 bytes/);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(h.emu.state.stat(h.statPath('short.bin'))?.current ?? null).toBeNull();
    // Without an md5 it is caught while spooling, before any request.
    h.wire.length = 0;
    await expect(put('short2.bin', data, { size: full.length })).rejects.toThrow(/unexpected EOF/);
    expect(h.wire).toHaveLength(0);
    expect(await readdir(h.tempDir)).toEqual([]);
  });

  it('leaves no visible object when the source fails half-way (FsPutError)', async () => {
    const data = randomContent(400_000);
    const boom = new Error('source read failed');
    const err = await put('broken.bin', data.subarray(0, 200_000), { md5: md5(data), size: data.length, failWith: boom }).then(
      () => undefined, (e: unknown) => e,
    );
    expect(err).toBe(boom);
    const st = h.emu.state.stat(h.statPath('broken.bin'));
    expect(st?.current ?? null).toBeNull();
    expect(h.wire.filter(isUpload)).toHaveLength(1); // the input error is never "resumed"
  });

  it('round-trips a 0-byte file', async () => {
    const file = await put('empty.txt', new Uint8Array(0), { md5: 'd41d8cd98f00b204e9800998ecf8427e' });
    expect(file.currentRevision).toMatchObject({ state: 'COMPLETED', size: 0, md5: 'd41d8cd98f00b204e9800998ecf8427e' });
    expect((await h.emu.state.readFile(h.statPath('empty.txt')))?.length).toBe(0);
    const up = h.wire.filter(isUpload);
    expect(up.length === 0 || (up.length === 1 && up[0]!.contentLength === 0 && up[0]!.bytes === 0)).toBe(true);
  });

  it('resumes within one put after the upload connection is reset, sending only size - resume_pos bytes with a Range', async () => {
    const data = randomContent(1_000_000);
    h.emu.state.addFaults(['upload=reset@1']);
    const file = await put('resume.bin', data, { md5: md5(data) });
    expect(file.currentRevision?.md5).toBe(md5(data));
    expect((await h.emu.state.readFile(h.statPath('resume.bin')))?.equals(data)).toBe(true);
    const allocs = h.wire.filter(isAllocate);
    const uploads = h.wire.filter(isUpload);
    expect(allocs).toHaveLength(2);
    expect(uploads).toHaveLength(2);
    const pos = (allocs[1]!.answer as { resume_pos: number }).resume_pos;
    expect(pos).toBeGreaterThan(0);
    expect(pos).toBeLessThan(data.length);
    expect(uploads[1]!.headers.Range).toBe(`bytes=${pos}-${data.length - 1}`);
    expect(uploads[1]!.contentLength).toBe(data.length - pos);
    expect(uploads[1]!.bytes).toBe(data.length - pos);
  });

  it('resumes within one put after a 420 (truncated upload) from a memory spool', async () => {
    const data = randomContent(300_000);
    h.emu.state.addFaults(['upload=truncate@1']);
    await put('trunc.bin', data);
    const uploads = h.wire.filter(isUpload);
    expect(uploads).toHaveLength(2);
    expect(uploads[1]!.headers.Range).toMatch(/^bytes=\d+-299999$/);
    expect((await h.emu.state.readFile(h.statPath('trunc.bin')))?.equals(data)).toBe(true);
  });

  it('a non-replayable source fails retryably; the next put resumes from resume_pos skipping that much of a fresh stream', async () => {
    const data = randomContent(2_000_000);
    (h.ctx.opt as { md5_memory_limit: number }).md5_memory_limit = 4096; // replay window too small to cover the loss
    h.emu.state.addFaults(['upload=reset@1']);
    const err = await put('engine-retry.bin', data, { md5: md5(data) }).then(() => undefined, (e: unknown) => e);
    expect(isJsyncError(err)).toBe(true);
    expect(errorClassOf(err)).toBe('retry');
    const pending = await h.emu.state.pendingUploads();
    expect(pending).toHaveLength(1);
    const received = pending[0]!.received;
    expect(received).toBeGreaterThan(0);
    expect(h.emu.state.stat(h.statPath('engine-retry.bin'))?.current ?? null).toBeNull();

    h.wire.length = 0;
    let pulled = 0;
    async function* fresh(): AsyncGenerator<Uint8Array> {
      for await (const c of bytesSource(data, { chunkSize: 65_536 })) {
        pulled += c.length;
        yield c;
      }
    }
    await uploadFile({ ctx: h.ctx, remote: 'engine-retry.bin', input: fresh(), src: info('engine-retry.bin', data.length, { md5: md5(data), modTime: T1 }), replacing: false });
    const uploads = h.wire.filter(isUpload);
    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.headers.Range).toBe(`bytes=${received}-${data.length - 1}`);
    expect(uploads[0]!.bytes).toBe(data.length - received);
    expect(pulled).toBe(data.length);
    expect((await h.emu.state.readFile(h.statPath('engine-retry.bin')))?.equals(data)).toBe(true);
  });

  it('retries a failed allocate within the put', async () => {
    const data = randomContent(10_000);
    h.emu.state.addFaults(['allocate=500@1']);
    await put('alloc.bin', data, { md5: md5(data) });
    expect(h.wire.filter(isAllocate)).toHaveLength(2);
    expect((await h.emu.state.readFile(h.statPath('alloc.bin')))?.equals(data)).toBe(true);
  });

  it('continues after the upload POST is refused with 401 (token expired while streaming)', async () => {
    const data = randomContent(100_000);
    h.emu.state.addFaults(['upload=expire@1']);
    await put('expired.bin', data, { md5: md5(data) });
    expect(h.wire.filter(isUpload)).toHaveLength(2);
    expect((await h.emu.state.readFile(h.statPath('expired.bin')))?.equals(data)).toBe(true);
  });

  it('gives up after a bounded number of attempts with a retryable error', async () => {
    const data = randomContent(10_000);
    h.emu.state.addFaults(['upload=503']);
    const err = await put('never.bin', data).then(() => undefined, (e: unknown) => e);
    expect(String(err)).toMatch(/upload of "never.bin" failed after 5 attempts/);
    expect(errorClassOf(err)).toBe('retry');
    expect(h.wire.filter(isUpload)).toHaveLength(MAX_UPLOAD_ATTEMPTS);
  });

  it('--low-level-retries bounds the attempts (1: a single allocate and POST, as rclone)', async () => {
    const data = randomContent(10_000);
    h.emu.state.addFaults(['upload=503']);
    const saved = h.ctx.global;
    (h.ctx as { global: typeof saved }).global = { ...saved, lowLevelRetries: 1 };
    try {
      const err = await put('once.bin', data).then(() => undefined, (e: unknown) => e);
      expect(String(err)).toMatch(/upload of "once.bin" failed after 1 attempt:/);
      expect(h.wire.filter(isUpload)).toHaveLength(1);
    } finally {
      (h.ctx as { global: typeof saved }).global = saved;
    }
  });

  it('CORRUPT upload: error, and the previous revision stays current', async () => {
    const v1 = randomContent(5000);
    await put('c.txt', v1, { md5: md5(v1) });
    const v2 = randomContent(5000);
    const wrong = md5(randomContent(10)); // declared md5 does not match the bytes
    const err = await put('c.txt', v2, { md5: wrong, replacing: true }).then(() => undefined, (e: unknown) => e);
    expect(String(err)).toMatch(/corrupted on transfer.*CORRUPT/);
    const st = h.emu.state.stat(h.statPath('c.txt'))!;
    expect(st.current?.md5).toBe(md5(v1));
    expect(st.latest?.state).toBe('CORRUPT');
    expect((await h.emu.state.readFile(h.statPath('c.txt')))?.equals(v1)).toBe(true);
  });

  it('overwrites keep versions by default (new revision current, old one kept)', async () => {
    const v1 = randomContent(3000);
    const v2 = randomContent(4000);
    await put('v.txt', v1, { md5: md5(v1) });
    await put('v.txt', v2, { md5: md5(v2), replacing: true, modTime: T2 });
    const st = h.emu.state.stat(h.statPath('v.txt'))!;
    expect(st.current).toMatchObject({ md5: md5(v2), size: 4000, modified: Number(T2.seconds) });
    expect(st.older?.map((r) => r.md5)).toEqual([md5(v1)]);
  });

  it('no_versions: replaces without keeping a version and leaves no temp file', async () => {
    (h.ctx.opt as { no_versions: boolean }).no_versions = true;
    const v1 = randomContent(3000);
    const v2 = randomContent(4000);
    await put('nv/f.txt', v1, { md5: md5(v1) });
    const file = await put('nv/f.txt', v2, { md5: md5(v2), replacing: true, modTime: T2 });
    expect(file.currentRevision).toMatchObject({ md5: md5(v2), size: 4000 });
    expect(file.currentRevision?.modified?.seconds).toBe(T2.seconds);
    const st = h.emu.state.stat(h.statPath('nv/f.txt'))!;
    expect(st.current?.md5).toBe(md5(v2));
    expect(st.older).toEqual([]);
    expect(st.deleted).toBeNull();
    expect(h.emu.state.stat(h.statPath('nv'))?.children).toEqual(['f.txt']);
  });

  it('no_versions: a failed upload leaves the old file untouched and removes the temp', async () => {
    (h.ctx.opt as { no_versions: boolean }).no_versions = true;
    const v1 = randomContent(3000);
    await put('nv2/f.txt', v1, { md5: md5(v1) });
    h.emu.state.addFaults(['upload=503']);
    await expect(put('nv2/f.txt', randomContent(4000), { replacing: true })).rejects.toThrow(/failed after/);
    h.emu.state.clearFaults();
    const st = h.emu.state.stat(h.statPath('nv2/f.txt'))!;
    expect(st.current?.md5).toBe(md5(v1));
    expect(st.deleted).toBeNull();
    expect(h.emu.state.stat(h.statPath('nv2'))?.children).toEqual(['f.txt']);
    // CORRUPT content is never moved over the old file either.
    await expect(put('nv2/f.txt', randomContent(4000), { md5: md5(randomContent(3)), replacing: true })).rejects.toThrow(/CORRUPT/);
    expect(h.emu.state.stat(h.statPath('nv2/f.txt'))?.current?.md5).toBe(md5(v1));
    expect(h.emu.state.stat(h.statPath('nv2'))?.children).toEqual(['f.txt']);
    expect(h.wire.some((r) => r.query.rm === 'true' && r.url.endsWith('nv2/f.txt'))).toBe(false);
  });

  it('no_versions: when the new file cannot be moved into place, the old one is moved back', async () => {
    (h.ctx.opt as { no_versions: boolean }).no_versions = true;
    const v1 = randomContent(3000);
    await put('nv3/f.txt', v1, { md5: md5(v1) });
    // The move of the new content onto the name goes to a destination outside the account (400).
    h.tamper = (req) => (req.query?.mv !== undefined && req.path?.endsWith('.partial') ? { ...req, query: { mv: '/someone-else/Jotta/Archive/x' } } : req);
    await expect(put('nv3/f.txt', randomContent(4000), { replacing: true })).rejects.toThrow(/old version restored/);
    const st = h.emu.state.stat(h.statPath('nv3/f.txt'))!;
    expect(st.current?.md5).toBe(md5(v1));
    expect(h.emu.state.stat(h.statPath('nv3'))?.children).toEqual(['f.txt']);
  });

  it('no_versions: at no step are both the old and the new content gone (stop after setting the old file aside)', async () => {
    (h.ctx.opt as { no_versions: boolean }).no_versions = true;
    const v1 = randomContent(3000);
    const v2 = randomContent(4000);
    await put('nv4/f.txt', v1, { md5: md5(v1) });
    // Every move after the first fails: the state is what a crash right after step 2 would leave.
    let moves = 0;
    h.tamper = (req) => (req.query?.mv !== undefined && ++moves > 1 ? { ...req, query: { mv: '/someone-else/Jotta/Archive/x' } } : req);
    await expect(put('nv4/f.txt', v2, { replacing: true })).rejects.toThrow(/nor restore the old one/);
    const names = h.emu.state.stat(h.statPath('nv4'))?.children ?? [];
    const contents = await Promise.all(names.map((n) => h.emu.state.readFile(h.statPath(`nv4/${n}`))));
    expect(contents.some((c) => c?.equals(v1))).toBe(true);
    expect(contents.some((c) => c?.equals(v2))).toBe(true);
    expect(names.some((n) => /^\.jsync-[0-9a-f]{12}\.old$/.test(n))).toBe(true);
    expect(names.some((n) => /^\.jsync-[0-9a-f]{12}\.partial$/.test(n))).toBe(true);
  });

  it('rejects a name longer than 255 characters with zero requests; 255 is fine', async () => {
    const long = 'a'.repeat(256);
    h.emu.state.clearRequests();
    const err = await put(`dir/${long}`, randomContent(10)).then(() => undefined, (e: unknown) => e);
    expect(isJsyncError(err, 'FILE_NAME_TOO_LONG')).toBe(true);
    expect(String(err)).toContain(`dir/${long}`);
    expect(errorClassOf(err)).toBe('noRetry');
    expect(h.wire).toHaveLength(0);
    expect(h.emu.state.requests).toHaveLength(0);
    // Counted in characters of the encoded name: 255 emoji pass, ':' becomes one fullwidth character.
    await put(`dir/${'😀'.repeat(254)}:`, randomContent(10));
    await put(`dir/${'b'.repeat(255)}`, randomContent(10));
    const dirChildren = h.emu.state.stat(h.statPath('dir'))?.children ?? [];
    expect(dirChildren).toHaveLength(2);
  });

  it('sets the modtime with cphash when the server reports another one after allocate', async () => {
    const data = randomContent(2000);
    // Make the server record a wrong time (as a dedup COMPLETED that kept the old times would).
    h.tamper = (req) => {
      if (req.path !== 'files/v1/allocate') return req;
      const body = JSON.parse(String(req.body)) as Record<string, unknown>;
      return { ...req, body: JSON.stringify({ ...body, modified: '2001-01-01T00:00:00Z', created: '2001-01-01T00:00:00Z' }) };
    };
    const file = await put('mt.txt', data, { md5: md5(data), modTime: T2 });
    expect(file.currentRevision?.modified?.seconds).toBe(T2.seconds);
    expect(h.emu.state.stat(h.statPath('mt.txt'))?.current?.modified).toBe(Number(T2.seconds));
    const cphash = h.wire.filter((r) => r.query.cphash === 'true');
    expect(cphash).toHaveLength(1);
    expect(cphash[0]!.headers).toMatchObject({ JSize: '2000', JMd5: md5(data), JModified: '2023-11-14-T22:15:23Z' });
  });

  it('dedup: allocate COMPLETED uploads nothing and the file gets its own modtime', async () => {
    const data = randomContent(5000);
    await put('d1.txt', data, { md5: md5(data), modTime: T1 });
    h.wire.length = 0;
    const file = await put('d2.txt', data, { md5: md5(data), modTime: T2 });
    expect(h.wire.filter(isUpload)).toHaveLength(0);
    expect((h.wire.find(isAllocate)!.answer as { state: string }).state).toBe('COMPLETED');
    expect(file.currentRevision?.modified?.seconds).toBe(T2.seconds);
    expect((await h.emu.state.readFile(h.statPath('d2.txt')))?.equals(data)).toBe(true);
  });

  it('is abortable', async () => {
    const ac = new AbortController();
    const data = randomContent(1_000_000);
    async function* slow(): AsyncGenerator<Uint8Array> {
      for (let off = 0; off < data.length; off += 100_000) {
        if (off === 300_000) ac.abort(new Error('user abort'));
        yield data.subarray(off, off + 100_000);
        await new Promise((r) => setTimeout(r, 5));
      }
    }
    const err = await uploadFile({
      ctx: h.ctx, remote: 'abort.bin', input: slow(), src: info('abort.bin', data.length, { md5: md5(data) }), replacing: false, opts: { signal: ac.signal },
    }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeDefined();
    expect(h.emu.state.stat(h.statPath('abort.bin'))?.current ?? null).toBeNull();
    expect(h.wire.filter(isAllocate)).toHaveLength(1);
  });
});
