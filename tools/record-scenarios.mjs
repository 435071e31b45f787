#!/usr/bin/env node
// Re-records the expected outcomes of the sync scenario corpus (test-fixtures/sync-scenarios/*.json) from the
// installed rclone: runs apps/cli/test/scenarios-rclone.test.ts with JSYNC_RECORD_SCENARIOS=1, which writes each
// scenario's local→local rclone outcome into its `expect` field. Usage: node tools/record-scenarios.mjs [name,…]
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const version = spawnSync('rclone', ['version'], { encoding: 'utf8' });
if (version.status !== 0) {
  console.error('record-scenarios: no working `rclone` on PATH');
  process.exit(1);
}
console.log(`recording with ${version.stdout.split('\n')[0]}`);
const env = { ...process.env, JSYNC_RECORD_SCENARIOS: '1', TZ: 'UTC' };
if (process.argv[2]) env.JSYNC_SCENARIOS = process.argv[2];
const r = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', 'apps/cli/test/scenarios-rclone.test.ts'], { cwd: root, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
