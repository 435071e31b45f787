// Tree helpers: name rules, case-insensitive child lookup, walking, revision bookkeeping.

import { fold, type FileNode, type FolderNode, type Revision, type TreeNode } from './types.js';

/** Name rules the server enforces. */
export interface NameRules {
  /** Maximum length of one name in Unicode code points. */
  maxNameLength: number;
  /** Also reject the Windows-reserved characters `: ? " * < > |` (rclone encodes them; the default accepts them). */
  strictNames: boolean;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Characters XML 1.0 cannot carry, plus C0 controls (which rclone always encodes).
const XML_INVALID = /[\u0000-\u001F\uFFFE\uFFFF]/;

/** Why `name` is not a valid file or folder name, or undefined when it is. */
export function nameProblem(name: string, rules: NameRules): string | undefined {
  if (name === '') return 'empty name';
  if (name === '.' || name === '..') return `invalid name ${JSON.stringify(name)}`;
  if (name.includes('/')) return `name contains a slash: ${JSON.stringify(name)}`;
  if (LONE_SURROGATE.test(name) || XML_INVALID.test(name)) return `name contains an invalid character: ${JSON.stringify(name)}`;
  if ([...name].length > rules.maxNameLength) return `name longer than ${rules.maxNameLength} characters`;
  if (rules.strictNames && /[:?"*<>|]/.test(name)) return `name contains a reserved character: ${JSON.stringify(name)}`;
  return undefined;
}

/** A new live folder. */
export function newFolder(name: string, uuid: string, now: number): FolderNode {
  return { kind: 'folder', name, uuid, deleted: null, created: now, publicURI: null, children: new Map() };
}

/** A new live file with no revisions yet. */
export function newFile(name: string, uuid: string): FileNode {
  return { kind: 'file', name, uuid, deleted: null, current: null, older: [], latest: null, publicURI: null };
}

/** The child named `name` (case-insensitively). */
export function getChild(folder: FolderNode, name: string): TreeNode | undefined {
  return folder.children.get(fold(name));
}

/** Inserts or replaces a child under its folded name. */
export function putChild(folder: FolderNode, node: TreeNode): void {
  folder.children.set(fold(node.name), node);
}

/** Removes the child named `name`. */
export function dropChild(folder: FolderNode, name: string): void {
  folder.children.delete(fold(name));
}

/** One node met while walking, with its path below the walk root and its parent. */
export interface WalkEntry {
  node: TreeNode;
  path: readonly string[];
  parent: FolderNode;
}

/** Every node below `folder`, pre-order, children in insertion order. */
export function* walkTree(folder: FolderNode, base: readonly string[] = []): Generator<WalkEntry> {
  for (const node of folder.children.values()) {
    const path = [...base, node.name];
    yield { node, path, parent: folder };
    if (node.kind === 'folder') yield* walkTree(node, path);
  }
}

/** All COMPLETED revisions of a file, newest first. */
export function revisionsOf(file: FileNode): Revision[] {
  return file.current ? [file.current, ...file.older] : [...file.older];
}

/** The number the next revision of `file` gets. */
export function nextRevisionNumber(file: FileNode): number {
  let n = 0;
  for (const r of revisionsOf(file)) n = Math.max(n, r.number);
  if (file.latest) n = Math.max(n, file.latest.number);
  return n + 1;
}

/** True for a non-deleted file with a COMPLETED current revision (what clients treat as existing). */
export function isLiveFile(node: TreeNode | undefined): node is FileNode & { current: Revision } {
  return node?.kind === 'file' && node.deleted === null && node.current !== null;
}

/** Marks `node` and everything below it deleted at `now`; already deleted nodes keep their time. */
export function trashSubtree(node: TreeNode, now: number): void {
  if (node.deleted === null) node.deleted = now;
  if (node.kind === 'folder') for (const c of node.children.values()) trashSubtree(c, now);
}

/** Counts of a subtree: folders and files (the node itself included). */
export function countSubtree(node: TreeNode): { folders: number; files: number } {
  if (node.kind === 'file') return { folders: 0, files: 1 };
  const out = { folders: 1, files: 0 };
  for (const e of walkTree(node)) out[e.node.kind === 'folder' ? 'folders' : 'files']++;
  return out;
}
