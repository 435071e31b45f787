// FsEncoding: every awkward name of the fstests table round-trips as a directory and a file.

import { it } from 'vitest';
import { Timestamp } from '@jsync/core';
import { FS_ENCODING_NAMES } from '../encoding-names.js';
import type { Harness } from '../harness.js';
import { checkListing, putTestObject } from '../items.js';
import { randomContent } from '../sources.js';

/** FsEncoding with one subtest per name (rclone's subtest names). */
export function registerEncoding(h: Harness): void {
  h.group('FsEncoding', () => {
    h.case('(empty listing)', () => checkListing(h.fs, [], { dirs: [] }), 'mkdir');
    for (const test of FS_ENCODING_NAMES) {
      const reason = test.name === 'invalid UTF-8' && h.opts.skipInvalidUtf8 !== undefined ? h.opts.skipInvalidUtf8
        : test.badOnWindows && h.opts.skipBadWindowsCharacters !== undefined ? h.opts.skipBadWindowsCharacters : undefined;
      if (reason !== undefined) {
        it.skip(`${test.name} — skipped: ${reason}`, () => {});
        continue;
      }
      h.case(test.name, async () => {
        const f = h.fs;
        const dirName = test.standard;
        await f.mkdir(dirName);
        const { obj, item } = await putTestObject(f, { path: `${dirName}/${test.standard}`, modTime: Timestamp.now() }, randomContent(100));
        await checkListing(f, [item], { dirs: [dirName] });
        await obj.remove();
        await f.rmdir(dirName);
        await checkListing(f, [], { dirs: [] });
      }, 'mkdir');
    }
  });
}
