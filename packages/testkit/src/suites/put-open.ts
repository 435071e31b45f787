// Upload and download cases: FsPutError, FsPutZeroLength, FsPutFiles, ObjectOpen*, ObjectUpdate, FsPutStream, unknown sizes.

import { expect } from 'vitest';
import { Timestamp, isJsyncError } from '@jsync/core';
import { describeError, expectJsyncError, isProgrammingError, rejectionOf } from '../assertions.js';
import { skipCase } from '../harness.js';
import type { Harness } from '../harness.js';
import { checkItem, findObject, newItem, putTestObject, readObject } from '../items.js';
import { StaticObjectInfo } from '../object-info.js';
import { bytesSource, randomContent } from '../sources.js';

const T1 = '2001-02-03T04:05:06.499999999Z';

/** FsNewObjectNotFound, FsPutError, FsPutZeroLength. */
export function registerPutBasics(h: Harness): void {
  h.case('FsNewObjectNotFound', async () => {
    await expectJsyncError(h.fs.newObject('potato'), 'OBJECT_NOT_FOUND');
    await expectJsyncError(h.fs.newObject('directory/not/found/potato'), 'OBJECT_NOT_FOUND');
  }, 'mkdir');
  h.case('FsPutError', async () => {
    const n = 5 * 1024;
    const src = new StaticObjectInfo({ remote: h.file2.path, modTime: h.file2.modTime, size: 2 * n });
    const err = await rejectionOf(h.fs.put(bytesSource(randomContent(n), { chunkSize: 1024, failWith: new Error('potato') }), src));
    expect(err).toBeDefined();
    await expectJsyncError(h.fs.newObject(h.file2.path), 'OBJECT_NOT_FOUND');
  }, 'mkdir');
  h.case('FsPutZeroLength', async (t) => {
    const f = h.fs;
    const item = newItem('zero-length-file', '', Timestamp.parse(T1));
    const src = new StaticObjectInfo({ remote: item.path, modTime: item.modTime, size: 0 });
    let obj;
    try {
      obj = await f.put(bytesSource(new Uint8Array(0)), src);
    } catch (err) {
      if (isJsyncError(err, 'CANT_UPLOAD_EMPTY_FILES')) skipCase(t, "can't upload zero length files");
      throw err;
    }
    await checkItem(item, obj, f.precision);
    obj = await findObject(f, item.path);
    await checkItem(item, obj, f.precision);
    expect(await readObject(obj)).toHaveLength(0);
    await obj.remove();
  }, 'mkdir');
}

/** The FsPutFiles body: file1, file2, then file1 again with a MIME type; each checked and re-read. */
export function registerPutFiles(h: Harness): void {
  h.case('FsPutFiles', async () => {
    h.setStage('putFiles', false);
    const f = h.fs;
    let contents = randomContent(100);
    h.file1 = (await putTestObject(f, h.file1, contents)).item;
    h.file2 = (await putTestObject(f, h.file2, randomContent(100))).item;
    contents = randomContent(100);
    h.file1 = (await putTestObject(f, h.file1, contents, { mimeType: 'text/csv' })).item;
    h.file1Contents = contents;
    h.setStage('putFiles', true);
  }, 'mkdir');
}

