// Parses documents the emulator really serves (plain loopback URL, bearer token from a personal login token).

import { Timestamp } from '@jsync/core';
import { startEmulator, type Emulator } from '@jsync/jottacloud-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseListStream, type ListStreamItem } from '../../src/api/liststream.js';
import type { JfsDocument } from '../../src/api/types.js';
import { parseJfsDocument } from '../../src/api/xml.js';

let emu: Emulator;
let auth: Record<string, string>;
let user: string;

async function login(e: Emulator): Promise<string> {
  const token = JSON.parse(Buffer.from(e.mintLoginToken(), 'base64url').toString()) as Record<string, string>;
  const discovery = (await (await fetch(token.well_known_link!)).json()) as { token_endpoint: string };
  const form = new URLSearchParams({ client_id: 'jottacli', grant_type: 'password', password: token.auth_token!, scope: 'openid offline_access', username: token.username! });
  const res = await fetch(discovery.token_endpoint, { method: 'POST', body: form });
  return ((await res.json()) as { access_token: string }).access_token;
}

const url = (path: string, query = ''): string =>
  `${emu.url}/jfs/${[user, ...path.split('/').filter(Boolean)].map(encodeURIComponent).join('/')}${query ? `?${query}` : ''}`;

async function doc(path: string): Promise<{ status: number; doc: JfsDocument }> {
  const res = await fetch(url(path), { headers: auth, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, doc: parseJfsDocument(await res.text()) };
}

async function post(path: string, query: string): Promise<void> {
  const res = await fetch(url(path, query), { method: 'POST', headers: auth, signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  expect(res.status).toBe(200);
}

// Stored names as rclone's encoder leaves them, plus raw characters other clients store.
const NAMES = [
  ' lead and trail ', '007', '1e5', '0x10', 'true', 'a & b', '<tag>', '"quoted"', "it's", '😀 grin', 'e\u0301te', '\u00e9te2',
  '\u2400nul\u2401soh\u241Fus\u2421del', '／＜＞＂：？＊｜％', '‛41', ']]>', '__proto__', '&amp;', '%2F',
];
const MTIME = 1_530_803_282; // 2018-07-05T15:08:02Z

beforeAll(async () => {
  emu = await startEmulator({ seed: 3, proxy: false });
  auth = { Authorization: `Bearer ${await login(emu)}` };
  user = emu.state.username;
  for (const [i, n] of NAMES.entries()) {
    await emu.state.putFile(`Jotta/Archive/hostile/${n}`, `content ${i}`, { modified: MTIME + i, created: MTIME - i });
    await emu.state.mkdir(`Jotta/Archive/hostile/dir ${n}`);
    await emu.state.putFile(`Jotta/Archive/hostile/dir ${n}/inner`, 'x', { modified: MTIME });
  }
  await emu.state.putFile('Jotta/Archive/hostile/trashed.txt', 'bye', { modified: MTIME });
  await post('Jotta/Archive/hostile/trashed.txt', 'dl=true');
  await emu.state.mkdir('Jotta/Archive/hostile/trashed dir');
  await post('Jotta/Archive/hostile/trashed dir', 'dlDir=true');
});
afterAll(async () => emu?.stop());

describe('documents served by the emulator', () => {
  it('<folder> keeps every hostile name exactly, with tombstones flagged and revisions decoded', async () => {
    const { status, doc: d } = await doc('Jotta/Archive/hostile');
    expect(status).toBe(200);
    expect(d.kind).toBe('folder');
    if (d.kind !== 'folder') return;
    expect(d.folder.name).toBe('hostile');
    expect(d.folder.path).toBe(`/${user}/Jotta/Archive`);
    const live = d.folder.files.filter((f) => !f.deleted);
    expect(live.map((f) => f.name).sort()).toEqual([...NAMES].sort());
    expect(d.folder.files.filter((f) => f.deleted).map((f) => f.name)).toEqual(['trashed.txt']);
    expect(d.folder.folders.filter((f) => !f.deleted).map((f) => f.name).sort()).toEqual(NAMES.map((n) => `dir ${n}`).sort());
    expect(d.folder.folders.filter((f) => f.deleted).map((f) => f.name)).toEqual(['trashed dir']);
    for (const [i, n] of NAMES.entries()) {
      const f = live.find((x) => x.name === n)!;
      const rev = f.currentRevision!;
      expect(rev.state).toBe('COMPLETED');
      expect(rev.size).toBe(`content ${i}`.length);
      expect(rev.md5).toBe(emu.state.stat(`Jotta/Archive/hostile/${n}`)!.current!.md5);
      expect(rev.modified!.equals(Timestamp.fromSeconds(MTIME + i))).toBe(true);
      expect(rev.created!.equals(Timestamp.fromSeconds(MTIME - i))).toBe(true);
      expect(rev.updated).toBeInstanceOf(Timestamp);
      expect(f.uuid).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('<file> root documents, including a trashed one', async () => {
    for (const n of NAMES) {
      const { doc: d } = await doc(`Jotta/Archive/hostile/${n}`);
      expect(d.kind).toBe('file');
      if (d.kind !== 'file') return;
      expect(d.file.name).toBe(n);
      expect(d.file.deleted).toBe(false);
      expect(d.file.path).toBe(`/${user}/Jotta/Archive/hostile`);
    }
    const { status, doc: t } = await doc('Jotta/Archive/hostile/trashed.txt');
    expect(status).toBe(200);
    expect(t.kind === 'file' && t.file.deleted).toBe(true);
  });

  it('<mountPoint>, <device>, <user> and <error>', async () => {
    const mp = (await doc('Jotta/Archive')).doc;
    expect(mp.kind).toBe('mountPoint');
    if (mp.kind === 'mountPoint') {
      expect(mp.folder.name).toBe('Archive');
      expect(mp.folder.folders).toEqual([{ name: 'hostile', deleted: false }]);
    }
    const dev = (await doc('Jotta')).doc;
    expect(dev.kind === 'device' && dev.device.mountPoints.map((m) => m.name)).toEqual(['Archive', 'Latest', 'Shared', 'Sync']);
    const u = (await doc('')).doc;
    expect(u.kind).toBe('user');
    if (u.kind === 'user') {
      expect(u.user).toMatchObject({ username: user, capacity: -1, locked: false });
      expect(u.user.usage).toBe(emu.state.usage());
      expect(u.user.devices.map((d) => [d.name, d.type])).toEqual([['Jotta', 'JOTTA']]);
    }
    const missing = await doc('Jotta/Archive/hostile/no such & file');
    expect(missing.status).toBe(404);
    expect(missing.doc.kind).toBe('error');
    if (missing.doc.kind === 'error') {
      expect(missing.doc.error.code).toBe(404);
      expect(missing.doc.error.reason).toBe('Not Found');
      expect(missing.doc.error.message).toMatch(/Exception: .*no such & file/);
    }
  });

  it('liststream: streamed straight from the response body, stats consistent, names exact', async () => {
    const res = await fetch(url('Jotta/Archive/hostile', 'mode=liststream'), { headers: auth, signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(200);
    const items: ListStreamItem[] = [];
    for await (const page of parseListStream(res.body as AsyncIterable<Uint8Array>, { pageSize: 7 })) {
      expect(page.length).toBeLessThanOrEqual(7);
      items.push(...page);
    }
    const files = items.filter((i) => i.kind === 'file');
    const top = files.filter((f) => f.path === '/Archive/hostile');
    expect(top.map((f) => f.name).sort()).toEqual([...NAMES].sort());
    const inner = files.filter((f) => f.name === 'inner').map((f) => f.path).sort();
    expect(inner).toEqual(NAMES.map((n) => `/Archive/hostile/dir ${n}`).sort());
    const folders = items.filter((i) => i.kind === 'folder').map((i) => i.path);
    expect(folders).toContain('/Archive/hostile');
    expect(folders).not.toContain('/Archive/hostile/trashed dir');
    expect(files.map((f) => f.name)).not.toContain('trashed.txt');
    const first = top.find((f) => f.name === NAMES[1])!;
    expect(first.kind === 'file' && first.size).toBe('content 1'.length);
    expect(first.kind === 'file' && first.modified!.equals(Timestamp.fromSeconds(MTIME + 1))).toBe(true);
    expect(first.kind === 'file' && first.md5).toMatch(/^[0-9a-f]{32}$/);
  });

  it('a truncated liststream (emulator fault) is an error, not a short listing', async () => {
    emu.state.addFaults(['list=truncate@1']);
    try {
      const res = await fetch(url('Jotta/Archive/hostile', 'mode=liststream'), { headers: auth, signal: AbortSignal.timeout(10_000) });
      const pages = parseListStream(res.body as AsyncIterable<Uint8Array>);
      await expect((async () => { for await (const _ of pages) { /* drain */ } })()).rejects.toThrow(/invalid XML from Jottacloud|invalid result from listStream/);
    } finally {
      emu.state.clearFaults();
    }
  });
});
