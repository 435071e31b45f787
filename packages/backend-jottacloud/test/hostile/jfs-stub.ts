// A hostile Jottacloud for tests: a loopback node:http server speaking just enough JFS (customer JSON, folder XML,
// liststream, mode=bin) to serve documents no honest server (and no emulator) would: bad names, broken XML, huge bodies.

import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nullLogger } from '@jsync/core';
import type { Fs, GlobalOptions, Logger } from '@jsync/core';
import { CONFIG_VERSION, createJottacloudBackend, resolveJottacloudOptions } from '../../src/index.js';
import type { JottacloudOptions } from '../../src/index.js';

/** The internal username the stub's account has. */
export const STUB_USER = 'hostileuser';

/** A token that never needs a refresh (expires in 2099). */
export const STUB_TOKEN = JSON.stringify({ access_token: 'stub-access', token_type: 'Bearer', refresh_token: 'stub-refresh', expiry: '2099-01-01T00:00:00Z' });

/** One answer: a status and a body (text, bytes or a stream of chunks produced on demand). */
export interface StubAnswer {
  status?: number;
  contentType?: string;
  body: string | Buffer | (() => AsyncIterable<Buffer>);
}

/** What a request asks for: the path below `Jotta/Archive` (decoded, no slashes at the ends) and the mode. */
export interface StubRequest {
  path: string;
  mode: 'doc' | 'liststream' | 'bin';
}

/** A file in a {@link StubFolder}: its wire name (XML-escaped when written) and content. */
export interface StubFile {
  name: string;
  data: string | Buffer;
}

/** A folder's listing: child folder names and files, names exactly as the server "stores" them. */
export interface StubFolder {
  folders: string[];
  files: StubFile[];
}

/** A running stub. */
export interface JfsStub {
  url: string;
  jfsUrl: string;
  apiUrl: string;
  /** Folders by path below `Jotta/Archive` (`''` = the mountpoint): served as documents, liststream and downloads. */
  folders: Map<string, StubFolder>;
  /** Answers that replace the generated ones, by `mode:path`. */
  overrides: Map<string, StubAnswer | ((req: StubRequest) => StubAnswer)>;
  /** `METHOD path?query` of every request, in order. */
  requests: string[];
  /** A jottacloud Fs on the stub (`root` below `Archive`). */
  open(root: string, extra?: Partial<JottacloudOptions>, logger?: Logger, global?: GlobalOptions): Promise<Fs>;
  /** The config section of a jsync remote on the stub. */
  section(): Record<string, string>;
  stop(): Promise<void>;
}

const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');
const buf = (d: string | Buffer): Buffer => (typeof d === 'string' ? Buffer.from(d) : d);

/** XML attribute/text escaping (names may carry anything, including characters XML forbids: those stay raw). */
export function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fileXml(f: StubFile): string {
  const data = buf(f.data);
  return `<file name="${xmlEscape(f.name)}" uuid="00000000-0000-0000-0000-000000000000"><currentRevision><number>1</number>` +
    `<state>COMPLETED</state><created>2021-03-04-T05:06:07Z</created><modified>2021-03-04-T05:06:07Z</modified>` +
    `<mime>application/octet-stream</mime><size>${data.length}</size><md5>${md5(data)}</md5>` +
    `<updated>2021-03-04-T05:06:07Z</updated></currentRevision></file>`;
}

