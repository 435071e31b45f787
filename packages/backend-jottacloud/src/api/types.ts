// Decoded Jottacloud documents: JFS XML (jfs host, spec §5.2) and JSON (api host, spec §5.3).

import type { Timestamp } from '@jsync/core';

/** One revision of a file (`currentRevision`, `latestRevision`); absent elements stay undefined. */
export interface JottaRevision {
  number?: number;
  /** `COMPLETED`, `INCOMPLETE`, `CORRUPT`, `ADDED`, `PROCESSING`, or '' when missing. */
  state: string;
  created?: Timestamp;
  modified?: Timestamp;
  /** Server time of the upload. */
  updated?: Timestamp;
  mime?: string;
  size?: number;
  md5?: string;
}

/** A `<file>` element (root document or listing entry). Names are raw: still in the backend encoding. */
export interface JottaFile {
  name: string;
  uuid?: string;
  /** The `deleted` attribute is present (the file is in the trash). */
  deleted: boolean;
  publicURI?: string;
  publicSharePath?: string;
  /** Absolute path of the parent folder (root documents and trashed entries only). */
  path?: string;
  abspath?: string;
  /** Newest COMPLETED revision. */
  currentRevision?: JottaRevision;
  /** A newer INCOMPLETE or CORRUPT revision. */
  latestRevision?: JottaRevision;
}

/** A child `<folder>` of a listing. */
export interface JottaFolderEntry {
  name: string;
  deleted: boolean;
}

/** A `<folder>` or `<mountPoint>` document: the folder itself and its direct children (tombstones included). */
export interface JottaFolder {
  name: string;
  deleted: boolean;
  /** Absolute path of the parent. */
  path?: string;
  /** Normally absent (directory modtimes are zero on Jottacloud). */
  modified?: Timestamp;
  folders: JottaFolderEntry[];
  files: JottaFile[];
}

/** The `<user>` document: account, quota and devices. */
export interface JottaUser {
  username: string;
  accountType: string;
  locked: boolean;
  /** Bytes; −1 = unlimited. */
  capacity: number;
  usage: number;
  devices: { name: string; type: string; size: number }[];
}

/** The `<device>` document with its mountpoints. */
export interface JottaDevice {
  name: string;
  type: string;
  mountPoints: { name: string; deleted: boolean; size: number }[];
}

/** The `<error>` document of a non-2xx JFS answer. */
export interface JfsErrorDoc {
  /** HTTP status as the server reports it; 0 when missing. */
  code: number;
  message: string;
  reason: string;
  cause: string;
}

/** A decoded JFS document, by root element (`other` for roots rclone does not read). */
export type JfsDocument =
  | { kind: 'folder' | 'mountPoint'; folder: JottaFolder }
  | { kind: 'file'; file: JottaFile }
  | { kind: 'user'; user: JottaUser }
  | { kind: 'device'; device: JottaDevice }
  | { kind: 'error'; error: JfsErrorDoc }
  | { kind: 'other'; root: string };

/** `GET account/v1/customer`: general account information; `username` is the internal name used in JFS paths. */
export interface CustomerInfo {
  username: string;
  email: string;
  name: string;
  country_code?: string;
  language_code?: string;
  customer_group_code?: string;
  brand_code?: string;
  account_type: string;
  subscription_type: string;
  usage: number;
  /** −1 = unlimited. */
  quota: number;
  business_usage?: number;
  business_quota?: number;
  write_locked?: boolean;
  read_locked?: boolean;
  locked_cause?: unknown;
  web_hash?: string;
  android_hash?: string;
  ios_hash?: string;
}

/** Body of `POST files/v1/allocate` (times as RFC 3339 seconds, path `/jfs/<device>/<mountpoint>/<path>`). */
export interface AllocateRequest {
  bytes: number;
  created: string;
  md5: string;
  modified: string;
  path: string;
}

/** Answer of allocate: `state` COMPLETED means no upload is needed; otherwise upload from `resume_pos` to `upload_url`. */
export interface AllocateResponse {
  name: string;
  path: string;
  state: string;
  upload_id: string;
  upload_url: string;
  bytes: number;
  resume_pos: number;
}

/** Answer of a finished upload (`modified` in milliseconds since the epoch). */
export interface UploadResponse {
  path: string;
  content_id: string;
  bytes: number;
  md5: string;
  modified: number;
}

/** Answer of `POST files/v1/purge_trash`. */
export interface PurgeTrashResponse {
  folders: number;
  files: number;
}

/** JSON error body of the api host (all fields optional). */
export interface ApiErrorBody {
  code?: number;
  message?: string;
  cause?: string;
  error_id?: string;
  'x-id'?: string;
}
