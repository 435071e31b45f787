// Proves the conformance suite detects real defects: runs it against broken tree Fs variants in a child vitest
// and checks that each defect fails the cases meant to catch it (and only fails, never crashes the run).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { MUTANTS } from './mutants/mutants.js';

const here = dirname(fileURLToPath(import.meta.url));

interface JsonAssertion { ancestorTitles: string[]; title: string; status: string }

it('each injected defect fails the cases that guard against it', () => {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('vitest/package.json');
  const bin = join(dirname(pkg), 'vitest.mjs');
  const out = mkdtempSync(join(tmpdir(), 'jsync-mutants-'));
  try {
    const res = spawnSync(process.execPath, [bin, 'run', '--config', join(here, 'mutants', 'vitest.mutants.config.ts'),
      '--reporter=json', `--outputFile=${join(out, 'report.json')}`], { cwd: join(here, '..', '..', '..'), encoding: 'utf8', timeout: 120_000 });
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { testResults: { assertionResults: JsonAssertion[] }[] };
    const failed = new Map<string, Set<string>>();
    for (const a of report.testResults.flatMap((r) => r.assertionResults)) {
      if (a.status !== 'failed') continue;
      const [mutant, ...path] = a.ancestorTitles;
      if (!failed.has(mutant!)) failed.set(mutant!, new Set());
      failed.get(mutant!)!.add([...path, a.title].join(' > '));
    }
    for (const [name, { mustFail }] of Object.entries(MUTANTS)) {
      const got = failed.get(name) ?? new Set();
      for (const c of mustFail) expect(got.has(c), `mutant "${name}": case ${c} did not fail (failed: ${[...got].join(', ') || 'none'})`).toBe(true);
    }
    expect(res.status, res.stderr.slice(-2000)).toBe(1); // failures, not a crash of the runner
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 120_000);
