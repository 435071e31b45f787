// The sync scenario corpus (test-fixtures/sync-scenarios) against the outcomes recorded from rclone v1.60.1: jsync
// runs every scenario in-process local→local and with the memory backend as destination, source or both, and must
// give the same trees, exit code and transferred/deleted sets (and, local→local, the same log lines).
// The recordings are re-checked against the live rclone in scenarios-rclone.test.ts.

import { describe, expect, it } from 'vitest';
import { project } from './helpers/scenario-compare.js';
import { runScenario } from './helpers/scenario-run.js';
import { jsyncExpectation, loadScenarios, scenarioVariants } from './helpers/scenario-types.js';
import type { Outcome, Scenario, Variant } from './helpers/scenario-types.js';

const scenarios = loadScenarios().filter((s) => s.expect !== undefined);

const runs = new Map<string, Promise<Outcome>>();

/** jsync's outcome for a scenario in a variant (run once, shared by the tests that look at it). */
function runJsync(s: Scenario, variant: Variant): Promise<Outcome> {
  const key = `${s.name}\0${variant}`;
  let run = runs.get(key);
  if (!run) {
    run = runScenario(s, { tool: 'jsync', variant, ...(s.jsync?.extraArgs ? { extraArgs: s.jsync.extraArgs } : {}) });
    runs.set(key, run);
  }
  return run;
}

describe('sync scenarios against the recorded rclone outcomes', () => {
  it('the corpus has at least 40 recorded scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(process.env['JSYNC_SCENARIOS'] ? 1 : 40);
  });

  for (const s of scenarios) {
    describe(s.name, () => {
      const want = jsyncExpectation(s, s.expect!);
      for (const variant of scenarioVariants(s)) {
        it(`jsync ${variant}: trees, exit code, transfers and deletions`, async () => {
          const got = await runJsync(s, variant);
          expect(project(got, s, variant)).toEqual(project(want, s, variant));
        });
      }
      // A deliberate difference that does not restate the log has other log lines by design.
      it.skipIf(s.jsync !== undefined && s.jsync.expect !== undefined && s.jsync.expect.log === undefined)('jsync local: log lines', async () => {
        const got = await runJsync(s, 'local');
        expect(got.log).toEqual(want.log);
      });
    });
  }
});
