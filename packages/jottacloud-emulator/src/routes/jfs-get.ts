// JFS GET: the user/device/mountpoint/folder/file documents, special views (Trash, Links, Latest) and the modes
// bin (download), liststream, list, enableShare/disableShare.

import { randomBytes } from 'node:crypto';
import { badRequest, noSuchFile, noSuchPath } from '../http/errors.js';
import { sendXml, rootAttrs, type RequestContext } from '../http/respond.js';
import { sharedNodes, trashRoots } from '../model/folder-ops.js';
import { walkTree } from '../model/tree.js';
import { fold, type FileNode } from '../model/types.js';
import { deviceDocument, mountPointDocument, searchResultDocument, trashDocument, userDocument } from '../xml/documents.js';
import { fileDirListDocument, listStreamDocument } from '../xml/listing.js';
import { fileDocument, folderDocument } from '../xml/nodes.js';
import { usageRules } from './api.js';
import { download } from './jfs-download.js';
import { locatePath, parentPathOf, pathOf, type JfsPath } from './jfs.js';

function specialView(ctx: RequestContext, mpName: string): string | undefined {
  const { account } = ctx.state;
  const root = rootAttrs(ctx);
  switch (fold(mpName)) {
    case 'trash':
      return trashDocument(account, trashRoots(account), root);
    case 'links':
      return searchResultDocument(sharedNodes(account).filter((s): s is { node: FileNode; parentPath: string } => s.node.kind === 'file'), root, null);
    case 'latest': {
      const max = Number(ctx.target.query.get('max') ?? 10);
      const files: { node: FileNode; parentPath: string }[] = [];
      for (const d of account.devices.values()) {
        for (const mp of d.mountpoints.values()) {
          for (const e of walkTree(mp.root)) {
            if (e.node.kind === 'file' && e.node.deleted === null && e.node.current) files.push({ node: e.node, parentPath: account.absPath(d, mp, e.path.slice(0, -1)) });
          }
        }
      }
      files.sort((a, b) => b.node.current!.updated - a.node.current!.updated);
      return searchResultDocument(files.slice(0, Number.isSafeInteger(max) && max > 0 ? max : 10), root, Number.isSafeInteger(max) ? max : null);
    }
    default:
      return undefined;
  }
}

async function share(ctx: RequestContext, p: JfsPath, enable: boolean): Promise<void> {
  const xml = await ctx.state.mutate(() => {
    const loc = locatePath(ctx, p);
    const node = loc.node;
    if (!node || node.deleted !== null || loc.names.length === 0) throw noSuchFile(pathOf(ctx, loc));
    node.publicURI = enable ? (node.publicURI ?? randomBytes(16).toString('hex')) : null;
    const parent = parentPathOf(ctx, loc);
    return node.kind === 'file' ? fileDocument(node, parent, rootAttrs(ctx)) : folderDocument(node, parent, rootAttrs(ctx));
  });
  sendXml(ctx, 200, xml);
}

/** Handles a JFS GET. */
export async function jfsGet(ctx: RequestContext, p: JfsPath): Promise<void> {
  const { state } = ctx;
  const { account } = state;
  const mode = ctx.target.query.get('mode');
  if (p.device === undefined) return sendXml(ctx, 200, userDocument(account, usageRules(state), rootAttrs(ctx)));
  const device = account.device(p.device);
  if (!device) throw noSuchPath(`/${account.info.username}/${p.device}`);
  if (p.mountpoint === undefined) return sendXml(ctx, 200, deviceDocument(account, device, usageRules(state), rootAttrs(ctx)));
  const loc = locatePath(ctx, p);
  if (loc.mp.virtual && p.names.length === 0 && !mode) {
    const view = specialView(ctx, loc.mp.name);
    if (view) return sendXml(ctx, 200, view);
  }
  switch (mode) {
    case undefined:
    case '': {
      const node = loc.node;
      if (p.names.length === 0) return sendXml(ctx, 200, mountPointDocument(account, loc.device, loc.mp, usageRules(state), rootAttrs(ctx)));
      if (!node) throw noSuchFile(pathOf(ctx, loc));
      if (node.kind === 'folder') return sendXml(ctx, 200, folderDocument(node, parentPathOf(ctx, loc), rootAttrs(ctx)));
      const received = node.latest?.uploadId ? await state.content.partLength(node.latest.uploadId) : undefined;
      return sendXml(ctx, 200, fileDocument(node, parentPathOf(ctx, loc), rootAttrs(ctx), received));
    }
    case 'bin':
      return download(ctx, loc);
    case 'liststream':
    case 'list': {
      const folder = loc.node;
      if (folder?.kind !== 'folder' || folder.deleted !== null) throw noSuchPath(pathOf(ctx, loc));
      const body = mode === 'list'
        ? fileDirListDocument(folder, parentPathOf(ctx, loc), rootAttrs(ctx))
        : listStreamDocument(folder, `/${[loc.mp.name, ...loc.canonical].join('/')}`);
      return sendXml(ctx, 200, body);
    }
    case 'enableShare':
    case 'disableShare':
      return share(ctx, p, mode === 'enableShare');
    case 'thumb':
      throw noSuchFile(pathOf(ctx, loc));
    default:
      throw badRequest(`Unknown mode ${JSON.stringify(mode)}`);
  }
}
