// Upload bodies end when the server has all bytes, so undici keeps the connection: an input whose end arrives a
// little after its last byte (a file stream's EOF read) must not cost a new connection per upload.

import { createHash } from 'node:crypto';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomContent } from '@jsync/testkit';
import { uploadFile } from '../../src/transfer/upload.js';
import { info, isUpload, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const md5 = (b: Uint8Array): string => createHash('md5').update(b).digest('hex');

/** The bytes in two chunks, then an end that comes `endDelayMs` later. */
async function* lateEnd(data: Uint8Array, endDelayMs: number): AsyncGenerator<Uint8Array> {
  const half = Math.floor(data.length / 2);
  yield data.subarray(0, half);
  yield data.subarray(half);
  await new Promise((r) => setTimeout(r, endDelayMs));
}

describe('upload connections', () => {
  let h: Harness;
  let connects = 0;
  const onConnect = (): void => void connects++;
  beforeEach(async () => {
    h = await startHarness();
    subscribe('undici:client:connected', onConnect);
  });
  afterEach(async () => {
    unsubscribe('undici:client:connected', onConnect);
    await h.close();
  });

  it('reuses one connection for sequential uploads whose input ends late', async () => {
    // warm up: the first requests open the connection
    const first = randomContent(1000);
    await uploadFile({ ctx: h.ctx, remote: 'w.bin', input: lateEnd(first, 0), src: info('w.bin', first.length, { md5: md5(first) }), replacing: false });
    connects = 0;
    for (let i = 0; i < 8; i++) {
      const data = randomContent(2000 + i);
      const file = await uploadFile({ ctx: h.ctx, remote: `f${i}.bin`, input: lateEnd(data, 15), src: info(`f${i}.bin`, data.length, { md5: md5(data) }), replacing: false });
      expect(file.currentRevision?.md5).toBe(md5(data));
    }
    expect(h.wire.filter(isUpload)).toHaveLength(9);
    expect(connects).toBe(0);
  });
});
