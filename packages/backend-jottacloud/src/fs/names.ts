// Names and paths as the server lists them, checked before they become remotes: a hostile or broken answer must never
// yield a remote that is empty, `.`/`..`, or more than one segment (a download could then write outside its root).

import { JsyncError } from '@jsync/core';
import type { MultiEncoder } from '@jsync/core';

/**
 * Why `name` (one entry name as the server sent it, XML-decoded but still in the backend encoding) cannot be a listed
 * entry, or undefined when it can. Encoders never produce these: `/` is stored as `／`, NUL as `␀`, `.`/`..` as `．`/`．．`.
 */
export function badWireName(name: string): string | undefined {
  if (name === '') return 'empty name';
  if (name === '.' || name === '..') return `name ${JSON.stringify(name)} is not allowed`;
  if (name.includes('/')) return 'name contains "/"';
  if (name.includes('\0')) return 'name contains NUL';
  return undefined;
}

/** The IO error (not retried: the answer would be the same) for an entry the server should never have listed. */
export function invalidEntry(detail: string, name: string, folder: string): JsyncError {
  const where = folder === '' ? 'the root folder' : `folder ${JSON.stringify(folder)}`;
  return new JsyncError({
    code: 'IO',
    message: `invalid entry ${JSON.stringify(name)} in ${where} from Jottacloud: ${detail}`,
    errorClass: 'noRetry',
    context: { remote: folder, name },
  });
}

/**
 * The Standard-encoded leaf of a listed entry `name` in `folder` (a remote): throws {@link invalidEntry} when the wire
 * name is unusable or its Standard form is not exactly one safe segment.
 */
export function listedLeaf(encoder: MultiEncoder, name: string, folder: string): string {
  const bad = badWireName(name);
  if (bad !== undefined) throw invalidEntry(bad, name, folder);
  const leaf = encoder.toStandardName(name);
  const badLeaf = badWireName(leaf);
  if (badLeaf !== undefined) throw invalidEntry(`listed as ${JSON.stringify(leaf)}: ${badLeaf}`, name, folder);
  return leaf;
}

/**
 * The Standard-encoded remote of a liststream folder path `rel` (relative to the Fs root, still in the backend
 * encoding): every segment must be a usable name (no empty, `.` or `..` segments); errors name the parent folder.
 */
export function listedPath(encoder: MultiEncoder, rel: string): string {
  if (rel === '') return '';
  const out: string[] = [];
  for (const seg of rel.split('/')) out.push(listedLeaf(encoder, seg, out.join('/')));
  return out.join('/');
}
