// Test harness for the transfer code: an emulator, a JottaContext built by hand, and a client spy that records what
// went on the wire (Range headers, body bytes, allocate answers).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MultiEncoder, Timestamp, nullLogger } from '@jsync/core';
import type { HashType, ObjectInfo } from '@jsync/core';
import { startEmulator } from '@jsync/jottacloud-emulator';
import type { Emulator, EmulatorOptions } from '@jsync/jottacloud-emulator';
import { StaticObjectInfo } from '@jsync/testkit';
import type { JottaContext } from '../../src/fs/context.js';
import { Pacer } from '../../src/http/pacer.js';
import { RestClient } from '../../src/http/rest.js';
import type { RestRequest, RestResponse, TokenSource } from '../../src/http/rest.js';
import { createDispatcher } from '../../src/http/transport.js';
import { DEFAULT_ENCODING } from '../../src/options.js';
import type { JottacloudOptions } from '../../src/options.js';

/** One request as the transfer code issued it. */
export interface WireRecord {
  method: string;
  url: string;
  query: Readonly<Record<string, string>>;
  headers: Readonly<Record<string, string>>;
  contentLength: number | undefined;
  /** Body bytes the HTTP client pulled from an iterable body (or the size of a fixed body). */
  bytes: number;
  /** Parsed JSON answer (allocate). */
  answer?: unknown;
  /** Text answer as the server sent it (text requests: upload POST, JFS documents). */
  text?: string;
  status?: number;
}

/** A running emulator with a context on its Jotta/Archive mountpoint. */
export interface Harness {
  emu: Emulator;
  ctx: JottaContext;
  /** Requests of the transfer code, oldest first. */
  wire: WireRecord[];
  /** The `--temp-dir` of the context (a fresh directory). */
  tempDir: string;
  /** Rewrites a request before it is sent (fault injection at the client boundary). */
  tamper: ((req: RestRequest) => RestRequest) | undefined;
  /** Rewrites a text answer (e.g. the upload POST's JSON) before the transfer code sees it. */
  reanswer: ((req: RestRequest, text: string) => string | Promise<string>) | undefined;
  /** `Jotta/Archive/<remote>` for `state.stat`. */
  statPath(remote: string): string;
  close(): Promise<void>;
}

const DEFAULT_OPTIONS: JottacloudOptions = {
  client_id: 'jottacli', client_secret: '', token: '', tokenURL: '', configVersion: 1, username: '', device: '', mountpoint: '',
  md5_memory_limit: 10 * 1024 * 1024, trashed_only: false, hard_delete: false, unlink: false, upload_resume_limit: 10 * 1024 * 1024,
  no_versions: false, encoding: DEFAULT_ENCODING,
};

/** Logs in with a fresh personal login token at the emulator's token endpoint (as `config_type=standard` does). */
async function login(emu: Emulator): Promise<TokenSource> {
  const token = JSON.parse(Buffer.from(emu.mintLoginToken(), 'base64url').toString()) as { username: string; auth_token: string; well_known_link: string };
  const discovery = (await (await fetch(token.well_known_link)).json()) as { token_endpoint: string };
  const grant = async (form: Record<string, string>): Promise<{ access_token: string; refresh_token: string }> =>
    (await (await fetch(discovery.token_endpoint, { method: 'POST', body: new URLSearchParams({ client_id: 'jottacli', ...form }) })).json()) as {
      access_token: string; refresh_token: string;
    };
  let current = await grant({ grant_type: 'password', password: token.auth_token, scope: 'openid offline_access', username: token.username });
  return {
    accessToken: async () => current.access_token,
    // A rejected token is replaced by a refresh (once per rejected token).
    invalidate: async (rejected) => {
      if (rejected === current.access_token) current = await grant({ grant_type: 'refresh_token', refresh_token: current.refresh_token });
      return current.access_token;
    },
  };
}

function isIterable(body: unknown): body is AsyncIterable<Uint8Array> {
  return typeof body === 'object' && body !== null && Symbol.asyncIterator in body;
}

