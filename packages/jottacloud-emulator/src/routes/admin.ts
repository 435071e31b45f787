// /__admin/*: test control without auth — login tokens, faults (GET/POST/DELETE), token expiry, state summary, log,
// raw (hostile) entries.

import { HttpError } from '../http/errors.js';
import { readSmallBody } from '../http/request.js';
import { sendJson, type RequestContext } from '../http/respond.js';
import { checkRawEntryInput, clearAllRawEntries, injectRawEntry, listRawEntries } from '../raw-entry-admin.js';
import type { EmulatorState } from '../state.js';
import { usageRules } from './api.js';

/** Mints a one-use personal login token whose `well_known_link` points at the emulator's plain URL. */
export function mintLoginToken(state: EmulatorState): string {
  const link = `${state.baseUrl}/auth/realms/jottacloud/.well-known/openid-configuration`;
  return state.tokens.mintLoginToken(link, state.account.info.loginName);
}

async function jsonBody(ctx: RequestContext, limit = 64 * 1024): Promise<unknown> {
  const text = (await readSmallBody(ctx.req, limit)).toString('utf8').trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'admin', 'Malformed JSON body');
  }
}

function faultsReply(state: EmulatorState): Record<string, unknown> {
  return { seed: state.options.seed, faults: state.faults.list() };
}

async function faults(ctx: RequestContext): Promise<void> {
  const { state } = ctx;
  switch (ctx.req.method) {
    case 'GET':
      return sendJson(ctx, 200, faultsReply(state));
    case 'DELETE':
      ctx.req.resume();
      state.faults.clear();
      return sendJson(ctx, 200, faultsReply(state));
    case 'POST': {
      const body = await jsonBody(ctx);
      const obj = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
      const list = Array.isArray(body) ? body : typeof body === 'string' ? [body] : Array.isArray(obj.faults) ? obj.faults : obj.fault !== undefined ? [obj.fault] : undefined;
      if (!list) throw new HttpError(400, 'admin', 'Expected {"faults": [spec, …]}, {"fault": spec}, a spec string or an array');
      try {
        if (obj.replace === true) state.faults.clear();
        state.faults.add(list as string[]);
      } catch (e) {
        throw new HttpError(400, 'admin', (e as Error).message);
      }
      return sendJson(ctx, 200, faultsReply(state));
    }
    default:
      throw new HttpError(405, 'admin', `Method ${ctx.req.method} not allowed`);
  }
}

async function rawEntries(ctx: RequestContext): Promise<void> {
  const { state } = ctx;
  switch (ctx.req.method) {
    case 'GET':
      return sendJson(ctx, 200, { entries: listRawEntries(state) });
    case 'DELETE':
      ctx.req.resume();
      clearAllRawEntries(state);
      return sendJson(ctx, 200, { entries: [] });
    case 'POST': {
      const body = await jsonBody(ctx, 16 * 2 ** 20);
      const list = Array.isArray(body) ? body : [body];
      let inputs;
      try {
        inputs = list.map((item) => {
          const o = { ...(item as Record<string, unknown>) };
          if (typeof o.contentBase64 === 'string') o.content = Buffer.from(o.contentBase64, 'base64');
          delete o.contentBase64;
          return checkRawEntryInput(o);
        });
        for (const input of inputs) await injectRawEntry(state, input);
      } catch (e) {
        throw new HttpError(400, 'admin', (e as Error).message);
      }
      return sendJson(ctx, 200, { entries: listRawEntries(state) });
    }
    default:
      throw new HttpError(405, 'admin', `Method ${ctx.req.method} not allowed`);
  }
}

/** Routes `/__admin/*`. */
export async function handleAdmin(ctx: RequestContext): Promise<void> {
  const { state } = ctx;
  const route = ctx.target.path.slice('/__admin/'.length);
  const method = ctx.req.method;
  if (route === 'faults') return faults(ctx);
  if (route === 'login-token' && method === 'POST') {
    ctx.req.resume();
    const token = mintLoginToken(state);
    await state.persist();
    return sendJson(ctx, 200, { token });
  }
  if (route === 'expire-tokens' && method === 'POST') {
    ctx.req.resume();
    state.tokens.expireAll();
    await state.persist();
    return sendJson(ctx, 200, { expired: true });
  }
  if (route === 'state' && method === 'GET') {
    const info = state.account.info;
    return sendJson(ctx, 200, {
      username: info.username, loginName: info.loginName, capacity: info.capacity, usage: state.account.usage(usageRules(state)),
      tokens: state.tokens.stats(), pendingUploads: state.uploads.all().length, persistent: state.content.persistent,
    });
  }
  if (route === 'raw-entries') return rawEntries(ctx);
  if (route === 'requests' && method === 'GET') return sendJson(ctx, 200, { requests: state.requests });
  if (route === 'requests' && method === 'DELETE') {
    state.requests.length = 0;
    return sendJson(ctx, 200, { requests: [] });
  }
  throw new HttpError(404, 'admin', `No admin route ${method} ${ctx.target.path}`);
}
