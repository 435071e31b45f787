// A small directory-tree Fs used to test the testkit itself: real empty directories, purge/move/dirMove/about/
// publicLink/command/shutdown, sha1 only, millisecond precision, no listR/copy/putStream — the branches memory skips.
// `bugs` inject one defect each, so tests can prove the conformance suite notices it.

import { Readable } from 'node:stream';
import {
  HashSet, Timestamp, directoryNotEmpty, dirNotFound, fillFeatures, hashBytes, hashUnsupported, isDirError, jsyncError,
  objectNotFound, parentOf,
} from '@jsync/core';
import type { DirEntry, Directory, Features, Fs, FsObject, HashType, NewFsResult, ObjectInfo, OpenOptions, Usage } from '@jsync/core';

/** Defects a TreeFs can be built with. */
export interface TreeBugs {
  /** list() yields only its first page. */
  truncateListing?: boolean;
  /** list() ignores the abort signal. */
  ignoreSignal?: boolean;
  /** put() stores what it read before the input failed. */
  partialPut?: boolean;
  /** open() ignores ranges and seeks. */
  ignoreRange?: boolean;
  /** Stored modtimes lose everything below the second while precision still claims 1 ms. */
  secondModTimes?: boolean;
  /** newFs() never reports isFile. */
  noIsFile?: boolean;
  /** sha1 of the content is reported for a different content. */
  wrongHash?: boolean;
  /** list() returns leaf names instead of full remote paths. */
  leafRemotes?: boolean;
}

type Node = { kind: 'dir' } | { kind: 'file'; data: Buffer; modTime: Timestamp };

/** The shared state of one fake backend instance. */
export class TreeStore {
  readonly nodes = new Map<string, Node>([['', { kind: 'dir' }]]);
  constructor(readonly bugs: TreeBugs = {}) {}

  /** `newFs` for the conformance suite. */
  newFs = async (root: string): Promise<NewFsResult> => {
    const fs = new TreeFs(this, root);
    const node = this.nodes.get(fs.root);
    if (node?.kind === 'file' && !this.bugs.noIsFile) return { fs: new TreeFs(this, parentOf(fs.root)), isFile: true };
    return { fs, isFile: false };
  };

  mkdirAll(abs: string): void {
    for (let d = abs; ; d = parentOf(d)) {
      const n = this.nodes.get(d);
      if (n?.kind === 'file') throw jsyncError('IO', { message: `${d} is a file` });
      if (!n) this.nodes.set(d, { kind: 'dir' });
      if (d === '') break;
    }
  }
}

const join = (a: string, b: string) => (a === '' ? b : b === '' ? a : `${a}/${b}`);
const under = (p: string, dir: string) => dir === '' ? p !== '' : p.startsWith(dir + '/');

/** A TreeFs rooted somewhere in a {@link TreeStore}. */
export class TreeFs implements Fs {
  readonly name = 'tree';
  readonly root: string;
  readonly precision = 1_000_000n;
  readonly hashes = new HashSet(['sha1']);
  readonly features: Features;
  pageSize = 1000;

  constructor(readonly store: TreeStore, root: string) {
    this.root = root.replace(/^\/+|\/+$/g, '');
    this.features = fillFeatures(this, { flags: { canHaveEmptyDirectories: true } });
  }

  toString(): string {
    return `Tree root '${this.root}'`;
  }

  abs(remote: string): string {
    return join(this.root, remote);
  }

  async *list(dir: string, opts: { signal?: AbortSignal } = {}): AsyncGenerator<readonly DirEntry[]> {
    const signal = this.store.bugs.ignoreSignal ? undefined : opts.signal;
    signal?.throwIfAborted();
    const abs = this.abs(dir);
    if (this.store.nodes.get(abs)?.kind !== 'dir') throw dirNotFound(dir);
    const entries: DirEntry[] = [];
    for (const [p, n] of this.store.nodes) {
      if (!under(p, abs) || p.slice(abs === '' ? 0 : abs.length + 1).includes('/')) continue;
      const leaf = p.slice(abs === '' ? 0 : abs.length + 1);
      const remote = this.store.bugs.leafRemotes ? leaf : join(dir, leaf);
      entries.push(n.kind === 'dir' ? treeDir(remote) : new TreeObject(this, remote, n));
    }
    for (let i = 0; i < entries.length; i += this.pageSize) {
      signal?.throwIfAborted();
      yield entries.slice(i, i + this.pageSize);
      if (this.store.bugs.truncateListing) return;
    }
  }

  async newObject(remote: string): Promise<FsObject> {
    const n = this.store.nodes.get(this.abs(remote));
    if (!n) throw objectNotFound(remote);
    if (n.kind === 'dir') throw isDirError(remote);
    return new TreeObject(this, remote, n);
  }

  async put(input: AsyncIterable<Uint8Array>, src: ObjectInfo): Promise<FsObject> {
    const chunks: Buffer[] = [];
    const store = () => {
      const node: Node = { kind: 'file', data: Buffer.concat(chunks), modTime: this.storedTime(src.modTime()) };
      this.store.mkdirAll(parentOf(this.abs(src.remote)));
      this.store.nodes.set(this.abs(src.remote), node);
      return new TreeObject(this, src.remote, node);
    };
    try {
      for await (const c of input) chunks.push(Buffer.from(c));
    } catch (err) {
      if (this.store.bugs.partialPut) store();
      throw err;
    }
    return store();
  }

