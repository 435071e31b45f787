// JFS server-side commands: cp and mv of a file, mvDir of a folder tree, cphash (set times / restore / dedup).

import { badRequest, Exc, HttpError, noSuchFile, noSuchPath } from '../http/errors.js';
import { splitAbsolute } from '../http/request.js';
import { rootAttrs, sendXml, type RequestContext } from '../http/respond.js';
import type { Located } from '../model/account.js';
import { copyFile, cphash, moveFile, sameContent, type OpsContext } from '../model/file-ops.js';
import { moveFolder } from '../model/folder-ops.js';
import { isLiveFile } from '../model/tree.js';
import { fold } from '../model/types.js';
import { parseJfsTime } from '../xml/time.js';
import { fileDocument, folderDocument } from '../xml/nodes.js';
import { usageRules } from './api.js';
import { locatePath, parentPathOf, pathOf, type JfsPath } from './jfs.js';

/** Resolves an absolute destination value (`/<user>/<device>/<mountpoint>/<path…>`) to a writable location. */
function destination(ctx: RequestContext, value: string): Located {
  const { account } = ctx.state;
  const [user, device, mountpoint, ...names] = splitAbsolute(value);
  if (user === undefined || fold(user) !== fold(account.info.username)) throw badRequest(`Destination ${JSON.stringify(value)} is not in this account`);
  if (!device || !mountpoint || names.length === 0) throw badRequest(`Invalid destination ${JSON.stringify(value)}`);
  const loc = account.locate(device, mountpoint, names);
  if (!loc) throw noSuchPath(`/${account.info.username}/${device}/${mountpoint}`);
  account.checkWritable(loc.mp);
  for (const n of names) account.checkName(n);
  return loc;
}

function checkQuota(ctx: RequestContext, ops: OpsContext, bytes: number): void {
  const cap = ops.account.info.capacity;
  if (cap < 0) return;
  const used = ops.account.usage(usageRules(ctx.state));
  if (used + bytes > cap) throw new HttpError(ctx.state.behaviour.quotaExceededStatus, Exc.quota, `Quota exceeded: ${used} of ${cap} bytes used`);
}

/** `?cp=` / `?mv=`: copy or move a live file; replies with the destination `<file>`. */
export async function copyOrMove(ctx: RequestContext, p: JfsPath, cmd: 'cp' | 'mv', value: string): Promise<void> {
  const xml = await ctx.state.mutate((ops) => {
    const loc = locatePath(ctx, p);
    const srcPath = pathOf(ctx, loc);
    const src = loc.node;
    if (!isLiveFile(src) || !loc.parent) throw noSuchFile(srcPath, 'Source file');
    const dest = destination(ctx, value);
    let file;
    if (cmd === 'cp') {
      const same = dest.node?.kind === 'file' && sameContent(dest.node, src.current.md5, src.current.size);
      if (!same) checkQuota(ctx, ops, src.current.size);
      file = copyFile(ops, src, srcPath, { mp: dest.mp, names: dest.names });
    } else {
      file = moveFile(ops, { parent: loc.parent, file: src, path: srcPath }, { mp: dest.mp, names: dest.names });
    }
    const after = ops.account.locate(dest.device.name, dest.mp.name, dest.names)!;
    return fileDocument(file, parentPathOf(ctx, after), rootAttrs(ctx));
  });
  sendXml(ctx, 200, xml);
}

/** `<dir>/?mvDir=`: move or rename a live folder tree; replies with the destination `<folder>`. */
export async function moveDir(ctx: RequestContext, p: JfsPath, value: string): Promise<void> {
  const xml = await ctx.state.mutate((ops) => {
    const loc = locatePath(ctx, p);
    if (p.names.length === 0) throw badRequest('Cannot move a mountpoint');
    const folder = loc.node;
    if (folder?.kind !== 'folder' || folder.deleted !== null || !loc.parent) throw noSuchPath(pathOf(ctx, loc));
    const dest = destination(ctx, value);
    moveFolder(ops, { parent: loc.parent, folder, mp: loc.mp, names: p.names }, { mp: dest.mp, names: dest.names });
    const after = ops.account.locate(dest.device.name, dest.mp.name, dest.names)!;
    return folderDocument(folder, parentPathOf(ctx, after), rootAttrs(ctx));
  });
  sendXml(ctx, 200, xml);
}

function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** `?cphash=true` with JSize/JMd5/JCreated/JModified: set times, restore from trash or build from stored content. */
export async function cphashCommand(ctx: RequestContext, p: JfsPath): Promise<void> {
  const legacy = ctx.target.query.get('cphash') ?? '';
  const md5 = (header(ctx, 'JMd5') ?? (/^[0-9a-fA-F]{32}$/.test(legacy) ? legacy : '')).toLowerCase();
  const sizeText = header(ctx, 'JSize') ?? '';
  if (!/^[0-9a-f]{32}$/.test(md5)) throw badRequest(`Invalid or missing JMd5 ${JSON.stringify(md5)}`);
  if (!/^\d+$/.test(sizeText) || !Number.isSafeInteger(Number(sizeText))) throw badRequest(`Invalid or missing JSize ${JSON.stringify(sizeText)}`);
  const time = (name: string): number | undefined => {
    const v = header(ctx, name);
    if (v === undefined) return undefined;
    const t = parseJfsTime(v);
    if (t === undefined) throw badRequest(`Invalid ${name} ${JSON.stringify(v)}`);
    return t;
  };
  const modified = time('JModified') ?? ctx.state.nowSec();
  const created = time('JCreated') ?? modified;
  const xml = await ctx.state.mutate((ops) => {
    const loc = locatePath(ctx, p);
    if (p.names.length === 0) throw badRequest('cphash needs a file path');
    ops.account.checkWritable(loc.mp);
    const existing = loc.node?.kind === 'file' ? loc.node : undefined;
    if (loc.node?.kind === 'folder' && loc.node.deleted === null) throw noSuchFile(pathOf(ctx, loc));
    const file = cphash(ops, loc.mp, p.names, existing, { md5, size: Number(sizeText), created, modified });
    if (!file) throw noSuchFile(pathOf(ctx, loc));
    const after = ops.account.locate(loc.device.name, loc.mp.name, p.names)!;
    return fileDocument(file, parentPathOf(ctx, after), rootAttrs(ctx));
  });
  sendXml(ctx, 200, xml);
}
