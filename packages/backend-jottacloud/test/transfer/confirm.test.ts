// Verification on the upload answer: no GET when the answer confirms exactly the content sent (once the MIME type of
// the name's ending is known), a GET otherwise (missing/contradicting fields, dedup, no_versions), and the same
// document / object as after a GET.

import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Timestamp } from '@jsync/core';
import type { FsObject } from '@jsync/core';
import { bytesSource, randomContent } from '@jsync/testkit';
import type { JottaFile } from '../../src/api/types.js';
import { JottacloudObject } from '../../src/fs/object.js';
import { readFileDoc } from '../../src/transfer/jfs-file.js';
import { uploadFile } from '../../src/transfer/upload.js';
import { put as fsPut, startJotta } from '../fs/helpers.js';
import { info, isAllocate, isUpload, startHarness } from './harness.js';
import type { Harness, WireRecord } from './harness.js';

const md5 = (b: Uint8Array | string): string => createHash('md5').update(b).digest('hex');
const T1 = Timestamp.fromSeconds(1_650_000_000);
const isGet = (r: WireRecord): boolean => r.method === 'GET';

/** The fields of a file document the Fs builds its objects from. */
function essentials(f: JottaFile): unknown {
  const r = f.currentRevision;
  return {
    name: f.name, deleted: f.deleted, state: r?.state, size: r?.size, md5: r?.md5, mime: r?.mime,
    created: r?.created?.ns, modified: r?.modified?.ns,
  };
}

