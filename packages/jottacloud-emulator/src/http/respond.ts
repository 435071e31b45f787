// Writing responses: XML/JSON bodies and error documents per surface, with the reset/truncate faults applied.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FaultKind, RequestOp } from '../faults/spec.js';
import type { EmulatorState } from '../state.js';
import { formatJfsTime } from '../xml/time.js';
import { XmlWriter } from '../xml/writer.js';
import { HttpError, reasonPhrase } from './errors.js';
import { malformedBody, streamHuge } from './hostile-bodies.js';
import type { Target } from './request.js';

/** Which kind of error document a request gets. */
export type Surface = 'jfs' | 'api' | 'oidc' | 'admin';

/** Everything a route handler needs about one request. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  state: EmulatorState;
  surface: Surface;
  op: RequestOp;
  target: Target;
  /** The fault chosen for this request, if any. */
  fault: FaultKind | null;
  /** Scheme and authority as the client addressed the server (`https://api.jottacloud.com`, `http://127.0.0.1:P`). */
  origin: string;
  /** A trace id, echoed as `x-id`. */
  xid: string;
}

/** Drops the connection abruptly (RST when possible). */
export function dropConnection(ctx: RequestContext): void {
  const sock = ctx.req.socket as Socket & { resetAndDestroy?: () => void };
  try {
    if (sock.resetAndDestroy) sock.resetAndDestroy();
    else sock.destroy();
  } catch {
    sock.destroy();
  }
}

/**
 * Sends a complete body; the `truncate` fault cuts it (well framed), `reset` drops the connection mid-body,
 * `malformed` replaces it by a broken document and `huge` pads it to `hugeBytes` (see hostile-bodies.ts).
 */
export function sendBody(ctx: RequestContext, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  const { res } = ctx;
  if (res.headersSent || res.destroyed) return;
  let buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const h = { 'Content-Type': type, ...headers };
  if (ctx.fault === 'huge') {
    streamHuge(res, { status, reason: reasonPhrase(status), headers: h }, buf, type, ctx.state.behaviour.hugeBytes).catch(() => res.destroy());
    return;
  }
  if (ctx.fault === 'malformed') buf = malformedBody(buf, type);
  if (ctx.fault === 'truncate') {
    const cut = buf.subarray(0, Math.floor(buf.length / 2));
    res.writeHead(status, reasonPhrase(status), { ...h, 'Content-Length': String(cut.length) });
    res.end(cut);
    return;
  }
  if (ctx.fault === 'reset') {
    res.writeHead(status, reasonPhrase(status), { ...h, 'Content-Length': String(buf.length) });
    res.write(buf.subarray(0, Math.floor(buf.length / 2)), () => dropConnection(ctx));
    return;
  }
  res.writeHead(status, reasonPhrase(status), { ...h, 'Content-Length': String(buf.length) });
  res.end(buf);
}

/** Sends an XML document. */
export function sendXml(ctx: RequestContext, status: number, xml: string): void {
  sendBody(ctx, status, 'application/xml; charset=UTF-8', xml);
}

/** Sends JSON. */
export function sendJson(ctx: RequestContext, status: number, value: unknown, headers: Record<string, string> = {}): void {
  sendBody(ctx, status, 'application/json; charset=UTF-8', JSON.stringify(value), headers);
}

/** The JFS `<error>` document. */
export function errorXml(ctx: RequestContext, status: number, message: string): string {
  const w = new XmlWriter();
  w.open('error')
    .leaf('code', status)
    .leaf('message', message)
    .leaf('reason', reasonPhrase(status))
    .leaf('cause', '')
    .leaf('hostname', ctx.state.hostName)
    .leaf('x-id', ctx.xid)
    .close();
  return w.toString();
}

/** Renders an error in the request's surface format (XML for JFS, JSON elsewhere). */
export function sendError(ctx: RequestContext, err: HttpError): void {
  const headers = { ...err.extra.headers };
  const status = err.status;
  if (err.extra.oauth) {
    sendJson(ctx, status, err.extra.oauth, headers);
    return;
  }
  const message = `${err.exception}: ${err.message}`;
  switch (ctx.surface) {
    case 'jfs':
      if (status === 401) headers['WWW-Authenticate'] = 'Bearer';
      sendBody(ctx, status, 'application/xml; charset=UTF-8', errorXml(ctx, status, message), headers);
      return;
    case 'oidc':
      sendJson(ctx, status, { error: status >= 500 ? 'server_error' : 'invalid_request', error_description: err.message }, headers);
      return;
    case 'admin':
      sendJson(ctx, status, { error: err.message }, headers);
      return;
    default:
      sendJson(ctx, status, { code: status, message, cause: '', error_id: err.errorId, 'x-id': ctx.xid }, headers);
  }
}

/** The `time`/`host` attributes of a JFS root element. */
export function rootAttrs(ctx: RequestContext): { time: string; host: string } {
  return { time: formatJfsTime(ctx.state.nowSec()), host: ctx.state.hostName };
}
