// Raw protocol requests against the emulator (bypassing the backend) to seed states the backend never creates itself.

import type { JottaHarness } from './helpers.js';
import { md5 } from './helpers.js';

/** The access token of the harness's remote. */
export function accessToken(h: JottaHarness): string {
  return (JSON.parse(h.state.values.token ?? '{}') as { access_token: string }).access_token;
}

/**
 * Allocates `path` (`Archive/…`) declaring `declared` content, then uploads `body`: a shorter body leaves an
 * INCOMPLETE latest revision (420), different bytes of the declared length a CORRUPT one (400). Returns the upload status.
 */
export async function rawUpload(h: JottaHarness, path: string, declared: string, body: string): Promise<number> {
  const auth = { Authorization: `Bearer ${accessToken(h)}` };
  const alloc = await fetch(`${h.emu.url}/files/v1/allocate`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ path: `/jfs/Jotta/${path}`, bytes: Buffer.byteLength(declared), md5: md5(declared), created: '2020-01-01T00:00:00Z', modified: '2020-01-01T00:00:00Z' }),
  });
  if (!alloc.ok) throw new Error(`allocate: HTTP ${alloc.status} ${await alloc.text()}`);
  const a = (await alloc.json()) as { upload_url: string };
  const up = await fetch(a.upload_url, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/octet-stream' }, body });
  await up.arrayBuffer();
  return up.status;
}

/** A raw JFS request path (`/jfs/<user>/Jotta/Archive/<p>`) on the emulator with the remote's token. */
export async function rawJfs(h: JottaHarness, method: 'GET' | 'POST', p: string, query = ''): Promise<{ status: number; body: string }> {
  const res = await fetch(`${h.emu.url}/jfs/${h.emu.state.username}/Jotta/Archive/${p}${query}`, {
    method, headers: { Authorization: `Bearer ${accessToken(h)}` },
  });
  return { status: res.status, body: await res.text() };
}
