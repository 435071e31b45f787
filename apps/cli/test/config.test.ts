// `config` subcommands: create/update/delete/show/dump/redacted/file/paths/touch, in-process and against rclone.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnyBackendDefinition, Registry, reveal } from '@jsync/core';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';
import { createRegistry } from '../src/backends.js';

// CI installs rclone v1.60.1; the interop blocks are skipped where it is missing.
const rcloneAvailable = spawnSync('rclone', ['version'], { encoding: 'utf8' }).status === 0;

// A backend with a password and a sensitive option, to exercise masking and obscuring.
const secretBackend: AnyBackendDefinition = {
  name: 'secretive',
  description: 'test backend with secrets',
  options: [
    { name: 'user', help: 'User name.' },
    { name: 'pass', help: 'Password.', type: 'password' },
    { name: 'token', help: 'Token.', sensitive: true, hide: true },
  ],
  newFs: () => Promise.reject(new Error('not for use')),
};
const registry = () => new Registry([...createRegistry().list(), secretBackend]);

let dir: string;
let cfg: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-config-'));
  cfg = join(dir, 'rclone.conf');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(argv: string[], opts: { env?: Record<string, string>; config?: string | null } = {}) {
  const io = memoryIo({ env: opts.env ?? {}, homeDir: join(dir, 'home') });
  const pre = opts.config === null ? [] : ['--config', opts.config ?? cfg];
  const code = await main([...pre, ...argv], { io, registry: registry() });
  return { code, out: io.out(), err: io.err() };
}

