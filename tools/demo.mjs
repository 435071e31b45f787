#!/usr/bin/env node
// The README's main job: configure a remote, copy the bundled sample tree into it, list and check the result, report
// `about`. Until the Jottacloud backend lands (issue 5) the remote is a local one; it says so instead of pretending.
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
  jsync('copy', sample, `demo:${work}/backup`, '-P', '--stats-one-line');
  jsync('lsd', `demo:${work}/backup`);
  jsync('lsl', `demo:${work}/backup`);
  jsync('check', sample, `demo:${work}/backup`);
  jsync('size', `demo:${work}/backup`);
  jsync('about', `demo:${work}`);
  console.log('\ndemo: done. (The Jottacloud backend, served by the bundled emulator here, arrives with issue 5.)');
} finally {
  rmSync(work, { recursive: true, force: true });
}
