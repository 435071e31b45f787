// Accepting an upload on the upload POST's own answer (path, bytes, md5, modified): the server confirming the
// revision it just completed, so no GET is needed when it names exactly the content that was sent.

import { Timestamp } from '@jsync/core';
import type { JottaFile, UploadResponse } from '../api/types.js';
import type { ExpectedContent } from './jfs-file.js';

/** Distinct name endings whose MIME type is remembered per Fs (beyond that, uploads of new endings read back). */
const MAX_KNOWN_MIME = 1024;

/** MIME type the server gave each name ending, per Fs (the server derives it from the name). */
const knownMime = new WeakMap<object, Map<string, string>>();

/** The part of a server-side leaf name the server's MIME type follows: the last extension (dotfiles on their own). */
function mimeKey(leaf: string): string {
  const dot = leaf.lastIndexOf('.');
  if (dot < 0) return '';
  return dot === 0 ? `${leaf}\u0000` : leaf.slice(dot);
}

/** Remembers the MIME type of a file document the server sent (after a GET or cphash) for this name's ending. */
export function rememberMime(fs: object, leaf: string, file: JottaFile): void {
  const mime = file.currentRevision?.mime;
  if (mime === undefined) return;
  let map = knownMime.get(fs);
  if (map === undefined) knownMime.set(fs, (map = new Map()));
  if (map.size < MAX_KNOWN_MIME || map.has(mimeKey(leaf))) map.set(mimeKey(leaf), mime);
}

/** The upload POST's answer as an object, or undefined when it is not a JSON object. */
export function parseUploadAnswer(text: string): Partial<UploadResponse> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Partial<UploadResponse>) : undefined;
  } catch {
    return undefined;
  }
}

/** Arguments of {@link confirmedByAnswer}. */
export interface ConfirmArgs {
  /** Context object the MIME types are remembered on (the Fs). */
  fs: object;
  /** Server-side (encoded) leaf name. */
  leaf: string;
  answer: Partial<UploadResponse> | undefined;
  want: ExpectedContent;
  /** The time sent to allocate as created and modified. */
  modTime: Timestamp;
}

/**
 * The file document a GET would show after this upload, when the answer confirms it: `bytes` equal to the size
 * sent, `md5` equal to the MD5 sent, a numeric `modified` (ms), and the MIME type known for the name's ending.
 * Undefined when the answer lacks or contradicts any of these (the caller then reads the file back).
 * `updated` (the server's commit time) is not in the answer and stays unknown.
 */
export function confirmedByAnswer(a: ConfirmArgs): JottaFile | undefined {
  const { answer, want } = a;
  if (answer === undefined || answer.bytes !== want.size) return undefined;
  if (typeof answer.md5 !== 'string' || answer.md5.toLowerCase() !== want.md5) return undefined;
  if (typeof answer.modified !== 'number' || !Number.isSafeInteger(answer.modified)) return undefined;
  const mime = knownMime.get(a.fs)?.get(mimeKey(a.leaf));
  if (mime === undefined) return undefined;
  return {
    name: a.leaf, deleted: false,
    currentRevision: {
      state: 'COMPLETED', size: want.size, md5: want.md5, mime,
      // The server keeps whole seconds of the created time allocate sent.
      created: Timestamp.fromSeconds(a.modTime.seconds),
      modified: Timestamp.fromSeconds(Math.floor(answer.modified / 1000)),
    },
  };
}
