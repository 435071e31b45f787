// The jottacloud backend's options: rclone's names, types, defaults and help, plus the typed values the code uses.

import { EncodingPreset, formatEncoding } from '@jsync/core';
import type { OptionSpec } from '@jsync/core';

/** rclone's default encoding for jottacloud (newest rclone, with Percent; v1.60 lacked it). */
export const DEFAULT_ENCODING = EncodingPreset.JOTTACLOUD_DEFAULT;

/** Default device and mountpoint when the config leaves them empty. */
export const DEFAULT_DEVICE = 'Jotta';
export const DEFAULT_MOUNTPOINT = 'Archive';

/** Standard-auth OAuth client (personal login token) and the official token endpoint. */
export const STANDARD_CLIENT_ID = 'jottacli';
export const DEFAULT_TOKEN_URL = 'https://id.jottacloud.com/auth/realms/jottacloud/protocol/openid-connect/token';

/** Fixed hosts (rclone `jfsURL`, `apiURL`, `wwwURL`); tests redirect them through an HTTPS proxy, as for rclone. */
export const JFS_URL = 'https://jfs.jottacloud.com/jfs/';
export const API_URL = 'https://api.jottacloud.com/';
export const WWW_URL = 'https://www.jottacloud.com/';

/** Config version written by the current auth flows; 0 is the retired username/password login. */
export const CONFIG_VERSION = 1;

/** The declared options, in rclone's order; flags (`--jottacloud-hard-delete`), env names and config keys derive from these. */
export const jottacloudOptions: readonly OptionSpec[] = [
  { name: 'client_id', help: 'OAuth Client Id.\n\nLeave blank normally.', advanced: true, sensitive: true },
  { name: 'client_secret', help: 'OAuth Client Secret.\n\nLeave blank normally.', advanced: true, sensitive: true },
  { name: 'token', help: 'OAuth Access Token as a JSON blob.', advanced: true, sensitive: true, hide: true },
  { name: 'tokenURL', help: 'Token server url.\n\nLeave blank to use the provider defaults.', advanced: true, hide: true },
  { name: 'configVersion', help: 'Version of the stored configuration (1 for token logins, 0 for the retired password login).', type: 'int', advanced: true, hide: true },
  { name: 'username', help: 'User name (retired password login only; not used).', advanced: true, hide: true },
  { name: 'device', help: 'Device name to use (empty = Jotta, the built-in device).', advanced: true, hide: true },
  { name: 'mountpoint', help: 'Mountpoint on the device to use (empty = Archive).', advanced: true, hide: true },
  {
    name: 'md5_memory_limit',
    help: 'Files bigger than this will be cached on disk to calculate the MD5 if required.',
    type: 'size', default: '10Mi', advanced: true,
  },
  {
    name: 'trashed_only',
    help: 'Only show files that are in the trash.\n\nThis will show trashed files in their original directory structure.',
    type: 'bool', default: 'false', advanced: true,
  },
  { name: 'hard_delete', help: 'Delete files permanently rather than putting them into the trash.', type: 'bool', default: 'false', advanced: true },
  { name: 'unlink', help: 'Remove existing public link to file/folder with link command rather than creating.\n\nDefault is false, meaning link command will create or retrieve public link.', type: 'bool', default: 'false', advanced: true },
  { name: 'upload_resume_limit', help: "Files bigger than this can be resumed if the upload fail's.", type: 'size', default: '10Mi', advanced: true },
  {
    name: 'no_versions',
    help: 'Avoid server side versioning by deleting files and recreating files instead of overwriting them.',
    type: 'bool', default: 'false', advanced: true,
  },
  {
    name: 'encoding',
    help: 'The encoding for the backend.\n\nSee the [encoding section in the overview](/overview/#encoding) for more info.',
    type: 'encoding', default: formatEncoding(DEFAULT_ENCODING), advanced: true,
  },
];

/** Typed option values as core's option layer hands them over (keyed by rclone's names). */
export interface JottacloudOptions {
  client_id: string;
  client_secret: string;
  token: string;
  tokenURL: string;
  configVersion: number;
  username: string;
  device: string;
  mountpoint: string;
  /** Bytes; larger sources without an MD5 are spooled to a temp file. */
  md5_memory_limit: number;
  trashed_only: boolean;
  hard_delete: boolean;
  unlink: boolean;
  upload_resume_limit: number;
  no_versions: boolean;
  /** Encoder mask. */
  encoding: number;
}
