import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigFile, createFs, overrideSuffix, type CreateFsArgs } from '../src/config/index.js';
import { isJsyncError } from '../src/fs/errors.js';
import type { OptionSpec } from '../src/fs/options.js';
import { Registry, type BackendDefinition, type NewFsArgs } from '../src/fs/registry.js';
import type { Fs } from '../src/fs/types.js';
import type { Logger, LogLevel } from '../src/util/logger.js';

// CI installs rclone (v1.60.1); the suffix oracle test runs only when it is on PATH.
const hasRclone = spawnSync('rclone', ['version'], { stdio: 'ignore' }).status === 0;

type Captured = NewFsArgs<Record<string, unknown>>;

/** A fake backend that records the arguments of its newFs call. */
function fakeBackend(name: string, options: OptionSpec[], calls: Captured[]): BackendDefinition<Record<string, unknown>> {
  return {
    name,
    description: `fake ${name}`,
    options,
    async newFs(args) {
      calls.push(args);
      return { fs: { name: args.name, root: args.root } as unknown as Fs, isFile: false };
    },
  };
}

const OPTS: OptionSpec[] = [
  { name: 'opt', help: 'a string option', default: 'dflt' },
  { name: 'hard_delete', help: 'bool', type: 'bool', default: 'false' },
  { name: 'case_insensitive', help: 'bool', type: 'bool', default: 'false' },
  { name: 'no_set_modtime', help: 'bool', type: 'bool', default: 'false' },
  { name: 'copy_links', help: 'bool', type: 'bool', default: 'false', noPrefix: true, shortOpt: 'L' },
  { name: 'chunk', help: 'size', type: 'size', default: '10Mi' },
  { name: 'secret', help: 'pw', type: 'password' },
];

function recordingLogger(): Logger & { lines: Array<[LogLevel, string | undefined, string]> } {
  const lines: Array<[LogLevel, string | undefined, string]> = [];
  return { lines, log: (level, subject, message) => lines.push([level, subject, message]), enabled: () => true };
}

function setup(configText = '') {
  const calls: Captured[] = [];
  const registry = new Registry([fakeBackend('local', OPTS, calls), fakeBackend('fake', OPTS, calls)]);
  const config = ConfigFile.fromText(configText);
  const logger = recordingLogger();
  const run = async (path: string, extra: Partial<CreateFsArgs> = {}) => {
    const created = await createFs({ registry, config, path, logger, global: {}, env: {}, ...extra });
    const args = calls.at(-1);
    if (!args) throw new Error('newFs not called');
    return { created, args };
  };
  return { calls, registry, config, logger, run };
}

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected failure');
}

describe('createFs: backend selection', () => {
  it('uses the local backend named "local" for local paths', async () => {
    const { run, logger } = setup();
    const { created, args } = await run('/data/dir');
    expect(created.configName).toBe('local');
    expect(created.backend.name).toBe('local');
    expect(created.parsed).toEqual({ kind: 'local', path: '/data/dir' });
    expect(args.name).toBe('local');
    expect(args.root).toBe('/data/dir');
    expect(args.saveOptions).toBeUndefined();
    expect(logger.lines[0]).toEqual(['DEBUG', undefined, 'Creating backend with remote "/data/dir"']);
  });

  it('creates on-the-fly remotes without saveOptions', async () => {
    const { run } = setup();
    const { created, args } = await run(':fake:bucket/x');
    expect(created.configName).toBe(':fake');
    expect(args.name).toBe(':fake');
    expect(args.root).toBe('bucket/x');
    expect(args.saveOptions).toBeUndefined();
    expect(args.options).toMatchObject({ opt: 'dflt', hard_delete: false, chunk: 10 * 1024 * 1024 });
  });

  it('rejects unknown backends with rclone text', async () => {
    const { run } = setup('[x]\ntype = nope\n');
    expect((await failure(run(':nope:'))).message).toBe('didn\'t find backend called "nope"');
    expect((await failure(run('x:'))).message).toBe('didn\'t find backend called "nope"');
  });

  it('finds the type in the config section, env or connection string', async () => {
    const { run } = setup('[cfg]\ntype = fake\n[empty]\ntype =\n');
    expect((await run('cfg:dir')).created.backend.name).toBe('fake');
    expect((await run('myenv:', { env: { RCLONE_CONFIG_MYENV_TYPE: 'fake' } })).created.configName).toBe('myenv');
    expect((await run('my-env:', { env: { 'RCLONE_CONFIG_MY-ENV_TYPE': 'local' } })).created.backend.name).toBe('local');
    expect((await run('cfg:', { env: { JSYNC_CONFIG_CFG_TYPE: 'local', RCLONE_CONFIG_CFG_TYPE: 'fake' } })).created.backend.name).toBe('local');
    expect((await run('other,type=fake:')).created.backend.name).toBe('fake');
    const err = await failure(run('empty:'));
    expect(isJsyncError(err, 'NOT_FOUND_IN_CONFIG_FILE')).toBe(true);
    expect(err.message).toBe("didn't find section in config file");
    expect(isJsyncError(await failure(run('missing:')), 'NOT_FOUND_IN_CONFIG_FILE')).toBe(true);
  });

  it('warns when a bare local path equals a configured remote name', async () => {
    const { run, logger } = setup('[backup]\ntype = fake\n');
    await run('backup');
    expect(logger.lines).toContainEqual(['NOTICE', undefined, '"backup" refers to a local folder, use "backup:" to refer to your remote or "./backup" to hide this warning']);
  });

  it('reports path syntax errors', async () => {
    const { run } = setup();
    expect((await failure(run('::'))).message).toBe("config name can't be empty");
  });
});

