// A compact in-memory Fs for operations tests: feature switches, fault injection and a log of mutating calls.

import { Readable } from 'node:stream';
import {
  type DirEntry, type Directory, type ErrorCode, type Features, type Fs, type FsObject, type HashType, type ObjectInfo,
  type OpenOptions, type PutOptions, HashSet, decodeOpenOptions, JsyncError, Timestamp, createHasher, dirNotFound, directoryNotEmpty, fillFeatures,
  hashUnsupported, jsyncError, objectNotFound, parentOf,
} from '../../src/index.js';

/** Switches of a {@link FakeFs}. */
export interface FakeFsOptions {
  name?: string;
  root?: string;
  precision?: bigint;
  hashes?: HashType[];
  caseInsensitive?: boolean;
  canHaveEmptyDirectories?: boolean;
  serverSideAcrossConfigs?: boolean;
  /** Optional operations to offer. */
  copy?: boolean;
  move?: boolean;
  purge?: boolean;
  putStream?: boolean;
  cleanUp?: boolean;
}

/** Faults to inject; each `times` counter is decremented as it fires. */
export interface Faults {
  /** put/update read `afterBytes` then fail (retryable unless `error` says otherwise); nothing is stored. */
  failUpload?: { afterBytes: number; times: number; error?: () => Error };
  /** Reading an object fails after `afterBytes` bytes, `times` times. */
  failRead?: { afterBytes: number; times: number };
  /** open() itself fails `times` times. */
  failOpen?: { times: number; error?: () => Error };
  /** Store the uploaded content with its first byte flipped. */
  corrupt?: boolean;
  /** Store only the first n bytes of uploads. */
  truncateTo?: number;
  /** hash() answers a wrong digest. */
  wrongHash?: boolean;
  /** hash() answers "" (unknown). */
  emptyHash?: boolean;
  /** hash() throws. */
  hashError?: boolean;
  /** setModTime throws this code. */
  setModTime?: ErrorCode;
  /** Server-side copy/move/purge throw these codes. */
  copyError?: ErrorCode;
  moveError?: ErrorCode;
  purgeError?: ErrorCode;
  /** remove() throws. */
  removeError?: boolean;
}

interface Stored {
  data: Buffer;
  modTime: Timestamp;
  id: string;
  unknownSize?: boolean;
}

let ids = 0;

/** An in-memory Fs recording every mutating call in `calls`; with `forbidMutations` any mutation throws. */
export class FakeFs implements Fs {
  readonly name: string;
  readonly root: string;
  readonly precision: bigint;
  readonly hashes: HashSet;
  readonly features: Features;
  readonly files = new Map<string, Stored>();
  readonly dirs = new Set<string>();
  readonly calls: string[] = [];
  faults: Faults = {};
  forbidMutations = false;

  constructor(opts: FakeFsOptions = {}) {
    this.name = opts.name ?? 'fake';
    this.root = opts.root ?? '';
    this.precision = opts.precision ?? 1n;
    this.hashes = new HashSet(opts.hashes ?? ['md5']);
    const methods: Record<string, unknown> = {};
    if (opts.copy) methods['copy'] = (src: FsObject, remote: string) => this.serverSide('copy', src, remote);
    if (opts.move) methods['move'] = (src: FsObject, remote: string) => this.serverSide('move', src, remote);
    if (opts.purge) methods['purge'] = (dir: string) => this.purgeImpl(dir);
    if (opts.putStream) methods['putStream'] = (input: AsyncIterable<Uint8Array>, src: ObjectInfo, o?: PutOptions) => this.upload('putStream', input, src, o);
    if (opts.cleanUp) methods['cleanUp'] = async () => this.mutate('cleanUp');
    this.features = fillFeatures(methods, {
      flags: {
        caseInsensitive: opts.caseInsensitive ?? false, canHaveEmptyDirectories: opts.canHaveEmptyDirectories ?? true,
        serverSideAcrossConfigs: opts.serverSideAcrossConfigs ?? false,
      },
    });
  }

  toString(): string {
    return `Fake root '${this.root}'`;
  }

  /** Adds a file directly (not recorded as a call). */
  seed(remote: string, content: string | Buffer, modTime: Timestamp | string, opts: { unknownSize?: boolean } = {}): FakeObject {
    const t = typeof modTime === 'string' ? Timestamp.parse(modTime) : modTime;
    this.files.set(this.key(remote), { data: Buffer.from(content), modTime: t, id: `id${++ids}`, ...(opts.unknownSize ? { unknownSize: true } : {}) });
    return new FakeObject(this, remote);
  }

