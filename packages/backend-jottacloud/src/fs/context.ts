// What the transfer code (upload/download) needs from a Jottacloud Fs: client, hosts, account location and path helpers.

import type { GlobalOptions, Logger, MultiEncoder } from '@jsync/core';
import type { RestClient } from '../http/rest.js';
import type { JottacloudOptions } from '../options.js';

/** The Fs's state shared with transfer code (upload, download). */
export interface JottaContext {
  /** Config name of the remote (for messages). */
  readonly name: string;
  /** Root in Standard encoding, no slashes at either end (`""` = the mountpoint itself). */
  readonly root: string;
  /** Typed option values. */
  readonly opt: JottacloudOptions;
  /** Authenticated, paced HTTP client. */
  readonly client: RestClient;
  /** Name encoder (option `encoding`). */
  readonly encoder: MultiEncoder;
  /** JFS host root, e.g. `https://jfs.jottacloud.com/jfs/`. */
  readonly jfsUrl: string;
  /** API host root, e.g. `https://api.jottacloud.com/`. */
  readonly apiUrl: string;
  /** Account user name (from the customer info). */
  readonly user: string;
  /** Device name (default `Jotta`). */
  readonly device: string;
  /** Mountpoint name (default `Archive`). */
  readonly mountpoint: string;
  /** Where the backend logs. */
  readonly logger: Logger;
  /** Global settings (temp dir, retries, …). */
  readonly global: GlobalOptions;
  /** Raw absolute wire path `/<user>/<device>/<mountpoint>/<encoded root/remote>` (unescaped; request path = this without the leading '/'). */
  filePath(remote: string): string;
  /** Allocate `path`: `/jfs/<device>/<mountpoint>/<encoded root/remote>`. */
  allocatePath(remote: string): string;
}