/** ObjectOpen, ObjectOpenSeek, ObjectOpenRange, ObjectPartialRead. */
export function registerOpen(h: Harness): void {
  const read = async (opts: Parameters<typeof readObject>[1] = {}) => (await readObject(await findObject(h.fs, h.file1.path), opts)).toString('latin1');
  const content = () => h.file1Contents.toString('latin1');
  h.case('ObjectOpen', async () => {
    expect(await read(), 'contents of file1 differ').toBe(content());
  }, 'putFiles');
  h.case('ObjectOpenSeek', async () => {
    expect(await read({ seek: 50 }), 'contents of file1 differ after seek').toBe(content().slice(50));
  }, 'putFiles');
  h.case('ObjectOpenRange', async () => {
    for (const [range, start, end] of [[{ start: 5, end: 15 }, 5, 16], [{ start: 80, end: -1 }, 80, 100],
      [{ start: 81, end: 100000 }, 81, 100], [{ start: -1, end: 20 }, 80, 100]] as const) {
      expect(await read({ range: { ...range } }), `range ${JSON.stringify(range)} want [${start}:${end}]`).toBe(content().slice(start, end));
    }
  }, 'putFiles');
  h.case('ObjectPartialRead', async () => {
    expect(await read({ limit: 50 }), 'contents of file1 differ after limited read').toBe(content().slice(0, 50));
  }, 'putFiles');
}

/** ObjectUpdate: 200 new bytes; the same object value and a re-read reflect them. */
export function registerUpdate(h: Harness): void {
  h.case('ObjectUpdate', async () => {
    const f = h.fs;
    const contents = randomContent(200);
    const obj = await findObject(f, h.file1.path);
    const src = new StaticObjectInfo({ remote: h.file1.path, modTime: h.file1.modTime, size: contents.length, fs: obj.fs });
    await obj.update(bytesSource(contents), src);
    h.file1 = newItem(h.file1.path, contents, h.file1.modTime);
    await checkItem(h.file1, obj, f.precision);
    const again = await findObject(f, h.file1.path);
    await checkItem(h.file1, again, f.precision);
    expect((await readObject(again)).equals(contents), 'contents of updated file1 differ').toBe(true);
    h.file1Contents = contents;
  }, 'putFiles');
}

/** FsPutStream with 0 and 100 bytes of unknown size. */
export function registerPutStream(h: Harness): void {
  h.group('FsPutStream', () => {
    for (const size of [0, 100]) {
      h.case(String(size), async (t) => {
        const f = h.fs;
        const putStream = f.features.putStream;
        if (!putStream) skipCase(t, 'FS has no PutStream interface');
        const contents = randomContent(size);
        const item = newItem('piped data.txt', contents, Timestamp.parse(T1));
        let obj = await putStream(bytesSource(contents), new StaticObjectInfo({ remote: item.path, modTime: item.modTime, size: -1 }));
        await checkItem(item, obj, f.precision);
        obj = await findObject(f, item.path);
        await checkItem(item, obj, f.precision);
        await obj.remove();
      }, 'putFiles');
    }
  });
}

/** FsUploadUnknownSize: put/update with size -1 may fail but must not crash (no programming errors). */
export function registerUploadUnknownSize(h: Harness): void {
  const t2 = Timestamp.parse('2002-02-03T04:05:06.499999999Z');
  const tolerate = async (op: () => Promise<{ remove(): Promise<void> }>) => {
    let obj: { remove(): Promise<void> } | undefined;
    try {
      obj = await op();
    } catch (err) {
      expect(isProgrammingError(err), `upload of unknown size crashed: ${describeError(err)}`).toBe(false);
      return;
    }
    await obj.remove();
  };
  h.group('FsUploadUnknownSize', () => {
    h.case('FsPutUnknownSize', async () => {
      const f = h.fs;
      const src = new StaticObjectInfo({ remote: 'unknown-size-put.txt', modTime: t2, size: -1 });
      await tolerate(() => f.put(bytesSource(randomContent(100)), src));
    }, 'mkdir');
    h.case('FsUpdateUnknownSize', async () => {
      const f = h.fs;
      const file = { path: 'unknown-size-update.txt', modTime: t2 };
      await putTestObject(f, file, randomContent(100));
      const obj = await findObject(f, file.path);
      const src = new StaticObjectInfo({ remote: file.path, modTime: t2, size: -1, fs: obj.fs });
      await tolerate(async () => {
        await obj.update(bytesSource(randomContent(200)), src);
        return obj;
      });
    }, 'mkdir');
  });
}