/** The `<folder>` document of `f` (named `name`). */
export function folderXml(name: string, f: StubFolder): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<folder name="${xmlEscape(name)}" time="2021-03-04-T05:06:07Z" host="stub">` +
    `<path xml:space="preserve">/${STUB_USER}/Jotta/Archive</path><folders>` +
    f.folders.map((n) => `<folder name="${xmlEscape(n)}"/>`).join('') +
    `</folders><files>${f.files.map(fileXml).join('')}</files></folder>\n`;
}

/**
 * A liststream body: `entries` are folders (no `file`) and files with paths as sent (`/Archive/…`); stats are counted
 * as rclone counts (a file in a folder not listed before adds that folder) unless given.
 */
export function listStreamXml(entries: ReadonlyArray<{ path: string; file?: StubFile }>, stats?: { folders: number; files: number }): string {
  let folders = 0;
  let files = 0;
  const seen = new Set<string>();
  const parts = entries.map((e) => {
    if (!seen.has(e.path)) folders++;
    seen.add(e.path);
    if (e.file === undefined) {
      return `<folder name="x"><path>${xmlEscape(e.path)}</path></folder>`;
    }
    files++;
    const data = buf(e.file.data);
    return `<file name="${xmlEscape(e.file.name)}" uuid="0"><path>${xmlEscape(e.path)}</path><filename>${xmlEscape(e.file.name)}</filename>` +
      `<md5>${md5(data)}</md5><size>${data.length}</size><modified>2021-03-04T05:06:07.000Z</modified>` +
      `<created>2021-03-04T05:06:07.000Z</created></file>`;
  });
  const s = stats ?? { folders, files };
  return `<?xml version="1.0" encoding="UTF-8"?><filetree>${parts.join('')}<stats><folders>${s.folders}</folders><files>${s.files}</files></stats></filetree>`;
}

function notFound(path: string): StubAnswer {
  return {
    status: 404,
    body: `<?xml version="1.0" encoding="UTF-8"?><error><code>404</code><message>no.jotta.backup.errors.NoSuchPathException: ${xmlEscape(path)}</message>` +
      `<reason>Not Found</reason><cause></cause></error>`,
  };
}

/** Starts the stub on 127.0.0.1 with the given folders. */
export async function startJfsStub(folders: Record<string, StubFolder> = {}): Promise<JfsStub> {
  const tree = new Map(Object.entries(folders));
  const overrides: JfsStub['overrides'] = new Map();
  const requests: string[] = [];
  const prefix = `/jfs/${STUB_USER}/Jotta/Archive`;

  const generated = (req: StubRequest): StubAnswer => {
    if (req.mode === 'doc') {
      const f = tree.get(req.path);
      if (f) return { body: folderXml(req.path.split('/').pop() ?? 'Archive', f) };
    } else if (req.mode === 'bin') {
      const cut = req.path.lastIndexOf('/');
      const file = tree.get(cut < 0 ? '' : req.path.slice(0, cut))?.files.find((x) => x.name === req.path.slice(cut + 1));
      if (file) return { contentType: 'application/octet-stream', body: buf(file.data) };
    } else if (tree.has(req.path)) {
      const entries: Array<{ path: string; file?: StubFile }> = [];
      const walk = (p: string): void => {
        const f = tree.get(p)!;
        const wire = `/Archive${p === '' ? '' : `/${p}`}`;
        entries.push({ path: wire });
        for (const file of f.files) entries.push({ path: wire, file });
        for (const d of f.folders) if (tree.has(p === '' ? d : `${p}/${d}`)) walk(p === '' ? d : `${p}/${d}`);
      };
      walk(req.path);
      return { body: listStreamXml(entries) };
    }
    return notFound(req.path);
  };

  const answer = async (res: ServerResponse, a: StubAnswer): Promise<void> => {
    res.statusCode = a.status ?? 200;
    res.setHeader('content-type', a.contentType ?? 'application/xml; charset=UTF-8');
    if (typeof a.body === 'string' || Buffer.isBuffer(a.body)) {
      res.end(a.body);
      return;
    }
    for await (const chunk of a.body()) {
      if (res.destroyed) return;
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://stub');
    requests.push(`${req.method} ${url.pathname}${url.search}`);
    for await (const _ of req) {
      // request bodies are not used
    }
    if (url.pathname === '/account/v1/customer') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ username: STUB_USER, email: 'h@example.com', name: 'Hostile', account_type: 'unlimited', subscription_type: 'X', usage: 0, quota: -1 }));
      return;
    }
    if (req.method !== 'GET' || !(url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))) {
      await answer(res, { status: 400, body: '<error><code>400</code><message>stub: unsupported request</message><reason>Bad Request</reason></error>' });
      return;
    }
    const path = url.pathname.slice(prefix.length).split('/').filter((s) => s !== '').map(decodeURIComponent).join('/');
    const q = url.searchParams.get('mode');
    const sreq: StubRequest = { path, mode: q === 'liststream' ? 'liststream' : q === 'bin' ? 'bin' : 'doc' };
    const o = overrides.get(`${sreq.mode}:${path}`);
    await answer(res, o === undefined ? generated(sreq) : typeof o === 'function' ? o(sreq) : o);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const jfsUrl = `${url}/jfs/`;
  const apiUrl = `${url}/`;
  const backend = createJottacloudBackend({ jfsUrl, apiUrl, env: {} });
  const opened: Fs[] = [];
  const section = (): Record<string, string> => ({ type: 'jottacloud', token: STUB_TOKEN, tokenURL: `${url}/token`, configVersion: String(CONFIG_VERSION) });
  return {
    url, jfsUrl, apiUrl, folders: tree, overrides, requests, section,
    async open(root, extra = {}, logger = nullLogger, global = {}) {
      const raw = section();
      const options = resolveJottacloudOptions({ token: STUB_TOKEN, tokenURL: raw.tokenURL!, configVersion: CONFIG_VERSION, ...extra });
      const r = await backend.newFs({ name: 'jc', root, options, rawOptions: raw, logger, global: { lowLevelRetries: 1, ...global } });
      opened.push(r.fs);
      return r.fs;
    },
    async stop() {
      for (const fs of opened) await fs.features.shutdown?.();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
