// Test client: raw HTTP requests (paths sent exactly as given), login, upload and JFS helpers.

import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/index.js';
import { parseXml, type XmlElement } from './xml.js';

/** A buffered response. */
export interface Resp {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json<T = Record<string, unknown>>(): T;
  xml(): XmlElement;
}

/** Options of one raw request. */
export interface ReqOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Sends one request to `base` + `path` (path not normalised) and buffers the answer. */
export function rawRequest(base: string, path: string, o: ReqOptions = {}): Promise<Resp> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const body = o.body === undefined ? undefined : Buffer.from(o.body);
    const req = httpRequest({
      host: u.hostname, port: u.port, path, method: o.method ?? 'GET', agent: false,
      headers: { ...(body ? { 'Content-Length': String(body.length) } : {}), ...o.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const buf = Buffer.concat(chunks);
        const text = buf.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: buf, text, json: () => JSON.parse(text), xml: () => parseXml(text) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** MD5 hex of data. */
export const md5 = (d: string | Buffer): string => createHash('md5').update(d).digest('hex');

/** Escapes a path like rclone: each segment URL-path-escaped, `+` as %2B. */
export function escapePath(p: string): string {
  return p.split('/').map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
}

/** A logged-in client of one emulator. */
export class Client {
  constructor(readonly url: string, readonly user: string, public token: string, public refreshToken = '') {}

  /** Logs in with a fresh personal login token, as `rclone config create … config_type=standard` does. */
  static async login(emu: Emulator): Promise<Client> {
    const login = JSON.parse(Buffer.from(emu.mintLoginToken(), 'base64url').toString('utf8')) as Record<string, string>;
    const wk = new URL(login.well_known_link!);
    const disco = (await rawRequest(emu.url, wk.pathname)).json<{ token_endpoint: string }>();
    const form = `client_id=jottacli&grant_type=password&password=${encodeURIComponent(login.auth_token!)}&scope=openid+offline_access&username=${encodeURIComponent(login.username!)}`;
    const tok = (await rawRequest(emu.url, new URL(disco.token_endpoint).pathname, {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form,
    })).json<{ access_token: string; refresh_token: string }>();
    const c = new Client(emu.url, '', tok.access_token, tok.refresh_token);
    const cust = (await c.req('/account/v1/customer')).json<{ username: string }>();
    return new Client(emu.url, cust.username, tok.access_token, tok.refresh_token);
  }

  /** A request with the Bearer token. */
  req(path: string, o: ReqOptions = {}): Promise<Resp> {
    return rawRequest(this.url, path, { ...o, headers: { Authorization: `Bearer ${this.token}`, ...o.headers } });
  }

  /** The raw JFS path of `p` below `Jotta/Archive` (or another `<device>/<mountpoint>` via `root`). */
  jfs(p = '', root = 'Jotta/Archive'): string {
    return `/jfs/${this.user}/${root}${p ? `/${escapePath(p)}` : ''}`;
  }

  /** GET of a JFS path with an optional query. */
  get(p: string, query = '', root?: string): Promise<Resp> {
    return this.req(`${this.jfs(p, root)}${query ? `?${query}` : ''}`);
  }

  /** POST of a JFS command. */
  post(p: string, query: string, headers: Record<string, string> = {}, root?: string): Promise<Resp> {
    return this.req(`${this.jfs(p, root)}?${query}`, { method: 'POST', headers });
  }

  /** POST files/v1/allocate. */
  allocate(p: string, data: string | Buffer, extra: Record<string, unknown> = {}): Promise<Resp> {
    const body = { bytes: Buffer.byteLength(data), created: '2020-05-06T07:08:09Z', md5: md5(data), modified: '2020-05-06T07:08:09Z', path: `/jfs/Jotta/Archive/${p}`, ...extra };
    return this.req('/files/v1/allocate', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  }

  /** POST to an upload URL (absolute, loopback). */
  sendUpload(uploadUrl: string, data: string | Buffer, headers: Record<string, string> = {}): Promise<Resp> {
    const u = new URL(uploadUrl);
    return this.req(u.pathname, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream', ...headers }, body: data });
  }

  /** allocate + upload (from resume_pos) as rclone does; returns the allocate JSON and the upload response. */
  async upload(p: string, data: string | Buffer, extra: Record<string, unknown> = {}): Promise<{ alloc: Record<string, unknown>; up?: Resp }> {
    const a = await this.allocate(p, data, extra);
    if (a.status !== 200) throw new Error(`allocate ${p}: ${a.status} ${a.text}`);
    const alloc = a.json();
    if (alloc.state === 'COMPLETED') return { alloc };
    const buf = Buffer.from(data);
    const pos = Number(alloc.resume_pos);
    const headers: Record<string, string> = pos ? { Range: `bytes=${pos}-${buf.length - 1}` } : {};
    const up = await this.sendUpload(String(alloc.upload_url), buf.subarray(pos), headers);
    return { alloc, up };
  }
}

/** Starts an emulator (proxy off unless asked) and logs a client in. */
export async function emulatorWithClient(o: EmulatorOptions = {}): Promise<{ emu: Emulator; c: Client }> {
  const emu = await startEmulator({ proxy: false, ...o });
  return { emu, c: await Client.login(emu) };
}
