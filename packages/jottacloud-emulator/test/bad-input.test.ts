// Bad input gets the proper error document (code = HTTP status) and leaves the account untouched.

import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { emulatorWithClient, type Client } from './helpers/client.js';
import { textOf } from './helpers/xml.js';

let emu: Emulator;
let c: Client;
afterEach(async () => emu?.stop());

function snapshot(e: Emulator): string {
  const walk = (p: string): unknown => {
    const s = e.state.stat(p);
    return s && { ...s, children: s.children?.map((n) => walk(`${p}/${n}`)) };
  };
  return JSON.stringify([walk('Jotta/Archive'), walk('Jotta/Sync'), e.state.usage()]);
}

describe('malformed requests', () => {
  it('paths with .., encoded slashes, bad escapes, bad UTF-8, empty elements, bad names: 400 <error>', async () => {
    ({ emu, c } = await emulatorWithClient());
    await c.upload('dir/file.txt', 'content');
    await c.upload('b', 'content b');
    const before = snapshot(emu);
    const base = c.jfs();
    const bad: [string, string][] = [
      ['GET', `${base}/dir/../b`], ['POST', `${base}/dir/..?dlDir=true`], ['POST', `${base}/dir/%2E%2E?rmDir=true`],
      ['POST', `${base}/dir%2Ffile.txt?rm=true`], ['POST', `${base}/x%2Fy?mkDir=true`], ['GET', `${base}/%zz`],
      ['GET', `${base}/%ff%fe`], ['POST', `${base}/dir//file.txt?rm=true`], ['POST', `${base}/bad%01name?mkDir=true`],
      ['POST', `${base}/${'n'.repeat(256)}?mkDir=true`], ['GET', `${base}/dir?mode=%zz`], ['GET', `${base}/dir?mode=unknown`],
      ['POST', `${base}/dir/file.txt?cp=relative/path`], ['POST', `${base}/dir/file.txt?cphash=true`],
      ['POST', `${base}/dir/file.txt?mv=${encodeURIComponent(`/${c.user}/Jotta/Archive`)}`],
    ];
    for (const [method, path] of bad) {
      const r = await c.req(path, { method });
      expect(r.status, `${method} ${path}`).toBe(400);
      const x = r.xml();
      expect(x.name).toBe('error');
      expect(textOf(x, 'code')).toBe('400');
      expect(textOf(x, 'reason')).toBe('Bad Request');
      expect(textOf(x, 'x-id')).toMatch(/^[0-9a-f]{16}$/);
    }
    const noUser = await c.req('/jfs/');
    expect(noUser.status).toBe(400);
    expect(textOf(noUser.xml(), 'message')).toBe('org.springframework.security.core.userdetails.UsernameNotFoundException: Username not found in url!');
    expect((await c.req(`${base}/dir`, { method: 'PUT' })).status).toBe(405);
    expect(textOf((await c.req(`${base}/dir`, { method: 'DELETE' })).xml(), 'code')).toBe('405');
    expect(snapshot(emu)).toBe(before);
    expect((await c.post(`${'n'.repeat(255)}`, 'mkDir=true')).status).toBe(200);
  });

  it('unknown endpoints and methods, oversized and malformed bodies on the JSON API', async () => {
    ({ emu, c } = await emulatorWithClient());
    await c.upload('keep.txt', 'keep');
    const before = snapshot(emu);
    const unknown = await c.req('/files/v1/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 404 });
    expect((await c.req('/elsewhere')).status).toBe(404);
    expect((await c.req('/files/v1/allocate')).status).toBe(405);
    expect((await c.req('/account/v1/customer', { method: 'POST' })).status).toBe(405);
    const huge = await c.req('/files/v1/allocate', { method: 'POST', body: `{"path":"${'x'.repeat(70_000)}"}` });
    expect(huge.status).toBe(413);
    expect(huge.json()).toMatchObject({ code: 413 });
    expect((await c.req('/auth/v1/token', { method: 'POST' })).status).toBe(400);
    expect(snapshot(emu)).toBe(before);
  });

  it('strict names reject raw Windows-reserved characters (off by default)', async () => {
    ({ emu, c } = await emulatorWithClient({ behaviour: { strictNames: true } }));
    expect((await c.post('a:b', 'mkDir=true')).status).toBe(400);
    expect((await c.allocate('q?.txt', 'x')).status).toBe(400);
    expect((await c.post('a：b', 'mkDir=true')).status).toBe(200);
    await emu.stop();
    ({ emu, c } = await emulatorWithClient());
    expect((await c.post('a:b', 'mkDir=true')).status).toBe(200);
  });
});
