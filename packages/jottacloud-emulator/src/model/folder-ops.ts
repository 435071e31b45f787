// Folder operations on the tree: trash and delete recursively, move/rename a folder tree, purge the trash.

import { badRequest, conflict } from '../http/errors.js';
import type { Account } from './account.js';
import type { OpsContext } from './file-ops.js';
import { countSubtree, dropChild, getChild, putChild, trashSubtree, walkTree } from './tree.js';
import { fold, type FolderNode, type MountPoint, type TreeNode } from './types.js';

/** Trashes a folder tree (idempotent for an already trashed folder). */
export function trashFolder(ctx: OpsContext, folder: FolderNode): void {
  trashSubtree(folder, ctx.now);
}

/** Deletes a folder tree permanently. */
export function deleteFolder(ctx: OpsContext, parent: FolderNode, folder: FolderNode): void {
  ctx.account.index.unrefSubtree(folder);
  dropChild(parent, folder.name);
}

/**
 * Moves a live folder to `dest` (the new folder itself). A trashed folder or file at the destination is discarded;
 * a live one is a conflict, unless it is the source itself (a case-only rename).
 */
export function moveFolder(
  ctx: OpsContext,
  src: { parent: FolderNode; folder: FolderNode; mp: MountPoint; names: readonly string[] },
  dest: { mp: MountPoint; names: readonly string[] },
): FolderNode {
  if (dest.names.length === 0) throw badRequest('Cannot move a folder onto a mountpoint');
  const inside = src.mp === dest.mp && dest.names.length > src.names.length &&
    src.names.every((n, i) => fold(n) === fold(dest.names[i]!));
  if (inside) throw badRequest('Cannot move a folder into itself');
  const name = dest.names[dest.names.length - 1]!;
  ctx.account.checkName(name);
  const parent = ctx.account.ensureFolders(dest.mp, dest.names.slice(0, -1), ctx.now);
  const existing = getChild(parent, name);
  if (existing && existing !== src.folder) {
    if (existing.deleted === null) throw conflict(`Folder ${name} already exists`);
    ctx.account.index.unrefSubtree(existing);
    dropChild(parent, name);
  }
  dropChild(src.parent, src.folder.name);
  src.folder.name = name;
  putChild(parent, src.folder);
  return src.folder;
}

/** Removes every trashed node of the account permanently; returns the counts removed. */
export function purgeTrash(account: Account): { folders: number; files: number } {
  const out = { folders: 0, files: 0 };
  const purgeIn = (folder: FolderNode): void => {
    for (const child of [...folder.children.values()]) {
      if (child.deleted !== null) {
        const c = countSubtree(child);
        out.folders += c.folders;
        out.files += c.files;
        account.index.unrefSubtree(child);
        dropChild(folder, child.name);
      } else if (child.kind === 'folder') {
        purgeIn(child);
      }
    }
  };
  for (const d of account.devices.values()) for (const mp of d.mountpoints.values()) purgeIn(mp.root);
  return out;
}

/** A trashed node whose parent is live (what the Trash view lists), with where it was. */
export interface TrashRoot {
  node: TreeNode;
  /** Absolute raw path of the original parent. */
  parentPath: string;
}

/** Every top-level trashed node of the account. */
export function trashRoots(account: Account): TrashRoot[] {
  const out: TrashRoot[] = [];
  for (const d of account.devices.values()) {
    for (const mp of d.mountpoints.values()) {
      const visit = (folder: FolderNode, names: string[]): void => {
        for (const child of folder.children.values()) {
          if (child.deleted !== null) out.push({ node: child, parentPath: account.absPath(d, mp, names) });
          else if (child.kind === 'folder') visit(child, [...names, child.name]);
        }
      };
      visit(mp.root, []);
    }
  }
  return out;
}

/** Shared (public-link) nodes of the account with their parent paths. */
export function sharedNodes(account: Account): TrashRoot[] {
  const out: TrashRoot[] = [];
  for (const d of account.devices.values()) {
    for (const mp of d.mountpoints.values()) {
      for (const e of walkTree(mp.root)) {
        if (e.node.publicURI && e.node.deleted === null) out.push({ node: e.node, parentPath: account.absPath(d, mp, e.path.slice(0, -1)) });
      }
    }
  }
  return out;
}