function rclone(args: string[], env: Record<string, string> = {}): { code: number; out: string; err: string } {
  const r = spawnSync('rclone', ['--config', cfg, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC', ...env } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const fileText = () => readFileSync(cfg, 'utf8');
const stripDates = (s: string) => s.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /gm, '');

describe('config create / update / delete', () => {
  it('creates a remote, prints it like rclone and writes a 0600 file', async () => {
    const r = await run(['config', 'create', 'mylocal', 'local', 'nounc', 'true', 'copy_links=false']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('[mylocal]\ntype = local\nnounc = true\ncopy_links = false\n');
    expect(stripDates(r.err)).toBe(`NOTICE: Config file ${JSON.stringify(cfg)} not found - using defaults\n`);
    expect(fileText()).toBe('[mylocal]\ntype = local\nnounc = true\ncopy_links = false\n\n');
    expect(statSync(cfg).mode & 0o777).toBe(0o600);
  });

  it('obscures password options unless already obscured; --obscure / --no-obscure force either way', async () => {
    // the printed remote is redacted (jsync; rclone 1.60 prints `*** ENCRYPTED ***`)
    expect((await run(['config', 'create', 's', 'secretive', 'user', 'bob', 'pass', 'hunter2'])).out)
      .toBe('[s]\ntype = secretive\nuser = bob\npass = XXX\n');
    const stored = /pass = (.*)/.exec(fileText())![1]!;
    expect(reveal(stored)).toBe('hunter2');
    // an already obscured value is stored as given
    await run(['config', 'update', 's', 'pass', stored]);
    expect(/pass = (.*)/.exec(fileText())![1]).toBe(stored);
    // --obscure obscures it again
    await run(['config', 'update', 's', 'pass', stored, '--obscure']);
    expect(reveal(/pass = (.*)/.exec(fileText())![1]!)).toBe(stored);
    // --no-obscure stores plain text
    await run(['config', 'update', 's', 'pass=plain', '--no-obscure']);
    expect(fileText()).toContain('pass = plain\n');
    const both = await run(['config', 'update', 's', 'pass=x', '--obscure', '--no-obscure']);
    expect(both.code).toBe(1);
    expect(both.err).toContain("Error: can't use --obscure and --no-obscure together\nUsage:\n  jsync config update");
    expect(both.err).toMatch(/Fatal error: can't use --obscure and --no-obscure together\n$/);
  });

  it('recreating replaces the section; config_* keys are not stored; unknown keys are kept with a notice', async () => {
    await run(['config', 'create', 'x', 'local', 'nounc', 'true']);
    const r = await run(['config', 'create', 'x', 'local', 'config_refresh_token', 'false', 'mystery', '42']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('Config key "mystery" is not an option of backend "local"');
    expect(fileText()).toBe('[x]\ntype = local\nmystery = 42\n\n');
  });

  it('prints the final state-machine JSON with --non-interactive', async () => {
    const r = await run(['config', 'create', 'y', 'memory', '--non-interactive']);
    expect(r.out).toBe('{\n\t"State": "",\n\t"Option": null,\n\t"Error": "",\n\t"Result": ""\n}\n');
    expect(fileText()).toBe('[y]\ntype = memory\n\n');
  });

  it('rejects bad input with cobra-style errors and exit 1, writing nothing', async () => {
    const cases: Array<[string[], string]> = [
      [['config', 'create', 'x', 'nosuchtype'], 'couldn\'t find backend for type "nosuchtype"'],
      [['config', 'create', 'bad/name', 'local'], 'config name contains invalid characters - may only contain `0-9`, `A-Z`, `a-z`, `_`, `-`, `.` and space'],
      [['config', 'create', 'x', 'local', 'nounc'], 'found key without value'],
      [['config', 'update', 'nope', 'a', 'b'], "couldn't find type field in config"],
      [['config', 'create', 'x', 'local', '--all'], '--all is not supported by jsync yet: run "jsync config" for the interactive questions'],
    ];
    for (const [argv, msg] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toContain(`Error: ${msg}\nUsage:\n  jsync config ${argv[1]}`);
      expect(r.err).toMatch(new RegExp(`Fatal error: ${msg.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\n$`));
    }
    const few = await run(['config', 'create', 'x']);
    expect(few.code).toBe(1);
    expect(few.err).toContain('Command create needs 2 arguments minimum: you provided 1 non flag arguments: ["x"]');
    expect(() => statSync(cfg)).toThrow();
  });

  it('update changes keys in place; delete removes a section and tolerates a missing one', async () => {
    writeFileSync(cfg, '# comments are kept\n[a]\ntype = local\nnounc = true\n\n[b]\ntype = memory\n');
    const u = await run(['config', 'update', 'a', 'nounc=false', 'links', 'true']);
    expect(u.out).toBe('[a]\ntype = local\nnounc = false\nlinks = true\n');
    expect(fileText()).toBe('# comments are kept\n[a]\ntype = local\nnounc = false\nlinks = true\n\n[b]\ntype = memory\n\n');
    expect((await run(['config', 'delete', 'a'])).code).toBe(0);
    const afterDelete = fileText();
    expect(afterDelete).toContain('[b]\ntype = memory\n\n');
    expect(afterDelete).not.toContain('[a]');
    expect((await run(['config', 'delete', 'zzz'])).code).toBe(0);
    expect(fileText()).toBe(afterDelete);
  });

  it('config password obscures every given value, even ones that look obscured', async () => {
    await run(['config', 'create', 's', 'secretive', 'user', 'bob']);
    const r = await run(['config', 'password', 's', 'pass', 'YWFhYWFhYWFhYWFhYWFhYQ']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('[s]\ntype = secretive\nuser = bob\npass = XXX\n');
    expect(reveal(/pass = (.*)/.exec(fileText())![1]!)).toBe('YWFhYWFhYWFhYWFhYWFhYQ');
  });

  it('config touch creates an empty 0600 file', async () => {
    expect((await run(['config', 'touch'])).code).toBe(0);
    expect(fileText()).toBe('');
    expect(statSync(cfg).mode & 0o777).toBe(0o600);
  });
});

describe('config show / redacted / dump', () => {
  const text = '[s]\ntype = secretive\nuser = bob\npass = YWFhYWFhYWFhYWFhYWFhYXMaGgIlEQ\ntoken = {"access_token":"t"}\nempty =\n\n'
    + '[l]\ntype = local\nnounc = <&>\n\n[sf]\ntype = sftp\nhost = h\npass = abc\n\n[nt]\nkey = v\n\n';

  it('show --unredacted prints the whole file, or one remote with passwords masked (rclone 1.60)', async () => {
    writeFileSync(cfg, text);
    const all = await run(['config', 'show', '--unredacted']);
    expect(all.out).toBe(text.replace('empty =\n', 'empty = \n'));
    expect((await run(['config', 'show', 's:', '--unredacted'])).out)
      .toBe('[s]\ntype = secretive\nuser = bob\npass = *** ENCRYPTED ***\ntoken = {"access_token":"t"}\nempty = \n');
    // a backend jsync lacks (rclone has it): printed unmasked after a comment, like later rclone
    expect((await run(['config', 'show', '--unredacted', 'sf'])).out).toBe('[sf]\n# didn\'t find backend called "sftp"\ntype = sftp\nhost = h\npass = abc\n');
  });

  it('show redacts password and sensitive values by default (everything but type for unknown backends)', async () => {
    writeFileSync(cfg, text);
    expect((await run(['config', 'show'])).out).toBe(
      '[s]\ntype = secretive\nuser = bob\npass = XXX\ntoken = XXX\nempty = \n\n'
      + '[l]\ntype = local\nnounc = <&>\n\n'
      + '[sf]\n# didn\'t find backend called "sftp"\ntype = sftp\nhost = XXX\npass = XXX\n\n'
      + '[nt]\n# couldn\'t find type of fs for "nt"\nkey = XXX\n\n',
    );
    expect((await run(['config', 'show', 's:'])).out).toBe('[s]\ntype = secretive\nuser = bob\npass = XXX\ntoken = XXX\nempty = \n');
    expect((await run(['config', 'show', 'sf'])).out).toBe('[sf]\n# didn\'t find backend called "sftp"\ntype = sftp\nhost = XXX\npass = XXX\n');
  });

  it('show of a remote without type is fatal like rclone 1.60', async () => {
    writeFileSync(cfg, text);
    for (const name of ['nt', 'missing']) {
      const r = await run(['config', 'show', name]);
      expect(r.code).toBe(1);
      expect(r.out).toBe(`[${name}]\n`);
      expect(stripDates(r.err)).toBe(`Couldn't find type of fs for "${name}"\n`);
    }
  });

  it('show of an empty config', async () => {
    expect((await run(['config', 'show'])).out).toBe('; empty config\n');
  });

  it('redacted hides password and sensitive values (everything but type for unknown backends)', async () => {
    writeFileSync(cfg, text);
    const r = await run(['config', 'redacted']);
    expect(r.out).toBe(
      '[l]\ntype = local\nnounc = <&>\n\n'
      + '[nt]\n# couldn\'t find type of fs for "nt"\nkey = XXX\n\n'
      + '[s]\ntype = secretive\nuser = bob\npass = XXX\ntoken = XXX\nempty = \n\n'
      + '[sf]\n# didn\'t find backend called "sftp"\ntype = sftp\nhost = XXX\npass = XXX\n'
      + '### Double check the config for sensitive info before posting publicly\n',
    );
    expect((await run(['config', 'redacted', 's'])).out).toContain('[s]\ntype = secretive\nuser = bob\npass = XXX\n');
    writeFileSync(cfg, '');
    expect((await run(['config', 'redacted'])).out).toBe('; empty config\n### Double check the config for sensitive info before posting publicly\n');
  });

  it('dump prints sorted 4-space JSON with Go escaping and no trailing newline', async () => {
    writeFileSync(cfg, text);
    expect(JSON.parse((await run(['config', 'dump'])).out)).toEqual({
      s: { type: 'secretive', user: 'bob', pass: 'XXX', token: 'XXX', empty: '' },
      l: { type: 'local', nounc: '<&>' },
      sf: { type: 'sftp', host: 'XXX', pass: 'XXX' },
      nt: { key: 'XXX' },
    });
    const r = await run(['config', 'dump', '--unredacted']);
    expect(r.out.endsWith('}')).toBe(true);
    expect(JSON.parse(r.out)).toEqual({
      s: { type: 'secretive', user: 'bob', pass: 'YWFhYWFhYWFhYWFhYWFhYXMaGgIlEQ', token: '{"access_token":"t"}', empty: '' },
      l: { type: 'local', nounc: '<&>' },
      sf: { type: 'sftp', host: 'h', pass: 'abc' },
      nt: { key: 'v' },
    });
    expect(r.out).toContain('    "l": {\n        "nounc": "\\u003c\\u0026\\u003e",\n        "type": "local"\n    },\n    "nt"');
    writeFileSync(cfg, '');
    expect((await run(['config', 'dump'])).out).toBe('{}');
  });
});

describe('config file / paths / bare config', () => {
  it('config file reports where the config is', async () => {
    expect((await run(['config', 'file'])).out).toBe(`Configuration file doesn't exist, but jsync will use this path:\n${cfg}\n`);
    writeFileSync(cfg, '');
    expect((await run(['config', 'file'])).out).toBe(`Configuration file is stored at:\n${cfg}\n`);
    expect((await run(['config', 'file'], { config: '' })).out).toBe('Configuration is in memory only\n');
    const dflt = await run(['config', 'file'], { config: null });
    expect(dflt.out).toBe(`Configuration file doesn't exist, but jsync will use this path:\n${join(dir, 'home', '.config', 'jsync', 'jsync.conf')}\n`);
    expect(dflt.err).toBe('');
  });

  it('config paths shows config file, cache dir and temp dir', async () => {
    const r = await run(['config', 'paths'], { env: { TMPDIR: '/my/tmp', XDG_CACHE_HOME: '/my/cache' } });
    expect(r.out).toBe(`Config file: ${cfg}\nCache dir:   /my/cache/jsync\nTemp dir:    /my/tmp\n`);
    const d = await run(['config', 'paths'], { config: '' });
    expect(d.out).toBe(`Config file: \nCache dir:   ${join(dir, 'home', '.cache', 'jsync')}\nTemp dir:    /tmp\n`);
  });

  it('bare config starts the interactive session (no input: EOF, exit 1); unknown subcommands are refused', async () => {
    const r = await run(['config']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('No remotes found, make a new one?\nn) New remote\ns) Set configuration password\nq) Quit config\nn/s/q> ');
    expect(stripDates(r.err)).toContain('Failed to read line: EOF\n');
    const u = await run(['config', 'frobnicate']);
    expect(u.code).toBe(1);
    expect(u.err).toContain('Error: unknown command "frobnicate" for "jsync config"\nRun \'jsync config --help\' for usage.\n');
  });
});

// Skip reason: rclone is an optional system binary (CI installs it); without it there is nothing to compare with.
describe.runIf(rcloneAvailable)('config interop with rclone', () => {
  function makeRcloneConfig() {
    for (const args of [
      ['mylocal', 'local', 'nounc', 'true'],
      ['mem', 'memory'],
      ['zz-sftp', 'sftp', 'host', 'example.com', 'user', 'bob', 'pass', 'secret'],
      ['Alias.x', 'alias', 'remote', '/tmp'],
      ['a b', 'local', 'copy_links', 'true'],
      ['s3remote', 's3', 'provider', 'AWS', 'env_auth', 'true'],
    ]) {
      expect(rclone(['config', 'create', ...args]).code).toBe(0);
    }
  }

  it('listremotes and listremotes --long equal rclone on a config rclone wrote', async () => {
    makeRcloneConfig();
    for (const flags of [[], ['--long']]) {
      const theirs = rclone(['listremotes', ...flags]);
      const ours = await run(['listremotes', ...flags]);
      expect(ours.out).toBe(theirs.out);
      expect(ours.code).toBe(theirs.code);
    }
  });

  it('config dump and config show equal rclone (whole file and local/memory remotes)', async () => {
    makeRcloneConfig();
    for (const args of [['config', 'dump'], ['config', 'show'], ['config', 'show', 'mylocal'], ['config', 'show', 'mem:'], ['config', 'show', 'a b']]) {
      const theirs = rclone(args);
      // jsync redacts unless asked not to (the config holds an sftp password)
      const ours = await run([...args, '--unredacted']);
      expect(ours.out, args.join(' ')).toBe(theirs.out);
      expect(ours.code).toBe(theirs.code);
    }
    const theirs = rclone(['config', 'show', 'nothere']);
    const ours = await run(['config', 'show', 'nothere']);
    expect([ours.code, ours.out, stripDates(ours.err)]).toEqual([theirs.code, theirs.out, stripDates(theirs.err)]);
  });

  it('create output and file text equal rclone for local/memory remotes', async () => {
    const other = join(dir, 'theirs.conf');
    for (const args of [['l1', 'local', 'nounc', 'true', 'copy_links=false'], ['m1', 'memory'], ['l1', 'local', 'links', 'true']]) {
      const theirs = spawnSync('rclone', ['--config', other, 'config', 'create', ...args], { encoding: 'utf8' });
      const ours = await run(['config', 'create', ...args]);
      expect(ours.out).toBe(theirs.stdout);
      expect(ours.code).toBe(theirs.status);
    }
    expect(fileText()).toBe(readFileSync(other, 'utf8'));
    expect(statSync(cfg).mode & 0o777).toBe(statSync(other).mode & 0o777);
  });

  it('rclone reads what jsync writes; jsync keeps other sections and unknown keys intact', async () => {
    makeRcloneConfig();
    const before = rclone(['config', 'dump']).out;
    expect((await run(['config', 'create', 'fromjsync', 'local', 'nounc', 'true', 'mystery', 'kept'])).code).toBe(0);
    expect((await run(['config', 'update', 'mylocal', 'links', 'true'])).code).toBe(0);
    const after = JSON.parse(rclone(['config', 'dump']).out) as Record<string, Record<string, string>>;
    const want = JSON.parse(before) as Record<string, Record<string, string>>;
    want['fromjsync'] = { type: 'local', nounc: 'true', mystery: 'kept' };
    want['mylocal']!['links'] = 'true';
    expect(after).toEqual(want);
    expect(reveal(after['zz-sftp']!['pass']!)).toBe('secret');
    const long = rclone(['listremotes', '--long']);
    expect(long.out).toContain('fromjsync: local\n');
    expect(long.out).toBe((await run(['listremotes', '--long'])).out);
    expect(statSync(cfg).mode & 0o777).toBe(0o600);
  });

  it('update/delete/touch leave the same file text as rclone (comments, odd spacing, unknown sections)', async () => {
    const input = '# top comment\n[a]\n; inner\ntype: local\nnounc=true\n\n[sf]\ntype = sftp\nhost = h\nx = "q"\n\n[b]\ntype = memory\n';
    const other = join(dir, 'theirs.conf');
    for (const args of [['config', 'update', 'a', 'nounc=false', 'links', 'true'], ['config', 'delete', 'b'], ['config', 'touch']]) {
      writeFileSync(cfg, input);
      writeFileSync(other, input);
      const theirs = spawnSync('rclone', ['--config', other, ...args], { encoding: 'utf8' });
      const ours = await run(args);
      expect(ours.code).toBe(theirs.status);
      expect(ours.out).toBe(theirs.stdout);
      expect(fileText(), args.join(' ')).toBe(readFileSync(other, 'utf8'));
    }
  });

  it('config file matches rclone for existing, missing and in-memory configs', async () => {
    writeFileSync(cfg, '');
    expect((await run(['config', 'file'])).out).toBe(rclone(['config', 'file']).out);
    for (const c of ['', '/dev/null']) {
      const theirs = spawnSync('rclone', ['--config', c, 'config', 'file'], { encoding: 'utf8' });
      expect((await run(['config', 'file'], { config: c })).out).toBe(theirs.stdout);
    }
  });
});
