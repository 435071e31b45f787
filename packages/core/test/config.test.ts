import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync, chmodSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigFile, parseIni, resolveConfigPath, serializeIni, isInMemoryConfigPath } from '../src/config/index.js';
import { isJsyncError } from '../src/fs/errors.js';

// CI installs rclone (v1.60.1); the byte-for-byte comparisons with its writer run only when it is on PATH.
const hasRclone = spawnSync('rclone', ['version'], { stdio: 'ignore' }).status === 0;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const sections = (text: string): Record<string, Record<string, string>> => {
  const cfg = ConfigFile.fromText(text);
  return Object.fromEntries(cfg.sectionNames().map((s) => [s, cfg.getSection(s) ?? {}]));
};

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(isJsyncError(err, 'CONFIG')).toBe(true);
    return (err as { context: { reason?: string } }).context.reason ?? (err as Error).message;
  }
  throw new Error('expected an error');
}

describe('parsing (goconfig dialect)', () => {
  it('handles comments, separators, trimming and inline text', () => {
    const text = [
      '# comment', '; other comment', '', '[remote]', '  type: local  ', 'host = a=b # c ; d',
      'colon:a:b', '  spaced   =   val  ue  ', 'nounc = "x y"', 'empty =', '[ spaced name ]', 'k=v',
    ].join('\n');
    expect(sections(text)).toEqual({
      remote: { type: 'local', host: 'a=b # c ; d', colon: 'a:b', spaced: 'val  ue', nounc: '"x y"', empty: '' },
      'spaced name': { k: 'v' },
    });
  });

  it('unwraps backtick and triple-quote values and quoted keys', () => {
    const text = '[s]\nv1 = `back tick` trailing\nv2 = """tri"ple"""\nv3 = ``\n"q k" = 1\n`a=b` = 2\n"""x"y""" = 3\n';
    expect(sections(text)).toEqual({ s: { v1: 'back tick', v2: 'tri"ple', v3: '', 'q k': '1', 'a=b': '2', 'x"y': '3' } });
  });

  it('merges duplicate keys and repeated sections; tolerates BOM and CRLF', () => {
    const text = '\ufeff[a]\r\nk = 1\r\n[b]\r\nx = y\r\n[a]\r\nk = 2\r\nm = 3\r\n';
    const cfg = ConfigFile.fromText(text);
    expect(cfg.sectionNames()).toEqual(['a', 'b']);
    expect(cfg.getSection('a')).toEqual({ k: '2', m: '3' });
  });

  it('puts keys before the first header into DEFAULT and auto-numbers "-" keys', () => {
    const cfg = ConfigFile.fromText('top = 1\n[a]\n- = first\n- = second\n');
    expect(cfg.sectionNames()).toEqual(['DEFAULT', 'a']);
    expect(cfg.get('DEFAULT', 'top')).toBe('1');
    expect(cfg.getSection('a')).toEqual({ '#1': 'first', '#2': 'second' });
  });

  it('expands %(name)s references and falls back from a.b to a, as rclone reads values', () => {
    const cfg = ConfigFile.fromText('[DEFAULT]\nx = /tmp\n[a]\nfoo = pre-%(x)s-post\nbar = %(foo)s!\nmissing = <%(nope)s>\n[a.b]\ntype = memory\n');
    expect(cfg.get('a', 'foo')).toBe('pre-/tmp-post');
    expect(cfg.get('a', 'bar')).toBe('pre-/tmp-post!');
    expect(cfg.get('a', 'missing')).toBe('<>');
    expect(cfg.get('a.b', 'foo')).toBe('pre-/tmp-post');
    expect(cfg.get('a.b', 'type')).toBe('memory');
    expect(cfg.get('a', 'type')).toBeUndefined();
    expect(cfg.keys('a.b')).toEqual(['type']);
  });

  it('reports rclone/goconfig parse errors', () => {
    expect(configError(() => parseIni('[a]\ntype = local\ngarbage\n'))).toBe('could not parse line: garbage');
    expect(configError(() => parseIni('[]\ntype = local\n'))).toBe('empty section name not allowed');
    expect(configError(() => parseIni('[a]\nv = `abc\n'))).toBe('could not parse line: v = `abc');
    expect(configError(() => parseIni('[a]\n= x\n'))).toBe('could not parse line: = x');
    expect(configError(() => parseIni('[a]\n"unterminated = x\n'))).toBe('could not parse line: "unterminated = x');
  });

  it('refuses encrypted config files', () => {
    expect(() => ConfigFile.fromText('# Encrypted rclone configuration File\n\nRCLONE_ENCRYPT_V0:\nabc\n')).toThrow(/encrypted/);
    expect(() => ConfigFile.fromText('RCLONE_ENCRYPT_V1:\nabc\n')).toThrow('unsupported configuration encryption - update rclone for support');
  });
});

