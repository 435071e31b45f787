// Backend `configure` (login, device choice) from `config create|update`, `config reconnect` and the wizard, with a
// fake backend whose configure records its arguments and asks rclone-style questions.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnyBackendDefinition, type BackendConfigArgs, Registry } from '@jsync/core';
import { localBackend } from '@jsync/backend-local';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';
import { JSYNC_VERSION } from '../src/version.js';

let seen: BackendConfigArgs[];
let refuse: string | undefined;

/** rclone-like login: config_* answers from `values`, else questions when a prompter is given, else an error. */
async function login(a: BackendConfigArgs): Promise<Record<string, string>> {
  seen.push(a);
  if (refuse) throw new Error(refuse);
  const v = a.values;
  const p = a.prompter;
  const type = v['config_type'] ?? (p ? await p.ask({
    name: 'config_type', help: 'Select authentication type.', default: 'standard', exclusive: true,
    examples: [{ value: 'standard', help: "Standard authentication.\nUse this if you're a normal Jottacloud user." }, { value: 'legacy', help: 'Legacy authentication.' }],
  }) : 'standard');
  const token = v['config_login_token'] ?? (p ? await p.ask({ name: 'config_login_token', help: 'Personal login token.\nGenerate here: https://www.jottacloud.com/web/secure', sensitive: true }) : undefined);
  if (!token) throw new Error('failed to get oauth token: config_login_token is missing');
  p?.info('Logged in.');
  const custom = v['config_non_standard'] !== undefined ? v['config_non_standard'] === 'true'
    : p ? await p.confirm({ name: 'config_non_standard', help: 'Use a non-standard device/mountpoint?', default: false }) : false;
  return { token: `${type}:${token}`, device: custom ? 'custom' : '', config_leftover: 'never stored' };
}

const loginBackend: AnyBackendDefinition = {
  name: 'login',
  description: 'Test backend with a login',
  options: [
    { name: 'user', help: 'User name.' },
    { name: 'token', help: 'OAuth Access Token as a JSON blob.', sensitive: true, hide: true },
    { name: 'device', help: 'Device.', hide: true },
  ],
  newFs: () => Promise.reject(new Error('not for use')),
  configure: login,
};

let dir: string;
let cfg: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-configure-'));
  cfg = join(dir, 'rclone.conf');
  seen = [];
  refuse = undefined;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], stdinLines?: string[]) {
  const io = memoryIo({ env: {}, homeDir: join(dir, 'home'), ...(stdinLines ? { stdin: stdinLines.map((l) => l + '\n').join('') } : {}) });
  const code = await main(['--config', cfg, ...argv], { io, registry: new Registry([localBackend, loginBackend]) });
  return { code, out: io.out(), err: io.err().replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '') };
}
const fileText = () => readFileSync(cfg, 'utf8');

