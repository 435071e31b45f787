// Hooks and drivers for the Jottacloud fault tests: Retry-After timing from the emulator's request log, token expiry
// on the server during a run, and several built-CLI processes sharing one config at once.

import { join } from 'node:path';
import { type Lane, makeContent, treeOf, writeTree } from './jotta-faults-env.js';
import type { CaseContext } from './jotta-faults-types.js';

/** The next request of the same kind (and URL, unless `anyUrl`) after a 429 came at least ~Retry-After (1 s) later. */
export function honoursRetryAfter(op: string, anyUrl: boolean) {
  return (_lane: Lane, { requests }: CaseContext): string[] => {
    const i = requests.findIndex((r) => r.op === op && r.fault === '429');
    if (i < 0) return [`no ${op} request got the 429`];
    const hit = requests[i]!;
    const next = requests.slice(i + 1).find((r) => r.op === op && (anyUrl || r.url === hit.url));
    if (!next) return [`no ${op} request followed the 429`];
    return next.at - hit.at >= 900 ? [] : [`next ${op} request ${next.at - hit.at} ms after a 429 with Retry-After: 1`];
  };
}

/** A run that outlived its access tokens: it lasted `minMs`, refreshed at least `minRefreshes` times and revoked nothing. */
export function survivedExpiry(minMs: number, minRefreshes = 2) {
  return (lane: Lane, { run, requests, revokedBefore }: CaseContext): string[] => {
    const problems: string[] = [];
    const refreshes = requests.filter((r) => r.op === 'token' && r.status === 200).length;
    if (run.ms < minMs) problems.push(`run took ${run.ms} ms, not the ${minMs} ms that span several token lifetimes`);
    if (refreshes < minRefreshes) problems.push(`${refreshes} token refreshes during a run that outlived its tokens`);
    const revoked = lane.emu.state.tokenStats().revokedFamilies - revokedBefore;
    if (revoked !== 0) problems.push(`${revoked} token families revoked`);
    return problems;
  };
}

/** Expires every access token on the server every `ms` while the run lasts (the client still believes in its token). */
export function expireEvery(ms: number) {
  return (lane: Lane): (() => void) => {
    const timer = setInterval(() => lane.emu.state.expireAccessTokens(), ms);
    return () => clearInterval(timer);
  };
}

/** Tokens expired under a running transfer: requests got 401, the client refreshed and retried, nothing was revoked. */
export function survivedServerExpiry(minMs: number) {
  return (lane: Lane, ctx: CaseContext): string[] => {
    const rejected = ctx.requests.filter((r) => r.status === 401).length;
    return [...(rejected === 0 ? ['no request met an expired token'] : []), ...survivedExpiry(minMs, 1)(lane, ctx)];
  };
}

/**
 * After uploads cut off by resets, the server holds a pending upload of `rel` with at least `share` of its bytes:
 * each retry resumed from `resume_pos` instead of sending the file from byte 0 again.
 */
export function resumedUpload(rel: string, share: number) {
  return async (lane: Lane, { folder }: CaseContext): Promise<string[]> => {
    const pending = (await lane.emu.state.pendingUploads()).find((u) => u.path.endsWith(`/${folder}/${rel}`));
    if (!pending) return [`no pending upload of ${rel} after the resets`];
    return pending.received >= share * pending.size ? [] : [`pending upload of ${rel} holds ${pending.received} of ${pending.size} bytes: the retries did not resume`];
  };
}

/**
 * Runs `n` built-CLI processes at once, each copying its own tree to `jc:<tag><i>` with one shared config; `during`
 * runs alongside and gets a promise settled when every process has ended.
 */
export async function concurrentCopies(lane: Lane, tag: string, n: number, flags: readonly string[], during?: (ended: Promise<unknown>) => Promise<void>) {
  const trees = Array.from({ length: n }, (_, i) => {
    const content = makeContent(5000 + [...tag].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 100_000, 0) * 10 + i, 10, 2 ** 20 + 333 * i);
    const src = join(lane.dir, `${tag}${i}`);
    writeTree(src, content);
    return { src, want: treeOf(content), folder: `${tag}${i}` };
  });
  const before = lane.emu.state.tokenStats();
  lane.emu.state.clearRequests();
  const all = Promise.all(trees.map((t) => lane.bin(['copy', t.src, `jc:${t.folder}`, '--retries-sleep', '0', ...flags], { timeoutMs: 60_000 })));
  const [runs] = await Promise.all([all, during?.(all)]);
  const refreshes = lane.emu.state.requests.filter((r) => r.op === 'token' && r.status === 200).length;
  const rejected = lane.emu.state.requests.filter((r) => r.status === 401).length;
  const after = lane.emu.state.tokenStats();
  console.log(`${tag}: exits ${runs.map((r) => r.code).join(',')}, ${runs.map((r) => r.ms).join('/')} ms, ${refreshes} refreshes, ${rejected} requests got 401, revoked families ${before.revokedFamilies} -> ${after.revokedFamilies}`);
  return { trees, runs, refreshes, rejected, revoked: after.revokedFamilies - before.revokedFamilies };
}

/** Resolves once the emulator has answered `count` customer-info requests (each jsync process makes one at start). */
export async function untilCustomerRequests(lane: Lane, count: number, ended: Promise<unknown>): Promise<boolean> {
  let over = false;
  void ended.then(() => { over = true; });
  while (!over) {
    if (lane.emu.state.requests.filter((r) => r.url.includes('account/v1/customer') && r.status === 200).length >= count) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}