describe('createFs: option precedence (rclone fs/configmap.go)', () => {
  const config = '[r]\ntype = fake\nopt = from-config\n';
  const levels = {
    connection: { path: 'r,opt=from-conn:' },
    flag: { flags: { 'fake-opt': 'from-flag' } },
    remoteEnv: { env: { RCLONE_CONFIG_R_OPT: 'from-remote-env' } },
    backendEnv: { env: { RCLONE_FAKE_OPT: 'from-backend-env' } },
  };

  it.each([
    [['connection', 'flag', 'remoteEnv', 'backendEnv'], 'from-conn'],
    [['flag', 'remoteEnv', 'backendEnv'], 'from-flag'],
    [['remoteEnv', 'backendEnv'], 'from-remote-env'],
    [['backendEnv'], 'from-backend-env'],
    [[], 'from-config'],
  ] as const)('with %j set, opt = %s', async (set, expected) => {
    const { run } = setup(config);
    const env: Record<string, string> = {};
    let path = 'r:';
    let flags: Record<string, string> = {};
    for (const level of set) {
      const l = levels[level] as { path?: string; flags?: Record<string, string>; env?: Record<string, string> };
      if (l.path) path = l.path;
      if (l.flags) flags = l.flags;
      Object.assign(env, l.env);
    }
    const { args } = await run(path, { env, flags });
    expect(args.options['opt']).toBe(expected);
    expect(args.rawOptions['opt']).toBe(expected);
  });

  it('falls back to the default, treating an empty config value as unset', async () => {
    const { run } = setup('[r]\ntype = fake\nopt =\nchunk =\n');
    const { args } = await run('r:');
    expect(args.options).toMatchObject({ opt: 'dflt', chunk: 10 * 1024 * 1024 });
  });

  it('prefers JSYNC_ over RCLONE_ env vars and reads bare env names for noPrefix options', async () => {
    const { run } = setup('[r]\ntype = fake\n');
    const a = await run('r:', { env: { JSYNC_FAKE_OPT: 'j', RCLONE_FAKE_OPT: 'r', RCLONE_COPY_LINKS: 'true' } });
    expect(a.args.options).toMatchObject({ opt: 'j', copy_links: true });
    const b = await run('r:', { env: { RCLONE_CONFIG_R_HARD_DELETE: 'true', JSYNC_FAKE_HARD_DELETE: 'false' } });
    expect(b.args.options['hard_delete']).toBe(true);
  });

  it('accepts both the noPrefix and the prefixed flag name', async () => {
    const { run } = setup();
    expect((await run(':fake:', { flags: { 'copy-links': 'true' } })).args.options['copy_links']).toBe(true);
    expect((await run(':fake:', { flags: { 'fake-copy-links': 'true' } })).args.options['copy_links']).toBe(true);
    expect((await run(':fake:', { flags: { 'local-hard-delete': 'true' } })).args.options['hard_delete']).toBe(false);
  });

  it('passes undeclared config keys and connection params through rawOptions', async () => {
    const { run } = setup('[r]\ntype = fake\ntoken = {"access_token":"x"}\nempty =\n');
    const { args } = await run('r,extra=1:');
    expect(args.rawOptions).toMatchObject({ type: 'fake', token: '{"access_token":"x"}', extra: '1' });
    expect(args.rawOptions).not.toHaveProperty('empty');
  });

  it('fails with rclone text for a bad value', async () => {
    const { run } = setup();
    expect((await failure(run(':fake,hard_delete=maybe:'))).message).toBe(
      'couldn\'t parse config item "hard_delete" = "maybe" as bool: parsing "maybe" as bool failed: syntax error scanning boolean',
    );
  });

  it('logs env lookups without revealing secrets', async () => {
    const { run, logger } = setup('[r]\ntype = fake\n');
    await run('r:', { env: { RCLONE_CONFIG_R_OPT: 'v', RCLONE_FAKE_SECRET: 'obscured' } });
    const debug = logger.lines.filter(([l]) => l === 'DEBUG').map(([, , m]) => m);
    expect(debug).toContain('Setting opt="v" for "r" from environment variable RCLONE_CONFIG_R_OPT');
    expect(debug).toContain('Setting fake_secret="***" from environment variable RCLONE_FAKE_SECRET');
  });
});

