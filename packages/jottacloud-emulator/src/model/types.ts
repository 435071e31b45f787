// The account data model: devices → mountpoints → folder/file trees with revisions and tombstones.
// Times are whole seconds since the epoch; names keep the casing they were created with.

/** A stored (COMPLETED) revision of a file. */
export interface Revision {
  number: number;
  state: 'COMPLETED';
  created: number;
  modified: number;
  /** Server time the revision was stored. */
  updated: number;
  size: number;
  /** Lower-case hex MD5 of the content; also the content-store key. */
  md5: string;
  mime: string;
}

/** A newer revision that did not complete: being uploaded (INCOMPLETE) or failed verification (CORRUPT). */
export interface PendingRevision {
  number: number;
  state: 'INCOMPLETE' | 'CORRUPT';
  created: number;
  modified: number;
  updated: number;
  /** Declared size of the upload. */
  size: number;
  /** Declared MD5. */
  md5: string;
  mime: string;
  /** The upload that fills this revision (INCOMPLETE only). */
  uploadId: string | null;
}

/** A file. `deleted` is the time it went to the trash (a tombstone), or null while live. */
export interface FileNode {
  kind: 'file';
  name: string;
  uuid: string;
  deleted: number | null;
  /** The newest COMPLETED revision. */
  current: Revision | null;
  /** Older COMPLETED revisions, newest first. */
  older: Revision[];
  latest: PendingRevision | null;
  publicURI: string | null;
}

/** A folder; children are keyed by their case-folded name. */
export interface FolderNode {
  kind: 'folder';
  name: string;
  uuid: string;
  deleted: number | null;
  created: number;
  publicURI: string | null;
  children: Map<string, TreeNode>;
}

/** A file or folder. */
export type TreeNode = FileNode | FolderNode;

/** A mountpoint: a named root folder on a device. Virtual ones (Trash, Links, Latest, Shared) hold no content. */
export interface MountPoint {
  name: string;
  created: number;
  /** True for Latest, Links, Shared and Trash. */
  virtual: boolean;
  /** Listed in the device document (Trash and Links are not). */
  listed: boolean;
  root: FolderNode;
}

/** A device: the built-in `Jotta` (type JOTTA) or a backup device. */
export interface Device {
  name: string;
  type: string;
  sid: string;
  created: number;
  mountpoints: Map<string, MountPoint>;
}

/** Account identity and limits. */
export interface AccountInfo {
  /** The internal (opaque) username used in JFS paths. */
  username: string;
  /** The login name inside personal login tokens. */
  loginName: string;
  email: string;
  fullName: string;
  /** Bytes, or -1 for unlimited. */
  capacity: number;
}

/** The case-folded lookup key of a name. */
export function fold(name: string): string {
  return name.toLowerCase();
}
