// Recursive listings: `mode=liststream` (rclone's ListR format, stats consistent) and `mode=list` (<filedirlist>).

import { rawEntriesOf } from '../model/raw-entries.js';
import type { FileNode, FolderNode } from '../model/types.js';
import { writeRevision, type RootAttrs } from './nodes.js';
import { writeRawChild, writeRawStreamEntry } from './raw.js';
import { formatRfc3339Millis } from './time.js';
import { XmlWriter } from './writer.js';

const liveFolders = (f: FolderNode): FolderNode[] =>
  [...f.children.values()].filter((c): c is FolderNode => c.kind === 'folder' && c.deleted === null);
const completedFiles = (f: FolderNode): (FileNode & { current: NonNullable<FileNode['current']> })[] =>
  [...f.children.values()].filter((c): c is FileNode & { current: NonNullable<FileNode['current']> } =>
    c.kind === 'file' && c.deleted === null && c.current !== null);

/**
 * The liststream body for `folder` whose path is `/<mountpoint>/<names>`: a `<folder>` for the listed folder and each
 * live subfolder before its files, one `<file>` per live COMPLETED file, and `<stats>` counting exactly those elements.
 */
export function listStreamDocument(folder: FolderNode, path: string): string {
  const w = new XmlWriter(true);
  let folders = 0;
  let files = 0;
  w.open('filetree');
  const visit = (f: FolderNode, p: string): void => {
    w.open('folder', { name: f.name }).leaf('path', p).close();
    folders++;
    for (const file of completedFiles(f)) {
      const r = file.current;
      w.open('file', { name: file.name, uuid: file.uuid })
        .leaf('path', p)
        .leaf('filename', file.name)
        .leaf('md5', r.md5)
        .leaf('size', r.size)
        .leaf('modified', formatRfc3339Millis(r.modified))
        .leaf('created', formatRfc3339Millis(r.created))
        .close();
      files++;
    }
    const raw = rawEntriesOf(f);
    for (const e of raw.filter((r) => r.kind === 'file')) {
      writeRawStreamEntry(w, e, p);
      files++;
    }
    for (const sub of liveFolders(f)) visit(sub, `${p}/${sub.name}`);
    for (const e of raw.filter((r) => r.kind === 'folder')) {
      writeRawStreamEntry(w, e, p);
      folders++;
    }
  };
  visit(folder, path);
  w.open('stats').leaf('folders', folders).leaf('files', files).close();
  w.close();
  return w.toString();
}

/** The `<filedirlist>` document: one flat `<folder>` per live folder (the listed one first) with its files. */
export function fileDirListDocument(folder: FolderNode, parentPath: string, root: RootAttrs): string {
  const w = new XmlWriter();
  w.open('filedirlist', root).open('folders');
  const visit = (f: FolderNode, parent: string): void => {
    const own = `${parent}/${f.name}`;
    w.open('folder', { name: f.name }).preserve('path', parent).preserve('abspath', parent);
    const files = [...f.children.values()].filter((c): c is FileNode => c.kind === 'file' && c.deleted === null);
    const rawFiles = rawEntriesOf(f).filter((e) => e.kind === 'file');
    if (files.length + rawFiles.length) {
      w.open('files');
      for (const file of files) {
        w.open('file', { name: file.name, uuid: file.uuid });
        if (file.current) writeRevision(w, 'currentRevision', file.current, file.current.size);
        if (file.latest) writeRevision(w, 'latestRevision', file.latest, null);
        w.close();
      }
      for (const e of rawFiles) writeRawChild(w, e);
      w.close();
    }
    w.close();
    for (const sub of liveFolders(f)) visit(sub, own);
  };
  visit(folder, parentPath);
  w.close().close();
  return w.toString();
}