  async mkdir(dir: string): Promise<void> {
    this.store.mkdirAll(this.abs(dir));
  }

  async rmdir(dir: string): Promise<void> {
    const abs = this.abs(dir);
    if (this.store.nodes.get(abs)?.kind !== 'dir') throw dirNotFound(dir);
    if ([...this.store.nodes.keys()].some((p) => under(p, abs))) throw directoryNotEmpty(dir);
    this.store.nodes.delete(abs);
  }

  async purge(dir: string): Promise<void> {
    const abs = this.abs(dir);
    if (this.store.nodes.get(abs)?.kind !== 'dir') throw dirNotFound(dir);
    for (const p of [...this.store.nodes.keys()]) if (p === abs || under(p, abs)) this.store.nodes.delete(p);
  }

  async move(src: FsObject, remote: string): Promise<FsObject> {
    if (!(src instanceof TreeObject) || src.fs.store !== this.store) throw jsyncError('CANT_MOVE');
    const from = src.fs.abs(src.remote);
    const node = this.store.nodes.get(from);
    if (node?.kind !== 'file') throw objectNotFound(src.remote);
    this.store.mkdirAll(parentOf(this.abs(remote)));
    this.store.nodes.delete(from);
    this.store.nodes.set(this.abs(remote), node);
    return new TreeObject(this, remote, node);
  }

  async dirMove(src: Fs, srcRemote: string, dstRemote: string): Promise<void> {
    if (!(src instanceof TreeFs) || src.store !== this.store) throw jsyncError('CANT_DIR_MOVE');
    const from = src.abs(srcRemote);
    const to = this.abs(dstRemote);
    if (this.store.nodes.has(to)) throw jsyncError('DIR_EXISTS');
    if (this.store.nodes.get(from)?.kind !== 'dir') throw dirNotFound(srcRemote);
    this.store.mkdirAll(parentOf(to));
    for (const [p, n] of [...this.store.nodes]) {
      if (p !== from && !under(p, from)) continue;
      this.store.nodes.delete(p);
      this.store.nodes.set(to + p.slice(from.length), n);
    }
  }

  async about(): Promise<Usage> {
    const files = [...this.store.nodes.values()].filter((n) => n.kind === 'file');
    return { total: 1 << 30, used: files.reduce((s, n) => s + (n.kind === 'file' ? n.data.length : 0), 0), objects: files.length };
  }

  async publicLink(remote: string): Promise<string> {
    const abs = this.abs(remote);
    if (!this.store.nodes.has(abs)) throw objectNotFound(remote);
    return `https://tree.invalid/${encodeURIComponent(abs)}`;
  }

  async command(name: string): Promise<unknown> {
    throw jsyncError('COMMAND_NOT_FOUND', { context: { name } });
  }

  async shutdown(): Promise<void> {}

  setListPageSize(n: number): void {
    this.pageSize = n;
  }

  storedTime(t: Timestamp): Timestamp {
    return t.truncate(this.store.bugs.secondModTimes ? 1_000_000_000n : this.precision);
  }
}

/** A file of a TreeFs. */
export class TreeObject implements FsObject {
  readonly isDir = false as const;
  readonly storable = true;
  constructor(readonly fs: TreeFs, readonly remote: string, private node: Node & { kind: 'file' }) {}

  get size(): number {
    return this.node.data.length;
  }

  modTime(): Timestamp {
    return this.node.modTime;
  }

  toString(): string {
    return this.remote;
  }

  async hash(type: HashType): Promise<string> {
    if (type !== 'sha1') throw hashUnsupported(type);
    return hashBytes('sha1', this.fs.store.bugs.wrongHash ? Buffer.concat([this.node.data, Buffer.from('!')]) : this.node.data);
  }

  async setModTime(t: Timestamp): Promise<void> {
    this.node.modTime = this.fs.storedTime(t);
  }

  async open(opts: OpenOptions = {}): Promise<Readable> {
    const size = this.node.data.length;
    let [offset, end] = [0, size];
    if (!this.fs.store.bugs.ignoreRange) {
      if (opts.seek !== undefined) offset = opts.seek;
      if (opts.range) {
        const { start, end: e } = opts.range;
        [offset, end] = start >= 0 ? [start, e >= 0 ? e + 1 : size] : [size - e, size];
      }
    }
    const chunk = this.node.data.subarray(Math.max(0, Math.min(offset, size)), Math.min(end, size));
    return Readable.from(chunk.length ? [chunk] : [], { objectMode: false });
  }

  async update(input: AsyncIterable<Uint8Array>, src: ObjectInfo): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of input) chunks.push(Buffer.from(c));
    this.node = { kind: 'file', data: Buffer.concat(chunks), modTime: this.fs.storedTime(src.modTime()) };
    this.fs.store.nodes.set(this.fs.abs(this.remote), this.node);
  }

  async remove(): Promise<void> {
    const abs = this.fs.abs(this.remote);
    if (this.fs.store.nodes.get(abs)?.kind !== 'file') throw objectNotFound(this.remote);
    this.fs.store.nodes.delete(abs);
  }
}

function treeDir(remote: string): Directory {
  const t = Timestamp.now();
  return { isDir: true, remote, size: -1, items: -1, id: '', modTime: () => t, toString: () => remote };
}
