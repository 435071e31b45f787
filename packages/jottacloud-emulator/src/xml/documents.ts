// XML for the account levels: <user>, <device>, <mountPoint>, the Trash view and <searchresult> (Latest, Links).

import type { Account, UsageRules } from '../model/account.js';
import type { TrashRoot } from '../model/folder-ops.js';
import { rawEntriesOf } from '../model/raw-entries.js';
import type { Device, FileNode, MountPoint } from '../model/types.js';
import { writeChildFolder, writeChildren, writeFile, writeRevision, type RootAttrs } from './nodes.js';
import { formatJfsTime } from './time.js';
import { XmlWriter } from './writer.js';

/** The `<user>` document (drive info, quota and devices). */
export function userDocument(account: Account, usage: UsageRules, root: RootAttrs): string {
  const used = account.usage(usage);
  const cap = account.info.capacity;
  const w = new XmlWriter();
  w.open('user', root)
    .leaf('username', account.info.username)
    .leaf('account-type', cap < 0 ? 'unlimited' : 'free')
    .leaf('locked', false)
    .leaf('capacity', cap)
    .leaf('max-devices', -1)
    .leaf('max-mobile-devices', -1)
    .leaf('usage', used)
    .leaf('read-locked', false)
    .leaf('write-locked', false)
    .leaf('quota-write-locked', cap >= 0 && used >= cap)
    .leaf('enable-sync', true)
    .leaf('enable-foldershare', true)
    .open('devices');
  for (const d of account.devices.values()) {
    w.open('device')
      .preserve('name', d.name)
      .preserve('display_name', d.name)
      .leaf('type', d.type)
      .leaf('sid', d.sid)
      .leaf('size', account.usage(usage, { device: d }))
      .leaf('modified', formatJfsTime(d.created))
      .close();
  }
  w.close().close();
  return w.toString();
}

/** The `<device>` document with its listed mountpoints. */
export function deviceDocument(account: Account, device: Device, usage: UsageRules, root: RootAttrs): string {
  const listed = [...device.mountpoints.values()].filter((m) => m.listed);
  const w = new XmlWriter();
  w.open('device', root)
    .preserve('name', device.name)
    .preserve('display_name', device.name)
    .leaf('type', device.type)
    .leaf('sid', device.sid)
    .leaf('size', account.usage(usage, { device }))
    .leaf('modified', formatJfsTime(device.created))
    .leaf('user', account.info.username)
    .open('mountPoints');
  for (const mp of listed) {
    w.open('mountPoint')
      .preserve('name', mp.name)
      .leaf('size', mp.virtual ? 0 : account.usage(usage, { mp }))
      .leaf('modified', mp.virtual ? '' : formatJfsTime(mp.created))
      .close();
  }
  w.close().empty('metadata', { first: '', max: '', total: listed.length, num_mountpoints: listed.length }).close();
  return w.toString();
}

/** The `<mountPoint>` document: the root of a mountpoint with its children (tombstones included). */
export function mountPointDocument(account: Account, device: Device, mp: MountPoint, usage: UsageRules, root: RootAttrs): string {
  const devPath = `/${account.info.username}/${device.name}`;
  const w = new XmlWriter();
  w.open('mountPoint', root)
    .preserve('name', mp.name)
    .preserve('path', devPath)
    .preserve('abspath', devPath)
    .leaf('size', mp.virtual ? 0 : account.usage(usage, { mp }))
    .leaf('modified', mp.virtual ? '' : formatJfsTime(mp.created))
    .leaf('device', device.name)
    .leaf('user', account.info.username);
  writeChildren(w, mp.root.children.values(), `${devPath}/${mp.name}`, rawEntriesOf(mp.root));
  w.close();
  return w.toString();
}

/** The Trash view: a `<mountPoint>` named Trash listing the top-level trashed items with their original parents. */
export function trashDocument(account: Account, items: TrashRoot[], root: RootAttrs): string {
  const devPath = `/${account.info.username}/Jotta`;
  const folders = items.filter((i) => i.node.kind === 'folder');
  const files = items.filter((i) => i.node.kind === 'file');
  const w = new XmlWriter();
  w.open('mountPoint', root).preserve('name', 'Trash').preserve('path', devPath).preserve('abspath', devPath)
    .leaf('size', '').leaf('modified', '').leaf('device', 'Jotta').leaf('user', account.info.username);
  if (folders.length) {
    w.open('folders');
    for (const f of folders) if (f.node.kind === 'folder') writeChildFolder(w, f.node, f.parentPath, true);
    w.close();
  }
  if (files.length) {
    w.open('files');
    for (const f of files) if (f.node.kind === 'file') writeFile(w, f.node, { parentPath: f.parentPath, trash: true });
    w.close();
  }
  w.empty('metadata', { first: '', max: '', total: items.length, num_folders: folders.length, num_files: files.length }).close();
  return w.toString();
}

/** A `<searchresult>` of files with their parent paths (Latest and Links). */
export function searchResultDocument(items: { node: FileNode; parentPath: string }[], root: RootAttrs, max: number | null): string {
  const w = new XmlWriter();
  w.open('searchresult', root).open('files');
  for (const i of items) {
    w.open('file', { name: i.node.name, uuid: i.node.uuid }).preserve('path', i.parentPath).preserve('abspath', i.parentPath);
    if (i.node.publicURI) w.leaf('publicURI', i.node.publicURI);
    if (i.node.current) writeRevision(w, 'currentRevision', i.node.current, i.node.current.size);
    w.close();
  }
  w.close().empty('metadata', { first: '', max: max ?? '', total: items.length, num_folders: 0, num_files: items.length }).close();
  return w.toString();
}
