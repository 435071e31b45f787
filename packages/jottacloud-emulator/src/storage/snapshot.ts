// The persisted metadata snapshot: account, trees, pending uploads and tokens as one JSON document.

import type { TokenSnapshot } from '../auth/tokens.js';
import { Account, type IdSource } from '../model/account.js';
import type { NameRules } from '../model/tree.js';
import { revisionsOf } from '../model/tree.js';
import type { PendingUpload } from '../model/uploads.js';
import { fold, type AccountInfo, type FileNode, type FolderNode, type TreeNode } from '../model/types.js';

/** Format marker of snapshot files. */
export const SNAPSHOT_FORMAT = 'jotta-emulator-state/1';

type NodeJson = Omit<FolderNode, 'children'> & { children: NodeJson[] } | FileNode;

interface SnapshotJson {
  format: string;
  savedAt: number;
  info: AccountInfo;
  devices: {
    name: string; type: string; sid: string; created: number;
    mountpoints: { name: string; created: number; virtual: boolean; listed: boolean; root: NodeJson }[];
  }[];
  uploads: PendingUpload[];
  tokens: TokenSnapshot;
}

function nodeToJson(node: TreeNode): NodeJson {
  if (node.kind === 'file') return node;
  const { children, ...rest } = node;
  return { ...rest, children: [...children.values()].map(nodeToJson) };
}

function nodeFromJson(json: NodeJson, account: Account): TreeNode {
  if (json.kind === 'file') {
    const file: FileNode = { ...json, older: [...json.older] };
    for (const r of revisionsOf(file)) account.index.ref(r);
    return file;
  }
  const folder: FolderNode = { ...json, children: new Map() };
  for (const c of json.children) {
    const child = nodeFromJson(c, account);
    folder.children.set(fold(child.name), child);
  }
  return folder;
}

/** Serializes the state to JSON text. */
export function serializeSnapshot(s: { account: Account; uploads: PendingUpload[]; tokens: TokenSnapshot; now: number }): string {
  const json: SnapshotJson = {
    format: SNAPSHOT_FORMAT,
    savedAt: s.now,
    info: s.account.info,
    devices: [...s.account.devices.values()].map((d) => ({
      name: d.name, type: d.type, sid: d.sid, created: d.created,
      mountpoints: [...d.mountpoints.values()].map((mp) => ({
        name: mp.name, created: mp.created, virtual: mp.virtual, listed: mp.listed, root: nodeToJson(mp.root),
      })),
    })),
    uploads: s.uploads,
    tokens: s.tokens,
  };
  return JSON.stringify(json);
}

/** Rebuilds the state from snapshot text; throws on a foreign or damaged document. */
export function parseSnapshot(text: string, ids: IdSource, rules: NameRules): { account: Account; uploads: PendingUpload[]; tokens: TokenSnapshot } {
  const json = JSON.parse(text) as SnapshotJson;
  if (json?.format !== SNAPSHOT_FORMAT) throw new Error(`not an emulator state file (format ${String(json?.format)})`);
  const account = new Account(json.info, ids, rules);
  for (const d of json.devices) {
    const dev = account.addDevice(d.name, d.type, d.created, d.sid);
    for (const mp of d.mountpoints) {
      const root = nodeFromJson(mp.root, account);
      if (root.kind !== 'folder') throw new Error(`mountpoint ${mp.name} root is not a folder`);
      account.addMountPoint(dev, mp.name, mp.created, { virtual: mp.virtual, listed: mp.listed, root });
    }
  }
  return { account, uploads: json.uploads, tokens: json.tokens };
}
