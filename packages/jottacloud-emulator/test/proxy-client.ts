// Test helper: an HTTPS client that reaches *.jottacloud.com through the emulator's CONNECT proxy (loopback only).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions, type RequestOptions } from 'node:https';
import type { Socket } from 'node:net';
import { PassThrough, type Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/** Result of a CONNECT request: the status line code and the raw socket (when 200). */
export interface ConnectResult {
  readonly statusCode: number;
  readonly body: string;
  readonly socket: Socket;
}

/** Sends `CONNECT target` to the proxy and resolves with its answer (the socket stays open on 200). */
export function sendConnect(proxyUrl: string, target: string): Promise<ConnectResult> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: target, headers: { host: target } });
    req.once('connect', (res, socket, head: Buffer) => {
      if (res.statusCode === 200) {
        resolve({ statusCode: 200, body: '', socket });
        return;
      }
      const chunks: Buffer[] = [head];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.once('close', () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), socket }));
      socket.once('error', () => undefined);
    });
    req.once('error', reject);
    req.end();
  });
}

/** Options of a TLS tunnel through the proxy. */
export interface TunnelOptions {
  readonly proxyUrl: string;
  readonly host: string;
  /** PEM CA to trust; undefined means the default (system) roots. */
  readonly ca?: string;
  readonly alpn?: string[];
}

/** CONNECTs to `host:443` and completes a verified TLS handshake inside the tunnel. */
export async function openTunnel(opts: TunnelOptions): Promise<TLSSocket> {
  const res = await sendConnect(opts.proxyUrl, `${opts.host}:443`);
  if (res.statusCode !== 200) throw new Error(`CONNECT refused: ${res.statusCode} ${res.body}`);
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket: res.socket, servername: opts.host, ALPNProtocols: opts.alpn ?? ['http/1.1'],
      ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
    });
    tls.once('secureConnect', () => resolve(tls));
    tls.once('error', reject);
  });
}

/** An https.Agent whose connections are TLS tunnels through the emulator's proxy. */
export class TunnelAgent extends HttpsAgent {
  readonly #proxyUrl: string;
  readonly #ca: string;

  constructor(proxyUrl: string, ca: string, options: AgentOptions = {}) {
    super({ keepAlive: true, ...options });
    this.#proxyUrl = proxyUrl;
    this.#ca = ca;
  }

  override createConnection(options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): undefined {
    const host = options.servername ?? options.host ?? '';
    openTunnel({ proxyUrl: this.#proxyUrl, host, ca: this.#ca }).then(
      (s) => callback?.(null, s),
      (err: Error) => callback?.(err, new PassThrough()),
    );
    return undefined;
  }
}

/** A buffered HTTPS response. */
export interface TunnelResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly reusedSocket: boolean;
}

/** Request options for {@link httpsVia}. */
export interface HttpsViaOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
}

/** Sends one HTTPS request (absolute https URL) through `agent` and buffers the answer. */
export function httpsVia(agent: TunnelAgent, url: string, opts: HttpsViaOptions = {}): Promise<TunnelResponse> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest({
      agent, host: u.hostname, port: 443, servername: u.hostname, path: `${u.pathname}${u.search}`,
      method: opts.method ?? 'GET', headers: opts.headers ?? {},
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), reusedSocket: req.reusedSocket }));
      res.once('error', reject);
    });
    req.once('error', reject);
    req.end(opts.body);
  });
}
