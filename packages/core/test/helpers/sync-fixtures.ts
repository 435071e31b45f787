// A compact in-memory Fs for march/sync/check tests: feature switches, shared storage per config name, a log of
// every mutating call, fault injection, and a wrapper that fails on any mutation (dry-run tests).

import { FakeObject } from './sync-fake-object.js';
import {
  type DirEntry, type Directory, type Fs, type FsObject, type ObjectInfo, type OptionalFsMethods, HashSet,
  type HashType, Timestamp, dirNotFound, directoryNotEmpty, fillFeatures, jsyncError, objectNotFound, parentOf,
} from '../../src/index.js';

/** One stored file. */
export interface FakeRec {
  path: string;
  data: Buffer;
  mtime: Timestamp;
}

/** Storage shared by every FakeFs of one world (several roots/config names, like one server). */
export class FakeWorld {
  readonly files = new Map<string, FakeRec>();
  readonly dirs = new Map<string, string>();
  /** Every mutating call, e.g. `put dst:a.txt`, `remove dst:b`, `setModTime dst:c`. */
  readonly log: string[] = [];
  constructor(readonly caseInsensitive = false) {}
  key(p: string): string {
    return this.caseInsensitive ? p.toLowerCase() : p;
  }
}

/** Returns an error to throw for an operation on `path`, or undefined. */
export type Fault = (op: string, path: string) => unknown;

/** Switches of {@link FakeFs}. */
export interface FakeFsOptions {
  /** Config name. @default 'fake' */
  name?: string;
  /** Root below the world's top (no slashes at the ends). @default '' */
  root?: string;
  world?: FakeWorld;
  /** Can hold empty directories (CanHaveEmptyDirectories). @default true */
  emptyDirs?: boolean;
  /** Modtime precision ns. @default 1n */
  precision?: bigint;
  /** @default ['md5'] */
  hashes?: HashType[];
  /** Optional server-side operations to offer. @default none */
  ops?: ('copy' | 'move' | 'dirMove' | 'listR' | 'purge')[];
  /** setModTime throws this code (e.g. CANT_SET_MOD_TIME). */
  cantSetModTime?: 'CANT_SET_MOD_TIME' | 'CANT_SET_MOD_TIME_WITHOUT_DELETE';
  /** Fault injection, consulted before every operation. */
  fault?: Fault;
}

const join = (a: string, b: string): string => (a === '' ? b : b === '' ? a : `${a}/${b}`);
/** Reads a whole upload. */
export async function collect(input: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of input) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

/** The in-memory Fs. Objects are snapshots of the listing; their methods act on the shared world. */
export class FakeFs implements Fs {
  readonly name: string;
  readonly root: string;
  readonly precision: bigint;
  readonly hashes: HashSet;
  readonly features;
  readonly world: FakeWorld;
  private readonly opts: FakeFsOptions;

  constructor(opts: FakeFsOptions = {}) {
    this.opts = opts;
    this.name = opts.name ?? 'fake';
    this.root = opts.root ?? '';
    this.world = opts.world ?? new FakeWorld();
    this.precision = opts.precision ?? 1n;
    this.hashes = new HashSet(opts.hashes ?? ['md5']);
    const methods: OptionalFsMethods = {};
    for (const op of opts.ops ?? []) (methods as Record<string, unknown>)[op] = (this as unknown as Record<string, unknown>)[`${op}Impl`];
    const bound = Object.fromEntries(Object.entries(methods).map(([k, f]) => [k, (f as (...a: unknown[]) => unknown).bind(this)]));
    this.features = fillFeatures(bound, { flags: { caseInsensitive: this.world.caseInsensitive, canHaveEmptyDirectories: opts.emptyDirs ?? true } });
  }

  toString(): string {
    return `Fake '${this.name}:${this.root}'`;
  }
  abs(remote: string): string {
    return join(this.root, remote);
  }
  private rel(abs: string): string {
    return this.root === '' ? abs : abs.slice(this.root.length + 1);
  }
  private check(op: string, remote: string): void {
    const err = this.opts.fault?.(op, remote);
    if (err) throw err;
  }
  private mutate(op: string, remote: string): void {
    this.check(op, remote);
    this.world.log.push(`${op} ${this.name}:${this.abs(remote)}`);
  }
  private dirExists(abs: string): boolean {
    if (abs === '') return true;
    const k = this.world.key(abs) + '/';
    if (this.world.dirs.has(this.world.key(abs))) return true;
    for (const key of this.world.files.keys()) if (key.startsWith(k)) return true;
    return false;
  }
  private addParents(abs: string): void {
    if (!(this.opts.emptyDirs ?? true)) return;
    for (let d = parentOf(abs); d !== ''; d = parentOf(d)) if (!this.world.dirs.has(this.world.key(d))) this.world.dirs.set(this.world.key(d), d);
  }

