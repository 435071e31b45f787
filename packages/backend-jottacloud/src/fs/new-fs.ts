// newFs of the jottacloud backend (rclone `NewFs`): transport, pacer, token source, customer info, file roots.

import type { Dispatcher } from 'undici';
import { MultiEncoder, isJsyncError, joinPath, leafOf, parentOf } from '@jsync/core';
import type { NewFsArgs, NewFsResult } from '@jsync/core';
import { createTokenSource } from '../auth/create.js';
import { Pacer } from '../http/pacer.js';
import { RestClient } from '../http/rest.js';
import { createDispatcher } from '../http/transport.js';
import { API_URL, DEFAULT_DEVICE, DEFAULT_ENCODING, DEFAULT_MOUNTPOINT, JFS_URL, WWW_URL } from '../options.js';
import type { JottacloudOptions } from '../options.js';
import { getCustomerInfo } from './account.js';
import { JottacloudFs } from './jotta-fs.js';

/** Overrides for library use and tests: other hosts (e.g. an emulator's plain URL), environment, HTTP dispatcher. */
export interface JottacloudEndpoints {
  /** JFS root URL, ending in `/jfs/`. @default JFS_URL */
  jfsUrl?: string;
  /** API root URL, ending in `/`. @default API_URL */
  apiUrl?: string;
  /** Web root for public links. @default WWW_URL */
  wwwUrl?: string;
  /** Environment for the proxy variables (`HTTPS_PROXY`, `NO_PROXY`, …). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** A dispatcher to use instead of building one (the Fs then does not close it). */
  dispatcher?: Dispatcher;
}

const MIB = 1024 * 1024;

/** Typed options with rclone's defaults for anything missing, and the default device/mountpoint for empty ones. */
export function resolveJottacloudOptions(o: Partial<JottacloudOptions>): JottacloudOptions {
  return {
    client_id: o.client_id ?? '', client_secret: o.client_secret ?? '', token: o.token ?? '', tokenURL: o.tokenURL ?? '',
    configVersion: o.configVersion ?? 0, username: o.username ?? '',
    device: o.device || DEFAULT_DEVICE, mountpoint: o.mountpoint || DEFAULT_MOUNTPOINT,
    md5_memory_limit: o.md5_memory_limit ?? 10 * MIB, trashed_only: o.trashed_only ?? false, hard_delete: o.hard_delete ?? false,
    unlink: o.unlink ?? false, upload_resume_limit: o.upload_resume_limit ?? 10 * MIB, no_versions: o.no_versions ?? false,
    encoding: o.encoding ?? DEFAULT_ENCODING,
  };
}

/**
 * Creates a Jottacloud Fs: checks the config and token, asks the API for the account's username (every newFs, as
 * rclone), and when the root names an existing file returns the Fs rooted at its parent with `isFile`.
 */
export async function newJottacloudFs(args: NewFsArgs<JottacloudOptions>, ep: JottacloudEndpoints = {}): Promise<NewFsResult> {
  const opt = resolveJottacloudOptions(args.options ?? {});
  const g = args.global ?? {};
  const owned = ep.dispatcher === undefined;
  const dispatcher = ep.dispatcher ?? createDispatcher({
    caCert: g.caCert, noCheckCertificate: g.noCheckCertificate, env: ep.env ?? process.env,
    connectTimeoutMs: g.connectTimeoutMs, timeoutMs: g.timeoutMs,
  });
  const close = owned ? async () => { await dispatcher.close(); } : undefined;
  try {
    const tokenSource = createTokenSource({
      name: args.name, options: opt, rawOptions: args.rawOptions, persistentState: args.persistentState,
      saveOptions: args.saveOptions, dispatcher, logger: args.logger, userAgent: g.userAgent,
    });
    const pacer = new Pacer({ retries: g.lowLevelRetries, tpsLimiter: g.tpsLimiter, logger: args.logger });
    const client = new RestClient({ dispatcher, pacer, tokenSource, userAgent: g.userAgent, logger: args.logger, dump: g.dump });
    const apiUrl = ep.apiUrl ?? API_URL;
    const customer = await getCustomerInfo(client, apiUrl, args.signal);
    const rootIsDir = args.root.endsWith('/');
    const root = args.root.replace(/^\/+|\/+$/g, '');
    const fs = new JottacloudFs({
      name: args.name, root, opt, client, encoder: new MultiEncoder(opt.encoding), jfsUrl: ep.jfsUrl ?? JFS_URL, apiUrl,
      wwwUrl: ep.wwwUrl ?? WWW_URL, user: customer.username, logger: args.logger, global: g, close,
    });
    if (root === '' || rootIsDir) return { fs, isFile: false };
    // Is the root an existing file? Then the Fs is its parent (rclone ErrorIsFile).
    const clean = joinPath(root);
    fs.setRoot(parentOf(clean));
    try {
      await fs.newObject(leafOf(clean), args.signal ? { signal: args.signal } : {});
      return { fs, isFile: true };
    } catch (err) {
      if (isJsyncError(err, 'OBJECT_NOT_FOUND') || isJsyncError(err, 'NOT_A_FILE') || isJsyncError(err, 'IS_DIR')) {
        fs.setRoot(root);
        return { fs, isFile: false };
      }
      throw err;
    }
  } catch (err) {
    await close?.().catch(() => {});
    throw err;
  }
}
