#!/usr/bin/env node
// The README's main job: configure a remote, then run jsync's commands on the bundled sample tree.
// Until the sync engine (copy) and the Jottacloud emulator land, the remote is a local one and the job lists,
// hashes and sizes the sample tree and reports `about`; it says so instead of pretending.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'apps/cli/dist/bin.js');
const sample = join(root, 'test-fixtures/sample-tree');
const work = mkdtempSync(join(tmpdir(), 'jsync-demo-'));
const config = join(work, 'jsync.conf');

function jsync(...args) {
  console.log(`\n$ jsync ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [bin, '--config', config, ...args], { stdio: 'inherit', env: { ...process.env } });
  if (r.status !== 0) {
    console.error(`demo: "jsync ${args.join(' ')}" exited with ${r.status}`);
    rmSync(work, { recursive: true, force: true });
    process.exit(r.status ?? 1);
  }
}

try {
  jsync('version');
  jsync('config', 'create', 'demo', 'local');
  jsync('listremotes', '--long');
  jsync('lsd', `demo:${sample}`);
  jsync('lsl', `demo:${sample}`);
  jsync('md5sum', `demo:${sample}`);
  jsync('size', `demo:${sample}`);
  jsync('mkdir', `demo:${work}/backup`);
  jsync('lsd', `demo:${work}`);
  jsync('about', `demo:${work}`);
  console.log('\ndemo: done. (copy/sync and the Jottacloud emulator arrive with the next issues.)');
} finally {
  rmSync(work, { recursive: true, force: true });
}
