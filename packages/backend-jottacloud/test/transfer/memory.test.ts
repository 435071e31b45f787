// Requirement 7: an upload without a source md5 spools to disk above md5_memory_limit, so memory stays bounded.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { uploadFile } from '../../src/transfer/upload.js';
import { info, startHarness } from './harness.js';

it('uploads 256 MiB without an md5 with bounded memory (temp-file spool), then cleans up', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'jc-transfer-emu-'));
  const h = await startHarness({ emulator: { dataDir } }); // emulator content on disk, not in this process's heap
  try {
    (h.ctx.opt as { md5_memory_limit: number }).md5_memory_limit = 1 << 20;
    const size = 256 << 20;
    const chunk = Buffer.alloc(1 << 20, 0x5a);
    async function* input(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < size / chunk.length; i++) yield Buffer.from(chunk);
    }
    const base = process.memoryUsage().rss;
    let peak = base;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    try {
      const file = await uploadFile({ ctx: h.ctx, remote: 'huge.bin', input: input(), src: info('huge.bin', size), replacing: false });
      expect(file.currentRevision?.size).toBe(size);
    } finally {
      clearInterval(timer);
    }
    // Holding the file would need 256 MiB; the spool keeps at most md5_memory_limit plus I/O buffers.
    expect(peak - base).toBeLessThan(128 << 20);
    expect(await readdir(h.tempDir)).toEqual([]);
  } finally {
    await h.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}, 60_000);
