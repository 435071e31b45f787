// jfs.jottacloud.com: decodes /jfs/<user>/<device>/<mountpoint>/<path…>, checks auth and user, dispatches by method.

import { requireAuth } from '../http/auth.js';
import { Exc, HttpError, noSuchPath } from '../http/errors.js';
import { decodeSegments } from '../http/request.js';
import type { RequestContext } from '../http/respond.js';
import type { Located } from '../model/account.js';
import { fold } from '../model/types.js';
import { jfsGet } from './jfs-get.js';
import { jfsPost } from './jfs-post.js';
import { serveRawEntry } from './jfs-raw.js';

/** A decoded JFS request path below the user. */
export interface JfsPath {
  device: string | undefined;
  mountpoint: string | undefined;
  /** Path below the mountpoint. */
  names: string[];
  trailingSlash: boolean;
}

/** Resolves a JFS path that names a mountpoint (404 for a missing device or mountpoint). */
export function locatePath(ctx: RequestContext, p: JfsPath): Located {
  const { account } = ctx.state;
  const loc = account.locate(p.device ?? '', p.mountpoint ?? '', p.names);
  if (!loc) {
    const dev = account.device(p.device ?? '');
    throw noSuchPath(`/${account.info.username}/${dev ? `${dev.name}/${p.mountpoint}` : p.device}`);
  }
  return loc;
}

/** The absolute raw path of a located node's parent, with stored casing. */
export function parentPathOf(ctx: RequestContext, loc: Located): string {
  if (loc.canonical.length === 0) return `/${ctx.state.account.info.username}/${loc.device.name}`;
  return ctx.state.account.absPath(loc.device, loc.mp, loc.canonical.slice(0, -1));
}

/** The absolute raw path of a located node, with stored casing. */
export function pathOf(ctx: RequestContext, loc: Located): string {
  return ctx.state.account.absPath(loc.device, loc.mp, loc.canonical);
}

/** Handles every `/jfs/...` request. */
export async function handleJfs(ctx: RequestContext): Promise<void> {
  requireAuth(ctx);
  if (ctx.req.method === 'GET' && serveRawEntry(ctx)) return;
  const { names, trailingSlash } = decodeSegments(ctx.target.path.slice('/jfs'.length), ctx.state.behaviour.plusInPath === 'space');
  const [user, device, mountpoint, ...rest] = names;
  if (user === undefined) throw new HttpError(400, Exc.usernameNotFound, 'Username not found in url!');
  if (fold(user) !== fold(ctx.state.account.info.username)) throw new HttpError(401, Exc.tokenMismatch, 'Token mismatch!');
  const p: JfsPath = { device, mountpoint, names: rest, trailingSlash };
  switch (ctx.req.method) {
    case 'GET':
      await jfsGet(ctx, p);
      return;
    case 'POST':
      await jfsPost(ctx, p);
      return;
    default:
      throw new HttpError(405, Exc.method, `Request method '${ctx.req.method}' not supported`);
  }
}
