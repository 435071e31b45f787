// streamSource: skip to resume_pos, replay inside the window after an abandoned read, size checks, input failures.

import { describe, expect, it } from 'vitest';
import { bytesSource, randomContent } from '@jsync/testkit';
import { streamSource } from '../../src/transfer/stream-source.js';
import type { UploadSource } from '../../src/transfer/source.js';

async function readAll(src: UploadSource, offset = 0): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of src.read(offset)) parts.push(c);
  return Buffer.concat(parts);
}

/** Reads from `offset` until `n` bytes were taken, then abandons the iterator (as an aborted POST would). */
async function readSome(src: UploadSource, offset: number, n: number): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  let got = 0;
  for await (const c of src.read(offset)) {
    parts.push(c);
    got += c.length;
    if (got >= n) break;
  }
  return Buffer.concat(parts);
}

describe('streamSource', () => {
  it('reads the whole input once and checks it ends at the declared size', async () => {
    const data = randomContent(10_000);
    const src = streamSource(bytesSource(data, { chunkSize: 777 }), { md5: 'x', size: data.length, windowBytes: 0 });
    expect((await readAll(src)).equals(data)).toBe(true);
    expect(src.failure).toBeUndefined();
    await src.dispose();
  });

  it('holds the last bytes back until the input has ended (a longer input never sends its declared size)', async () => {
    const events: string[] = [];
    let endInput: () => void = () => undefined;
    async function* slowEnd(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('aaaa');
      yield Buffer.from('bbbb');
      events.push('input waits');
      await new Promise<void>((resolve) => (endInput = resolve));
      events.push('input ends');
    }
    const src = streamSource(slowEnd(), { md5: 'x', size: 8, windowBytes: 0 });
    const it = src.read(0)[Symbol.asyncIterator]();
    expect(Buffer.from((await it.next()).value as Uint8Array).toString()).toBe('aaaa');
    const last = it.next();
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['input waits']); // 'bbbb' not handed out yet
    endInput();
    expect(Buffer.from((await last).value as Uint8Array).toString()).toBe('bbbb');
    expect(events).toEqual(['input waits', 'input ends']);
    expect((await it.next()).done).toBe(true);

    async function* longer(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('aaaa');
      yield Buffer.from('bbbb');
      yield Buffer.from('c');
    }
    const long = streamSource(longer(), { md5: 'x', size: 8, windowBytes: 0 });
    const sent: string[] = [];
    await expect((async () => {
      for await (const c of long.read(0)) sent.push(Buffer.from(c).toString());
    })()).rejects.toThrow(/longer than its declared size of 8 bytes/);
    expect(sent).toEqual(['aaaa']);
  });

  it('skips the first resume_pos bytes of a fresh input', async () => {
    const data = randomContent(10_000);
    const src = streamSource(bytesSource(data, { chunkSize: 1000 }), { md5: 'x', size: data.length, windowBytes: 0 });
    expect((await readAll(src, 4500)).equals(data.subarray(4500))).toBe(true);
  });

  it('replays from an offset inside the window after a read was abandoned', async () => {
    const data = randomContent(100_000);
    let pulled = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const c of bytesSource(data, { chunkSize: 4096 })) {
        pulled += c.length;
        yield c;
      }
    }
    const src = streamSource(counted(), { md5: 'x', size: data.length, windowBytes: 20_000 });
    const first = await readSome(src, 0, 60_000);
    expect(first.equals(data.subarray(0, first.length))).toBe(true);
    // The server stored only 50 000 bytes: resume there without reopening the input.
    expect(src.canRead(50_000)).toBe(true);
    expect((await readAll(src, 50_000)).equals(data.subarray(50_000))).toBe(true);
    expect(pulled).toBe(data.length); // every input byte pulled exactly once
  });

  it('cannot replay from before the window', async () => {
    const data = randomContent(100_000);
    const src = streamSource(bytesSource(data, { chunkSize: 4096 }), { md5: 'x', size: data.length, windowBytes: 10_000 });
    await readSome(src, 0, 80_000);
    expect(src.canRead(10_000)).toBe(false);
    expect(src.canRead(75_000)).toBe(true);
    await expect(readAll(src, 10_000)).rejects.toThrow(RangeError);
  });

  it('fails a short input instead of waiting, and records it as the input failure', async () => {
    const data = randomContent(5000);
    const src = streamSource(bytesSource(data), { md5: 'x', size: 6000, windowBytes: 0 });
    await expect(readAll(src)).rejects.toThrow(/unexpected EOF: source ended after 5000 of 6000 bytes/);
    expect(String(src.failure)).toMatch(/unexpected EOF/);
    expect(src.canRead(0)).toBe(false);
  });

  it('fails an input longer than declared before the body completes', async () => {
    const data = randomContent(5000);
    const src = streamSource(bytesSource(data, { chunkSize: 5000 }), { md5: 'x', size: 4000, windowBytes: 0 });
    await expect(readAll(src)).rejects.toThrow(/longer than its declared size of 4000/);
    const exact = streamSource(bytesSource(data, { chunkSize: 1000 }), { md5: 'x', size: 4000, windowBytes: 0 });
    await expect(readAll(exact)).rejects.toThrow(/longer than its declared size/);
  });

  it('passes a read error of the input through as its failure', async () => {
    const boom = new Error('read failed');
    const src = streamSource(bytesSource(randomContent(3000), { failWith: boom, chunkSize: 1000 }), { md5: 'x', size: 6000, windowBytes: 0 });
    await expect(readAll(src)).rejects.toBe(boom);
    expect(src.failure).toBe(boom);
  });

  it('ends the input on dispose', async () => {
    let finished = false;
    async function* input(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield randomContent(100);
      } finally {
        finished = true;
      }
    }
    const src = streamSource(input(), { md5: 'x', size: 1_000_000, windowBytes: 0 });
    await readSome(src, 0, 500);
    await src.dispose();
    expect(finished).toBe(true);
  });
});
