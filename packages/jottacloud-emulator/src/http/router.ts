// The request handler: classifies each request (surface, fault op), logs it, injects faults, checks auth and
// dispatches to the routes. The same handler serves plain loopback requests and requests inside proxy tunnels.

import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RequestOp } from '../faults/spec.js';
import { handleAdmin } from '../routes/admin.js';
import { handleAllocate } from '../routes/allocate.js';
import { handleApi } from '../routes/api.js';
import { handleJfs } from '../routes/jfs.js';
import { handleOidc } from '../routes/oidc.js';
import { handleUpload } from '../routes/upload.js';
import type { EmulatorState, RequestHeaderSubset, RequestRecord } from '../state.js';
import { Exc, HttpError } from './errors.js';
import { parseTarget } from './request.js';
import { bearerToken } from './auth.js';
import { dropConnection, sendError, type RequestContext, type Surface } from './respond.js';

type Route = (ctx: RequestContext) => Promise<void>;

const UPLOAD_PREFIX = '/files/v1/upload/';

// JFS POST commands in the order jfsPost checks them, with their fault op.
const JFS_COMMAND_OPS: ReadonlyArray<readonly [string, RequestOp]> = [
  ['mkDir', 'mkdir'], ['dl', 'delete'], ['rm', 'delete'], ['dlDir', 'delete'], ['rmDir', 'delete'],
  ['cp', 'copy'], ['mv', 'move'], ['mvDir', 'move'], ['cphash', 'cphash'],
];

function jfsCommandOp(query: Map<string, string>): RequestOp {
  for (const [param, op] of JFS_COMMAND_OPS) if (query.has(param)) return op;
  return 'other';
}

function classify(method: string, path: string, query: Map<string, string>, host: string): { surface: Surface; op: RequestOp; route: Route | null } {
  if (path.startsWith('/__admin/')) return { surface: 'admin', op: 'other', route: handleAdmin };
  if (path.startsWith('/auth/realms/')) {
    const token = method === 'POST' && path.endsWith('/protocol/openid-connect/token');
    return { surface: 'oidc', op: token ? 'token' : 'other', route: handleOidc };
  }
  if (path === '/jfs' || path.startsWith('/jfs/')) {
    const op = method === 'GET' ? (query.get('mode') === 'bin' ? 'download' : 'list') : method === 'POST' ? jfsCommandOp(query) : 'other';
    return { surface: 'jfs', op, route: handleJfs };
  }
  if (path.startsWith(UPLOAD_PREFIX)) return { surface: 'api', op: 'upload', route: handleUpload };
  if (path === '/files/v1/allocate') return { surface: 'api', op: 'allocate', route: handleAllocate };
  if (path === '/files/v1/purge_trash') return { surface: 'api', op: 'cleanup', route: handleApi };
  if (path === '/account/v1/customer') return { surface: 'api', op: 'customer', route: handleApi };
  if (path.startsWith('/files/') || path.startsWith('/account/') || path.startsWith('/auth/v1/')) return { surface: 'api', op: 'other', route: handleApi };
  return { surface: /^jfs\./i.test(host) ? 'jfs' : 'api', op: 'other', route: null };
}

function originOf(req: IncomingMessage, state: EmulatorState): string {
  const host = req.headers.host ?? '';
  const tls = (req.socket as TLSSocket).encrypted === true || /\.jottacloud\.com(:443)?$/i.test(host);
  if (tls) return `https://${host.replace(/:443$/, '')}`;
  return host ? `http://${host}` : state.baseUrl;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function headerSubset(req: IncomingMessage): RequestHeaderSubset {
  const out: RequestHeaderSubset = {};
  for (const name of ['range', 'content-length', 'content-range'] as const) {
    const v = req.headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  return out;
}

const byteLength = (chunk: unknown, encoding?: unknown): number =>
  typeof chunk === 'string' ? Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8')
    : chunk instanceof Uint8Array ? chunk.byteLength : 0;

/** Counts body bytes in both directions into the log record (wraps this request's push/write/end). */
function countBytes(req: IncomingMessage, res: ServerResponse, rec: RequestRecord): void {
  // The HTTP parser hands every body chunk to `req.push`, whether or not a route ever reads it.
  const push = req.push.bind(req);
  req.push = (chunk: unknown, encoding?: BufferEncoding): boolean => {
    rec.bytesReceived += byteLength(chunk, encoding);
    return push(chunk, encoding);
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  res.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
    rec.bytesSent += byteLength(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as typeof res.write;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((chunk?: unknown, ...rest: unknown[]): ServerResponse => {
    if (typeof chunk !== 'function') rec.bytesSent += byteLength(chunk, rest[0]);
    return end(chunk, ...rest);
  }) as typeof res.end;
}

async function handle(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const host = req.headers.host ?? '';
  const ctx: RequestContext = {
    req, res, state, surface: 'api', op: 'other', target: { path: '/', query: new Map() }, fault: null,
    origin: originOf(req, state), xid: randomBytes(8).toString('hex'),
  };
  const rec: RequestRecord = {
    at: state.clock.now(), method, url: req.url ?? '', host, op: 'other', status: 0, fault: null, headers: headerSubset(req), bytesReceived: 0, bytesSent: 0,
  };
  res.on('finish', () => {
    rec.status = res.statusCode;
  });
  try {
    const q = (req.url ?? '/').indexOf('?');
    const pathOnly = (req.url ?? '/').slice(0, q < 0 ? undefined : q).replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '') || '/';
    const early = classify(method, pathOnly, new Map(), host);
    ctx.surface = early.surface;
    if (early.surface !== 'admin') {
      state.log(rec);
      countBytes(req, res, rec);
    }
    ctx.target = parseTarget(req.url ?? '/');
    const { surface, op, route } = classify(method, ctx.target.path, ctx.target.query, host);
    Object.assign(ctx, { surface, op });
    rec.op = op;
    if (surface !== 'admin') ctx.fault = state.faults.decide(op);
    rec.fault = ctx.fault;
    await applyFault(ctx);
    if (!route) throw new HttpError(404, Exc.noSuchPath, `No such resource ${ctx.target.path}`);
    await route(ctx);
  } catch (e) {
    if (res.headersSent || res.destroyed) {
      if (!res.writableEnded) dropConnection(ctx);
      return;
    }
    req.resume();
    const err = e instanceof HttpError ? e : new HttpError(500, Exc.server, (e as Error)?.message ?? String(e));
    sendError(ctx, err);
  }
}

async function applyFault(ctx: RequestContext): Promise<void> {
  const b = ctx.state.behaviour;
  switch (ctx.fault) {
    case '500':
      throw new HttpError(500, Exc.server, 'Injected fault: internal server error');
    case '503':
      throw new HttpError(503, Exc.unavailable, 'Injected fault: service unavailable');
    case '429':
      throw new HttpError(429, Exc.tooMany, 'Injected fault: too many requests', { headers: { 'Retry-After': String(b.retryAfterSeconds) } });
    case 'slow':
      await delay(b.slowMs);
      return;
    case 'quota':
      throw new HttpError(b.quotaExceededStatus, Exc.quota, 'Quota exceeded: injected fault (the account is full)');
    case 'expire': {
      const token = bearerToken(ctx.req);
      if (token) ctx.state.tokens.expire(token);
      return;
    }
    default:
  }
}

/** The node:http request listener of an emulator. */
export function createHandler(state: EmulatorState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(state, req, res).catch(() => {
      // Writing the error itself failed (the client is gone): nothing left to answer.
      res.destroy();
    });
  };
}
