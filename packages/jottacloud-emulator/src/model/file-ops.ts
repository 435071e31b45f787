// File operations on the tree: placing, committing revisions, trash, delete, copy, move, cphash, sharing.

import { conflict, noSuchFile } from '../http/errors.js';
import type { Behaviour } from '../options.js';
import { mimeFor } from '../util/mime.js';
import type { Account } from './account.js';
import { dropChild, getChild, isLiveFile, newFile, nextRevisionNumber, putChild, revisionsOf } from './tree.js';
import type { FileNode, FolderNode, MountPoint, Revision } from './types.js';

/** What every operation needs. */
export interface OpsContext {
  account: Account;
  /** Now, in whole seconds. */
  now: number;
  behaviour: Behaviour;
}

/** Content and times of a new revision. */
export interface RevisionInput {
  md5: string;
  size: number;
  created: number;
  modified: number;
}

/** The parent folder (created) and the file node at `names` (created empty when missing). */
export function fileSlot(ctx: OpsContext, mp: MountPoint, names: readonly string[]): { parent: FolderNode; file: FileNode } {
  const name = names[names.length - 1]!;
  ctx.account.checkName(name);
  const parent = ctx.account.ensureFolders(mp, names.slice(0, -1), ctx.now);
  const existing = getChild(parent, name);
  if (existing?.kind === 'file') return { parent, file: existing };
  if (existing?.kind === 'folder') {
    if (existing.deleted === null) throw conflict(`Cannot create file ${name}: a folder with that name exists`);
    ctx.account.index.unrefSubtree(existing);
  }
  const file = newFile(name, ctx.account.ids.uuid());
  putChild(parent, file);
  return { parent, file };
}

/** Stores a new COMPLETED revision as current (the old current becomes a version) and revives the file. */
export function commitRevision(ctx: OpsContext, file: FileNode, input: RevisionInput, name?: string): Revision {
  const rev: Revision = {
    number: nextRevisionNumber(file), state: 'COMPLETED', created: input.created, modified: input.modified,
    updated: ctx.now, size: input.size, md5: input.md5, mime: mimeFor(name ?? file.name),
  };
  if (file.current) file.older.unshift(file.current);
  file.current = rev;
  ctx.account.index.ref(rev);
  const keep = ctx.behaviour.maxRevisions;
  if (keep > 0) for (const dropped of file.older.splice(Math.max(0, keep - 1))) ctx.account.index.unref(dropped);
  reviveFile(file, name);
  return rev;
}

/** Takes a file out of the trash (adopting `name`'s casing when given). */
export function reviveFile(file: FileNode, name?: string): void {
  if (file.deleted !== null && name) file.name = name;
  file.deleted = null;
}

/** Brings a file at `names` back from the trash together with its trashed ancestors (no content change). */
export function restoreAt(ctx: OpsContext, mp: MountPoint, names: readonly string[], file: FileNode): void {
  ctx.account.ensureFolders(mp, names.slice(0, -1), ctx.now);
  reviveFile(file, names[names.length - 1]);
}

/** Same content as the current revision? */
export function sameContent(file: FileNode, md5: string, size: number): boolean {
  return file.current !== null && file.current.md5 === md5 && file.current.size === size;
}

/** Puts content at `names`: unchanged content only updates times; otherwise a new revision. Revives the file. */
export function putContent(ctx: OpsContext, mp: MountPoint, names: readonly string[], input: RevisionInput): FileNode {
  const { file } = fileSlot(ctx, mp, names);
  const name = names[names.length - 1]!;
  if (sameContent(file, input.md5, input.size)) {
    file.current!.created = input.created;
    file.current!.modified = input.modified;
    reviveFile(file, name);
  } else {
    commitRevision(ctx, file, input, name);
  }
  return file;
}