  /** Like a file system: no file where a directory is, no directory below a file. */
  private checkPlace(abs: string): void {
    if (this.dirExists(abs)) throw new Error(`open ${abs}: is a directory`);
    for (let d = parentOf(abs); d !== ''; d = parentOf(d)) {
      if (this.world.files.has(this.world.key(d))) throw new Error(`mkdir ${parentOf(abs)}: not a directory`);
    }
  }

  /** Creates a file directly (test setup; not logged). */
  write(remote: string, content: string | Buffer, mtime: Timestamp | string = '2001-02-03T04:05:06Z'): void {
    const abs = this.abs(remote);
    const t = typeof mtime === 'string' ? Timestamp.parse(mtime) : mtime;
    this.world.files.set(this.world.key(abs), { path: abs, data: Buffer.from(content), mtime: t });
    this.addParents(abs);
  }
  /** Creates a directory directly (test setup; not logged). */
  writeDir(dir: string): void {
    const abs = this.abs(dir);
    this.world.dirs.set(this.world.key(abs), abs);
    this.addParents(abs);
  }
  /** Everything below the root: files with content and modtime, directories with `dir: true`; sorted by path. */
  entries(): { path: string; content: string; mtime: string; dir: boolean }[] {
    const prefix = this.root === '' ? '' : this.world.key(this.root) + '/';
    const out: { path: string; content: string; mtime: string; dir: boolean }[] = [];
    for (const [k, r] of this.world.files) {
      if (k.startsWith(prefix)) out.push({ path: this.rel(r.path), content: r.data.toString(), mtime: r.mtime.toString(), dir: false });
    }
    for (const [k, d] of this.world.dirs) if (k.startsWith(prefix)) out.push({ path: this.rel(d), content: '', mtime: '', dir: true });
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
  /** `path content mtime` lines of the files and `path/` lines of the directories below the root, sorted. */
  tree(): string[] {
    return this.entries().map((e) => (e.dir ? `${e.path}/` : `${e.path} ${e.content} ${e.mtime}`)).sort();
  }
  /** Just the file paths below the root, sorted. */
  files(): string[] {
    return this.entries().filter((e) => !e.dir).map((e) => e.path);
  }

  private obj(rec: FakeRec): FsObject {
    return new FakeObject(this, this.rel(rec.path), rec);
  }
  /** Number of `list` calls and of `listR` calls, for fast-list tests. */
  listCalls = 0;
  listRCalls = 0;
  async *list(dir: string): AsyncIterable<readonly DirEntry[]> {
    this.listCalls++;
    yield* this.listInner(dir);
  }
  async *listRImpl(dir: string): AsyncIterable<readonly DirEntry[]> {
    this.listRCalls++;
    const out: DirEntry[] = [];
    const rec = async (d: string) => {
      for await (const page of this.listInner(d)) {
        for (const e of page) {
          out.push(e);
          if (e.isDir) await rec(e.remote);
        }
      }
    };
    await rec(dir);
    yield out;
  }
  private async *listInner(dir: string): AsyncIterable<readonly DirEntry[]> {
    this.check('list', dir);
    const abs = this.abs(dir);
    if (!this.dirExists(abs)) throw dirNotFound(dir);
    const prefix = abs === '' ? '' : this.world.key(abs) + '/';
    const out = new Map<string, DirEntry>();
    for (const [k, r] of this.world.files) {
      if (!k.startsWith(prefix)) continue;
      const rest = r.path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) out.set(rest, this.obj(r));
      else out.set(rest.slice(0, slash) + '/', fakeDir(join(dir, rest.slice(0, slash))));
    }
    for (const [k, d] of this.world.dirs) {
      if (!k.startsWith(prefix) || k === prefix) continue;
      const rest = d.slice(prefix.length);
      if (!rest.includes('/')) out.set(rest + '/', fakeDir(join(dir, rest)));
    }
    yield [...out.values()].reverse();
  }
  async newObject(remote: string): Promise<FsObject> {
    this.check('newObject', remote);
    const rec = this.world.files.get(this.world.key(this.abs(remote)));
    if (!rec) throw objectNotFound(remote);
    return this.obj(rec);
  }
  async put(input: AsyncIterable<Uint8Array>, src: ObjectInfo): Promise<FsObject> {
    const data = await collect(input);
    this.mutate('put', src.remote);
    const abs = this.abs(src.remote);
    this.checkPlace(abs);
    const rec = { path: abs, data, mtime: src.modTime() };
    this.world.files.set(this.world.key(abs), rec);
    this.addParents(abs);
    return this.obj(rec);
  }
  async mkdir(dir: string): Promise<void> {
    this.mutate('mkdir', dir);
    if (!(this.opts.emptyDirs ?? true) || dir === '' && this.root === '') return;
    const abs = this.abs(dir);
    this.world.dirs.set(this.world.key(abs), abs);
    this.addParents(abs);
  }
  async rmdir(dir: string): Promise<void> {
    this.mutate('rmdir', dir);
    const abs = this.abs(dir);
    if (!this.dirExists(abs)) throw dirNotFound(dir);
    const k = this.world.key(abs) + '/';
    if ([...this.world.files.keys(), ...this.world.dirs.keys()].some((x) => x.startsWith(k))) throw directoryNotEmpty(dir);
    this.world.dirs.delete(this.world.key(abs));
  }
  async copyImpl(src: FsObject, remote: string): Promise<FsObject> {
    if (!(src instanceof FakeObject) || src.fs.world !== this.world || src.fs.name !== this.name) throw jsyncError('CANT_COPY');
    this.mutate('copy', remote);
    const from = this.world.files.get(this.world.key(src.fs.abs(src.remote)));
    if (!from) throw objectNotFound(src.remote);
    const abs = this.abs(remote);
    const rec = { path: abs, data: Buffer.from(from.data), mtime: from.mtime };
    this.world.files.set(this.world.key(abs), rec);
    this.addParents(abs);
    return this.obj(rec);
  }
  async moveImpl(src: FsObject, remote: string): Promise<FsObject> {
    if (!(src instanceof FakeObject) || src.fs.world !== this.world || src.fs.name !== this.name) throw jsyncError('CANT_MOVE');
    this.mutate('move', remote);
    const fromKey = this.world.key(src.fs.abs(src.remote));
    const from = this.world.files.get(fromKey);
    if (!from) throw objectNotFound(src.remote);
    this.world.files.delete(fromKey);
    const abs = this.abs(remote);
    const rec = { path: abs, data: from.data, mtime: from.mtime };
    this.world.files.set(this.world.key(abs), rec);
    this.addParents(abs);
    return this.obj(rec);
  }
  async dirMoveImpl(src: Fs, srcRemote: string, dstRemote: string): Promise<void> {
    if (!(src instanceof FakeFs) || src.world !== this.world || src.name !== this.name) throw jsyncError('CANT_DIR_MOVE');
    const from = src.abs(srcRemote);
    const to = this.abs(dstRemote);
    if (this.dirExists(to)) throw jsyncError('DIR_EXISTS');
    this.mutate('dirMove', dstRemote);
    const fk = from === '' ? '' : this.world.key(from) + '/';
    for (const [k, r] of [...this.world.files]) {
      if (!k.startsWith(fk)) continue;
      this.world.files.delete(k);
      const p = join(to, r.path.slice(fk.length));
      this.world.files.set(this.world.key(p), { ...r, path: p });
    }
    for (const [k, d] of [...this.world.dirs]) {
      if (k !== this.world.key(from) && !k.startsWith(fk)) continue;
      this.world.dirs.delete(k);
      const p = k === this.world.key(from) ? to : join(to, d.slice(fk.length));
      this.world.dirs.set(this.world.key(p), p);
    }
  }
  async purgeImpl(dir: string): Promise<void> {
    this.mutate('purge', dir);
    const k = this.world.key(this.abs(dir));
    for (const key of [...this.world.files.keys()]) if (key.startsWith(k + '/')) this.world.files.delete(key);
    for (const key of [...this.world.dirs.keys()]) if (key === k || key.startsWith(k + '/')) this.world.dirs.delete(key);
  }

  /** Internal: object operations. */
  recFor(remote: string): FakeRec | undefined {
    return this.world.files.get(this.world.key(this.abs(remote)));
  }
  objMutate(op: string, remote: string): void {
    this.mutate(op, remote);
  }
  objCheck(op: string, remote: string): void {
    this.check(op, remote);
  }
  setRec(remote: string, rec: FakeRec): void {
    this.world.files.set(this.world.key(this.abs(remote)), rec);
  }
  deleteRec(remote: string): boolean {
    return this.world.files.delete(this.world.key(this.abs(remote)));
  }
  get cantSetModTime() {
    return this.opts.cantSetModTime;
  }
}

function fakeDir(remote: string): Directory {
  const t = Timestamp.parse('2000-01-01T00:00:00Z');
  return { isDir: true, remote, size: -1, items: -1, id: '', modTime: () => t, toString: () => remote };
}
