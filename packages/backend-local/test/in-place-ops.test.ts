// Reads and writes of small files run in place while the file system is fast; everything observable must be the
// same as through the thread pool: bytes, ranges, errors (and when they surface), modes, modtimes, hashes, leftovers.
import { randomFillSync } from 'node:crypto';
import { appendFile, chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HashSet, Timestamp, hashBytes } from '@jsync/core';
import type { LocalFs } from '../src/index.js';
import { InPlaceIo } from '../src/in-place-io.js';
import { chunks, openLocal, readAll, removeDir, srcInfo, tempDir } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await removeDir(dir);
});

/** A local Fs whose in-place policy never sees slowness (frozen clock), or that never runs in place. */
async function fsFor(inPlace: boolean): Promise<LocalFs> {
  const { fs } = await openLocal(dir);
  const io = new InPlaceIo(() => ({ wallNs: 0n, queuedNs: 0n, switches: 0 }));
  if (!inPlace) io.disable();
  (fs as unknown as { io: InPlaceIo }).io = io;
  return fs;
}

const bytes = (n: number): Buffer => {
  const b = Buffer.alloc(n);
  randomFillSync(b);
  return b;
};

const settle = async <T>(p: Promise<T>): Promise<string> => p.then((v) => `ok ${String(v)}`, (e: Error) => `error ${e.message}`);

describe('in-place reads', () => {
  it('give the same bytes for full reads, ranges and seeks, and the same errors at the same moment', async () => {
    const sizes = [0, 1, 100, 256 * 1024, 256 * 1024 + 1];
    for (const n of sizes) await writeFile(join(dir, `r${n}`), bytes(n));
    const outcomes: Record<string, string>[] = [];
    for (const inPlace of [true, false]) {
      const fs = await fsFor(inPlace);
      const out: Record<string, string> = {};
      for (const n of sizes) {
        const o = await fs.newObject(`r${n}`);
        const want = await readFile(join(dir, `r${n}`));
        expect((await readAll(await o.open())).equals(want)).toBe(true);
        for (const opts of [{ seek: 3 }, { range: { start: 2, end: 50 } }, { range: { start: -1, end: 10 } }, { range: { start: n + 5, end: -1 } }]) {
          out[`r${n} ${JSON.stringify(opts)}`] = (await readAll(await o.open(opts))).toString('hex');
        }
      }
      // Changed after the stat: open() succeeds, the read fails with rclone's message.
      await writeFile(join(dir, 'c'), 'abc');
      const changed = await fs.newObject('c');
      await appendFile(join(dir, 'c'), 'de');
      const stream = await changed.open();
      out['changed'] = await settle(readAll(stream).then((b) => b.toString()));
      // Vanished before open: open() itself fails.
      await writeFile(join(dir, 'v'), 'x');
      const vanished = await fs.newObject('v');
      await removeDir(join(dir, 'v'));
      out['vanished'] = await settle(vanished.open().then(() => 'opened'));
      outcomes.push(out);
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[0]!['changed']).toBe("error can't copy - source file is being updated (size changed from 3 to 5)");
    expect(outcomes[0]!['vanished']).toMatch(/^error open .*\/v: no such file or directory$/);
  });
});

describe('in-place writes', () => {
  it('store the same content, modtime, mode and hashes, replace atomically, and leave no partial files', async () => {
    const t = Timestamp.parse('2001-02-03T04:05:06.123456789Z');
    const results = [];
    for (const inPlace of [true, false]) {
      const sub = inPlace ? 'a' : 'b';
      const fs = await fsFor(inPlace);
      const data = bytes(5000);
      const o = await fs.put(chunks(data), srcInfo(`${sub}/deep/new.bin`, data.length, t), { hashes: new HashSet(['md5']) });
      await chmod(join(dir, sub, 'deep/new.bin'), 0o640);
      const replacement = bytes(300);
      await o.update(chunks(replacement), srcInfo(`${sub}/deep/new.bin`, replacement.length, t), { hashes: new HashSet(['md5', 'sha1']) });
      const st = await stat(join(dir, sub, 'deep/new.bin'), { bigint: true });
      const empty = await fs.put(chunks(''), srcInfo(`${sub}/empty`, 0, t));
      results.push({
        content: (await readFile(join(dir, sub, 'deep/new.bin'))).equals(replacement),
        size: o.size,
        modTime: o.modTime().toString(),
        diskMtime: st.mtimeNs,
        mode: (Number(st.mode) & 0o777).toString(8),
        md5: await o.hash('md5'),
        emptySize: empty.size,
        files: (await readdir(join(dir, sub), { recursive: true })).sort(),
        shortWrite: await settle(fs.put(chunks('abc'), srcInfo(`${sub}/short`, 10, t)).then(() => 'written')),
        afterShort: (await readdir(join(dir, sub))).sort(),
      });
      expect(results.at(-1)!.md5).toBe(hashBytes('md5', replacement));
    }
    const [a, b] = results;
    expect(a!.files).toEqual(['deep', 'deep/new.bin', 'empty']);
    expect(a).toEqual({ ...b, content: a!.content, md5: a!.md5 });
    expect(a!.content && b!.content).toBe(true);
    expect(a!.mode).toBe('640');
    expect(a!.diskMtime).toBe(t.ns);
    expect(a!.shortWrite).toBe('error corrupted on transfer: sizes differ 10 vs 3');
    expect(a!.afterShort).toEqual(['deep', 'empty']);
  });

  it('report a blocked parent and an aborted write as the thread-pool path does', async () => {
    await writeFile(join(dir, 'blocker'), 'x');
    const outcomes = [];
    for (const inPlace of [true, false]) {
      const fs = await fsFor(inPlace);
      const ac = new AbortController();
      const reason = new Error('stop');
      async function* aborting() {
        yield Buffer.from('first');
        ac.abort(reason);
        yield Buffer.from('second');
      }
      outcomes.push({
        blocked: await settle(fs.put(chunks('z'), srcInfo('blocker/f.txt', 1)).then(() => 'written')),
        aborted: await settle(fs.put(aborting(), srcInfo(`ab${inPlace}`, 11), { signal: ac.signal }).then(() => 'written')),
        left: (await readdir(dir)).filter((n) => n.startsWith('ab')),
      });
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[0]!.blocked).toBe(`error mkdir ${dir}/blocker: not a directory`);
    expect(outcomes[0]!.aborted).toBe('error stop');
    expect(outcomes[0]!.left).toEqual([]);
  });
});
