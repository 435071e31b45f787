#!/usr/bin/env node
// Runs the vitest suite and ends with a plain "N passed, N failed" line; exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'jsync-vitest-'));
const out = join(dir, 'results.json');
const r = spawnSync(process.execPath, [join(process.cwd(), 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`, ...process.argv.slice(2)], { stdio: 'inherit' });
let passed = 0, failed = 0, skipped = 0;
try {
  const res = JSON.parse(readFileSync(out, 'utf8'));
  passed = res.numPassedTests; failed = res.numFailedTests + (res.numRuntimeErrorTestSuites ?? 0); skipped = res.numPendingTests + res.numTodoTests;
} catch {
  failed = Math.max(failed, 1);
}
rmSync(dir, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(r.status === 0 && failed === 0 && passed > 0 ? 0 : (r.status || 1));