describe('writing', () => {
  it('writes rclone layout: key = value, blank line after every section', () => {
    const cfg = ConfigFile.fromText('');
    cfg.set('mymem', 'type', 'memory');
    cfg.set('mysftp', 'type', 'sftp');
    cfg.set('mysftp', 'host', 'example.com');
    cfg.set('mysftp', 'user', 'bob');
    cfg.set('mysftp', 'pass', 'Y2OUESwN8DXxRtJLGxiBFJcHh4Gl4A');
    expect(cfg.serialize()).toBe(
      '[mymem]\ntype = memory\n\n[mysftp]\ntype = sftp\nhost = example.com\nuser = bob\npass = Y2OUESwN8DXxRtJLGxiBFJcHh4Gl4A\n\n',
    );
  });

  it('keeps comments, DEFAULT-first layout, quoting quirks and auto keys', () => {
    const text = '# top\n[one]\n# key comment\ntype = local\n# dropped at EOF? no: attached to two\n[two]\nv = `a`\n- = x\n`k:1` = y\n# eof comment\n';
    const cfg = ConfigFile.fromText(`top = 1\n${text}`);
    cfg.set('two', 'q', 'has`tick');
    cfg.set('two', 'r', 'has`tick"quote');
    expect(cfg.serialize()).toBe(
      'top = 1\n\n# top\n[one]\n# key comment\ntype = local\n\n# dropped at EOF? no: attached to two\n[two]\nv = a\n- = x\n`k:1` = y\nq = "has`tick"\nr = """has`tick"quote"""\n\n',
    );
  });

  it('keeps positions on update, appends new keys/sections, renames to the end', () => {
    const cfg = ConfigFile.fromText('[a]\nx = 1\ny = 2\n[b]\nz = 3\n');
    cfg.set('a', 'x', '10');
    cfg.set('a', 'w', '0');
    expect(cfg.deleteKey('a', 'y')).toBe(true);
    expect(cfg.deleteKey('a', 'nope')).toBe(false);
    cfg.set('c', 'type', 'memory');
    cfg.renameSection('a', 'a2');
    expect(cfg.serialize()).toBe('[b]\nz = 3\n\n[c]\ntype = memory\n\n[a2]\nx = 10\nw = 0\n\n');
    expect(cfg.deleteSection('b')).toBe(true);
    expect(cfg.hasSection('b')).toBe(false);
    expect(() => cfg.renameSection('c', 'a2')).toThrow(/already exists/);
  });

  it('refuses on-the-fly sections and line breaks', () => {
    const cfg = ConfigFile.fromText('');
    expect(() => cfg.set(':local', 'x', 'y')).toThrow(/on the fly/);
    expect(() => cfg.set('a', 'x', 'y\nz = 1')).toThrow(/line break/);
  });

  it('round-trips parse → serialize', () => {
    const text = '[a]\ntype = local\nnounc = "x y"\n\n[b]\ntype = memory\n\n';
    expect(serializeIni(parseIni(text))).toBe(text);
  });
});

