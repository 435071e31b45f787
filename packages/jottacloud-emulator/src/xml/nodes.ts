// XML for files and folders: revision elements, file elements (listing and root), folder documents.

import { rawEntriesOf, type RawEntry } from '../model/raw-entries.js';
import type { FileNode, FolderNode, PendingRevision, Revision, TreeNode } from '../model/types.js';
import { mstyleFor } from '../util/mime.js';
import { formatJfsTime } from './time.js';
import { writeRawChild } from './raw.js';
import { XmlWriter, type XmlAttrs } from './writer.js';

/** Root-element attributes (`time`, `host`). */
export type RootAttrs = { time: string; host: string };

/** Writes one revision element (`currentRevision`, `latestRevision` or `revision`). */
export function writeRevision(w: XmlWriter, tag: string, rev: Revision | PendingRevision, size: number | null): void {
  w.open(tag)
    .leaf('number', rev.number)
    .leaf('state', rev.state)
    .leaf('created', formatJfsTime(rev.created))
    .leaf('modified', formatJfsTime(rev.modified))
    .leaf('mime', rev.mime)
    .leaf('mstyle', mstyleFor(rev.mime));
  if (size !== null) w.leaf('size', size);
  w.leaf('md5', rev.md5).leaf('updated', formatJfsTime(rev.updated)).close();
}

/** How a file element is written. */
export interface FileElementOptions {
  /** Root element: adds time/host, path/abspath and the revision history. */
  root?: RootAttrs;
  /** Absolute path of the parent (for path/abspath). */
  parentPath: string;
  /** Bytes received of an INCOMPLETE latest revision (shown on a direct GET only). */
  received?: number;
  /** Mark as a Trash-view entry. */
  trash?: boolean;
}

/** Writes a `<file>` element. */
export function writeFile(w: XmlWriter, file: FileNode, o: FileElementOptions): void {
  const attrs: XmlAttrs = { name: file.name, uuid: file.uuid, deleted: file.deleted === null ? undefined : formatJfsTime(file.deleted) };
  if (o.trash) attrs.contextType = 'TRASH';
  w.open('file', { ...attrs, ...o.root });
  if (o.root || file.deleted !== null) w.preserve('path', o.parentPath).preserve('abspath', o.parentPath);
  if (file.publicURI) w.leaf('publicURI', file.publicURI);
  if (file.current) writeRevision(w, 'currentRevision', file.current, file.current.size);
  if (file.latest) {
    const size = file.latest.state === 'INCOMPLETE' && o.root ? (o.received ?? 0) : null;
    writeRevision(w, 'latestRevision', file.latest, size);
  }
  if (o.root && file.older.length) {
    w.open('revisions');
    for (const r of file.older) writeRevision(w, 'revision', r, r.size);
    w.close();
  }
  w.close();
}

/** Writes a child `<folder>` element of a listing. */
export function writeChildFolder(w: XmlWriter, folder: FolderNode, parentPath: string, trash = false): void {
  if (folder.deleted === null && !trash) {
    w.empty('folder', { name: folder.name });
    return;
  }
  w.open('folder', { name: folder.name, deleted: folder.deleted === null ? undefined : formatJfsTime(folder.deleted), contextType: trash ? 'TRASH' : undefined });
  w.preserve('abspath', parentPath).close();
}

/** Writes `<folders>`, `<files>` and `<metadata>` for the children of a folder (tombstones and raw entries included). */
export function writeChildren(w: XmlWriter, children: Iterable<TreeNode>, ownPath: string, raw: readonly RawEntry[] = []): void {
  const list = [...children];
  const folders = list.filter((c): c is FolderNode => c.kind === 'folder');
  const files = list.filter((c): c is FileNode => c.kind === 'file');
  const rawFolders = raw.filter((e) => e.kind === 'folder');
  const rawFiles = raw.filter((e) => e.kind === 'file');
  if (folders.length + rawFolders.length) {
    w.open('folders');
    for (const f of folders) writeChildFolder(w, f, ownPath);
    for (const e of rawFolders) writeRawChild(w, e);
    w.close();
  }
  if (files.length + rawFiles.length) {
    w.open('files');
    for (const f of files) writeFile(w, f, { parentPath: ownPath });
    for (const e of rawFiles) writeRawChild(w, e);
    w.close();
  }
  const nFolders = folders.length + rawFolders.length;
  const nFiles = files.length + rawFiles.length;
  w.empty('metadata', { first: '', max: '', total: nFolders + nFiles, num_folders: nFolders, num_files: nFiles });
}

/** The `<folder>` document of a folder at `parentPath`. */
export function folderDocument(folder: FolderNode, parentPath: string, root: RootAttrs): string {
  const w = new XmlWriter();
  w.open('folder', { name: folder.name, deleted: folder.deleted === null ? undefined : formatJfsTime(folder.deleted), ...root });
  w.preserve('path', parentPath).preserve('abspath', parentPath);
  if (folder.publicURI) w.leaf('publicURI', folder.publicURI);
  writeChildren(w, folder.children.values(), `${parentPath}/${folder.name}`, rawEntriesOf(folder));
  w.close();
  return w.toString();
}

/** The `<file>` document of a file at `parentPath`. */
export function fileDocument(file: FileNode, parentPath: string, root: RootAttrs, received?: number): string {
  const w = new XmlWriter();
  writeFile(w, file, { root, parentPath, ...(received === undefined ? {} : { received }) });
  return w.toString();
}
