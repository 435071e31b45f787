// Pending uploads: what allocate promised (target path, declared MD5/size, times) keyed by upload id.

import { fold } from './types.js';

/** One allocated upload waiting for (more) bytes. */
export interface PendingUpload {
  id: string;
  device: string;
  mountpoint: string;
  /** Path below the mountpoint. */
  names: string[];
  md5: string;
  size: number;
  created: number;
  modified: number;
  /** Revision number reserved for it. */
  revision: number;
}

/** The registry of pending uploads; `active` ids are being written by a request right now. */
export class UploadRegistry {
  private readonly byId = new Map<string, PendingUpload>();
  private readonly active = new Set<string>();

  /** The key of a target path, case-folded. */
  static pathKey(device: string, mountpoint: string, names: readonly string[]): string {
    return [device, mountpoint, ...names].map(fold).join('/');
  }

  /** Registers an upload. */
  add(u: PendingUpload): void {
    this.byId.set(u.id, u);
  }

  /** The upload with this id. */
  get(id: string): PendingUpload | undefined {
    return this.byId.get(id);
  }

  /** Forgets an upload. */
  delete(id: string): void {
    this.byId.delete(id);
    this.active.delete(id);
  }

  /** Pending uploads for a target path. */
  forPath(device: string, mountpoint: string, names: readonly string[]): PendingUpload[] {
    const key = UploadRegistry.pathKey(device, mountpoint, names);
    return [...this.byId.values()].filter((u) => UploadRegistry.pathKey(u.device, u.mountpoint, u.names) === key);
  }

  /** Marks an upload as being written; false when another request already writes it. */
  claim(id: string): boolean {
    if (this.active.has(id)) return false;
    this.active.add(id);
    return true;
  }

  /** Ends a claim. */
  release(id: string): void {
    this.active.delete(id);
  }

  /** True while a request writes the upload. */
  isActive(id: string): boolean {
    return this.active.has(id);
  }

  /** Every pending upload. */
  all(): PendingUpload[] {
    return [...this.byId.values()];
  }
}
