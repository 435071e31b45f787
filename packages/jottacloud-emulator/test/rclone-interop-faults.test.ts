// The Debian rclone (v1.60.1) against the emulator when things go wrong: an expired access token (refresh with
// rotation, written back to the config) and injected 5xx / 429 / connection-reset faults (rclone converges).
// CI installs rclone (.ci/run); without it on PATH this file is skipped.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bytes, createRemote, hasRclone, readSection, startInterop, writeSectionKey, writeTree, type Interop, type LocalFile,
} from './rclone-interop-harness.js';

interface Token { access_token: string; refresh_token: string; expiry: string; token_type?: string }
const readToken = (t: Interop): Token => JSON.parse(readSection(t.configPath, 'jc').token ?? '{}') as Token;

interface FaultStatus { spec: string; matched: number; fired: number }

describe.runIf(hasRclone)('rclone v1.60 against the emulator: token refresh and injected faults', () => {
  let t: Interop;
  let src: string;
  let files: LocalFile[];

  /** Replaces the emulator's fault rules at run time through /__admin/faults. */
  async function setFaults(specs: string[]): Promise<void> {
    const res = specs.length === 0
      ? await t.admin('/__admin/faults', { method: 'DELETE' })
      : await t.admin('/__admin/faults', { body: { faults: specs, replace: true } });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  }
  async function faultStatus(): Promise<FaultStatus[]> {
    const res = await t.admin('/__admin/faults', { method: 'GET' });
    const json = await res.json() as { faults: FaultStatus[] };
    return json.faults;
  }

  beforeAll(async () => {
    t = await startInterop({ seed: 5 });
    await createRemote(t);
    src = join(t.work, 'src');
    files = writeTree(src, Array.from({ length: 14 }, (_, i) => ({
      rel: `f${i % 3}/file ${i}.bin`,
      data: bytes(i % 4 === 0 ? 700_000 + i : 1000 * i + 1, `fault-${i}`),
    })));
  });
  afterAll(async () => { await t?.stop(); });

  it('refreshes an expired access token at start-up and writes the rotated token back', async () => {
    await t.ok(['mkdir', 'jc:refresh']);
    const before = readToken(t);
    writeSectionKey(t.configPath, 'jc', 'token', JSON.stringify({ ...before, expiry: '2001-02-03T04:05:06Z' }));
    const r = await t.ok(['lsd', 'jc:']);
    expect(r.out).toMatch(/ refresh$/m);
    const after = readToken(t);
    expect(after.access_token).not.toBe(before.access_token);
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(Date.parse(after.expiry)).toBeGreaterThan(Date.now());
    // The rotated token keeps working, without another refresh.
    await t.ok(['lsd', 'jc:']);
    expect(readToken(t).access_token).toBe(after.access_token);
  });

  it('copy converges under injected 500/503/429 and connection resets; check --download is clean', async () => {
    await setFaults(['allocate=500@2', 'upload=reset@2', 'upload=503@5', 'list=503@1', 'list=429@3', 'download=500@1']);
    const copy = await t.rclone(['copy', '--retries', '5', '--low-level-retries', '10', src, 'jc:faulty'], { timeoutMs: 60_000 });
    expect(copy.status, copy.stderr).toBe(0);
    const during = await faultStatus();
    const fired = Object.fromEntries(during.map((f) => [f.spec, f.fired]));
    expect(fired['allocate=500@2']).toBe(1);
    expect(fired['upload=reset@2']).toBe(1);
    expect(fired['list=503@1']).toBe(1);

    // Reads retried by the pacer: a listing and a download fault on the way.
    await setFaults(['list=503@1', 'download=500@2', 'download=reset@4']);
    const check = await t.rclone(['check', '--download', src, 'jc:faulty']);
    expect(check.stderr).toContain('0 differences found');
    expect(check.stderr).toContain(`${files.length} matching files`);
    expect(check.status).toBe(0);
    expect((await faultStatus()).every((f) => f.fired === 1)).toBe(true);

    await setFaults([]);
    const clean = await t.rclone(['check', src, 'jc:faulty']);
    expect(clean.stderr).toContain('0 differences found');
    expect(clean.status).toBe(0);
    const size = JSON.parse((await t.ok(["size", "--json", "jc:faulty"])).out) as { count: number; bytes: number; sizeless: number };
    expect(size).toEqual({ count: files.length, bytes: files.reduce((s, f) => s + f.data.length, 0), sizeless: 0 });
  });
});
