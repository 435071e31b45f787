// Enormous answers from a hostile server: the client reads a bounded amount (folder documents: 256 MiB by default,
// liststream: one element ≤ 1 MiB, error bodies ≤ 1 MiB), then fails clearly; memory growth and the bytes the server
// managed to send stay bounded.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsyncError } from '@jsync/core';
import type { DirEntry } from '@jsync/core';
import { DEFAULT_MAX_DOCUMENT_BYTES, JottacloudFs } from '../../src/fs/jotta-fs.js';
import { startJfsStub, STUB_USER } from './jfs-stub.js';
import type { JfsStub, StubAnswer } from './jfs-stub.js';

const MiB = 1024 * 1024;

/** A streamed body: `head`, then `chunk` repeated until `total` bytes (or the client hangs up); counts what was produced. */
function streamed(head: string, chunk: string, total: number, status = 200): StubAnswer & { sent: () => number } {
  let sent = 0;
  const c = Buffer.from(chunk);
  return {
    status,
    sent: () => sent,
    body: async function* () {
      const h = Buffer.from(head);
      sent += h.length;
      yield h;
      while (sent < total) {
        sent += c.length;
        yield c;
      }
    },
  };
}

/** Runs `fn` while sampling RSS every 10 ms; returns its error and the peak RSS growth in bytes. */
async function measure(fn: () => Promise<unknown>): Promise<{ err: unknown; growth: number; ms: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const t0 = Date.now();
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return { err, growth: peak - base, ms: Date.now() - t0 };
}

async function drain(pages: AsyncIterable<readonly DirEntry[]>): Promise<number> {
  let n = 0;
  for await (const p of pages) n += p.length;
  return n;
}

/** One `<file>` entry of a folder document, ~300 bytes, repeated to build MiB-sized chunks. */
const FILE_XML = '<file name="f.txt"><currentRevision><number>1</number><state>COMPLETED</state><created>2021-03-04-T05:06:07Z</created>' +
  '<modified>2021-03-04-T05:06:07Z</modified><mime>text/plain</mime><size>1</size><md5>0cc175b9c0f1b6a831c399e269772661</md5></currentRevision></file>';
const FILES_MIB = FILE_XML.repeat(Math.ceil(MiB / FILE_XML.length));
const DOC_HEAD = `<?xml version="1.0" encoding="UTF-8"?><folder name="big"><path>/${STUB_USER}/Jotta/Archive</path><files>`;

let stub: JfsStub;
let fs: JottacloudFs;

beforeAll(async () => {
  stub = await startJfsStub({ '': { folders: ['src'], files: [] }, src: { folders: ['big'], files: [] } });
  const f = await stub.open('src');
  if (!(f instanceof JottacloudFs)) throw new Error('not a JottacloudFs');
  fs = f;
});
afterAll(() => stub?.stop());

