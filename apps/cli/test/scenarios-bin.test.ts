// A few corpus scenarios through the BUILT CLI as a real process (apps/cli/dist/bin.js; the root `pnpm test` builds
// first): exit codes, stdout/stderr and the trees must be what the in-process runs and rclone give.

import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { project } from './helpers/scenario-compare.js';
import { JSYNC_BIN, pool, runScenario } from './helpers/scenario-run.js';
import { jsyncExpectation, loadScenarios } from './helpers/scenario-types.js';

const PICKED = [
  'copy-basic', 'sync-remove-and-add-subdir', 'sync-errors-no-delete', 'sync-overlap', 'sync-max-delete-exceeded',
  'copy-error-on-no-transfer', 'copy-missing-source-dir', 'move-delete-empty-src-dirs', 'check-differences',
  'check-combined-stdout', 'sync-empty-source', 'sync-dry-run',
];
const scenarios = loadScenarios().filter((s) => PICKED.includes(s.name) && s.expect !== undefined);

describe('corpus scenarios through the built CLI', () => {
  it('finds the built CLI', () => {
    expect(existsSync(JSYNC_BIN), `${JSYNC_BIN} is missing: run \`pnpm build\` (the root \`pnpm test\` builds first)`).toBe(true);
  });

  it.runIf(existsSync(JSYNC_BIN))('matches the recorded outcomes, log lines included', async () => {
    const outcomes = await pool(scenarios.map((s) => () => runScenario(s, { tool: 'jsync-bin', variant: 'local', ...(s.jsync?.extraArgs ? { extraArgs: s.jsync.extraArgs } : {}) })), 4);
    if (!process.env['JSYNC_SCENARIOS']) expect(scenarios.length).toBe(PICKED.length);
    scenarios.forEach((s, i) => {
      const want = jsyncExpectation(s, s.expect!);
      const got = outcomes[i]!;
      expect(project(got, s, 'local'), s.name).toEqual(project(want, s, 'local'));
      if (!(s.jsync?.expect && s.jsync.expect.log === undefined)) expect(got.log, s.name).toEqual(want.log);
    });
  }, 120_000);
});
