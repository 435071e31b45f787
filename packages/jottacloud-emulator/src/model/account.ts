// The account: identity, devices and mountpoints, path resolution, folder creation, usage.

import { badRequest, conflict, forbidden } from '../http/errors.js';
import { ContentIndex } from './content-index.js';
import { getChild, nameProblem, newFolder, putChild, revisionsOf, walkTree, type NameRules } from './tree.js';
import { fold, type AccountInfo, type Device, type FolderNode, type MountPoint, type TreeNode } from './types.js';

/** Mountpoints of the built-in Jotta device: [name, virtual, listed in the device document]. */
export const JOTTA_MOUNTPOINTS: ReadonlyArray<readonly [string, boolean, boolean]> = [
  ['Archive', false, true], ['Latest', true, true], ['Shared', true, true], ['Sync', false, true],
  ['Trash', true, false], ['Links', true, false],
];
/** Device types a backup device may have. */
export const DEVICE_TYPES = ['WORKSTATION', 'LAPTOP', 'IMAC', 'MACBOOK', 'IPAD', 'ANDROID', 'IPHONE', 'WINDOWS_PHONE'];

/** A resolved path below a mountpoint. */
export interface Located {
  device: Device;
  mp: MountPoint;
  /** Names below the mountpoint (empty for the mountpoint itself). */
  names: readonly string[];
  /** The node at the path (the mountpoint root for no names), or undefined. */
  node: TreeNode | undefined;
  /** The parent folder when it exists. */
  parent: FolderNode | undefined;
  /** The names with the stored casing of every existing node on the way. */
  canonical: string[];
}

/** Sources of fresh identifiers. */
export interface IdSource {
  uuid(): string;
}

/** What counts towards `usage`. */
export interface UsageRules {
  trash: boolean;
  revisions: boolean;
}

/** Devices, mountpoints and their trees, plus the content index. */
export class Account {
  readonly devices = new Map<string, Device>();
  readonly index = new ContentIndex();

  constructor(readonly info: AccountInfo, readonly ids: IdSource, readonly rules: NameRules) {}

  /** A fresh account with the built-in Jotta device. */
  static create(info: AccountInfo, ids: IdSource, rules: NameRules, now: number): Account {
    const a = new Account(info, ids, rules);
    const jotta = a.addDevice('Jotta', 'JOTTA', now);
    for (const [name, virtual, listed] of JOTTA_MOUNTPOINTS) a.addMountPoint(jotta, name, now, { virtual, listed });
    return a;
  }

  /** Adds a device (no checks). */
  addDevice(name: string, type: string, now: number, sid = this.ids.uuid()): Device {
    const d: Device = { name, type, sid, created: now, mountpoints: new Map() };
    this.devices.set(fold(name), d);
    return d;
  }

  /** Adds a mountpoint to a device (no checks). */
  addMountPoint(device: Device, name: string, now: number, o: { virtual?: boolean; listed?: boolean; root?: FolderNode } = {}): MountPoint {
    const mp: MountPoint = { name, created: now, virtual: o.virtual ?? false, listed: o.listed ?? true, root: o.root ?? newFolder(name, this.ids.uuid(), now) };
    device.mountpoints.set(fold(name), mp);
    return mp;
  }

  /** The device named `name` (case-insensitively). */
  device(name: string): Device | undefined {
    return this.devices.get(fold(name));
  }

  /** Throws 400 when a name breaks the name rules. */
  checkName(name: string): void {
    const problem = nameProblem(name, this.rules);
    if (problem) throw badRequest(problem);
  }

  /** Resolves device/mountpoint/names; undefined when the device or mountpoint does not exist. */
  locate(deviceName: string, mpName: string, names: readonly string[]): Located | undefined {
    const device = this.device(deviceName);
    const mp = device?.mountpoints.get(fold(mpName));
    if (!device || !mp) return undefined;
    let parent: FolderNode | undefined;
    let node: TreeNode | undefined = mp.root;
    const canonical: string[] = [];
    for (const name of names) {
      parent = node?.kind === 'folder' ? node : undefined;
      node = parent ? getChild(parent, name) : undefined;
      canonical.push(node?.name ?? name);
    }
    return { device, mp, names, node, parent, canonical };
  }

  /** The absolute raw path `/<user>/<device>/<mountpoint>[/<names>]` with stored casing where known. */
  absPath(device: Device, mp: MountPoint, names: readonly string[]): string {
    return ['', this.info.username, device.name, mp.name, ...names].join('/');
  }

  /** Throws 403 unless the mountpoint can hold content. */
  checkWritable(mp: MountPoint): void {
    if (mp.virtual) throw forbidden(`Mountpoint ${mp.name} is read-only`);
  }

  /**
   * mkdir -p of `names` below `mp`: creates missing folders and revives trashed ones on the way. A trashed file in
   * the way is discarded; a live file in the way is a 409 conflict. Returns the folder at `names`.
   */
  ensureFolders(mp: MountPoint, names: readonly string[], now: number): FolderNode {
    this.checkWritable(mp);
    let folder = mp.root;
    for (const name of names) {
      this.checkName(name);
      let child = getChild(folder, name);
      if (child?.kind === 'file') {
        if (child.deleted === null) throw conflict(`Cannot create folder ${name}: a file with that name exists`);
        this.index.unrefSubtree(child);
        child = undefined;
      }
      if (!child) {
        child = newFolder(name, this.ids.uuid(), now);
        putChild(folder, child);
      } else if (child.deleted !== null) {
        child.deleted = null;
        child.name = name;
      }
      folder = child;
    }
    return folder;
  }

  /** Bytes stored: current revisions, plus older revisions and trash as the rules say. */
  usage(rules: UsageRules, scope?: { device?: Device; mp?: MountPoint }): number {
    let total = 0;
    const mps = scope?.mp ? [scope.mp] : [...(scope?.device ? [scope.device] : this.devices.values())].flatMap((d) => [...d.mountpoints.values()]);
    for (const mp of mps) {
      for (const { node } of walkTree(mp.root)) {
        if (node.kind !== 'file' || (node.deleted !== null && !rules.trash)) continue;
        const revs = rules.revisions ? revisionsOf(node) : node.current ? [node.current] : [];
        for (const r of revs) total += r.size;
      }
    }
    return total;
  }
}