/** Trashes a live file; false when there was none. */
export function trashFile(ctx: OpsContext, parent: FolderNode | undefined, name: string): FileNode | undefined {
  const node = parent && getChild(parent, name);
  if (node?.kind !== 'file' || node.deleted !== null) return undefined;
  node.deleted = ctx.now;
  return node;
}

/** Deletes a file (live or trashed) permanently; false when there was none. */
export function deleteFile(ctx: OpsContext, parent: FolderNode | undefined, name: string): boolean {
  const node = parent && getChild(parent, name);
  if (node?.kind !== 'file') return false;
  ctx.account.index.unrefSubtree(node);
  dropChild(parent!, name);
  return true;
}

/** Copies the current revision of `src` to `destNames`; see the README for trashed and existing destinations. */
export function copyFile(ctx: OpsContext, src: FileNode, srcPath: string, dest: { mp: MountPoint; names: readonly string[] }): FileNode {
  if (!isLiveFile(src)) throw noSuchFile(srcPath, 'Source file');
  const cur = src.current;
  const { file } = fileSlot(ctx, dest.mp, dest.names);
  if (file === src) return file;
  const wasTrashed = file.deleted !== null;
  const name = dest.names[dest.names.length - 1]!;
  const input = { md5: cur.md5, size: cur.size, created: cur.created, modified: cur.modified };
  if (sameContent(file, cur.md5, cur.size)) {
    file.current!.created = cur.created;
    file.current!.modified = cur.modified;
  } else {
    commitRevision(ctx, file, input, name);
  }
  if (wasTrashed && ctx.behaviour.cpOntoTrashedStaysTrashed) file.deleted = file.deleted ?? ctx.now;
  else reviveFile(file, name);
  return file;
}

/** Moves (renames) `src` to `destNames`: the node moves with all its revisions; an existing file there is replaced. */
export function moveFile(
  ctx: OpsContext,
  src: { parent: FolderNode; file: FileNode; path: string },
  dest: { mp: MountPoint; names: readonly string[] },
): FileNode {
  if (!isLiveFile(src.file)) throw noSuchFile(src.path, 'Source file');
  const name = dest.names[dest.names.length - 1]!;
  ctx.account.checkName(name);
  const parent = ctx.account.ensureFolders(dest.mp, dest.names.slice(0, -1), ctx.now);
  const existing = getChild(parent, name);
  if (existing === src.file) {
    dropChild(parent, src.file.name);
    src.file.name = name;
    putChild(parent, src.file);
    return src.file;
  }
  if (existing?.kind === 'folder' && existing.deleted === null) throw conflict(`Cannot move to ${name}: a folder with that name exists`);
  if (existing?.kind === 'file' && existing.deleted === null && existing.current) {
    // The destination keeps its history: the moved content becomes its newest revision.
    const cur = src.file.current;
    if (!sameContent(existing, cur.md5, cur.size)) commitRevision(ctx, existing, cur, name);
    else Object.assign(existing.current!, { created: cur.created, modified: cur.modified });
    ctx.account.index.unrefSubtree(src.file);
    dropChild(src.parent, src.file.name);
    return existing;
  }
  if (existing) ctx.account.index.unrefSubtree(existing);
  dropChild(src.parent, src.file.name);
  src.file.name = name;
  putChild(parent, src.file);
  return src.file;
}

/** cphash: match (update times / restore from trash) or build from stored content; undefined when impossible. */
export function cphash(ctx: OpsContext, mp: MountPoint, names: readonly string[], existing: FileNode | undefined, input: RevisionInput): FileNode | undefined {
  if (existing && sameContent(existing, input.md5, input.size)) {
    existing.current!.created = input.created;
    existing.current!.modified = input.modified;
    restoreAt(ctx, mp, names, existing);
    return existing;
  }
  const older = existing && revisionsOf(existing).find((r) => r.md5 === input.md5 && r.size === input.size);
  if (!older && !(ctx.behaviour.dedup && ctx.account.index.has(input.md5, input.size))) return undefined;
  return putContent(ctx, mp, names, input);
}
