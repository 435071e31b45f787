// @jsync/backend-memory: rclone's `memory` backend, an in-memory bucket-based object store.

import type { BackendDefinition, NewFsResult } from '@jsync/core';
import { DEFAULT_LIST_PAGE_SIZE, newMemoryFs } from './memory.js';
import { MemoryStore } from './store.js';

export { MemoryFs, MemoryObject, DEFAULT_LIST_PAGE_SIZE } from './memory.js';
export type { MemoryFsOptions } from './memory.js';
export { MemoryStore } from './store.js';
export type { ObjectData } from './store.js';

/** The memory backend has no options (rclone: none). */
export type MemoryOptions = Record<string, never>;

/** Options for {@link createMemoryBackend}. */
export interface CreateMemoryBackendOptions {
  /** Entries per listing page for every Fs of this instance. @default DEFAULT_LIST_PAGE_SIZE */
  listPageSize?: number;
}

/**
 * A fresh memory backend definition with its own bucket store: every Fs created through it shares that data,
 * which lives as long as the definition (rclone keeps it for the process).
 */
export function createMemoryBackend(opts: CreateMemoryBackendOptions = {}): BackendDefinition<MemoryOptions> {
  const store = new MemoryStore();
  const listPageSize = opts.listPageSize ?? DEFAULT_LIST_PAGE_SIZE;
  return {
    name: 'memory',
    description: 'In memory object storage system.',
    options: [],
    async newFs(args): Promise<NewFsResult> {
      return newMemoryFs({ name: args.name, root: args.root, store, listPageSize, ...(args.global.disable ? { disable: args.global.disable } : {}) });
    },
  } satisfies BackendDefinition<MemoryOptions>;
}

/** The memory backend for a program's registry: one store for the lifetime of the process, like rclone. */
export const memoryBackend: BackendDefinition<MemoryOptions> = createMemoryBackend();
