// Reference counts of stored content by MD5: drives deduplication and tells which blobs became garbage.

import type { FileNode, Revision, TreeNode } from './types.js';
import { revisionsOf, walkTree } from './tree.js';

/** Counts, per MD5, how many revisions reference that content (and its size). */
export class ContentIndex {
  private readonly refs = new Map<string, { size: number; count: number }>();
  /** MD5s whose count dropped to zero since the last {@link takeGarbage}. */
  private readonly garbage = new Set<string>();

  /** Adds a reference to a revision's content. */
  ref(rev: Pick<Revision, 'md5' | 'size'>): void {
    const e = this.refs.get(rev.md5);
    if (e) e.count++;
    else this.refs.set(rev.md5, { size: rev.size, count: 1 });
    this.garbage.delete(rev.md5);
  }

  /** Drops a reference; content with no references left becomes garbage. */
  unref(rev: Pick<Revision, 'md5'>): void {
    const e = this.refs.get(rev.md5);
    if (!e) return;
    if (--e.count <= 0) {
      this.refs.delete(rev.md5);
      this.garbage.add(rev.md5);
    }
  }

  /** Drops the references of every revision of every file in a subtree. */
  unrefSubtree(node: TreeNode): void {
    const files: FileNode[] = node.kind === 'file' ? [node] : [];
    if (node.kind === 'folder') for (const e of walkTree(node)) if (e.node.kind === 'file') files.push(e.node);
    for (const f of files) for (const r of revisionsOf(f)) this.unref(r);
  }

  /** True when content with this MD5 and size is stored (deduplication). */
  has(md5: string, size: number): boolean {
    return this.refs.get(md5)?.size === size;
  }

  /** True when some revision references this MD5. */
  referenced(md5: string): boolean {
    return this.refs.has(md5);
  }

  /** True when some content became unreferenced since the last {@link takeGarbage}. */
  hasGarbage(): boolean {
    return this.garbage.size > 0;
  }

  /** The MD5s that became unreferenced since the last call (and are still unreferenced). */
  takeGarbage(): string[] {
    const out = [...this.garbage].filter((m) => !this.refs.has(m));
    this.garbage.clear();
    return out;
  }

  /** Every referenced MD5. */
  all(): string[] {
    return [...this.refs.keys()];
  }
}