describe('createFs: overridden-config name suffix', () => {
  it('computes rclone suffixes', () => {
    expect(overrideSuffix({ case_insensitive: 'true' })).toBe('{x_ABl}');
    expect(overrideSuffix({ no_set_modtime: 'true', case_insensitive: 'true' })).toBe('{WnSUW}'); // captured from rclone -vv
    expect(overrideSuffix({ copy_links: 'true' })).toBe('{12rtk}'); // captured from rclone -vv
    expect(overrideSuffix({})).toBe('');
  });

  it('adds the suffix for connection/flag/env overrides only and logs it', async () => {
    const { run, logger } = setup('[r]\ntype = fake\nopt = cfg\n');
    const a = await run(':fake,case_insensitive=true,unknown_key=1:/data');
    expect(a.args.name).toBe(':fake{x_ABl}');
    expect(a.created.configName).toBe(':fake');
    expect(logger.lines).toContainEqual(['DEBUG', ':fake', 'detected overridden config - adding "{x_ABl}" suffix to name']);
    expect((await run('r:')).args.name).toBe('r');
    expect((await run('r:', { flags: { 'fake-case-insensitive': 'true' } })).args.name).toBe('r{x_ABl}');
    expect((await run('r:', { env: { RCLONE_FAKE_CASE_INSENSITIVE: 'true' } })).args.name).toBe('r{x_ABl}');
    expect((await run('/x', { env: { RCLONE_CONFIG_LOCAL_NO_SET_MODTIME: 'true', RCLONE_LOCAL_CASE_INSENSITIVE: 'true' } })).args.name).toBe('local{WnSUW}');
  });
});

describe('createFs: saveOptions', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes changed keys to the remote section and saves the file atomically', async () => {
    dir = mkdtempSync(join(tmpdir(), 'jsync-newfs-'));
    const path = join(dir, 'jsync.conf');
    const config = await ConfigFile.load({ path });
    config.set('other', 'type', 'memory');
    config.set('r', 'type', 'fake');
    await config.save();
    const calls: Captured[] = [];
    const registry = new Registry([fakeBackend('fake', OPTS, calls)]);
    await createFs({ registry, config, path: 'r,opt=x:', logger: recordingLogger(), global: {}, env: {} });
    const save = calls[0]?.saveOptions;
    expect(save).toBeTypeOf('function');
    await save?.({ token: '{"a":1}' });
    expect(readFileSync(path, 'utf8')).toBe('[other]\ntype = memory\n\n[r]\ntype = fake\ntoken = {"a":1}\n\n');
  });
});

describe.runIf(hasRclone)('suffix matches the installed rclone', () => {
  it.each([
    ["case_insensitive=true", { case_insensitive: 'true' }],
    ["nounc='it''s',case_insensitive=false", { nounc: "it's", case_insensitive: 'false' }],
    ['no_set_modtime,copy_links=true,one_file_system=x', { no_set_modtime: 'true', copy_links: 'true', one_file_system: 'x' }],
  ])(':local,%s', (params, map) => {
    const res = spawnSync('rclone', ['--config', '/dev/null', '-vv', 'lsf', `:local,${params}:/nonexistent-jsync`], { encoding: 'utf8' });
    const m = /detected overridden config - adding "(\{.{5}\})" suffix/.exec(res.stderr);
    expect(m?.[1]).toBe(overrideSuffix(map));
  });
});
