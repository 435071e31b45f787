// createFs hands backends a PersistentState (locked read-modify-write of the remote's section) for file remotes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFile, createFs } from '../src/config/index.js';
import { Registry, type BackendDefinition, type NewFsArgs } from '../src/fs/registry.js';
import type { Fs } from '../src/fs/types.js';
import type { Logger } from '../src/util/logger.js';

type Captured = NewFsArgs<Record<string, unknown>>;

const logger: Logger = { log: () => undefined, enabled: () => false };

function fakeBackend(calls: Captured[]): BackendDefinition<Record<string, unknown>> {
  return {
    name: 'fake',
    description: 'fake',
    options: [{ name: 'opt', help: 'a string option' }],
    async newFs(args) {
      calls.push(args);
      return { fs: { name: args.name, root: args.root } as unknown as Fs, isFile: false };
    },
  };
}

let dir: string;
let path: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-pstate-'));
  path = join(dir, 'rclone.conf');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function open(config: ConfigFile, remote: string, env: Record<string, string> = {}): Promise<Captured> {
  const calls: Captured[] = [];
  await createFs({ registry: new Registry([fakeBackend(calls)]), config, path: remote, logger, global: {}, env });
  return calls[0]!;
}

describe('createFs: persistentState', () => {
  it('updates the config section under the lock with what is on disk now', async () => {
    writeFileSync(path, '[r]\ntype = fake\ntoken = t0\n\n[s]\ntype = fake\n\n', { mode: 0o600 });
    const config = await ConfigFile.load({ path });
    const args = await open(config, 'r,opt=x:dir');
    expect(args.persistentState).toBeDefined();
    // another process rotates the token after this one loaded the config
    writeFileSync(path, '[r]\ntype = fake\ntoken = t1\n\n[s]\ntype = fake\n\n');
    let seen = '';
    await args.persistentState!.update(async (cur) => {
      seen = cur['token'] ?? '';
      return { token: 't2' };
    });
    expect(seen).toBe('t1');
    expect(readFileSync(path, 'utf8')).toBe('[r]\ntype = fake\ntoken = t2\n\n[s]\ntype = fake\n\n');
    expect(config.get('r', 'token')).toBe('t2');
  });

  it('is absent for on-the-fly remotes and remotes defined only by environment variables', async () => {
    const config = await ConfigFile.load({ path });
    expect((await open(config, ':fake:dir')).persistentState).toBeUndefined();
    expect((await open(config, 'envonly:', { RCLONE_CONFIG_ENVONLY_TYPE: 'fake' })).persistentState).toBeUndefined();
  });

  it('works on in-memory configs without touching disk', async () => {
    const config = ConfigFile.fromText('[m]\ntype = fake\nn = 1\n');
    const args = await open(config, 'm:');
    await args.persistentState!.update(async (cur) => ({ n: String(Number(cur['n']) + 1) }));
    expect(config.get('m', 'n')).toBe('2');
  });
});
