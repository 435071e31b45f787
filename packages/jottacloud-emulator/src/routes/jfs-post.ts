// JFS POST commands: mkDir, dl/rm (file), dlDir/rmDir (folder), device and mountpoint creation; cp/mv/mvDir/cphash
// live in jfs-move.ts. A POST without a known command is the real server's 500.

import { badRequest, Exc, forbidden, HttpError, noSuchFile, noSuchPath } from '../http/errors.js';
import { rootAttrs, sendXml, type RequestContext } from '../http/respond.js';
import { DEVICE_TYPES } from '../model/account.js';
import { deleteFile, trashFile } from '../model/file-ops.js';
import { deleteFolder, trashFolder } from '../model/folder-ops.js';
import { fold } from '../model/types.js';
import { deviceDocument, mountPointDocument } from '../xml/documents.js';
import { fileDocument, folderDocument } from '../xml/nodes.js';
import { XmlWriter } from '../xml/writer.js';
import { usageRules } from './api.js';
import { copyOrMove, cphashCommand, moveDir } from './jfs-move.js';
import { locatePath, parentPathOf, pathOf, type JfsPath } from './jfs.js';

const NO_COMMAND = "POST Request is missing multipart content or don't dont have any command parameters";

async function createDevice(ctx: RequestContext, name: string, type: string): Promise<void> {
  const { state } = ctx;
  if (!DEVICE_TYPES.includes(type)) throw badRequest(`Invalid device type ${JSON.stringify(type)}`);
  state.account.checkName(name);
  const xml = await state.mutate((ops) => {
    const dev = ops.account.device(name) ?? ops.account.addDevice(name, type, ops.now);
    return deviceDocument(ops.account, dev, usageRules(state), rootAttrs(ctx));
  });
  sendXml(ctx, 201, xml);
}

async function createMountPoint(ctx: RequestContext, p: JfsPath): Promise<void> {
  const { state } = ctx;
  const dev = state.account.device(p.device!);
  if (!dev) throw noSuchPath(`/${state.account.info.username}/${p.device}`);
  state.account.checkName(p.mountpoint!);
  const { xml, created } = await state.mutate((ops) => {
    const existing = dev.mountpoints.get(fold(p.mountpoint!));
    const mp = existing ?? ops.account.addMountPoint(dev, p.mountpoint!, ops.now);
    return { xml: mountPointDocument(ops.account, dev, mp, usageRules(state), rootAttrs(ctx)), created: !existing };
  });
  sendXml(ctx, created ? 201 : 200, xml);
}

async function mkDir(ctx: RequestContext, p: JfsPath): Promise<void> {
  const xml = await ctx.state.mutate((ops) => {
    const loc = locatePath(ctx, p);
    if (p.names.length === 0) {
      ops.account.checkWritable(loc.mp);
      return mountPointDocument(ops.account, loc.device, loc.mp, usageRules(ctx.state), rootAttrs(ctx));
    }
    const folder = ops.account.ensureFolders(loc.mp, p.names, ops.now);
    const after = locatePath(ctx, p);
    return folderDocument(folder, parentPathOf(ctx, after), rootAttrs(ctx));
  });
  sendXml(ctx, 200, xml);
}

async function removeFile(ctx: RequestContext, p: JfsPath, hard: boolean): Promise<void> {
  const xml = await ctx.state.mutate((ops) => {
    const loc = locatePath(ctx, p);
    const name = p.names[p.names.length - 1];
    const path = pathOf(ctx, loc);
    if (name === undefined) throw forbidden('Cannot delete a mountpoint');
    if (loc.node?.kind === 'folder') throw noSuchFile(path);
    if (hard) {
      if (!deleteFile(ops, loc.parent, name)) throw noSuchFile(path);
      const parent = locatePath(ctx, { ...p, names: p.names.slice(0, -1) });
      return parent.node?.kind === 'folder' && parent.names.length
        ? folderDocument(parent.node, parentPathOf(ctx, parent), rootAttrs(ctx))
        : mountPointDocument(ops.account, loc.device, loc.mp, usageRules(ctx.state), rootAttrs(ctx));
    }
    const file = trashFile(ops, loc.parent, name) ?? (loc.node?.kind === 'file' ? loc.node : undefined);
    if (file) return fileDocument(file, parentPathOf(ctx, loc), rootAttrs(ctx));
    if (ctx.state.behaviour.missingFileDelete === 404) throw noSuchFile(path);
    return null;
  });
  // dl=true on a missing path succeeds (rclone relies on it); the body names the path and nothing else.
  sendXml(ctx, 200, xml ?? new XmlWriter().empty('file', { name: p.names[p.names.length - 1] ?? '', ...rootAttrs(ctx) }).toString());
}

async function removeFolder(ctx: RequestContext, p: JfsPath, hard: boolean): Promise<void> {
  const xml = await ctx.state.mutate((ops) => {
    const loc = locatePath(ctx, p);
    if (p.names.length === 0) throw forbidden(`Cannot delete mountpoint ${loc.mp.name}`);
    const folder = loc.node;
    if (folder?.kind !== 'folder') throw noSuchPath(pathOf(ctx, loc));
    const doc = (): string => folderDocument(folder, parentPathOf(ctx, loc), rootAttrs(ctx));
    if (!hard) {
      trashFolder(ops, folder);
      return doc();
    }
    const out = doc();
    deleteFolder(ops, loc.parent!, folder);
    return out;
  });
  sendXml(ctx, 200, xml);
}

/** Handles a JFS POST. */
export async function jfsPost(ctx: RequestContext, p: JfsPath): Promise<void> {
  const q = ctx.target.query;
  ctx.req.resume();
  if (p.device === undefined) throw new HttpError(500, Exc.server, NO_COMMAND);
  if (p.mountpoint === undefined) {
    if (q.has('type')) return createDevice(ctx, p.device, q.get('type')!);
    if (q.has('rm')) throw forbidden('Devices cannot be deleted here');
    throw new HttpError(500, Exc.server, NO_COMMAND);
  }
  if (q.has('mkDir')) return mkDir(ctx, p);
  if (q.has('dl')) return removeFile(ctx, p, false);
  if (q.has('rm')) return removeFile(ctx, p, true);
  if (q.has('dlDir')) return removeFolder(ctx, p, false);
  if (q.has('rmDir')) return removeFolder(ctx, p, true);
  if (q.has('cp')) return copyOrMove(ctx, p, 'cp', q.get('cp')!);
  if (q.has('mv')) return copyOrMove(ctx, p, 'mv', q.get('mv')!);
  if (q.has('mvDir')) return moveDir(ctx, p, q.get('mvDir')!);
  if (q.has('cphash')) return cphashCommand(ctx, p);
  if (p.names.length === 0 && q.size === 0) return createMountPoint(ctx, p);
  throw new HttpError(500, Exc.server, NO_COMMAND);
}
