// The unmodified Debian rclone (v1.60.1) against the emulator through HTTPS_PROXY + --ca-cert: config, upload,
// listings, hashes, ranged reads, links, server-side copy/move, trash, hard delete, cleanup, with and without --fast-list.
// CI installs rclone (.ci/run); without it on PATH this file is skipped.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsVia, TunnelAgent } from './proxy-client.js';
import {
  bytes, createRemote, hasRclone, localNames, readSection, startInterop, vectorNames, writeTree, type Interop, type LocalFile,
} from './rclone-interop-harness.js';

const CAPACITY = 50 * 2 ** 30;

/** Splits rclone line output into sorted records (names with newlines split identically on both sides). */
const records = (b: Buffer | string): string[] => b.toString().split('\n').filter((l) => l !== '').sort();

/** One `rclone ls` line. */
const lsLine = (size: number, path: string): string => `${String(size).padStart(9)} ${path}`;

/** XML attribute text → string. */
const xmlUnescape = (s: string): string => s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  if (e[0] !== '#') return named[e.toLowerCase()] ?? '';
  return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
});

interface LsJsonItem { Path: string; Name: string; Size: number; IsDir: boolean; ModTime: string; Hashes?: Record<string, string> }

/** lsjson items reduced to what both sides must agree on (modtime as an instant: the layout follows precision), sorted. */
const comparable = (items: LsJsonItem[], withHash: boolean): string[] =>
  items.map((i) => JSON.stringify([i.Path, i.Name, i.IsDir, i.IsDir ? -1 : i.Size, i.IsDir ? 0 : Date.parse(i.ModTime), withHash && !i.IsDir ? i.Hashes?.md5 ?? i.Hashes?.MD5 : ''])).sort();