describe('uploadFile verification on the upload answer', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ root: 'base' });
  });
  afterEach(async () => {
    await h.close();
  });

  const put = (remote: string, data: Uint8Array, o: { modTime?: Timestamp; replacing?: boolean } = {}) =>
    uploadFile({
      ctx: h.ctx, remote, input: bytesSource(data, { chunkSize: 65_536 }),
      src: info(remote, data.length, { modTime: o.modTime ?? T1, md5: md5(data) }), replacing: o.replacing ?? false,
    });

  it('reads back the first file of a name ending, then accepts the answer alone; the document equals the GET\'s', async () => {
    const a = randomContent(3000);
    const first = await put('d/a.txt', a);
    expect(h.wire.map((r) => (isAllocate(r) ? 'allocate' : isUpload(r) ? 'upload' : r.method))).toEqual(['allocate', 'upload', 'GET']);
    expect(first.currentRevision?.mime).toBe('text/plain');
    for (const [remote, size] of [['d/b.txt', 5000], ['e/c.txt', 0], ['e/f g+h.txt', 70_000]] as const) {
      h.wire.length = 0;
      const data = randomContent(size);
      const file = await put(remote, data, { modTime: Timestamp.fromMs(1_700_000_123_999) });
      expect(h.wire.filter(isGet)).toEqual([]);
      expect(h.wire).toHaveLength(2);
      const read = await readFileDoc(h.ctx, remote);
      expect(essentials(file)).toEqual(essentials(read));
      expect(file.currentRevision?.modified?.seconds).toBe(1_700_000_123n);
    }
    // Another ending has its own MIME type: read back once.
    h.wire.length = 0;
    const png = await put('d/p.png', randomContent(100));
    expect(h.wire.filter(isGet)).toHaveLength(1);
    expect(png.currentRevision?.mime).toBe('image/png');
  });

  it('reads back when the answer lacks or contradicts bytes, md5 or modified, and succeeds on what the GET shows', async () => {
    await put('seed.bin', randomContent(10)); // learns the MIME type of .bin
    const variants: ((a: Record<string, unknown>) => unknown)[] = [
      () => 'not json',
      () => ({}),
      () => [1, 2],
      (a) => ({ ...a, bytes: Number(a.bytes) + 1 }),
      (a) => ({ ...a, bytes: String(a.bytes) }),
      (a) => ({ ...a, md5: md5('other') }),
      (a) => ({ ...a, md5: undefined }),
      (a) => ({ ...a, modified: undefined }),
      (a) => ({ ...a, modified: 'yesterday' }),
    ];
    for (const [i, change] of variants.entries()) {
      h.reanswer = (req, text) => {
        if (!req.rootUrl.includes('/files/v1/upload/')) return text;
        const out = change(JSON.parse(text) as Record<string, unknown>);
        return typeof out === 'string' ? out : JSON.stringify(out);
      };
      h.wire.length = 0;
      const data = randomContent(1000 + i);
      const file = await put(`v${i}.bin`, data);
      expect(h.wire.filter(isGet), `variant ${i}`).toHaveLength(1);
      expect(file.currentRevision).toMatchObject({ state: 'COMPLETED', md5: md5(data), size: data.length });
    }
  });

  it('an answer contradicting the content sent, with the server holding other content, is an error (req 9)', async () => {
    await put('seed.txt', randomContent(10));
    const data = randomContent(4000);
    h.reanswer = async (req, text) => {
      if (!req.rootUrl.includes('/files/v1/upload/')) return text;
      // The server ends up with other bytes under the name, and its answer says so.
      await h.emu.state.putFile(h.statPath('x.txt'), 'something else', { modified: Number(T1.seconds) });
      return JSON.stringify({ ...(JSON.parse(text) as object), md5: md5('something else'), bytes: 14 });
    };
    const err = await put('x.txt', data).then(() => undefined, (e: unknown) => e);
    expect(String(err)).toMatch(/upload of "x.txt" not accepted: md5 differs/);
    expect(h.wire.filter(isGet)).toHaveLength(2);
  });

  it('dedup at allocate still reads the file back', async () => {
    const data = randomContent(2000);
    await put('one.txt', data);
    h.wire.length = 0;
    const file = await put('two.txt', data, { modTime: Timestamp.fromSeconds(1_700_000_000) });
    expect(h.wire.filter(isUpload)).toHaveLength(0);
    expect(h.wire.filter(isGet)).toHaveLength(1);
    expect(file.currentRevision?.modified?.seconds).toBe(1_700_000_000n);
  });

  it('no_versions: the swapped-in file is read back under its name', async () => {
    (h.ctx.opt as { no_versions: boolean }).no_versions = true;
    await put('nv.txt', randomContent(100));
    await put('other.txt', randomContent(100)); // .txt known, .partial not yet
    h.wire.length = 0;
    const v2 = randomContent(300);
    const file = await put('nv.txt', v2, { replacing: true });
    const gets = h.wire.filter(isGet).map((r) => r.url.slice(r.url.lastIndexOf('/') + 1));
    expect(gets.at(-1)).toBe('nv.txt');
    expect(file).toMatchObject({ name: 'nv.txt', currentRevision: { md5: md5(v2), size: 300 } });
  });
});

describe('Fs put on the upload answer', () => {
  it('gives the same object as newObject (size, md5, modtime, created, MIME type)', async () => {
    const jc = await startJotta();
    try {
      const { fs } = await jc.open('root');
      const t = Timestamp.parse('2022-05-06T07:08:09.987654321Z');
      await fsPut(fs, 'a/first.json', '{}', t);
      jc.emu.state.clearRequests();
      const put = await fsPut(fs, 'a/second.json', '{"x":1}', t);
      expect(jc.emu.state.requests.map((r) => r.method)).toEqual(['POST', 'POST']); // allocate, upload: no GET
      const fresh = await fs.newObject('a/second.json');
      const view = (o: FsObject) => ({
        remote: o.remote, size: o.size, modTime: o.modTime().ns, md5: o.hash('md5'), mime: (o as JottacloudObject).mimeType(),
        created: (o as JottacloudObject).createTime()?.ns,
      });
      expect(put).toBeInstanceOf(JottacloudObject);
      expect({ ...view(put), md5: await view(put).md5 }).toEqual({ ...view(fresh), md5: await view(fresh).md5 });
      expect((put as JottacloudObject).mimeType()).toBe('application/json');
    } finally {
      await jc.stop();
    }
  });
});
