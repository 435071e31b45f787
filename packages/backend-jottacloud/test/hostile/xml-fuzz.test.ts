// Bounded, seeded fuzzing of the JFS XML parsers with mutated real documents: parseJfsDocument and parseListStream
// either return or throw a JsyncError (never another error, never a hang), every parse is fast, and the streaming
// liststream parser gives the same outcome however the body is split into chunks.

import { describe, expect, it } from 'vitest';
import { JsyncError } from '@jsync/core';
import { parseListStream } from '../../src/api/liststream.js';
import { parseJfsDocument } from '../../src/api/xml.js';
import { folderXml, listStreamXml, STUB_USER } from './jfs-stub.js';

/** mulberry32: the same seed gives the same cases on every run (`JSYNC_FUZZ_SEED` explores others). */
function prng(seed: number): { int(n: number): number; chance(p: number): boolean; pick<T>(a: readonly T[]): T } {
  let s = (seed ^ (Number(process.env['JSYNC_FUZZ_SEED'] ?? 0) >>> 0)) >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (n) => Math.floor(next() * n), chance: (p) => next() < p, pick: (a) => a[Math.floor(next() * a.length)]! };
}

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NAMES = ['a.txt', 'x & y', '<tag>', '"q"', "it's", '😀', 'e\u0301', '‛41', '／：', ' lead ', ']]>', '&amp;'];

/** Real-shaped documents: what Jottacloud (and the emulator) send for folders, files, users, devices, errors. */
const DOCUMENTS: readonly string[] = [
  folderXml('dir', { folders: ['sub', 'with space', 'x&y'], files: NAMES.map((n, i) => ({ name: n, data: `content ${i}` })) }),
  `${HEAD}<file name="a.txt" uuid="u1" time="2021-03-04-T05:06:07Z" host="dn"><path xml:space="preserve">/${STUB_USER}/Jotta/Archive/d</path>` +
    `<abspath xml:space="preserve">/${STUB_USER}/Jotta/Archive/d</abspath><currentRevision><number>3</number><state>COMPLETED</state>` +
    '<created>2021-03-04-T05:06:07Z</created><modified>2021-03-04-T05:06:07+0100</modified><mime>text/plain</mime><size>2</size>' +
    '<md5>49f68a5c8493ec2c0bf489821c21fc3b</md5><updated>2021-03-04-T05:06:07Z</updated></currentRevision>' +
    '<latestRevision><number>4</number><state>INCOMPLETE</state><size>9</size></latestRevision></file>',
  `${HEAD}<user time="t" host="h"><username>${STUB_USER}</username><account-type>unlimited</account-type><locked>false</locked>` +
    '<capacity>-1</capacity><usage>7</usage><devices><device><name xml:space="preserve">Jotta</name><type>JOTTA</type><size>7</size></device></devices></user>',
  `${HEAD}<device><name>Jotta</name><type>JOTTA</type><mountPoints><mountPoint><name>Archive</name><size>7</size></mountPoint>` +
    '<mountPoint><name>Sync</name><size>0</size><deleted>2020-01-01-T00:00:00Z</deleted></mountPoint></mountPoints></device>',
  `${HEAD}<error><code>404</code><message>no.jotta.backup.errors.NoSuchPathException: Directory /x not found</message>` +
    '<reason>Not Found</reason><cause></cause><hostname>dn</hostname><x-id>1</x-id></error>',
  `${HEAD}<mountPoint><name xml:space="preserve">Archive</name><path>/u/Jotta</path><folders><folder name="a"/></folders>` +
    '<files><file name="b" deleted="true"><currentRevision><state>COMPLETED</state><size>1</size></currentRevision></file></files></mountPoint>',
];

const LISTSTREAMS: readonly string[] = [
  listStreamXml([
    { path: '/Archive/src' },
    ...NAMES.map((n, i) => ({ path: '/Archive/src', file: { name: n, data: `c${i}` } })),
    { path: '/Archive/src/sub dir' },
    { path: '/Archive/src/sub dir', file: { name: 'deep.txt', data: 'deep' } },
    { path: '/Archive/src/implied', file: { name: 'f', data: '' } },
  ]),
  listStreamXml([{ path: '/Archive/src' }]),
];

/** Pieces that stress an XML parser: markup, references (legal and not), declarations, odd code points. */
const JUNK = [
  '<', '>', '&', '"', "'", '/', '=', ' ', '\n', '\0', '\u0001', '\ufffe', '\uffff', '\ud800', '😀', '&#0;', '&#x110000;', '&#65;',
  '&amp', '&nbsp;', '&unknown;', '<!--', '-->', '<![CDATA[', ']]>', '<!DOCTYPE x>', '<!ENTITY a "b">', '<?pi?>', '</', '/>',
  '<file>', '</file>', '<folder name="x">', '</folder>', '<path>', '</path>', '<stats>', '</stats>', '<size>', '99999999999999999999',
  '-1', '<size>x</size>', '<modified>bad</modified>', 'xml:space="preserve"', '<a b="1" b="2">', '<a:b xmlns:a="u">',
];

