// The object snapshots of the test FakeFs (sync-fixtures.ts): hashes, modtime setting, open, update, remove.

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { type FsObject, type HashType, type ObjectInfo, Timestamp, jsyncError, objectNotFound } from '../../src/index.js';
import { collect, type FakeFs, type FakeRec } from './sync-fixtures.js';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** An object snapshot. */
export class FakeObject implements FsObject {
  readonly isDir = false;
  readonly storable = true;
  size: number;
  private mtime: Timestamp;
  private data: Buffer;
  constructor(readonly fs: FakeFs, readonly remote: string, rec: FakeRec) {
    this.size = rec.data.length;
    this.mtime = rec.mtime;
    this.data = rec.data;
  }
  modTime(): Timestamp {
    return this.mtime;
  }
  toString(): string {
    return this.remote;
  }
  async hash(type: HashType): Promise<string> {
    this.fs.objCheck('hash', this.remote);
    if (!this.fs.hashes.has(type)) throw jsyncError('HASH_UNSUPPORTED');
    return type === 'md5' ? md5(this.data) : '';
  }
  async setModTime(t: Timestamp): Promise<void> {
    this.fs.objCheck('setModTime', this.remote);
    if (this.fs.cantSetModTime) throw jsyncError(this.fs.cantSetModTime);
    this.fs.objMutate('setModTime', this.remote);
    const rec = this.fs.recFor(this.remote);
    if (!rec) throw objectNotFound(this.remote);
    rec.mtime = t;
    this.mtime = t;
  }
  async open(): Promise<Readable> {
    this.fs.objCheck('open', this.remote);
    const rec = this.fs.recFor(this.remote);
    if (!rec) throw objectNotFound(this.remote);
    return Readable.from([rec.data]);
  }
  async update(input: AsyncIterable<Uint8Array>, src: ObjectInfo): Promise<void> {
    const data = await collect(input);
    this.fs.objMutate('update', this.remote);
    const rec = { path: this.fs.abs(this.remote), data, mtime: src.modTime() };
    this.fs.setRec(this.remote, rec);
    this.data = data;
    this.size = data.length;
    this.mtime = rec.mtime;
  }
  async remove(): Promise<void> {
    this.fs.objMutate('remove', this.remote);
    if (!this.fs.deleteRec(this.remote)) throw objectNotFound(this.remote);
  }
}