  /** Adds an (empty) directory and its parents directly. */
  seedDir(dir: string): void {
    for (let d = dir; d !== ''; d = parentOf(d)) this.dirs.add(this.key(d));
  }

  /** Content of a stored file as text, or undefined. */
  text(remote: string): string | undefined {
    return this.files.get(this.key(remote))?.data.toString();
  }

  key(remote: string): string {
    return this.features.caseInsensitive ? remote.toLowerCase() : remote;
  }

  mutate(call: string): void {
    if (this.forbidMutations) throw new Error(`mutating call while forbidden: ${call}`);
    this.calls.push(call);
  }

  async *list(dir: string): AsyncIterable<readonly DirEntry[]> {
    const k = this.key(dir);
    if (k !== '' && !this.dirExists(k)) throw dirNotFound(dir);
    const out: DirEntry[] = [];
    const seenDirs = new Set<string>();
    for (const d of this.allDirs()) if (d !== '' && parentOf(d) === k) seenDirs.add(d);
    for (const d of seenDirs) out.push(fakeDir(d));
    for (const f of this.files.keys()) if (parentOf(f) === k) out.push(new FakeObject(this, f));
    yield out;
  }

  async newObject(remote: string): Promise<FsObject> {
    const k = this.key(remote);
    if (!this.files.has(k)) throw this.dirExists(k) ? jsyncError('IS_DIR') : objectNotFound(remote);
    return new FakeObject(this, remote);
  }

  put(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts?: PutOptions): Promise<FsObject> {
    return this.upload('put', input, src, opts);
  }

  async mkdir(dir: string): Promise<void> {
    this.mutate(`mkdir ${dir}`);
    this.seedDir(dir);
  }

  async rmdir(dir: string): Promise<void> {
    this.mutate(`rmdir ${dir}`);
    const k = this.key(dir);
    if (!this.dirExists(k)) throw dirNotFound(dir);
    if ([...this.files.keys(), ...this.dirs].some((p) => p !== k && (k === '' || p.startsWith(k + '/')))) throw directoryNotEmpty(dir);
    this.dirs.delete(k);
  }

  dirExists(k: string): boolean {
    return k === '' || this.allDirs().has(k);
  }

  private allDirs(): Set<string> {
    const all = new Set<string>(this.dirs);
    for (const f of this.files.keys()) for (let d = parentOf(f); d !== ''; d = parentOf(d)) all.add(d);
    return all;
  }

  /** Reads the whole input, then stores it atomically (so a failed upload leaves the old content). */
  async upload(kind: string, input: AsyncIterable<Uint8Array>, src: ObjectInfo, _opts?: PutOptions, existing?: string): Promise<FsObject> {
    const remote = existing ?? src.remote;
    this.mutate(`${kind} ${remote}`);
    const chunks: Buffer[] = [];
    let n = 0;
    const fail = this.faults.failUpload;
    for await (const chunk of input) {
      chunks.push(Buffer.from(chunk));
      n += chunk.length;
      if (fail && fail.times > 0 && n >= fail.afterBytes) {
        fail.times--;
        throw fail.error?.() ?? new JsyncError({ code: 'IO', message: 'injected upload failure', errorClass: 'retry' });
      }
    }
    let data = Buffer.concat(chunks);
    if (src.size >= 0 && data.length !== src.size) throw new JsyncError({ code: 'IO', message: `upload size ${data.length} != ${src.size}` });
    if (this.faults.truncateTo !== undefined) data = data.subarray(0, this.faults.truncateTo);
    if (this.faults.corrupt && data.length > 0) data = Buffer.concat([Buffer.from([data[0]! ^ 0xff]), data.subarray(1)]);
    const prior = this.files.get(this.key(remote));
    this.files.set(this.key(remote), { data, modTime: src.modTime(), id: prior?.id ?? `id${++ids}` });
    return new FakeObject(this, remote);
  }

