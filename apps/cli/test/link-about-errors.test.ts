// `link`, the generic `about`/`cleanup`, and credential/quota errors ending a command at once with exit code 7 — with
// fake backends (a memory Fs with extra optional features) and the `flaky` upload-failing backend.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AnyBackendDefinition, type Fs, type OptionalFsMethods, type PublicLinkOptions, Registry, jsyncError, objectNotFound,
} from '@jsync/core';
import { localBackend } from '@jsync/backend-local';
import { createMemoryBackend, memoryBackend } from '@jsync/backend-memory';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';
import { type FailPlan, createFlakyBackend } from './helpers/flaky-backend.js';

const rcloneAvailable = spawnSync('rclone', ['version'], { encoding: 'utf8' }).status === 0;

/** A backend `fake` (use `:fake:bucket`): the memory backend with `extra` optional features added. */
function fakeBackend(extra: Partial<OptionalFsMethods>, opts: { newFsError?: Error } = {}): AnyBackendDefinition {
  const inner = createMemoryBackend();
  return {
    name: 'fake',
    description: 'memory with extra features (tests)',
    options: [],
    async newFs(args) {
      if (opts.newFsError) throw opts.newFsError;
      const made = await inner.newFs({ ...args, options: {} });
      const fs = made.fs;
      const features = { ...fs.features, ...extra };
      const wrapped = new Proxy(fs, {
        get: (target, prop) => {
          if (prop === 'features') return features;
          const v = Reflect.get(target, prop, target) as unknown;
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      }) as Fs;
      return { ...made, fs: wrapped };
    },
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-link-'));
  writeFileSync(join(dir, 'a.txt'), 'aaa');
  writeFileSync(join(dir, 'b.txt'), 'bbbb');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const strip = (s: string) => s.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '');
const lastLine = (s: string) => s.trimEnd().split('\n').at(-1);

async function run(defs: AnyBackendDefinition[], ...args: string[]) {
  const io = memoryIo({ env: {}, cwd: dir });
  const code = await main(['--config', '/dev/null', '--low-level-retries', '1', ...args], { io, registry: new Registry([localBackend, memoryBackend, ...defs]) });
  return { code, out: io.out(), err: strip(io.err()) };
}

describe('link', () => {
  it('prints the link of the Fs root or of a file, passing --expire and --unlink', async () => {
    const calls: Array<[string, PublicLinkOptions | undefined]> = [];
    const fake = fakeBackend({
      publicLink: async (remote, opts) => {
        calls.push([remote, opts]);
        return `https://share.example/${remote || 'root'}`;
      },
    });
    const root = await run([fake], 'link', ':fake:bucket');
    expect(root).toMatchObject({ code: 0, out: 'https://share.example/root\n', err: '' });
    expect(calls[0]![0]).toBe('');
    expect(calls[0]![1]?.expireMs).toBeUndefined();
    expect(calls[0]![1]?.unlink).toBeUndefined();
    // a file path links that file from its parent (rclone NewFsFile)
    const put = await run([fake], 'copyto', 'a.txt', ':fake:bucket/dir/f.txt');
    expect(put.code).toBe(0);
    const file = await run([fake], 'link', '--expire', '1d', '--unlink', ':fake:bucket/dir/f.txt');
    expect(file).toMatchObject({ code: 0, out: 'https://share.example/f.txt\n' });
    expect(calls[1]![0]).toBe('f.txt');
    expect(calls[1]![1]).toMatchObject({ expireMs: 86_400_000, unlink: true });
  });

  it('prints nothing for an empty link and fails once (no retries) with the backend error', async () => {
    let n = 0;
    const empty = await run([fakeBackend({ publicLink: async () => '' })], 'link', '--unlink', ':fake:bucket');
    expect(empty).toMatchObject({ code: 0, out: '' });
    const missing = await run([fakeBackend({
      publicLink: async (remote) => {
        n++;
        throw objectNotFound(remote);
      },
    })], 'link', ':fake:bucket/nope');
    expect(missing.code).toBe(4);
    expect(n).toBe(1);
    expect(lastLine(missing.err)).toBe('Failed to link: object not found');
  });

  it("reports rclone's error for a backend without public links", async () => {
    const r = await run([], 'link', ':memory:bucket');
    expect(r.code).toBe(1);
    expect(r.err).toBe("Failed to link: Memory root 'bucket' doesn't support public links\n");
  });

  // Skip reason: rclone is an optional system binary (CI installs it); without it there is nothing to compare with.
  it.runIf(rcloneAvailable)('matches rclone for a backend without public links', async () => {
    const theirs = spawnSync('rclone', ['--config', '/dev/null', 'link', ':memory:bucket'], { encoding: 'utf8' });
    const ours = await run([], 'link', ':memory:bucket');
    expect(ours.code).toBe(theirs.status);
    expect(ours.err).toBe(strip(theirs.stderr));
  });

  it('rejects a bad --expire like rclone', async () => {
    const r = await run([], 'link', '--expire', 'soon', ':memory:bucket');
    expect(r.code).toBe(1);
    expect(r.err).toContain('Error: invalid argument "soon" for "--expire" flag: ');
  });
});

describe('about and cleanup are generic', () => {
  const usage = { total: 10 * 2 ** 30, used: 1.5 * 2 ** 30, free: 8.5 * 2 ** 30, trashed: 512 * 1024, other: 0, objects: 1234 };

  it('prints every field the backend fills, like rclone (text, --full, --json)', async () => {
    const fake = fakeBackend({ about: async () => usage });
    expect((await run([fake], 'about', ':fake:')).out).toBe(
      'Total:   10 GiB\nUsed:    1.500 GiB\nFree:    8.500 GiB\nTrashed: 512 KiB\nOther:   0 B\nObjects: 1.234k\n',
    );
    expect((await run([fake], 'about', '--full', ':fake:')).out).toBe(
      'Total:   10737418240\nUsed:    1610612736\nFree:    9126805504\nTrashed: 524288\nOther:   0\nObjects: 1234\n',
    );
    expect((await run([fake], 'about', '--json', ':fake:')).out).toBe(
      '{\n\t"total": 10737418240,\n\t"used": 1610612736,\n\t"trashed": 524288,\n\t"other": 0,\n\t"free": 9126805504,\n\t"objects": 1234\n}\n',
    );
    const partial = fakeBackend({ about: async () => ({ total: 2 ** 40, used: 3 }) });
    expect((await run([partial], 'about', ':fake:')).out).toBe('Total:   1 TiB\nUsed:    3 B\n');
  });

  it('cleanup calls the backend once', async () => {
    let n = 0;
    const r = await run([fakeBackend({ cleanUp: async () => void n++ })], 'cleanup', ':fake:bucket');
    expect(r.code).toBe(0);
    expect(n).toBe(1);
  });
});

describe('credential and quota errors are terminal (exit 7, no --retries loop)', () => {
  const authMessage = 'invalid_grant: maybe token expired? - try refreshing with "jsync config reconnect r:"';
  const attempts = (err: string) => err.split('\n').filter((l) => /Attempt \d/.test(l));

  async function copyFailing(make: () => Error) {
    const flaky = createFlakyBackend(((remote) => (remote === 'b.txt' ? make() : undefined)) as FailPlan);
    // One file: core keeps the last fatal-classed error, and a concurrent upload cancelled by the fatal one fails
    // with an error caused by it, which can then be reported last instead.
    const r = await run([flaky.definition], 'copy', 'b.txt', ':flaky:bucket');
    return { ...r, puts: flaky.puts };
  }

  for (const [label, make, message] of [
    ['fatal AUTH', () => jsyncError('AUTH', { message: authMessage, errorClass: 'fatal' }), authMessage],
    ['unclassified AUTH', () => jsyncError('AUTH', { message: authMessage }), authMessage],
    ['fatal QUOTA_EXCEEDED', () => jsyncError('QUOTA_EXCEEDED', { errorClass: 'fatal' }), 'quota exceeded'],
    ['retry-classed QUOTA_EXCEEDED', () => jsyncError('QUOTA_EXCEEDED', { errorClass: 'retry' }), 'quota exceeded'],
  ] as const) {
    it(`copy stops at once on ${label}`, async () => {
      const r = await copyFailing(make);
      expect(r.code).toBe(7);
      expect(attempts(r.err)).toEqual([]);
      expect(r.err).toContain('ERROR : Fatal error received - not attempting retries\n');
      expect(r.puts.filter((p) => p === 'b.txt')).toHaveLength(1);
      expect(lastLine(r.err)).toBe(`Failed to copy: ${message}`);
    });
  }

  it('an ordinary error is still retried (control)', async () => {
    const r = await copyFailing(() => new Error('flaky'));
    expect(r.code).toBe(1);
    expect(attempts(r.err)).toHaveLength(3);
  });

  it('about and newFs failures with AUTH exit 7 with the message last', async () => {
    const about = await run([fakeBackend({ about: async () => Promise.reject(jsyncError('AUTH', { message: authMessage, errorClass: 'fatal' })) })], 'about', ':fake:');
    expect(about.code).toBe(7);
    expect(lastLine(about.err)).toBe(`Failed to about: about call failed: ${authMessage}`);
    const open = await run([fakeBackend({}, { newFsError: jsyncError('AUTH', { message: authMessage, errorClass: 'fatal' }) })], 'ls', ':fake:');
    expect(open.code).toBe(7);
    expect(lastLine(open.err)).toBe(`Failed to create file system for ":fake:": ${authMessage}`);
    // other newFs failures keep rclone's exit code 1
    const other = await run([fakeBackend({}, { newFsError: new Error('boom') })], 'ls', ':fake:');
    expect(other.code).toBe(1);
  });
});
