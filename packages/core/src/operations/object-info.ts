// ObjectInfo views used for uploads: a source under another name, and a description of streamed data.

import { hashUnsupported } from '../fs/errors.js';
import type { Info, ObjectInfo } from '../fs/types.js';
import type { HashType } from '../hash/hash-type.js';
import type { Timestamp } from '../modtime/timestamp.js';

/** `src` seen under the name `remote` (rclone OverrideRemote): everything else is delegated. */
export function overrideRemote(src: ObjectInfo, remote: string): ObjectInfo {
  if (src.remote === remote) return src;
  const view: ObjectInfo = {
    isDir: false,
    remote,
    get size() {
      return src.size;
    },
    fs: src.fs,
    storable: src.storable,
    modTime: () => src.modTime(),
    hash: (type, opts) => src.hash(type, opts),
    toString: () => remote,
  };
  const mime = src.mimeType;
  return mime === undefined ? view : { ...view, mimeType: () => mime.call(src) };
}

/** Fields of {@link staticObjectInfo}. */
export interface StaticObjectInfoInit {
  remote: string;
  size: number;
  modTime: Timestamp;
  fs: Info;
  /** Known digests; other supported types answer `""`. */
  hashes?: ReadonlyMap<HashType, string>;
  mimeType?: string;
}

/** A fixed description of data being uploaded (rclone object.NewStaticObjectInfo). */
export function staticObjectInfo(init: StaticObjectInfoInit): ObjectInfo {
  const info: ObjectInfo = {
    isDir: false,
    remote: init.remote,
    size: init.size,
    fs: init.fs,
    storable: true,
    modTime: () => init.modTime,
    async hash(type) {
      const known = init.hashes?.get(type);
      if (known !== undefined) return known;
      if (!init.fs.hashes.has(type)) throw hashUnsupported(type);
      return '';
    },
    toString: () => init.remote,
  };
  const mime = init.mimeType;
  return mime === undefined ? info : { ...info, mimeType: () => mime };
}
