// Many clients at once: parallel uploads into one (new) folder, racing writers of one path, mixed commands.

import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../src/index.js';
import { emulatorWithClient, md5, type Client } from './helpers/client.js';
import { children, parseXml, textOf } from './helpers/xml.js';

let emu: Emulator;
let c: Client;
afterEach(async () => emu?.stop());

describe('concurrency', () => {
  it('parallel uploads into one missing folder all land, once each, with consistent listings', async () => {
    ({ emu, c } = await emulatorWithClient());
    const n = 64;
    const data = (i: number): string => `file ${i} `.repeat(i + 1);
    const results = await Promise.all(Array.from({ length: n }, (_, i) => c.upload(`many/sub/f${i}.txt`, data(i))));
    expect(results.every((r) => r.up?.status === 201)).toBe(true);
    const st = emu.state.stat('Jotta/Archive/many/sub')!;
    expect(st.children).toHaveLength(n);
    expect(emu.state.stat('Jotta/Archive')?.children).toEqual(['many']);
    for (let i = 0; i < n; i++) expect(emu.state.stat(`Jotta/Archive/many/sub/f${i}.txt`)?.current?.md5).toBe(md5(data(i)));
    const ls = parseXml((await c.get('many', 'mode=liststream')).text);
    expect(textOf(ls, 'stats/files')).toBe(String(n));
    expect(textOf(ls, 'stats/folders')).toBe('2');
    expect(children(ls, 'file')).toHaveLength(n);
  });

  it('racing writers of one path leave exactly one coherent current revision', async () => {
    ({ emu, c } = await emulatorWithClient({ behaviour: { maxRevisions: 0 } }));
    const versions = Array.from({ length: 12 }, (_, i) => `version ${i} `.repeat(1000));
    const results = await Promise.all(versions.map((v) => c.upload('race.txt', v)));
    expect(results.every((r) => r.up === undefined || r.up.status === 201)).toBe(true);
    const st = emu.state.stat('Jotta/Archive/race.txt')!;
    const content = (await emu.state.readFile('Jotta/Archive/race.txt'))!.toString();
    expect(versions).toContain(content);
    expect(st.current!.md5).toBe(md5(content));
    const numbers = [st.current!, ...st.older!].map((r) => r.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
  });

  it('mixed commands from many clients keep the tree valid', async () => {
    ({ emu, c } = await emulatorWithClient());
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.upload(`mix/f${i}.txt`, `content ${i}`)));
    const ops = Array.from({ length: 20 }, (_, i) => {
      switch (i % 5) {
        case 0: return c.post(`mix/f${i}.txt`, 'dl=true');
        case 1: return c.post(`mix/f${i}.txt`, `cp=${encodeURIComponent(`/${c.user}/Jotta/Archive/copies/f${i}.txt`)}`);
        case 2: return c.post(`mix/f${i}.txt`, `mv=${encodeURIComponent(`/${c.user}/Jotta/Archive/moved/f${i}.txt`)}`);
        case 3: return c.post(`dirs/d${i}/e`, 'mkDir=true');
        default: return c.get('mix', 'mode=liststream');
      }
    });
    const rs = await Promise.all(ops);
    expect(rs.map((r) => r.status).every((s) => s === 200)).toBe(true);
    const live = parseXml((await c.get('', 'mode=liststream')).text);
    const files = children(live, 'file').map((f) => `${textOf(f, 'path')}/${textOf(f, 'filename')}`);
    expect(files).toHaveLength(20 - 4 + 4);
    expect(files).toContain('/Archive/copies/f1.txt');
    expect(files).toContain('/Archive/moved/f2.txt');
    expect(files).not.toContain('/Archive/mix/f2.txt');
    expect(files).not.toContain('/Archive/mix/f0.txt');
  });
});
