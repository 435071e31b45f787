// Listings: one folder document (List) and the streamed `?mode=liststream` tree (ListR), both yielded in pages.

import { Timestamp, dirNotFound } from '@jsync/core';
import type { DirEntry, Directory } from '@jsync/core';
import type { ListStreamItem } from '../api/liststream.js';
import { parseListStream } from '../api/liststream.js';
import { ioError, isNotFound, wrapError } from './errors.js';
import type { JottacloudFs } from './jotta-fs.js';
import { listedLeaf, listedPath } from './names.js';
import { JottacloudObject, metaOfFile } from './object.js';

/** A directory entry; Jottacloud folders carry no usable modification time, so it is "now" (rclone `fs.NewDir` with zero time). */
export function newDir(remote: string, modified?: Timestamp): Directory {
  const t = modified ?? Timestamp.now();
  return { isDir: true, remote, size: -1, items: -1, id: '', modTime: () => t, toString: () => remote };
}

const join = (dir: string, leaf: string): string => (dir === '' ? leaf : `${dir}/${leaf}`);

/**
 * Entries of `dir` (rclone `List`): live folders and COMPLETED live files (trashed ones with `trashed_only`). A shown
 * entry whose name is empty, `.`, `..` or contains `/` or NUL fails the whole listing (IO, not retried, naming the
 * folder and the name): the caller counts the error, and a sync then deletes nothing.
 */
export async function* listDir(fs: JottacloudFs, dir: string, signal: AbortSignal | undefined): AsyncGenerator<readonly DirEntry[]> {
  const folder = await fs.readFolder(dir, signal);
  const entries: DirEntry[] = [];
  for (const f of folder.folders) {
    if (fs.validFolder(f)) entries.push(newDir(join(dir, listedLeaf(fs.encoder, f.name, dir))));
  }
  for (const f of folder.files) {
    if (fs.validFile(f)) entries.push(new JottacloudObject(fs, join(dir, listedLeaf(fs.encoder, f.name, dir)), metaOfFile(f)));
  }
  for (let i = 0; i < entries.length; i += fs.listPageSize) {
    signal?.throwIfAborted();
    yield entries.slice(i, i + fs.listPageSize);
  }
}

/**
 * Everything below `dir` (rclone `ListR`) from one `?mode=liststream` answer, parsed as a stream. Paths arrive as
 * `/<mountpoint>/<root>/…` in the server's casing; the prefix is removed case-insensitively (names are case-insensitive).
 * Directories are reported once, also those only implied by a file's path; `dir` itself is left out. A path outside
 * the prefix, or with an empty, `.` or `..` segment, or an unusable file name fails the listing as in {@link listDir}.
 */
export async function* listRecursive(fs: JottacloudFs, dir: string, signal: AbortSignal | undefined): AsyncGenerator<readonly DirEntry[]> {
  let res;
  try {
    res = await fs.client.call({ method: 'GET', rootUrl: fs.jfsUrl, path: fs.requestPath(dir), query: { mode: 'liststream' }, signal });
  } catch (err) {
    if (isNotFound(err)) throw dirNotFound(dir);
    throw wrapError("couldn't list files", err);
  }
  const trim = prefixTrimmer(fs.encoder.fromStandardPath(`/${fs.mountpoint}${fs.root === '' ? '' : `/${fs.root}`}`));
  const seen = new Set<string>();
  let out: DirEntry[] = [];
  const addDir = (remote: string): void => {
    if (seen.has(remote)) return;
    seen.add(remote);
    if (remote !== dir) out.push(newDir(remote));
  };
  // Files of one folder arrive together: its checked path is reused until the path changes.
  let lastPath: string | undefined;
  let lastFolder = '';
  const add = (item: ListStreamItem): void => {
    const rel = trim(item.path);
    if (rel !== lastPath) {
      lastFolder = listedPath(fs.encoder, rel);
      lastPath = rel;
    }
    const folder = lastFolder;
    addDir(folder);
    if (item.kind === 'file') {
      const remote = join(folder, listedLeaf(fs.encoder, item.name, folder));
      if (remote !== dir) {
        out.push(new JottacloudObject(fs, remote, { size: item.size, md5: item.md5, mimeType: '', created: item.created, modified: item.modified }));
      }
    }
  };
  try {
    for await (const page of parseListStream(res.body, { pageSize: fs.listPageSize, pathKey: trim })) {
      for (const item of page) {
        add(item);
        if (out.length >= fs.listPageSize) {
          const full = out;
          out = [];
          signal?.throwIfAborted();
          yield full;
        }
      }
    }
    if (out.length > 0) yield out;
  } catch (err) {
    throw wrapError("couldn't list files", err);
  } finally {
    res.body.destroy();
  }
}

/** Removes `prefix` (compared case-insensitively, whole segments) and a leading `/` from a liststream path. */
function prefixTrimmer(prefix: string): (p: string) => string {
  const lower = prefix.toLowerCase();
  return (p) => {
    const head = p.slice(0, prefix.length);
    if (head.toLowerCase() !== lower || (p.length > prefix.length && p[prefix.length] !== '/')) {
      throw ioError(`invalid result from listStream: path ${JSON.stringify(p)} is not below ${JSON.stringify(prefix)}`);
    }
    return p.slice(prefix.length).replace(/^\/+/, '');
  };
}
