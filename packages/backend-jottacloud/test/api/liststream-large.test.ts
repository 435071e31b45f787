// A million-entry liststream generated lazily: parsed page by page with bounded heap growth.

import { describe, expect, it } from 'vitest';
import { parseListStream } from '../../src/api/liststream.js';

const FOLDERS = 1000;
const FILES_PER_FOLDER = 1000;
const enc = new TextEncoder();

/** The document in ~64 KiB chunks; every 10th folder has no <folder> element (its files introduce it). */
async function* hugeListStream(): AsyncGenerator<Uint8Array> {
  let buf = '<?xml version="1.0" encoding="UTF-8"?><filetree>';
  for (let d = 0; d < FOLDERS; d++) {
    const path = `/Archive/big/dïr ${d}`;
    if (d % 10 !== 0) buf += `<folder name="dïr ${d}"><path>${path}</path></folder>`;
    for (let f = 0; f < FILES_PER_FOLDER; f++) {
      buf += `<file name="f${f}" uuid="x"><path>${path}</path><filename>fïlé &amp; ${f}.txt</filename>` +
        `<md5>0cc175b9c0f1b6a831c399e269772661</md5><size>${d * FILES_PER_FOLDER + f}</size>` +
        `<modified>2020-05-06T07:08:09.000Z</modified><created>2020-05-06T07:08:09.000Z</created></file>`;
      if (buf.length > 65536) {
        yield enc.encode(buf);
        buf = '';
      }
    }
  }
  yield enc.encode(`${buf}<stats><folders>${FOLDERS}</folders><files>${FOLDERS * FILES_PER_FOLDER}</files></stats></filetree>`);
}

describe('parseListStream at scale', () => {
  it('parses 1,000,000 files in 1000 folders with bounded memory', async () => {
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    let files = 0;
    let folders = 0;
    let sizeSum = 0;
    let pages = 0;
    let lastName = '';
    for await (const page of parseListStream(hugeListStream(), { pageSize: 1000 })) {
      expect(page.length).toBeLessThanOrEqual(1000);
      pages++;
      for (const item of page) {
        if (item.kind === 'file') {
          files++;
          sizeSum += item.size;
          lastName = item.name;
        } else folders++;
      }
      if (pages % 50 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    const n = FOLDERS * FILES_PER_FOLDER;
    expect(files).toBe(n);
    expect(folders).toBe(FOLDERS);
    expect(sizeSum).toBe((n * (n - 1)) / 2);
    expect(lastName).toBe(`fïlé & ${FILES_PER_FOLDER - 1}.txt`);
    expect(pages).toBeGreaterThanOrEqual(n / 1000);
    // Holding the whole listing would take hundreds of MB; the parser keeps one element and one page.
    expect(peak).toBeLessThan(100 * 1024 * 1024);
  }, 60_000);
});
