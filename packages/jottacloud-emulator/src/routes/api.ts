// api.jottacloud.com JSON endpoints other than allocate/upload: customer info, purge_trash, legacy auth (refused).

import { requireAuth } from '../http/auth.js';
import { Exc, HttpError, badRequest } from '../http/errors.js';
import { sendJson, type RequestContext } from '../http/respond.js';
import { purgeTrash } from '../model/folder-ops.js';
import type { EmulatorState } from '../state.js';

/** Usage rules of the state's behaviour. */
export function usageRules(state: EmulatorState): { trash: boolean; revisions: boolean } {
  return { trash: state.behaviour.usageCountsTrash, revisions: state.behaviour.usageCountsRevisions };
}

/** The customer JSON (`account/v1/customer`): types as rclone's CustomerInfo expects. */
export function customerInfo(state: EmulatorState): Record<string, unknown> {
  const info = state.account.info;
  const unlimited = info.capacity < 0;
  return {
    username: info.username,
    email: info.email,
    name: info.fullName,
    country_code: 'NO',
    language_code: 'en',
    customer_group_code: 'PRIVATE',
    brand_code: 'JOTTACLOUD',
    account_type: unlimited ? 'unlimited' : 'free',
    subscription_type: unlimited ? 'UNLIMITED_PERSONAL' : 'FREE',
    usage: state.account.usage(usageRules(state)),
    quota: info.capacity,
    business_usage: 0,
    business_quota: 0,
    write_locked: false,
    read_locked: false,
    locked_cause: null,
    web_hash: info.username.slice(0, 8),
    android_hash: '',
    ios_hash: '',
  };
}

/** Routes `/account/v1/*`, `/files/v1/*` (except allocate/upload) and the legacy `/auth/v1/*`. */
export async function handleApi(ctx: RequestContext): Promise<void> {
  const { path } = ctx.target;
  const method = ctx.req.method;
  if (path.startsWith('/auth/v1/')) throw badRequest('Legacy username/password authentication is not supported');
  if (path === '/account/v1/customer') {
    if (method !== 'GET') throw new HttpError(405, Exc.method, `Request method '${method}' not supported`);
    requireAuth(ctx);
    sendJson(ctx, 200, customerInfo(ctx.state));
    return;
  }
  if (path === '/files/v1/purge_trash') {
    if (method !== 'POST') throw new HttpError(405, Exc.method, `Request method '${method}' not supported`);
    requireAuth(ctx);
    ctx.req.resume();
    const counts = await ctx.state.mutate((ops) => purgeTrash(ops.account));
    sendJson(ctx, 200, counts);
    return;
  }
  throw new HttpError(404, Exc.noSuchPath, `No such resource ${path}`);
}