describe('ConfigFile on disk', () => {
  it('treats a missing file as empty and creates it with mode 0600 in a 0700 directory', async () => {
    const path = join(dir, 'sub', 'jsync.conf');
    const cfg = await ConfigFile.load({ path });
    expect(cfg.exists).toBe(false);
    expect(cfg.inMemory).toBe(false);
    cfg.set('r', 'type', 'memory');
    await cfg.save();
    expect(cfg.exists).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('[r]\ntype = memory\n\n');
    if (process.platform !== 'win32') {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'sub')).mode & 0o777).toBe(0o700);
    }
    expect(readdirSync(join(dir, 'sub'))).toEqual(['jsync.conf']);
  });

  it('keeps an existing file mode, comments and other sections (normalised like rclone)', async () => {
    const path = join(dir, 'rclone.conf');
    writeFileSync(path, '# mine\n[keep]\ntype = local\nodd:value = 1\n\n[edit]\ntype = memory\n\n');
    chmodSync(path, 0o640);
    const cfg = await ConfigFile.load({ path });
    cfg.set('edit', 'token', '{"a":1}');
    await cfg.save();
    expect(readFileSync(path, 'utf8')).toBe('# mine\n[keep]\ntype = local\nodd = value = 1\n\n[edit]\ntype = memory\ntoken = {"a":1}\n\n');
    if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['rclone.conf']);
  });

  it('merges with sections another process saved after we loaded', async () => {
    const path = join(dir, 'c.conf');
    writeFileSync(path, '[a]\ntype = local\n\n[b]\ntype = memory\n\n');
    const p1 = await ConfigFile.load({ path });
    const p2 = await ConfigFile.load({ path });
    p1.set('a', 'token', 'one');
    p1.set('new1', 'type', 'memory');
    await p1.save();
    p2.set('b', 'token', 'two');
    p2.deleteSection('a'); // p2 deletes a section p1 edited: p2's change wins for that section
    await p2.save();
    expect(readFileSync(path, 'utf8')).toBe('[b]\ntype = memory\ntoken = two\n\n[new1]\ntype = memory\n\n');
    const p3 = await ConfigFile.load({ path });
    expect(p3.sectionNames()).toEqual(['b', 'new1']);
  });

  it('cleans up its temp file when the final rename fails', async () => {
    const path = join(dir, 'target');
    mkdirSync(join(path, 'x'), { recursive: true }); // a non-empty directory in the way makes the rename fail
    const cfg = await ConfigFile.load({ path });
    cfg.set('a', 'k', 'v');
    await expect(cfg.save()).rejects.toSatisfy((e: unknown) => isJsyncError(e, 'CONFIG'));
    expect(readdirSync(dir)).toEqual(['target']);
    expect(readdirSync(path)).toEqual(['x']);
  });

  it('writes through a symlinked config', async () => {
    if (process.platform === 'win32') return;
    const real = join(dir, 'real.conf');
    writeFileSync(real, '[a]\ntype = local\n\n');
    symlinkSync(real, join(dir, 'link.conf'));
    const cfg = await ConfigFile.load({ path: join(dir, 'link.conf') });
    cfg.set('a', 'x', '1');
    await cfg.save();
    expect(readFileSync(real, 'utf8')).toBe('[a]\ntype = local\nx = 1\n\n');
  });

  it('in-memory config never touches disk', async () => {
    const cfg = await ConfigFile.load({});
    expect(cfg.inMemory).toBe(true);
    cfg.set('a', 'type', 'memory');
    await cfg.save();
    expect(cfg.get('a', 'type')).toBe('memory');
  });

  it('reports parse errors with the path', async () => {
    const path = join(dir, 'bad.conf');
    writeFileSync(path, '[a]\ngarbage\n');
    await expect(ConfigFile.load({ path })).rejects.toThrow(`failed to load config file ${JSON.stringify(path)}: could not parse line: garbage`);
  });
});

describe.runIf(hasRclone)('writer matches rclone byte-for-byte', () => {
  const rclone = (conf: string, ...args: string[]): void => {
    execFileSync('rclone', ['--config', conf, ...args], { stdio: 'ignore' });
  };

  it('matches `rclone config create` output', async () => {
    const conf = join(dir, 'rclone.conf');
    rclone(conf, 'config', 'create', 'mymem', 'memory');
    // One key per call: rclone iterates a Go map, so several keys in one call come out in random order.
    rclone(conf, 'config', 'create', 'loc', 'local', 'nounc=true');
    rclone(conf, 'config', 'update', 'loc', 'copy_links=true');
    rclone(conf, 'config', 'create', 'mysftp', 'sftp', 'host=example.com');
    rclone(conf, 'config', 'update', 'mysftp', 'user=bob');
    const ours = ConfigFile.fromText('');
    ours.set('mymem', 'type', 'memory');
    ours.set('loc', 'type', 'local');
    ours.set('loc', 'nounc', 'true');
    ours.set('loc', 'copy_links', 'true');
    ours.set('mysftp', 'type', 'sftp');
    ours.set('mysftp', 'host', 'example.com');
    ours.set('mysftp', 'user', 'bob');
    expect(ours.serialize()).toBe(readFileSync(conf, 'utf8'));
    if (process.platform !== 'win32') expect(statSync(conf).mode & 0o777).toBe(0o600);
  });

  it('matches rclone rewriting a hand-edited file (BOM, comments, DEFAULT, quirks)', async () => {
    const input =
      '\ufefftop = 1\n# top comment\n; second\n[one]\n# key comment\ntype: local\n\n# before two\n[two]\ntype = memory\n' +
      '"q k" = "x y"\nv1 = `back tick` trailing\n- = auto\n[DEFAULT]\nx = 2\n# eof\n';
    const conf = join(dir, 'hand.conf');
    writeFileSync(conf, input);
    rclone(conf, 'config', 'update', 'one', 'nounc', 'true');
    rclone(conf, 'config', 'update', 'two', 'copy_links', 'true');
    const ours = ConfigFile.fromText(input);
    ours.set('one', 'nounc', 'true');
    ours.set('two', 'copy_links', 'true');
    expect(ours.serialize()).toBe(readFileSync(conf, 'utf8'));
  });
});

