// The interactive `config` session: menus, option questions, passwords, edit/rename/copy/delete, and rclone's transcript.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnyBackendDefinition, Registry, reveal } from '@jsync/core';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';
import { createRegistry } from '../src/backends.js';

// CI installs rclone v1.60.1; the interop blocks are skipped where it is missing.
const rcloneAvailable = spawnSync('rclone', ['version'], { encoding: 'utf8' }).status === 0;

const secretBackend: AnyBackendDefinition = {
  name: 'secretive',
  description: 'Test backend with secrets',
  options: [
    { name: 'user', help: 'User name.', required: true },
    { name: 'pass', help: 'Password.', type: 'password' },
    { name: 'size', help: 'A size.', type: 'size', default: '10Mi' },
    { name: 'mode', help: 'Mode.', examples: [{ value: 'fast', help: 'Go fast.\nReally.' }, { value: 'slow', help: 'Go slow.' }], exclusive: true },
  ],
  newFs: () => Promise.reject(new Error('not for use')),
};

let dir: string;
let cfg: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsync-wizard-'));
  cfg = join(dir, 'rclone.conf');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `jsync config` answering with `lines` (one per question). */
async function wizard(lines: string[], opts: { registry?: Registry } = {}) {
  const io = memoryIo({ env: {}, homeDir: join(dir, 'home'), stdin: lines.map((l) => l + '\n').join('') });
  const code = await main(['--config', cfg, 'config'], { io, registry: opts.registry });
  return { code, out: io.out(), err: io.err() };
}
const fileText = () => readFileSync(cfg, 'utf8');