  private async serverSide(kind: 'copy' | 'move', src: FsObject, remote: string): Promise<FsObject> {
    const code = kind === 'copy' ? this.faults.copyError : this.faults.moveError;
    if (code !== undefined) throw jsyncError(code);
    this.mutate(`${kind} ${src.remote} -> ${remote}`);
    const from = src.fs as FakeFs;
    const stored = from.files.get(from.key(src.remote));
    if (stored === undefined) throw objectNotFound(src.remote);
    let data = stored.data;
    if (this.faults.corrupt && data.length > 0) data = Buffer.concat([Buffer.from([data[0]! ^ 0xff]), data.subarray(1)]);
    if (kind === 'move') from.files.delete(from.key(src.remote));
    this.files.set(this.key(remote), { data, modTime: stored.modTime, id: kind === 'move' ? stored.id : `id${++ids}` });
    return new FakeObject(this, remote);
  }

  private async purgeImpl(dir: string): Promise<void> {
    if (this.faults.purgeError !== undefined) throw jsyncError(this.faults.purgeError);
    this.mutate(`purge ${dir}`);
    const k = this.key(dir);
    if (!this.dirExists(k)) throw dirNotFound(dir);
    for (const f of [...this.files.keys()]) if (k === '' || f.startsWith(k + '/')) this.files.delete(f);
    for (const d of [...this.dirs]) if (k === '' || d === k || d.startsWith(k + '/')) this.dirs.delete(d);
  }
}

function fakeDir(remote: string): Directory {
  const t = Timestamp.parse('2000-01-01T00:00:00Z');
  return { isDir: true, remote, size: -1, items: -1, id: '', modTime: () => t, toString: () => remote };
}

/** An object of a {@link FakeFs}: metadata read live from the store (so it reflects updates). */
export class FakeObject implements FsObject {
  readonly isDir = false;
  readonly storable = true;
  constructor(readonly fs: FakeFs, public remote: string) {}

  private stored(): Stored {
    const s = this.fs.files.get(this.fs.key(this.remote));
    if (s === undefined) throw objectNotFound(this.remote);
    return s;
  }

  get size(): number {
    const s = this.fs.files.get(this.fs.key(this.remote));
    if (s === undefined) return -1;
    return s.unknownSize ? -1 : s.data.length;
  }

  modTime(): Timestamp {
    return this.stored().modTime;
  }

  toString(): string {
    return this.remote;
  }

  id(): string {
    return this.stored().id;
  }

  async hash(type: HashType): Promise<string> {
    if (!this.fs.hashes.has(type)) throw hashUnsupported(type);
    if (this.fs.faults.hashError) throw new JsyncError({ code: 'IO', message: 'injected hash failure' });
    if (this.fs.faults.emptyHash) return '';
    if (this.fs.faults.wrongHash) return 'f'.repeat(32);
    const h = createHasher(type);
    h.update(this.stored().data);
    return h.digest();
  }

  async setModTime(t: Timestamp): Promise<void> {
    const code = this.fs.faults.setModTime;
    if (code !== undefined) throw jsyncError(code);
    this.fs.mutate(`setModTime ${this.remote}`);
    this.stored().modTime = t;
  }

  async open(opts: OpenOptions = {}): Promise<Readable> {
    const fo = this.fs.faults.failOpen;
    if (fo && fo.times > 0) {
      fo.times--;
      throw fo.error?.() ?? new JsyncError({ code: 'IO', message: 'injected open failure', errorClass: 'retry' });
    }
    const data = this.stored().data;
    const { offset, limit } = decodeOpenOptions(opts, data.length);
    return Readable.from(readChunks(limit < 0 ? data : data.subarray(0, offset + limit), this.fs.faults, offset));
  }

  async update(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts?: PutOptions): Promise<void> {
    await this.fs.upload('update', input, src, opts, this.remote);
  }

  async remove(): Promise<void> {
    this.fs.mutate(`remove ${this.remote}`);
    if (this.fs.faults.removeError) throw new JsyncError({ code: 'IO', message: 'injected remove failure' });
    if (!this.fs.files.delete(this.fs.key(this.remote))) throw objectNotFound(this.remote);
  }
}

async function* readChunks(data: Buffer, faults: Faults, offset = 0): AsyncGenerator<Buffer> {
  const step = data.length < 1024 ? 4 : 16 * 1024;
  for (let i = offset; i < data.length; i += step) {
    const fr = faults.failRead;
    if (fr && fr.times > 0 && i >= fr.afterBytes) {
      fr.times--;
      throw Object.assign(new Error('injected read failure'), { code: 'ECONNRESET' });
    }
    yield data.subarray(i, Math.min(i + step, data.length));
  }
}
