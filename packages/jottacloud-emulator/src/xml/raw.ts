// XML of injected raw (hostile) entries: their names and paths are written verbatim, never escaped.

import type { RawEntry } from '../model/raw-entries.js';
import { writeRevision, type RootAttrs } from './nodes.js';
import { formatRfc3339Millis } from './time.js';
import { escapeText, RawXml, XmlWriter } from './writer.js';

/** Writes a raw entry as a child of a folder listing (`<file>` with its revision, or an empty `<folder>`). */
export function writeRawChild(w: XmlWriter, e: RawEntry): void {
  if (e.kind === 'folder') {
    w.empty('folder', { name: new RawXml(e.rawName) });
    return;
  }
  w.open('file', { name: new RawXml(e.rawName), uuid: e.uuid });
  writeRevision(w, 'currentRevision', e.revision, e.revision.size);
  w.close();
}

/** Writes a raw entry of the liststream folder at `path` (its `<path>` is `rawPath` when given). */
export function writeRawStreamEntry(w: XmlWriter, e: RawEntry, path: string): void {
  if (e.kind === 'folder') {
    w.open('folder', { name: new RawXml(e.rawName) }).leaf('path', new RawXml(e.rawPath ?? `${escapeText(path)}/${e.rawName}`)).close();
    return;
  }
  const r = e.revision;
  w.open('file', { name: new RawXml(e.rawName), uuid: e.uuid })
    .leaf('path', e.rawPath === undefined ? path : new RawXml(e.rawPath))
    .leaf('filename', new RawXml(e.rawName))
    .leaf('md5', r.md5)
    .leaf('size', r.size)
    .leaf('modified', formatRfc3339Millis(r.modified))
    .leaf('created', formatRfc3339Millis(r.created))
    .close();
}

/** The document a plain GET of a raw entry answers: its `<file>` or an empty `<folder>`. */
export function rawEntryDocument(e: RawEntry, parentPath: string, root: RootAttrs): string {
  const w = new XmlWriter();
  const path = e.rawPath === undefined ? parentPath : new RawXml(e.rawPath);
  if (e.kind === 'folder') {
    w.open('folder', { name: new RawXml(e.rawName), ...root }).leaf('path', path).leaf('abspath', path);
    w.empty('metadata', { first: '', max: '', total: 0, num_folders: 0, num_files: 0 }).close();
  } else {
    w.open('file', { name: new RawXml(e.rawName), uuid: e.uuid, ...root }).leaf('path', path).leaf('abspath', path);
    writeRevision(w, 'currentRevision', e.revision, e.revision.size);
    w.close();
  }
  return w.toString();
}