/** rclone 1.60 reads each answer with a fresh buffered reader, so answers must arrive one at a time. */
function rcloneWizard(config: string, lines: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('rclone', ['--config', config, 'config'], { env: { ...process.env, TZ: 'UTC' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
    let i = 0;
    const next = () => {
      if (i >= lines.length) return child.stdin.end();
      child.stdin.write(lines[i++] + '\n');
      setTimeout(next, 120);
    };
    setTimeout(next, 700);
  });
}

describe('config wizard', () => {
  it('creates a remote with default answers and quits', async () => {
    const r = await wizard(['n', 'myloc', '3', '', 'y', 'q']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('No remotes found, make a new one?\nn) New remote\ns) Set configuration password\nq) Quit config\nn/s/q> \n');
    expect(r.out).toContain(' 1 / In memory object storage system.\n   \\ (memory)\n 2 / Jottacloud\n   \\ (jottacloud)\n 3 / Local Disk\n   \\ (local)\nStorage> \n');
    expect(r.out).toContain('Configuration complete.\nOptions:\n- type: local\nKeep this "myloc" remote?\n');
    expect(r.out.endsWith('Current remotes:\n\nName                 Type\n====                 ====\nmyloc                local\n\n'
      + 'e) Edit existing remote\nn) New remote\nd) Delete remote\nr) Rename remote\nc) Copy remote\ns) Set configuration password\nq) Quit config\ne/n/d/r/c/s/q> ')).toBe(true);
    expect(fileText()).toBe('[myloc]\ntype = local\n\n');
  });

  it('asks every option: required values, size parsing, exclusive examples, typed password', async () => {
    const registry = new Registry([...createRegistry().list(), secretBackend]);
    const r = await wizard(['n', 's1', 'secretive', '', 'bob', 'y', 'pw1', 'pw2', 'pw', 'pw', 'lots', '1G', 'medium', '1', 'y', 'q'], { registry });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Option user.\nUser name.\nEnter a value.\nuser> This value is required and it has no default.\nuser> \n');
    expect(r.out).toContain('Option pass.\nPassword.\nChoose an alternative below. Press Enter for the default (n).\ny) Yes, type in my own password\ng) Generate random password\nn) No, leave this optional password blank (default)\ny/g/n> ');
    expect(r.out).toContain('Passwords do not match!\n');
    expect(r.err).toContain('Enter the password:\npassword:Confirm the password:\npassword:');
    expect(r.out).toContain('Enter a size with suffix K,M,G,T. Press Enter for the default (10Mi).\nsize> Failed to parse "lots": parsing "lots" as fs.SizeSuffix failed: ');
    expect(r.out).toContain('Option mode.\nMode.\nChoose a number from below, or type in an existing value.\nPress Enter to leave empty.\n   / Go fast.\n 1 | Really.\n   \\ (fast)\n 2 / Go slow.\n   \\ (slow)\nmode> ');
    expect(r.out).toContain('mode> This value must match an existing value.\nmode> \n');
    expect(r.out).toContain('- pass: *** ENCRYPTED ***\n');
    const text = fileText();
    expect(text).toMatch(/^\[s1\]\ntype = secretive\nuser = bob\npass = [\w-]+\nsize = 1Gi\nmode = fast\n\n$/);
    expect(reveal(/pass = (.*)/.exec(text)![1]!)).toBe('pw');
  });

  it('generates a password of the requested strength', async () => {
    const registry = new Registry([...createRegistry().list(), secretBackend]);
    const r = await wizard(['n', 's1', 'secretive', 'bob', 'g', '10', '128', 'y', '', '', 'y', 'q'], { registry });
    expect(r.code).toBe(0);
    expect(r.out).toContain('Bits> Out of range - 64 to 1024 inclusive\nBits> ');
    const shown = /Your password is: (\S+)\n/.exec(r.out)![1]!;
    expect(Buffer.from(shown, 'base64url')).toHaveLength(16);
    expect(reveal(/pass = (.*)/.exec(fileText())![1]!)).toBe(shown);
  });

  it('edits, renames, copies and deletes remotes', async () => {
    await wizard(['n', 'a', 'local', '', 'y', 'q']);
    // edit: advanced config, set copy_links, keep
    const e = await wizard(['e', 'a', 'y', '', 'true', '', '', '', '', '', '', '', '', '', '', '', '', 'n', 'y', 'q']);
    expect(e.out).toContain('Editing existing "a" remote with options:\n- type: local\n\n');
    expect(fileText()).toBe('[a]\ntype = local\ncopy_links = true\n\n');
    // editing again shows the current value as the default
    const e2 = await wizard(['e', '1', 'y', '', '', '', '', '', '', '', '', '', '', '', '', '', '', 'n', 'y', 'q']);
    expect(e2.out).toContain('Enter a boolean value (true or false). Press Enter for the default (true).\ncopy_links> ');
    expect(fileText()).toBe('[a]\ntype = local\ncopy_links = true\n\n');
    await wizard(['r', 'a', 'a', 'b c', 'c', 'b c', 'd', 'q']);
    expect(fileText()).toBe('[b c]\ntype = local\ncopy_links = true\n\n[d]\ntype = local\ncopy_links = true\n\n');
    const d = await wizard(['d', '2', 'q']);
    expect(d.out).toContain('Select remote.\nChoose a number from below, or type in an existing value.\n 1 > b c\n 2 > d\nremote> \n');
    expect(fileText()).toBe('[b c]\ntype = local\ncopy_links = true\n\n');
  });

  it('rejects bad names and unknown types, and reports config encryption as unsupported', async () => {
    const r = await wizard(['n', '', 'bad/name', '-x', 'ok', 'nosuch', 'memory', 'd', 's', 'q']);
    expect(r.out).toContain("name> Can't use empty name.\n");
    expect(r.out).toContain('name> Can\'t use "bad/name" as config name contains invalid characters - may only contain `0-9`, `A-Z`, `a-z`, `_`, `-`, `.` and space.\n');
    expect(r.out).toContain('name> Can\'t use "-x" as config name starts with `-`.\n');
    expect(r.out).toContain('Storage> Bad remote "nosuch": didn\'t find backend called "nosuch"\nOption Storage.\n');
    expect(r.out).toContain('Setting a configuration password (config file encryption) is not supported by jsync yet.\n');
    expect(fileText()).toBe('');
  });

  it('ends with "Failed to read line: EOF" and exit 1 when input runs out', async () => {
    const r = await wizard(['n']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Failed to read line: EOF\n$/);
  });
});

// Skip reason: rclone is an optional system binary (CI installs it); without it there is nothing to compare with.
describe.runIf(rcloneAvailable)('config wizard transcript vs rclone', () => {
  it('prints the same questions as rclone for a local remote with advanced options (storage list aside)', async () => {
    const answers = ['n', 'myloc', 'local', 'y', 'true', ...Array<string>(13).fill(''), 'n', 'x', 'y', 'q'];
    const theirsConf = join(dir, 'theirs.conf');
    const theirs = await rcloneWizard(theirsConf, answers);
    const ours = await wizard(answers);
    const cut = (s: string) => s.replace(/Choose a number from below, or type in your own value\.\n[\s\S]*?Storage> /, '<storage list>');
    expect(ours.code).toBe(theirs.code);
    expect(cut(ours.out)).toBe(cut(theirs.out));
    expect(fileText()).toBe(readFileSync(theirsConf, 'utf8'));
  });
});
