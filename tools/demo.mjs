#!/usr/bin/env node
// The README's main job: start the bundled Jottacloud emulator, configure a jottacloud remote against it with a
// personal login token (exactly as for a real account), `jsync copy -P` the sample tree into it, list it, check it,
// report `about`, stop the emulator. Every jsync call is the real CLI; the emulator stands in for jottacloud.com
// through its HTTPS proxy (HTTPS_PROXY + --ca-cert), the same way unmodified rclone is pointed at it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'apps/cli/dist/bin.js');
const sample = join(root, 'test-fixtures/sample-tree');
const { startEmulator } = await import(pathToFileURL(join(root, 'packages/jottacloud-emulator/dist/index.js')).href);

const work = mkdtempSync(join(tmpdir(), 'jsync-demo-'));
const config = join(work, 'jsync.conf');
const emulator = await startEmulator({ dataDir: join(work, 'emulator'), capacity: 5 * 1024 ** 3 });
const env = { ...process.env, HTTPS_PROXY: emulator.proxy, NO_PROXY: '' };
let failed = 0;

// Runs the CLI as a child process; asynchronously, because the emulator serves from this process's event loop.
async function jsync(...args) {
  const shown = args.map((a) => (a.startsWith('config_login_token=') ? 'config_login_token=…' : a));
  console.log(`\n$ jsync ${shown.join(' ')}`);
  const child = spawn(process.execPath, [bin, '--config', config, '--ca-cert', emulator.caCert, ...args], { stdio: 'inherit', env });
  const status = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  if (status !== 0) {
    console.error(`demo: "jsync ${shown.join(' ')}" exited with ${status}`);
    failed = status;
    throw new Error('demo step failed');
  }
}

try {
  console.log(`demo: Jottacloud emulator on ${emulator.url} (HTTPS proxy for *.jottacloud.com, CA ${emulator.caCert})`);
  await jsync('version');
  await jsync('config', 'create', 'remote', 'jottacloud', 'config_type=standard', `config_login_token=${emulator.mintLoginToken()}`);
  await jsync('listremotes', '--long');
  await jsync('copy', sample, 'remote:backup', '-P', '--stats-one-line');
  await jsync('lsd', 'remote:');
  await jsync('lsd', 'remote:backup');
  await jsync('lsl', 'remote:backup');
  await jsync('check', sample, 'remote:backup');
  await jsync('about', 'remote:');
  console.log('\ndemo: done. Against a real account: run `jsync config`, choose jottacloud, paste a personal login token.');
} catch (err) {
  if (!failed) {
    console.error(`demo: ${err.message}`);
    failed = 1;
  }
} finally {
  await emulator.stop();
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed;
