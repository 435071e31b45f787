// mode=liststream (checked with rclone's own counting), mode=list, and mode=bin downloads with ranges.

import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { emulatorWithClient, md5, type Client } from './helpers/client.js';
import { children, parseXml, textOf, type XmlElement } from './helpers/xml.js';

let emu: Emulator;
let c: Client;
afterEach(async () => emu?.stop());
const setup = async (o = {}): Promise<void> => {
  ({ emu, c } = await emulatorWithClient(o));
};

/** rclone's parseListRStream: entries relative to `prefix`, and the stats check. */
function rcloneListR(doc: XmlElement, prefix: string): { dirs: string[]; files: string[]; ok: boolean } {
  const trim = (p: string): string => p.replace(prefix, '').replace(/^\//, '');
  const seen = new Set<string>();
  const actual = { folders: 0, files: 0 };
  const dirs: string[] = [];
  const files: string[] = [];
  let expected = { folders: -1, files: -1 };
  const visit = (el: XmlElement): void => {
    for (const e of el.children) {
      if (e.name === 'folder') {
        const p = trim(textOf(e, 'path')!);
        seen.add(p);
        actual.folders++;
        dirs.push(p);
      } else if (e.name === 'file') {
        const p = trim(textOf(e, 'path')!);
        actual.files++;
        if (!seen.has(p)) {
          seen.add(p);
          actual.folders++;
          dirs.push(p);
        }
        files.push(`${p ? `${p}/` : ''}${textOf(e, 'filename')}`);
      } else if (e.name === 'stats') {
        expected = { folders: Number(textOf(e, 'folders')), files: Number(textOf(e, 'files')) };
      } else visit(e);
    }
  };
  visit(doc);
  return { dirs, files, ok: expected.folders === actual.folders && expected.files === actual.files };
}

describe('liststream', () => {
  it('lists live COMPLETED content depth first with consistent stats', async () => {
    await setup();
    await c.upload('a/one.txt', '1', { modified: '2020-05-06T07:08:09Z', created: '2019-01-01T00:00:00Z' });
    await c.upload('a/b/two.txt', '22');
    await c.post('a/empty', 'mkDir=true');
    await c.upload('a/trashed.txt', 't');
    await c.post('a/trashed.txt', 'dl=true');
    await c.upload('a/gone/x.txt', 'x');
    await c.post('a/gone', 'dlDir=true');
    await c.allocate('a/incomplete.bin', 'never finished');
    await c.upload('top.txt', 'top');
    const r = await c.get('', 'mode=liststream');
    expect(r.status).toBe(200);
    const doc = parseXml(r.text);
    const res = rcloneListR(doc, '/Archive');
    expect(res.ok).toBe(true);
    expect(res.files.sort()).toEqual(['a/b/two.txt', 'a/one.txt', 'top.txt']);
    expect(res.dirs.sort()).toEqual(['', 'a', 'a/b', 'a/empty']);
    const one = children(doc, 'file').find((f) => textOf(f, 'filename') === 'one.txt')!;
    expect(textOf(one, 'modified')).toBe('2020-05-06T07:08:09.000Z');
    expect(textOf(one, 'created')).toBe('2019-01-01T00:00:00.000Z');
    expect(textOf(one, 'md5')).toBe(md5('1'));
    expect(textOf(one, 'size')).toBe('1');
    // A sub-folder listing uses /<mountpoint>/<folder> paths with the stored casing.
    const sub = await c.get('A', 'mode=liststream');
    const subRes = rcloneListR(parseXml(sub.text), '/Archive/a');
    expect(subRes.ok).toBe(true);
    expect(subRes.files.sort()).toEqual(['b/two.txt', 'one.txt']);
    expect((await c.get('missing', 'mode=liststream')).status).toBe(404);
    expect((await c.get('a/gone', 'mode=liststream')).status).toBe(404);
  });

  it('mode=list gives a flat <filedirlist> including the listed folder', async () => {
    await setup();
    await c.upload('d/f1.txt', '1');
    await c.upload('d/e/f2.txt', '2');
    const x = (await c.get('d', 'mode=list')).xml();
    expect(x.name).toBe('filedirlist');
    const folders = children(x, 'folders/folder');
    expect(folders.map((f) => [f.attrs.name, textOf(f, 'path')])).toEqual([['d', `/${c.user}/Jotta/Archive`], ['e', `/${c.user}/Jotta/Archive/d`]]);
    expect(children(folders[0], 'files/file').map((f) => f.attrs.name)).toEqual(['f1.txt']);
  });
});

describe('mode=bin', () => {
  it('downloads whole files and single ranges (206 + Content-Range)', async () => {
    await setup();
    const data = Buffer.from('0123456789abcdef');
    await c.upload('bin/data.bin', data);
    const all = await c.get('bin/data.bin', 'mode=bin');
    expect(all.status).toBe(200);
    expect(all.body.equals(data)).toBe(true);
    expect(all.headers['content-length']).toBe('16');
    const cases: [string, string, string][] = [['bytes=2-6', '23456', 'bytes 2-6/16'], ['bytes=10-', 'abcdef', 'bytes 10-15/16'], ['bytes=-3', 'def', 'bytes 13-15/16'], ['bytes=14-100', 'ef', 'bytes 14-15/16']];
    for (const [range, body, cr] of cases) {
      const r = await c.req(`${c.jfs('bin/data.bin')}?mode=bin`, { headers: { Range: range } });
      expect(r.status, range).toBe(206);
      expect(r.text).toBe(body);
      expect(r.headers['content-range']).toBe(cr);
    }
    const bad = await c.req(`${c.jfs('bin/data.bin')}?mode=bin`, { headers: { Range: 'bytes=16-' } });
    expect(bad.status).toBe(416);
    expect(bad.headers['content-range']).toBe('bytes */16');
    expect(textOf(bad.xml(), 'code')).toBe('416');
    const multi = await c.req(`${c.jfs('bin/data.bin')}?mode=bin`, { headers: { Range: 'bytes=0-1,4-5' } });
    expect(multi.status).toBe(200);
    expect(multi.body.equals(data)).toBe(true);
  });

  it('serves large files in full and empty files; folders and missing paths are 404', async () => {
    await setup();
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
    await c.upload('big.bin', big);
    const r = await c.get('big.bin', 'mode=bin');
    expect(md5(r.body)).toBe(md5(big));
    await c.upload('empty', '');
    const e = await c.req(`${c.jfs('empty')}?mode=bin`, { headers: { Range: 'bytes=0-' } });
    expect(e.status).toBe(200);
    expect(e.body.length).toBe(0);
    await c.post('dir', 'mkDir=true');
    expect((await c.get('dir', 'mode=bin')).status).toBe(404);
    expect((await c.get('nothing', 'mode=bin')).status).toBe(404);
    await c.allocate('partial.bin', 'xyz');
    expect((await c.get('partial.bin', 'mode=bin')).status).toBe(404);
  });
});
