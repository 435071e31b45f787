// @jsync/backend-jottacloud: Jottacloud (and its white-label services) for jsync, compatible with rclone's backend.

import { invalidArgument } from '@jsync/core';
import type { BackendConfigArgs, BackendDefinition, Fs } from '@jsync/core';
import { JottacloudFs } from './fs/jotta-fs.js';
import { createDispatcher } from './http/transport.js';
import { newJottacloudFs } from './fs/new-fs.js';
import type { JottacloudEndpoints } from './fs/new-fs.js';
import { jottacloudOptions } from './options.js';
import type { JottacloudOptions } from './options.js';

export * from './options.js';
export { JottacloudFs, DEFAULT_LIST_PAGE_SIZE } from './fs/jotta-fs.js';
export type { JottacloudFsInit } from './fs/jotta-fs.js';
export { JottacloudObject, GO_ZERO_TIME } from './fs/object.js';
export type { ObjectMeta } from './fs/object.js';
export { newJottacloudFs, resolveJottacloudOptions } from './fs/new-fs.js';
export type { JottacloudEndpoints } from './fs/new-fs.js';
export type { JottaContext } from './fs/context.js';
export * from './api/index.js';
export * from './http/index.js';
export * from './auth/index.js';
export { uploadFile, type UploadArgs } from './transfer/upload.js';
export { openFile, type DownloadArgs } from './transfer/download.js';

/**
 * A jottacloud backend definition; `endpoints` redirect the hosts (e.g. to an emulator's plain URL), the proxy
 * environment or the HTTP dispatcher, for library use and tests. {@link jottacloudBackend} uses the real hosts.
 */
export function createJottacloudBackend(endpoints: JottacloudEndpoints = {}): BackendDefinition<JottacloudOptions> {
  return {
    name: 'jottacloud',
    description: 'Jottacloud',
    options: jottacloudOptions,
    newFs: (args) => newJottacloudFs(args, endpoints),
    // Loaded on demand: only `jsync config` needs the login dialogues.
    async configure(args: BackendConfigArgs) {
      const { configureJottacloud } = await import('./auth/configure.js');
      const g = args.global ?? {};
      const dispatcher = endpoints.dispatcher ?? createDispatcher({
        caCert: g.caCert, noCheckCertificate: g.noCheckCertificate, env: endpoints.env ?? process.env,
        connectTimeoutMs: g.connectTimeoutMs, timeoutMs: g.timeoutMs,
      });
      try {
        return await configureJottacloud(args, {
          dispatcher, ...(endpoints.jfsUrl ? { jfsUrl: endpoints.jfsUrl } : {}), ...(endpoints.apiUrl ? { apiUrl: endpoints.apiUrl } : {}),
        });
      } finally {
        if (!endpoints.dispatcher) await dispatcher.close();
      }
    },
  };
}

/** The jottacloud backend for a program's registry (rclone's option names, types, defaults and help). */
export const jottacloudBackend: BackendDefinition<JottacloudOptions> = createJottacloudBackend();

/** Test hook: sets how many entries a listing page of `fs` holds at most (default {@link DEFAULT_LIST_PAGE_SIZE}). */
export function setListPageSize(fs: Fs, n: number): void {
  if (!(fs instanceof JottacloudFs)) throw invalidArgument('setListPageSize: not a jottacloud Fs');
  fs.setListPageSize(n);
}