describe('config create with a backend configure step', () => {
  it('passes config_* answers, stores what configure returns but never config_* keys, prints the remote', async () => {
    const r = await run(['config', 'create', 'r', 'login', 'user=bob', 'config_login_token', 'abc']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('[r]\ntype = login\nuser = bob\ntoken = XXX\ndevice = \n');
    expect(fileText()).toBe('[r]\ntype = login\nuser = bob\ntoken = standard:abc\ndevice = \n\n');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.values).toEqual({ type: 'login', user: 'bob', config_login_token: 'abc' });
    expect(seen[0]!.name).toBe('r');
    expect(seen[0]!.prompter).toBeUndefined();
    expect(seen[0]!.reconnect).toBeUndefined();
    expect(seen[0]!.global.userAgent).toBe(`jsync/v${JSYNC_VERSION}`);
  });

  it('on failure leaves no half-made section, keeps the others and names the problem', async () => {
    writeFileSync(cfg, '[other]\ntype = local\n\n');
    const r = await run(['config', 'create', 'r', 'login', 'user=bob']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('Error: failed to get oauth token: config_login_token is missing\nUsage:\n  jsync config create name type [key value]* [flags]\n');
    expect(r.err.endsWith('Fatal error: failed to get oauth token: config_login_token is missing\n')).toBe(true);
    expect(fileText()).toBe('[other]\ntype = local\n\n');
  });

  it('a failed re-create keeps the remote that existed before', async () => {
    writeFileSync(cfg, '[r]\ntype = login\ntoken = standard:old\n\n');
    refuse = 'login refused';
    const r = await run(['config', 'create', 'r', 'login', 'config_login_token=x']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Error: login refused\n');
    expect(fileText()).toBe('[r]\ntype = login\ntoken = standard:old\n\n');
  });

  it('leaves backends without configure as before', async () => {
    const r = await run(['config', 'create', 'l', 'local', 'config_anything=1', 'nounc=true']);
    expect(r.code).toBe(0);
    expect(fileText()).toBe('[l]\ntype = local\nnounc = true\n\n');
    expect(seen).toHaveLength(0);
  });
});

describe('config update with a backend configure step', () => {
  it('runs configure only when config_* answers are given, with the stored section plus the answers', async () => {
    writeFileSync(cfg, '[r]\ntype = login\nuser = bob\ntoken = standard:old\ndevice = \n\n');
    expect((await run(['config', 'update', 'r', 'user=carol'])).code).toBe(0);
    expect(seen).toHaveLength(0);
    const r = await run(['config', 'update', 'r', 'config_login_token=new', 'config_non_standard=true']);
    expect(r.code).toBe(0);
    expect(seen[0]!.values).toEqual({ type: 'login', user: 'carol', token: 'standard:old', device: '', config_login_token: 'new', config_non_standard: 'true' });
    expect(r.out).toBe('[r]\ntype = login\nuser = carol\ntoken = XXX\ndevice = custom\n');
    expect(fileText()).toBe('[r]\ntype = login\nuser = carol\ntoken = standard:new\ndevice = custom\n\n');
  });

  it('writes nothing when configure fails, not even the other values of the command', async () => {
    writeFileSync(cfg, '[r]\ntype = login\nuser = bob\n\n');
    refuse = 'login refused';
    const r = await run(['config', 'update', 'r', 'user=dave', 'config_login_token=x']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Error: login refused\nUsage:\n  jsync config update name [key value]+ [flags]\n');
    expect(fileText()).toBe('[r]\ntype = login\nuser = bob\n\n');
  });
});

describe('config reconnect', () => {
  const stored = '[r]\ntype = login\nuser = bob\ntoken = standard:old\ndevice = \n\n[l]\ntype = local\n\n';

  it('asks the backend questions on the terminal, with reconnect set, and stores the new credentials', async () => {
    writeFileSync(cfg, stored);
    const r = await run(['config', 'reconnect', 'r:'], ['', 'secret-token', 'y']);
    expect(r.code).toBe(0);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.reconnect).toBe(true);
    expect(seen[0]!.prompter).toBeDefined();
    expect(seen[0]!.values).toEqual({ type: 'login', user: 'bob', token: 'standard:old', device: '' });
    expect(r.out).toBe([
      'Option config_type.', 'Select authentication type.',
      'Choose a number from below, or type in an existing string value.', 'Press Enter for the default (standard).',
      '   / Standard authentication.', " 1 | Use this if you're a normal Jottacloud user.", '   \\ (standard)',
      ' 2 / Legacy authentication.', '   \\ (legacy)', 'config_type> ',
      'Option config_login_token.', 'Personal login token.', 'Generate here: https://www.jottacloud.com/web/secure',
      'Enter a value.', 'config_login_token> ',
      'Logged in.',
      'Use a non-standard device/mountpoint?', 'y) Yes', 'n) No (default)', 'y/n> ', '',
    ].join('\n'));
    expect(fileText()).toBe('[r]\ntype = login\nuser = bob\ntoken = standard:secret-token\ndevice = custom\n\n[l]\ntype = local\n\n');
  });

  it('re-reads the file under the lock: keys other processes changed meanwhile survive', async () => {
    writeFileSync(cfg, stored);
    // the answers are consumed one by one; while configure runs another process edits the section
    const io = memoryIo({ env: {}, homeDir: join(dir, 'home') });
    const backend: AnyBackendDefinition = {
      ...loginBackend,
      configure: async () => {
        writeFileSync(cfg, stored.replace('user = bob', 'user = changed-elsewhere'));
        return { token: 'standard:fresh' };
      },
    };
    const code = await main(['--config', cfg, 'config', 'reconnect', 'r:'], { io, registry: new Registry([localBackend, backend]) });
    expect(code).toBe(0);
    expect(fileText()).toBe('[r]\ntype = login\nuser = changed-elsewhere\ntoken = standard:fresh\ndevice = \n\n[l]\ntype = local\n\n');
  });

  it('takes config_* answers as arguments (headless machines)', async () => {
    writeFileSync(cfg, stored);
    const r = await run(['config', 'reconnect', 'r:', 'config_type=legacy', 'config_login_token=t2', 'config_non_standard=false']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('Logged in.\n');
    expect(fileText()).toContain('[r]\ntype = login\nuser = bob\ntoken = legacy:t2\ndevice = \n\n');
    const bad = await run(['config', 'reconnect', 'r:', 'user=x']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('Error: only config_* answers can be given to reconnect, not "user"\n');
  });

  it("fails like rclone for unknown remotes and backends that can't reconnect", async () => {
    writeFileSync(cfg, stored);
    const missing = await run(['config', 'reconnect', 'nosuch:']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("Error: didn't find section in config file\nUsage:\n  jsync config reconnect remote: [flags]\n");
    expect(missing.err.endsWith("Fatal error: didn't find section in config file\n")).toBe(true);
    const local = await run(['config', 'reconnect', 'l:']);
    expect(local.code).toBe(1);
    expect(local.err).toContain("Error: backend doesn't support reconnect or authorize\n");
    const failed = await run(['config', 'reconnect', 'r:'], ['']);
    expect(failed.code).toBe(1);
    expect(failed.err).toContain('Failed to read line: EOF');
    expect(fileText()).toBe(stored);
  });
});

describe('config wizard with a backend configure step', () => {
  it('asks the visible options, then the backend questions, and stores the result', async () => {
    const r = await run(['config'], ['n', 'w', 'login', 'bob', '2', 'tok', '', 'y', 'q']);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('Option token.');
    expect(r.out).not.toContain('Option device.');
    const user = r.out.indexOf('Option user.\nUser name.\nEnter a value. Press Enter to leave empty.\nuser> ');
    const type = r.out.indexOf('Option config_type.\n');
    const tokenQ = r.out.indexOf('Option config_login_token.\n');
    expect(user).toBeGreaterThan(0);
    expect(type).toBeGreaterThan(user);
    expect(tokenQ).toBeGreaterThan(type);
    expect(r.out).toContain('Configuration complete.\nOptions:\n- type: login\n- user: bob\n- token: legacy:tok\n- device: \nKeep this "w" remote?\n');
    expect(fileText()).toBe('[w]\ntype = login\nuser = bob\ntoken = legacy:tok\ndevice = \n\n');
    expect(seen[0]!.values).toEqual({ type: 'login', user: 'bob' });
    expect(seen[0]!.reconnect).toBeUndefined();
  });

  it('a failed login removes the new remote and ends like rclone', async () => {
    writeFileSync(cfg, '[l]\ntype = local\n\n');
    refuse = 'login refused';
    const r = await run(['config'], ['n', 'w', 'login', 'bob']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('Error: login refused\nUsage:\n  jsync config [flags]\n');
    expect(r.err.endsWith('Fatal error: login refused\n')).toBe(true);
    expect(fileText()).toBe('[l]\ntype = local\n\n');
  });
});