describe('enormous folder documents', () => {
  it(`default cap: a never-ending document fails after ${DEFAULT_MAX_DOCUMENT_BYTES / MiB} MiB, naming the folder`, async () => {
    const body = streamed(DOC_HEAD, FILES_MIB, 8 * 1024 * MiB);
    stub.overrides.set('doc:src/big', body);
    const r = await measure(() => drain(fs.list('big')));
    // Read up to the cap (plus what sat in socket buffers), then hung up: not the 8 GiB offered.
    expect(body.sent()).toBeLessThan(DEFAULT_MAX_DOCUMENT_BYTES + 64 * MiB);
    // The capped bytes are held once (plus their concatenation): bounded well below the body's size.
    expect(r.growth).toBeLessThan(2.5 * DEFAULT_MAX_DOCUMENT_BYTES);
    expect(r.err).toBeInstanceOf(JsyncError);
    expect((r.err as JsyncError).code).toBe('IO');
    expect((r.err as Error).message).toBe(
      `couldn't list files: response body of GET /jfs/${STUB_USER}/Jotta/Archive/src/big exceeds ${DEFAULT_MAX_DOCUMENT_BYTES} bytes`,
    );
  }, 60_000);

  it('a smaller cap bounds memory accordingly (2 GiB offered, 8 MiB read)', async () => {
    fs.setMaxDocumentBytes(8 * MiB);
    try {
      const body = streamed(DOC_HEAD, FILES_MIB, 2048 * MiB);
      stub.overrides.set('doc:src/big', body);
      const r = await measure(() => drain(fs.list('big')));
      expect(body.sent()).toBeLessThan(8 * MiB + 64 * MiB);
      expect(r.growth).toBeLessThan(96 * MiB);
      expect((r.err as Error).message).toMatch(/^couldn't list files: response body of GET \S+\/src\/big exceeds 8388608 bytes$/);
      expect(r.ms).toBeLessThan(5_000);
    } finally {
      fs.setMaxDocumentBytes(DEFAULT_MAX_DOCUMENT_BYTES);
    }
  });

  it('a document under the cap but nested 100 000 deep fails as invalid XML (no stack overflow)', async () => {
    stub.overrides.set('doc:src/big', { body: `<?xml version="1.0"?><folder name="big">${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</folder>` });
    const r = await measure(() => drain(fs.list('big')));
    expect((r.err as Error).message).toMatch(/^couldn't list files: invalid XML from Jottacloud: /);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('an error answer with an endless body: read ≤ 1 MiB of it', async () => {
    const body = streamed('<error><code>500</code><message>', 'x'.repeat(MiB), 2048 * MiB, 500);
    stub.overrides.set('doc:src/big', body);
    const r = await measure(() => drain(fs.list('big')));
    expect(r.err).toBeInstanceOf(JsyncError);
    expect(body.sent()).toBeLessThan(64 * MiB);
    expect(r.growth).toBeLessThan(96 * MiB);
  });
});

describe('enormous liststream answers', () => {
  const LS_HEAD = '<?xml version="1.0" encoding="UTF-8"?><filetree><folder name="src"><path>/Archive/src</path></folder>';
  const cases: ReadonlyArray<readonly [label: string, head: string, chunk: string, total: number, message: RegExp]> = [
    ['one <path> of 2 GiB', `${LS_HEAD}<file name="f"><path>/Archive/src/`, 'a'.repeat(MiB), 2048 * MiB, /longer than 1048576 characters/],
    ['one <file> element of 2 GiB (many small children)', `${LS_HEAD}<file name="f">`, '<x>1</x>'.repeat(MiB / 8), 2048 * MiB, /element larger than 1048576 characters/],
    ['a tag name of 2 GiB', `${LS_HEAD}<f`, 'a'.repeat(MiB), 2048 * MiB, /1048576/],
    ['a comment of 2 GiB', `${LS_HEAD}<!--`, 'a'.repeat(MiB), 2048 * MiB, /1048576/],
  ];
  for (const [label, head, chunk, total, message] of cases) {
    it(`${label}: fails after about 1 MiB with bounded memory`, async () => {
      const body = streamed(head, chunk, total);
      stub.overrides.set('liststream:src', body);
      try {
        const r = await measure(() => drain(fs.features.listR!('')));
        expect(body.sent()).toBeLessThan(64 * MiB);
        expect(r.growth).toBeLessThan(96 * MiB);
        expect(r.ms).toBeLessThan(5_000);
        expect(r.err).toBeInstanceOf(JsyncError);
        expect((r.err as Error).message).toMatch(/^couldn't list files: invalid (result from listStream|XML from Jottacloud): /);
        expect((r.err as Error).message).toMatch(message);
      } finally {
        stub.overrides.delete('liststream:src');
      }
    });
  }

  it('128 MiB of whitespace between elements streams through in bounded memory, then fails for the missing <stats>', async () => {
    const body = streamed(LS_HEAD, ' '.repeat(MiB), 128 * MiB);
    stub.overrides.set('liststream:src', body);
    try {
      const r = await measure(() => drain(fs.features.listR!('')));
      expect((r.err as Error).message).toMatch(/invalid (result from listStream|XML from Jottacloud)/);
      expect(body.sent()).toBeGreaterThanOrEqual(128 * MiB);
      expect(r.growth).toBeLessThan(96 * MiB);
    } finally {
      stub.overrides.delete('liststream:src');
    }
  }, 30_000);
});