describe.runIf(hasRclone)('rclone v1.60 against the emulator (HTTPS proxy mode)', () => {
  let t: Interop;
  let src: string;
  let files: LocalFile[];
  const names = vectorNames();
  const big = bytes(3 * 2 ** 20 + 17, 'big');

  beforeAll(async () => {
    t = await startInterop({ capacity: CAPACITY, seed: 11 });
    src = join(t.work, 'src');
    files = writeTree(src, [
      ...names.map((n) => ({ rel: Buffer.concat([Buffer.from('names/'), n.local]), display: `names/${n.display}`, data: Buffer.from(`${n.id}\n`) })),
      { rel: 'data/empty.bin', data: Buffer.alloc(0) },
      { rel: 'data/one.txt', data: Buffer.from('x') },
      { rel: 'data/medium.bin', data: bytes(200_001, 'medium') },
      { rel: 'data/big.bin', data: big },
      { rel: 'docs/a.txt', data: Buffer.from('alpha document\n') },
      { rel: 'docs/b.txt', data: Buffer.from('beta document\n') },
      { rel: 'docs/sub/c.txt', data: Buffer.from('gamma in a subfolder\n') },
      { rel: 'trashme/x.txt', data: Buffer.from('x to the trash\n') },
      { rel: 'trashme/y.txt', data: Buffer.from('y to the trash, a bit longer\n') },
      { rel: 'purgeme/w.txt', data: Buffer.from('purged w\n') },
      { rel: 'purgeme/deep/z.txt', data: Buffer.from('purged z, deeper\n') },
      { rel: 'hard/h1.txt', data: Buffer.from('hard delete me\n') },
      { rel: 'hard/h2.txt', data: Buffer.from('and me\n') },
    ]);
  });
  afterAll(async () => { await t?.stop(); });

  it('config create with a one-use personal login token writes a standard config', async () => {
    const token = await createRemote(t);
    const sec = readSection(t.configPath, 'jc');
    expect(sec).toMatchObject({ type: 'jottacloud', configVersion: '1', client_id: 'jottacli' });
    expect(sec.client_secret ?? '').toBe('');
    expect(sec.device ?? '').toBe('');
    expect(sec.mountpoint ?? '').toBe('');
    expect(sec.tokenURL?.startsWith(`${t.emu.url}/`)).toBe(true);
    const tok = JSON.parse(sec.token ?? '{}') as { access_token?: string; refresh_token?: string; expiry?: string };
    expect(tok.access_token).toBeTruthy();
    expect(tok.refresh_token).toBeTruthy();
    expect(Date.parse(tok.expiry ?? '')).toBeGreaterThan(Date.now());
    const again = await t.rclone(['config', 'create', 'jc2', 'jottacloud', 'config_type=standard', `config_login_token=${token}`]);
    expect(again.status).not.toBe(0);
    expect(readSection(t.configPath, 'jc2').token ?? '').toBe('');
  });

  it('mkdir + copy upload the tree; every vector name round-trips byte-exactly', async () => {
    await t.ok(['mkdir', 'jc:interop']);
    expect(records((await t.ok(['lsd', 'jc:'])).stdout).some((l) => l.endsWith(' interop'))).toBe(true);
    await t.ok(['copy', src, 'jc:interop']);

    // rclone's view: identical (sorted) listings of the names folder.
    const remoteLsf = await t.ok(['lsf', 'jc:interop/names']);
    const localLsf = await t.ok(['lsf', join(src, 'names')]);
    expect(remoteLsf.stdout.equals(localLsf.stdout)).toBe(true);

    // The wire: the folder XML holds exactly the v1.60 Jottacloud-encoded names.
    const tok = JSON.parse(readSection(t.configPath, 'jc').token ?? '{}') as { access_token: string };
    const agent = new TunnelAgent(t.emu.proxy, readFileSync(t.emu.caCert, 'utf8'));
    try {
      const auth = { authorization: `Bearer ${tok.access_token}` };
      const customer = await httpsVia(agent, 'https://api.jottacloud.com/account/v1/customer', { headers: auth });
      const user = (JSON.parse(customer.body.toString()) as { username: string }).username;
      const folder = await httpsVia(agent, `https://jfs.jottacloud.com/jfs/${encodeURIComponent(user)}/Jotta/Archive/interop/names`, { headers: auth });
      expect(folder.status).toBe(200);
      const onServer = [...folder.body.toString().matchAll(/<file [^>]*name="([^"]*)"/g)].map((m) => xmlUnescape(m[1] ?? '')).sort();
      expect(onServer).toEqual(names.map((n) => n.jotta.toString('utf8')).sort());
    } finally {
      agent.destroy();
    }

    // And back to disk: the same raw bytes, the same contents.
    const back = join(t.work, 'back');
    mkdirSync(back);
    await t.ok(['copy', 'jc:interop/names', join(back, 'names')]);
    const got = localNames(join(back, 'names'));
    expect(got.map((b) => b.toString('hex'))).toEqual(localNames(join(src, 'names')).map((b) => b.toString('hex')));
    for (const n of names) {
      expect(readFileSync(Buffer.concat([Buffer.from(`${back}/names/`), n.local])).toString()).toBe(`${n.id}\n`);
    }
  });

  for (const fastList of [false, true]) {
    const fl = fastList ? ['--fast-list'] : [];
    it(`ls, lsl, lsd, lsjson -R --hash, md5sum and size agree with the local source${fastList ? ' (--fast-list)' : ''}`, async () => {
      await Promise.all(['ls', 'lsl', 'md5sum'].map(async (cmd) => {
        const [remote, local] = await Promise.all([t.ok([cmd, ...fl, 'jc:interop']), t.ok([cmd, src])]);
        expect(records(remote.stdout), cmd).toEqual(records(local.stdout));
      }));
      const md5s = records((await t.ok(['md5sum', ...fl, 'jc:interop'])).stdout);
      for (const f of files) expect(md5s).toContain(`${f.md5}  ${f.display}`);

      const lsd = records((await t.ok(['lsd', ...fl, 'jc:interop'])).stdout).map((l) => l.trim().split(/\s+/).slice(4).join(' '));
      expect(lsd).toEqual(['data', 'docs', 'hard', 'names', 'purgeme', 'trashme']);

      const [remoteRun, localRun] = await Promise.all([t.ok(['lsjson', '-R', '--hash', ...fl, 'jc:interop']), t.ok(['lsjson', '-R', '--hash', src])]);
      const remoteJson = JSON.parse(remoteRun.out) as LsJsonItem[];
      const localJson = JSON.parse(localRun.out) as LsJsonItem[];
      expect(comparable(remoteJson, true)).toEqual(comparable(localJson, true));
      const bigItem = remoteJson.find((i) => i.Path === 'data/big.bin');
      expect(bigItem).toMatchObject({ Size: big.length, Hashes: { md5: createHash('md5').update(big).digest('hex') } });
      expect(remoteJson.filter((i) => !i.IsDir)).toHaveLength(files.length);

      const size = JSON.parse((await t.ok(['size', '--json', ...fl, 'jc:interop'])).out) as { count: number; bytes: number; sizeless: number };
      expect(size).toEqual({ count: files.length, bytes: files.reduce((s, f) => s + f.data.length, 0), sizeless: 0 });
    });
  }

  it('check (hashes) and check --download find no differences', async () => {
    for (const extra of [[], ['--download'], ['--download', '--fast-list']]) {
      const r = await t.rclone(['check', ...extra, src, 'jc:interop']);
      expect(r.stderr).toContain('0 differences found');
      expect(r.stderr).toContain(`${files.length} matching files`);
      expect(r.status).toBe(0);
    }
  });

  it('cat returns whole files and byte ranges (--offset/--count/--head/--tail)', async () => {
    const cat = async (...args: string[]): Promise<Buffer> => (await t.ok(['cat', ...args, 'jc:interop/data/big.bin'])).stdout;
    expect((await cat()).equals(big)).toBe(true);
    expect((await cat('--offset', '1000', '--count', '5000')).equals(big.subarray(1000, 6000))).toBe(true);
    expect((await cat('--offset', String(big.length - 10))).equals(big.subarray(big.length - 10))).toBe(true);
    expect((await cat('--offset', '-100')).equals(big.subarray(big.length - 100))).toBe(true);
    expect((await cat('--head', '7')).equals(big.subarray(0, 7))).toBe(true);
    expect((await cat('--tail', '3')).equals(big.subarray(big.length - 3))).toBe(true);
    expect(records((await t.ok(['cat', 'jc:interop/docs'])).stdout)).toEqual(['alpha document', 'beta document', 'gamma in a subfolder']);
    expect((await t.ok(['cat', 'jc:interop/data/empty.bin'])).stdout.length).toBe(0);
  });

  it('about reports the quota: total = capacity, used ≥ uploaded bytes, free = total − used', async () => {
    const about = JSON.parse((await t.ok(['about', '--json', 'jc:'])).out) as { total: number; used: number; free: number };
    expect(about.total).toBe(CAPACITY);
    expect(about.used).toBeGreaterThanOrEqual(files.reduce((s, f) => s + f.data.length, 0));
    expect(about.free).toBe(about.total - about.used);
    const text = (await t.ok(['about', 'jc:'])).out;
    expect(text).toMatch(/^Total: +50 GiB$/m);
  });

  it('link creates a public link and --unlink removes it; a missing file has no link', async () => {
    const link = (await t.ok(['link', 'jc:interop/docs/a.txt'])).out.trim();
    expect(link).toMatch(/^https:\/\/www\.jottacloud\.com\/opin\/io\/downloadPublic\/[^/]+\/[0-9a-f]{32}$/);
    expect(link.endsWith(`/${t.emu.state.stat('Jotta/Archive/interop/docs/a.txt')?.publicURI ?? 'none'}`)).toBe(true);
    await t.ok(['link', '--unlink', 'jc:interop/docs/a.txt']);
    expect(t.emu.state.stat('Jotta/Archive/interop/docs/a.txt')?.publicURI ?? null).toBeNull();
    const missing = await t.rclone(['link', 'jc:interop/docs/missing.txt']);
    expect(missing.status).not.toBe(0);
  });

  it('copyto and moveto run server-side (cp, mv, mvDir) and keep contents', async () => {
    const cp = await t.ok(['copyto', '--dump', 'headers', 'jc:interop/docs/a.txt', 'jc:interop/copied/a copy.txt']);
    expect(cp.stderr).toMatch(/POST \/jfs\/[^ ]*\/Jotta\/Archive\/interop\/docs\/a\.txt\?cp=/);
    expect(cp.stderr).not.toContain('/files/v1/allocate');
    expect((await t.ok(['cat', 'jc:interop/copied/a copy.txt'])).out).toBe('alpha document\n');
    expect((await t.ok(['cat', 'jc:interop/docs/a.txt'])).out).toBe('alpha document\n');

    const mv = await t.ok(['moveto', '--dump', 'headers', 'jc:interop/copied/a copy.txt', 'jc:interop/moved/a moved.txt']);
    expect(mv.stderr).toMatch(/\?mv=/);
    expect(mv.stderr).not.toContain('/files/v1/allocate');
    expect((await t.ok(['lsf', 'jc:interop/copied'])).out).toBe('');
    expect((await t.ok(['cat', 'jc:interop/moved/a moved.txt'])).out).toBe('alpha document\n');

    const mvDir = await t.ok(['moveto', '--dump', 'headers', 'jc:interop/moved', 'jc:interop/moved dir']);
    expect(mvDir.stderr).toMatch(/\?mvDir=/);
    expect(records((await t.ok(['lsf', '-R', 'jc:interop/moved dir'])).stdout)).toEqual(['a moved.txt']);
    const gone = await t.rclone(['lsf', 'jc:interop/moved']);
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toContain('directory not found');
  });

  it('delete and purge move to the trash, --jottacloud-trashed-only shows it, cleanup empties it', async () => {
    await t.ok(['delete', 'jc:interop/trashme']);
    expect((await t.ok(['ls', 'jc:interop/trashme'])).out).toBe('');
    expect(records((await t.ok(['ls', '--jottacloud-trashed-only', 'jc:interop/trashme'])).stdout))
      .toEqual([lsLine(15, 'x.txt'), lsLine(29, 'y.txt')]);
    expect(t.emu.state.stat('Jotta/Archive/interop/trashme/x.txt')?.deleted).toEqual(expect.any(Number));

    await t.ok(['purge', 'jc:interop/purgeme']);
    expect(records((await t.ok(['lsf', 'jc:interop'])).stdout)).not.toContain('purgeme/');
    expect(records((await t.ok(['ls', '--jottacloud-trashed-only', 'jc:interop/purgeme'])).stdout))
      .toEqual([lsLine(9, 'w.txt'), lsLine(17, 'deep/z.txt')].sort());
    // Live files are not "trashed".
    expect((await t.ok(['ls', '--jottacloud-trashed-only', 'jc:interop/docs'])).out).toBe('');

    await t.ok(['cleanup', 'jc:']);
    expect(t.emu.state.stat('Jotta/Archive/interop/trashme/x.txt')).toBeUndefined();
    expect(t.emu.state.stat('Jotta/Archive/interop/purgeme')).toBeUndefined();
    expect((await t.ok(['ls', '--jottacloud-trashed-only', 'jc:interop/trashme'])).out).toBe('');
    const purged = await t.rclone(['ls', '--jottacloud-trashed-only', 'jc:interop/purgeme']);
    expect(purged.out).toBe('');
    // Everything else is untouched.
    expect((await t.ok(['cat', 'jc:interop/docs/b.txt'])).out).toBe('beta document\n');
  });

  it('overwrites add a revision; uploads and server-side copies onto trashed files bring them back live', async () => {
    const v2 = join(t.work, 'a-v2.txt');
    writeFileSync(v2, 'alpha, second version\n');
    await t.ok(['copyto', v2, 'jc:interop/docs/a.txt']);
    expect((await t.ok(['cat', 'jc:interop/docs/a.txt'])).out).toBe('alpha, second version\n');
    expect(records((await t.ok(['md5sum', 'jc:interop/docs/a.txt'])).stdout))
      .toEqual([`${createHash('md5').update('alpha, second version\n').digest('hex')}  a.txt`]);
    const a = t.emu.state.stat('Jotta/Archive/interop/docs/a.txt');
    expect(a?.current?.md5).toBe(createHash('md5').update('alpha, second version\n').digest('hex'));
    expect(a?.older?.map((r) => r.md5)).toContain(createHash('md5').update('alpha document\n').digest('hex'));

    await t.ok(['deletefile', 'jc:interop/docs/b.txt']);
    expect(records((await t.ok(['lsf', 'jc:interop/docs'])).stdout)).toEqual(['a.txt', 'sub/']);
    await t.ok(['copyto', join(src, 'docs', 'b.txt'), 'jc:interop/docs/b.txt']);
    expect((await t.ok(['cat', 'jc:interop/docs/b.txt'])).out).toBe('beta document\n');

    await t.ok(['deletefile', 'jc:interop/docs/sub/c.txt']);
    expect((await t.ok(['lsf', 'jc:interop/docs/sub'])).out).toBe('');
    await t.ok(['copyto', 'jc:interop/docs/a.txt', 'jc:interop/docs/sub/c.txt']);
    expect((await t.ok(['cat', 'jc:interop/docs/sub/c.txt'])).out).toBe('alpha, second version\n');
    expect(records((await t.ok(['lsf', '-R', 'jc:interop/docs'])).stdout)).toEqual(['a.txt', 'b.txt', 'sub/', 'sub/c.txt']);
  });

  it('--jottacloud-hard-delete deletes permanently (nothing in the trash)', async () => {
    await t.ok(['--jottacloud-hard-delete', 'deletefile', 'jc:interop/hard/h1.txt']);
    expect(records((await t.ok(['ls', 'jc:interop/hard'])).stdout)).toEqual([lsLine(7, 'h2.txt')]);
    expect((await t.ok(['ls', '--jottacloud-trashed-only', 'jc:interop/hard'])).out).toBe('');
    await t.ok(['--jottacloud-hard-delete', 'purge', 'jc:interop/hard']);
    expect(records((await t.ok(['lsf', 'jc:interop'])).stdout)).not.toContain('hard/');
    const trashed = await t.rclone(['lsf', '--jottacloud-trashed-only', 'jc:interop/hard']);
    expect(trashed.out).toBe('');
  });
});
