// Test helpers: an in-process emulator, a logged-in remote's options, and Fs factories over the emulator's plain URL.

import { createHash } from 'node:crypto';
import { Timestamp, nullLogger } from '@jsync/core';
import type { DirEntry, Fs, FsObject, GlobalOptions, Logger, NewFsResult, ObjectInfo, PersistentState } from '@jsync/core';
import { StaticObjectInfo } from '@jsync/testkit';
import { startEmulator } from '@jsync/jottacloud-emulator';
import type { Emulator, EmulatorOptions } from '@jsync/jottacloud-emulator';
import { CONFIG_VERSION, createJottacloudBackend, resolveJottacloudOptions } from '../../src/index.js';
import type { JottacloudOptions } from '../../src/index.js';

/** A running emulator plus a configured remote on it. */
export interface JottaHarness {
  emu: Emulator;
  /** Options of the logged-in remote (token, tokenURL, configVersion 1). */
  options: JottacloudOptions;
  /** The remote's config section, shared by every Fs (token rotation). */
  state: PersistentState & { values: Record<string, string> };
  /** Creates an Fs at `root`, optionally with other options. */
  open(root: string, extra?: Partial<JottacloudOptions>, logger?: Logger, global?: GlobalOptions): Promise<NewFsResult>;
  /** Stops the emulator and shuts down every Fs opened. */
  stop(): Promise<void>;
}

/** Logs in with a fresh personal login token as `rclone config create … config_type=standard` does; returns rclone's token JSON and token URL. */
export async function login(emu: Emulator): Promise<{ token: string; tokenURL: string }> {
  const lt = JSON.parse(Buffer.from(emu.mintLoginToken(), 'base64url').toString()) as { username: string; auth_token: string; well_known_link: string };
  const discovery = (await (await fetch(lt.well_known_link)).json()) as { token_endpoint: string };
  const form = new URLSearchParams({ client_id: 'jottacli', grant_type: 'password', password: lt.auth_token, scope: 'openid offline_access', username: lt.username });
  const res = await fetch(discovery.token_endpoint, { method: 'POST', body: form });
  if (!res.ok) throw new Error(`login failed: HTTP ${res.status} ${await res.text()}`);
  const t = (await res.json()) as { access_token: string; token_type: string; refresh_token: string; expires_in: number };
  const expiry = new Date(Date.now() + t.expires_in * 1000).toISOString();
  const token = JSON.stringify({ access_token: t.access_token, token_type: t.token_type, refresh_token: t.refresh_token, expiry });
  return { token, tokenURL: discovery.token_endpoint };
}

/** Starts an emulator (no proxy) and logs a remote in. */
export async function startJotta(emuOpts: EmulatorOptions = {}): Promise<JottaHarness> {
  const emu = await startEmulator({ proxy: false, ...emuOpts });
  const { token, tokenURL } = await login(emu);
  const options = resolveJottacloudOptions({ token, tokenURL, configVersion: CONFIG_VERSION });
  const values: Record<string, string> = { type: 'jottacloud', token, tokenURL, configVersion: String(CONFIG_VERSION) };
  let lock: Promise<void> = Promise.resolve();
  const state: JottaHarness['state'] = {
    values,
    update(fn) {
      const run = lock.then(async () => {
        const out = await fn({ ...values });
        if (out) Object.assign(values, out);
      });
      lock = run.catch(() => {});
      return run;
    },
  };
  const backend = createJottacloudBackend({ jfsUrl: `${emu.url}/jfs/`, apiUrl: `${emu.url}/`, env: {} });
  const opened: Fs[] = [];
  return {
    emu, options, state,
    async open(root, extra = {}, logger = nullLogger, global = {}) {
      const opts = resolveJottacloudOptions({ ...options, token: values.token ?? token, ...extra });
      const raw = { ...values, ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)])) };
      const res = await backend.newFs({ name: 'jc', root, options: opts, rawOptions: raw, persistentState: state, logger, global });
      opened.push(res.fs);
      return res;
    },
    async stop() {
      for (const fs of opened) await fs.features.shutdown?.();
      await emu.stop();
    },
  };
}

/** Chunks of `text` as an upload input. */
export async function* chunks(text: string | Buffer): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text);
}

/** A source object for put/update (with its MD5 unless `noHash`). */
export function srcInfo(remote: string, data: string | Buffer, modTime = Timestamp.parse('2021-03-04T05:06:07Z'), noHash = false): ObjectInfo {
  const buf = Buffer.from(data);
  return new StaticObjectInfo({ remote, modTime, size: buf.length, hashes: noHash ? {} : { md5: md5(buf) } });
}

/** Uploads `data` as `remote` through `fs.put`. */
export function put(fs: Fs, remote: string, data: string | Buffer, modTime?: Timestamp): Promise<FsObject> {
  return fs.put(chunks(data), srcInfo(remote, data, modTime));
}

/** All entries of a paged listing, flattened. */
export async function collect(pages: AsyncIterable<readonly DirEntry[]>): Promise<DirEntry[]> {
  const out: DirEntry[] = [];
  for await (const p of pages) out.push(...p);
  return out;
}

/** Sorted remotes of a listing, directories with a trailing `/`. */
export async function names(pages: AsyncIterable<readonly DirEntry[]>): Promise<string[]> {
  return (await collect(pages)).map((e) => (e.isDir ? `${e.remote}/` : e.remote)).sort();
}

/** Reads an object's whole content. */
export async function readAll(o: FsObject): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of await o.open()) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString();
}

/** The MD5 hex of `s`. */
export const md5 = (s: string | Buffer): string => createHash('md5').update(s).digest('hex');