/** One mutation of `doc`: replace, insert, delete, duplicate or truncate, possibly repeated. */
function mutate(r: ReturnType<typeof prng>, doc: string): string {
  let s = doc;
  const rounds = 1 + r.int(4);
  for (let k = 0; k < rounds; k++) {
    const i = r.int(s.length + 1);
    const j = Math.min(s.length, i + r.int(40));
    switch (r.int(6)) {
      case 0:
        s = s.slice(0, i) + r.pick(JUNK) + s.slice(i + 1);
        break;
      case 1:
        s = s.slice(0, i) + r.pick(JUNK) + s.slice(i);
        break;
      case 2:
        s = s.slice(0, i) + s.slice(j);
        break;
      case 3:
        s = s.slice(0, j) + s.slice(i, j) + s.slice(j);
        break;
      case 4:
        s = s.slice(0, i);
        break;
      default:
        s = s.slice(0, i) + '<a>'.repeat(r.int(200)) + s.slice(i);
    }
  }
  return s;
}

/** parseJfsDocument's outcome: the document or the JsyncError message; any other throw fails the test. */
function docOutcome(xml: string): string {
  try {
    return JSON.stringify(parseJfsDocument(xml), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch (err) {
    if (!(err instanceof JsyncError) || err.code !== 'IO') throw new Error(`non-IO error for ${JSON.stringify(xml)}: ${String(err)}`);
    return `error: ${err.message}`;
  }
}

/** The bytes of `text` cut at random points (also inside multi-byte UTF-8 characters). */
function* chunked(bytes: Uint8Array, r: ReturnType<typeof prng>): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length;) {
    const n = 1 + r.int(r.chance(0.3) ? 4 : 200);
    yield bytes.subarray(i, i + n);
    i += n;
  }
}

/** parseListStream's outcome (all items, or the JsyncError message) for one chunking; any other throw fails the test. */
async function listOutcome(bytes: Uint8Array, chunks: Iterable<Uint8Array>, pageSize: number): Promise<string> {
  const items: unknown[] = [];
  async function* body(): AsyncGenerator<Uint8Array> {
    yield* chunks;
  }
  try {
    for await (const page of parseListStream(body(), { pageSize, maxElementBytes: 4096 })) {
      if (page.length > pageSize) throw new Error(`page of ${page.length} > ${pageSize}`);
      items.push(...page);
    }
    return JSON.stringify(items, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  } catch (err) {
    if (!(err instanceof JsyncError) || err.code !== 'IO') {
      throw new Error(`non-IO error for ${JSON.stringify(Buffer.from(bytes).toString())}: ${String(err)}`);
    }
    return `error: ${err.message}`;
  }
}

describe('XML parser fuzz', () => {
  it('the unmutated documents parse', () => {
    for (const d of DOCUMENTS) expect(docOutcome(d)).not.toMatch(/^error/);
  });

  it('parseJfsDocument on 6 000 mutated documents: a document or an IO error, each parse < 250 ms', () => {
    const r = prng(0x0fa11);
    const t0 = Date.now();
    let n = 0;
    let errors = 0;
    let slowest = 0;
    for (; n < 6_000 && Date.now() - t0 < 4_000; n++) {
      const xml = mutate(r, r.pick(DOCUMENTS));
      const t = performance.now();
      if (docOutcome(xml).startsWith('error')) errors++;
      slowest = Math.max(slowest, performance.now() - t);
    }
    expect(n).toBeGreaterThan(1_000);
    expect(errors).toBeGreaterThan(n / 10);
    expect(errors).toBeLessThan(n);
    expect(slowest).toBeLessThan(250);
  });

  it('every split point of bodies with `<!…` markup gives the outcome of the whole body', async () => {
    const doc = (markup: string) =>
      `<filetree><folder name="x"><path>/A${markup}B</path></folder><stats><folders>1</folders><files>0</files></stats></filetree>`;
    for (const markup of ['<!ENTITY a "b">', '<!ELEMENT x ANY>', '<!DOCTYPE x>', '<!-- c -->', '<![CDATA[c]]>', '<!x>', '<!']) {
      const bytes = Buffer.from(doc(markup));
      const whole = await listOutcome(bytes, [bytes], 1000);
      for (let i = 1; i < bytes.length; i++) {
        expect(await listOutcome(bytes, [bytes.subarray(0, i), bytes.subarray(i)], 1000), `${markup} split at ${i}`).toBe(whole);
      }
    }
  });

  it('parseListStream on 1 500 mutated bodies: same outcome for two chunkings and page sizes, IO errors only, bounded time', async () => {
    const r = prng(0x0fa12);
    const t0 = Date.now();
    let n = 0;
    let errors = 0;
    let slowest = 0;
    for (; n < 1_500 && Date.now() - t0 < 4_000; n++) {
      const text = n < LISTSTREAMS.length ? LISTSTREAMS[n]! : mutate(r, r.pick(LISTSTREAMS));
      const bytes = Buffer.from(text);
      const t = performance.now();
      const whole = await listOutcome(bytes, [bytes], 1000);
      const split = await listOutcome(bytes, chunked(bytes, r), 1 + r.int(5));
      slowest = Math.max(slowest, performance.now() - t);
      if (whole !== split) throw new Error(`chunking changed the outcome for ${JSON.stringify(text)}:\n${whole}\n${split}`);
      if (whole.startsWith('error')) errors++;
      if (n < LISTSTREAMS.length) expect(whole).not.toMatch(/^error/);
    }
    expect(n).toBeGreaterThan(300);
    expect(errors).toBeGreaterThan(n / 10);
    expect(slowest).toBeLessThan(250);
  });
});
