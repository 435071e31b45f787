// Object cases: NewObject variants, String/Fs/Remote/Hashes/ModTime/MimeType/SetModTime/Size/Storable, ObjectRemove.

import { expect } from 'vitest';
import { MODTIME_NOT_SUPPORTED, Timestamp, isJsyncError, parentOf } from '@jsync/core';
import { expectJsyncError } from '../assertions.js';
import { skipCase } from '../harness.js';
import type { Harness } from '../harness.js';
import { checkHashes, checkItem, checkListing, checkTimeWithinPrecision, findObject } from '../items.js';

/** rclone `toUpperASCII`: upper-cases a–z only. */
export function toUpperAscii(s: string): string {
  return s.replace(/[a-z]/g, (c) => c.toUpperCase());
}

/** FsNewObject, FsNewObjectCaseInsensitive. */
export function registerNewObject(h: Harness): void {
  h.case('FsNewObject', async () => {
    await checkItem(h.file1, await findObject(h.fs, h.file1.path), h.fs.precision);
  }, 'putFiles');
  h.case('FsNewObjectCaseInsensitive', async (t) => {
    const f = h.fs;
    if (!f.features.caseInsensitive) skipCase(t, 'Not Case Insensitive');
    await checkItem(h.file1, await findObject(f, toUpperAscii(h.file1.path)), f.precision);
    // rclone's "Dir" subtest: a case-folded deep path.
    await checkItem(h.file2, await findObject(f, toUpperAscii(h.file2.path)), f.precision);
  }, 'putFiles');
}

/** FsNewObjectDir: NewObject on a directory gives IS_DIR or OBJECT_NOT_FOUND. */
export function registerNewObjectDir(h: Harness): void {
  h.case('FsNewObjectDir', async () => {
    await expectJsyncError(h.fs.newObject(parentOf(h.file2.path)), 'IS_DIR', 'OBJECT_NOT_FOUND');
  }, 'putFiles');
}

/** ObjectString … ObjectMimeType (+ ObjectMetadata opt-out). */
export function registerObjectInfo(h: Harness): void {
  const file1 = () => findObject(h.fs, h.file1.path);
  h.case('ObjectString', async () => {
    expect(String(await file1())).toBe(h.file1.path);
  }, 'putFiles');
  h.case('ObjectFs', async () => {
    expect((await file1()).fs).toBe(h.fs);
  }, 'putFiles');
  h.case('ObjectRemote', async () => {
    expect((await file1()).remote).toBe(h.file1.path);
  }, 'putFiles');
  h.case('ObjectHashes', async () => {
    await checkHashes(h.file1, await file1());
  }, 'putFiles');
  h.case('ObjectModTime', async () => {
    const obj = await file1();
    checkTimeWithinPrecision(obj.remote, h.file1.modTime, obj.modTime(), h.fs.precision);
  }, 'putFiles');
  h.case('ObjectMimeType', async (t) => {
    const features = h.fs.features;
    const obj = await file1();
    if (!obj.mimeType) {
      expect(features.readMimeType, 'Features.readMimeType is set but the object has no mimeType method').toBe(false);
      skipCase(t, 'MimeType method not supported');
    }
    const mimeType = obj.mimeType();
    if (!features.readMimeType) expect(mimeType, 'readMimeType is not set but mimeType() returned a value').toBe('');
    else if (features.writeMimeType) expect(mimeType, 'can read and write mime types but failed').toBe('text/csv');
    else expect(['text/plain', 'text/plain; charset=utf-8']).toContain(mimeType);
  }, 'putFiles');
  h.unsupported('ObjectMetadata', 'object metadata is not part of the jsync core contract');
}

/** ObjectSetModTime, ObjectSize. */
export function registerSetModTime(h: Harness): void {
  h.case('ObjectSetModTime', async (t) => {
    const f = h.fs;
    const newModTime = Timestamp.parse('2011-12-13T14:15:16.999999999Z');
    const obj = await findObject(f, h.file1.path);
    try {
      await obj.setModTime(newModTime);
    } catch (err) {
      if (isJsyncError(err, 'CANT_SET_MOD_TIME') || isJsyncError(err, 'CANT_SET_MOD_TIME_WITHOUT_DELETE')) skipCase(t, String(err));
      throw err;
    }
    h.file1 = { ...h.file1, modTime: newModTime };
    checkTimeWithinPrecision(obj.remote, newModTime, obj.modTime(), f.precision);
    const again = await findObject(f, h.file1.path);
    checkTimeWithinPrecision(again.remote, newModTime, again.modTime(), f.precision);
  }, 'putFiles');
  h.case('ObjectSize', async () => {
    expect((await findObject(h.fs, h.file1.path)).size).toBe(h.file1.size);
  }, 'putFiles');
}

/** ObjectStorable. */
export function registerStorable(h: Harness): void {
  h.case('ObjectStorable', async () => {
    expect((await findObject(h.fs, h.file1.path)).storable, 'expecting object to be storable').toBe(true);
  }, 'putFiles');
}

/** ObjectRemove: remove file1; only file2 remains (modtimes not compared). */
export function registerRemove(h: Harness): void {
  h.case('ObjectRemove', async () => {
    const obj = await findObject(h.fs, h.file1.path);
    await obj.remove();
    h.file1Removed = true;
    await checkListing(h.fs, [h.file2], { precision: MODTIME_NOT_SUPPORTED });
  }, 'putFiles');
}