describe('resolveConfigPath', () => {
  const home = (): string => join(dir, 'home');

  it('prefers --config, then JSYNC_CONFIG, then RCLONE_CONFIG', () => {
    const env = { JSYNC_CONFIG: join(dir, 'j.conf'), RCLONE_CONFIG: join(dir, 'r.conf') };
    expect(resolveConfigPath({ flag: 'rel.conf', env, homeDir: home(), cwd: dir })).toEqual({ path: join(dir, 'rel.conf'), exists: false, source: 'flag' });
    expect(resolveConfigPath({ env, homeDir: home() })).toEqual({ path: join(dir, 'j.conf'), exists: false, source: 'env' });
    writeFileSync(join(dir, 'r.conf'), '');
    expect(resolveConfigPath({ env: { RCLONE_CONFIG: join(dir, 'r.conf') }, homeDir: home() })).toEqual({ path: join(dir, 'r.conf'), exists: true, source: 'env' });
  });

  it.each(['', '/dev/null', '/some/where/notfound', 'notfound'])('%j selects the in-memory config', (value) => {
    expect(resolveConfigPath({ flag: value, env: {}, homeDir: home(), platform: 'linux' })).toEqual({ path: undefined, exists: false, source: 'in-memory' });
    expect(resolveConfigPath({ env: { RCLONE_CONFIG: value }, homeDir: home(), platform: 'linux' }).source).toBe('in-memory');
  });

  it('knows the Windows null device', () => {
    expect(isInMemoryConfigPath('NUL', 'win32')).toBe(true);
    expect(isInMemoryConfigPath('C:\\x\\notfound', 'win32')).toBe(true);
    expect(isInMemoryConfigPath('/dev/null', 'win32')).toBe(false);
  });

  it('defaults to the jsync path, falling back to an existing rclone config', () => {
    const xdg = join(dir, 'xdg');
    const jsyncXdg = join(xdg, 'jsync', 'jsync.conf');
    expect(resolveConfigPath({ env: {}, homeDir: home(), xdgConfigHome: xdg })).toEqual({ path: jsyncXdg, exists: false, source: 'jsync-default' });
    expect(resolveConfigPath({ env: {}, homeDir: home() })).toEqual({ path: join(home(), '.config', 'jsync', 'jsync.conf'), exists: false, source: 'jsync-default' });

    mkdirSync(home(), { recursive: true });
    writeFileSync(join(home(), '.rclone.conf'), '');
    expect(resolveConfigPath({ env: {}, homeDir: home(), xdgConfigHome: xdg })).toEqual({ path: join(home(), '.rclone.conf'), exists: true, source: 'rclone-fallback' });
    mkdirSync(join(home(), '.config', 'rclone'), { recursive: true });
    writeFileSync(join(home(), '.config', 'rclone', 'rclone.conf'), '');
    expect(resolveConfigPath({ env: {}, homeDir: home(), xdgConfigHome: xdg }).path).toBe(join(home(), '.config', 'rclone', 'rclone.conf'));
    mkdirSync(join(xdg, 'rclone'), { recursive: true });
    writeFileSync(join(xdg, 'rclone', 'rclone.conf'), '');
    expect(resolveConfigPath({ env: {}, homeDir: home(), xdgConfigHome: xdg }).path).toBe(join(xdg, 'rclone', 'rclone.conf'));

    mkdirSync(join(xdg, 'jsync'), { recursive: true });
    writeFileSync(jsyncXdg, '');
    expect(resolveConfigPath({ env: {}, homeDir: home(), xdgConfigHome: xdg })).toEqual({ path: jsyncXdg, exists: true, source: 'jsync-default' });
  });
});
