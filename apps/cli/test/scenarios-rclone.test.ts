// The sync scenario corpus against the live rclone (CI installs rclone v1.60.1, the reference oracle; without an
// `rclone` binary this half is skipped and scenarios.test.ts still checks jsync against the recorded outcomes).
// Each scenario runs with rclone local→local: the outcome must still equal the recorded one, and jsync's own
// local→local run must equal rclone's (this also covers scenarios dropped into the corpus without a recording).
// JSYNC_RECORD_SCENARIOS=1 (tools/record-scenarios.mjs) writes rclone's outcomes into the corpus instead.

import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rcloneAvailable } from './helpers/run-both.js';
import { project } from './helpers/scenario-compare.js';
import { pool, runScenario } from './helpers/scenario-run.js';
import { jsyncExpectation, loadScenarios, scenarioVariants } from './helpers/scenario-types.js';
import type { Outcome } from './helpers/scenario-types.js';

const RECORD = process.env['JSYNC_RECORD_SCENARIOS'] === '1';
const scenarios = loadScenarios();

describe.runIf(rcloneAvailable)('sync scenarios against the live rclone', () => {
  const live = new Map<string, Outcome>();

  beforeAll(async () => {
    const outcomes = await pool(scenarios.map((s) => () => runScenario(s, { tool: 'rclone', variant: 'local' })), 4);
    scenarios.forEach((s, i) => live.set(s.name, outcomes[i]!));
  }, 120_000);

  afterAll(() => {
    if (!RECORD) return;
    for (const s of scenarios) {
      const file = s.file!;
      const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      data['expect'] = live.get(s.name);
      writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
    }
  });

  it('the corpus has at least 40 scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(process.env['JSYNC_SCENARIOS'] ? 1 : 40);
  });

  for (const s of scenarios) {
    // Skipped while re-recording (JSYNC_RECORD_SCENARIOS: the recording itself is being replaced) and for scenarios
    // without a recording (they are compared live against rclone in the test below instead).
    it.skipIf(RECORD || !s.expect)(`${s.name}: rclone still produces the recorded outcome`, () => {
      expect(live.get(s.name)).toEqual(s.expect);
    });

    // Recorded scenarios run their memory variants in scenarios.test.ts; unrecorded ones get them here.
    const variants = s.expect ? (['local'] as const) : scenarioVariants(s);
    for (const variant of variants) {
      // Skipped only while re-recording expectations from rclone (JSYNC_RECORD_SCENARIOS).
      it.skipIf(RECORD)(`${s.name}: jsync ${variant} matches rclone`, async () => {
        const rclone = live.get(s.name)!;
        const want = jsyncExpectation(s, rclone);
        const got = await runScenario(s, { tool: 'jsync', variant, ...(s.jsync?.extraArgs ? { extraArgs: s.jsync.extraArgs } : {}) });
        expect(project(got, s, variant)).toEqual(project(want, s, variant));
      });
    }
  }
});