/** Starts an emulator and builds the context; `root` is the Fs root inside Jotta/Archive. */
export async function startHarness(opts: { options?: Partial<JottacloudOptions>; emulator?: EmulatorOptions; root?: string } = {}): Promise<Harness> {
  const emu = await startEmulator({ proxy: false, seed: 5, ...opts.emulator });
  const tempDir = await mkdtemp(join(tmpdir(), 'jc-transfer-test-'));
  const tokenSource = await login(emu);
  const dispatcher = createDispatcher({ env: {} });
  const real = new RestClient({ dispatcher, pacer: new Pacer({ retries: 3, minSleepMs: 1, maxSleepMs: 20 }), tokenSource, logger: nullLogger });
  const wire: WireRecord[] = [];
  const h = { tamper: undefined, reanswer: undefined } as Harness;

  const prepare = (input: RestRequest): { req: RestRequest; rec: WireRecord } => {
    const req = h.tamper ? h.tamper(input) : input;
    const rec: WireRecord = {
      method: req.method, url: req.rootUrl + (req.path ?? ''), query: req.query ?? {}, headers: req.headers ?? {},
      contentLength: req.contentLength, bytes: 0,
    };
    wire.push(rec);
    if (isIterable(req.body)) {
      const body = req.body;
      return {
        rec,
        req: {
          ...req,
          body: (async function* counted() {
            for await (const c of body) {
              rec.bytes += c.length;
              yield c;
            }
          })(),
        },
      };
    }
    if (req.body !== undefined) rec.bytes = typeof req.body === 'string' ? Buffer.byteLength(req.body) : req.body.length;
    return { req, rec };
  };
  const client = {
    async call(input: RestRequest): Promise<RestResponse> {
      const { req, rec } = prepare(input);
      const res = await real.call(req);
      rec.status = res.status;
      return res;
    },
    async text(input: RestRequest, o?: { maxBytes?: number }): Promise<string> {
      const { req, rec } = prepare(input);
      const out = await real.text(req, o);
      rec.status = 200;
      rec.text = out;
      return h.reanswer ? h.reanswer(req, out) : out;
    },
    async json<T>(input: RestRequest): Promise<T> {
      const { req, rec } = prepare(input);
      const out = await real.json<T>(req);
      rec.answer = out;
      return out;
    },
  } as unknown as RestClient;

  const encoder = new MultiEncoder(DEFAULT_ENCODING);
  const user = emu.state.username;
  const root = opts.root ?? '';
  const encoded = (remote: string): string => encoder.fromStandardPath(root === '' ? remote : remote === '' ? root : `${root}/${remote}`);
  const ctx: JottaContext = {
    name: 'jc', root, opt: { ...DEFAULT_OPTIONS, ...opts.options }, client, encoder,
    jfsUrl: `${emu.url}/jfs/`, apiUrl: `${emu.url}/`, user, device: 'Jotta', mountpoint: 'Archive', logger: nullLogger,
    global: { tempDir },
    filePath: (remote) => `/${user}/Jotta/Archive/${encoded(remote)}`,
    allocatePath: (remote) => `/jfs/Jotta/Archive/${encoded(remote)}`,
  };
  return Object.assign(h, {
    emu, ctx, wire, tempDir,
    statPath: (remote: string) => `Jotta/Archive/${encoded(remote)}`,
    async close() {
      await emu.stop();
      await dispatcher.close();
      await rm(tempDir, { recursive: true, force: true });
    },
  });
}

/** An upload source description: size, modtime and an optional MD5 (absent → HASH_UNSUPPORTED). */
export function info(remote: string, size: number, opts: { md5?: string; modTime?: Timestamp } = {}): ObjectInfo {
  return new StaticObjectInfo({
    remote, size, modTime: opts.modTime ?? Timestamp.fromSeconds(1_600_000_000),
    ...(opts.md5 !== undefined ? { hashes: { md5: opts.md5 } as Partial<Record<HashType, string>> } : {}),
  });
}

/** Requests to a path ending in `suffix` (URL without query). */
export function requestsTo(wire: readonly WireRecord[], pred: (r: WireRecord) => boolean): WireRecord[] {
  return wire.filter(pred);
}

/** Allocate and upload POSTs of the log. */
export const isAllocate = (r: WireRecord): boolean => r.url.endsWith('files/v1/allocate');
export const isUpload = (r: WireRecord): boolean => r.url.includes('/files/v1/upload/');
