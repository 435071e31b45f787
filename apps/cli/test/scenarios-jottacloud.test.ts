// The sync scenario corpus (test-fixtures/sync-scenarios) with Jottacloud as destination (and backup) or as source:
// jsync in-process against one in-process emulator (HTTPS proxy + --ca-cert, as against jottacloud.com), each
// scenario on a fresh remote folder, compared with rclone v1.60.1's recorded local→local outcome (trees with their
// directories and modtimes cut to seconds, exit code, transferred/deleted sets). Scenarios whose outcome depends on
// case-sensitivity, sub-second modtimes or a hash other than md5 are skipped with the reason computed from them.

import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jottaSkipReason, projectJotta, runJottaScenario, type JottaVariant } from './helpers/jotta-scenarios.js';
import { startJottaEnv, type JottaEnv } from './helpers/jotta-tools.js';
import { pool } from './helpers/scenario-run.js';
import { jsyncExpectation, loadScenarios } from './helpers/scenario-types.js';
import type { Outcome } from './helpers/scenario-types.js';

const VARIANTS: readonly JottaVariant[] = ['jottacloud-dst', 'jottacloud-src'];
const PARALLEL = 6;
const scenarios = loadScenarios().filter((s) => s.expect !== undefined);

describe('sync scenarios with jottacloud against the recorded rclone outcomes', () => {
  let env: JottaEnv;
  const outcomes = new Map<string, Outcome | Error>();
  const key = (name: string, v: JottaVariant) => `${name}\0${v}`;

  beforeAll(async () => {
    env = await startJottaEnv({ capacity: -1, seed: 5 });
    const conf = join(env.work, 'scenarios.conf');
    writeFileSync(conf, '');
    await env.createRemote('jsync', conf, 'jc');
    const jobs = scenarios.flatMap((s) => VARIANTS.filter((v) => jottaSkipReason(s, v) === undefined).map((v) => async () => {
      try {
        outcomes.set(key(s.name, v), await runJottaScenario(s, {
          env, configPath: conf, remote: 'jc', prefix: `scn/${v}/${s.name}`, variant: v,
          ...(s.jsync?.extraArgs ? { extraArgs: s.jsync.extraArgs } : {}),
        }));
      } catch (err) {
        outcomes.set(key(s.name, v), err instanceof Error ? err : new Error(String(err)));
      }
    }));
    await pool(jobs, PARALLEL);
  }, 240_000);
  afterAll(async () => {
    await env?.stop();
  });

  it('the corpus has recorded scenarios, and most run in both variants', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(process.env['JSYNC_SCENARIOS'] ? 1 : 40);
    const runnable = scenarios.filter((s) => VARIANTS.every((v) => jottaSkipReason(s, v) === undefined));
    expect(runnable.length).toBeGreaterThanOrEqual(Math.floor(scenarios.length * 0.8));
  });

  for (const s of scenarios) {
    describe(s.name, () => {
      const want = jsyncExpectation(s, s.expect!);
      for (const v of VARIANTS) {
        const reason = jottaSkipReason(s, v);
        it.skipIf(reason !== undefined)(`jsync ${v}: trees, exit code, transfers and deletions${reason ? ` (skipped: ${reason})` : ''}`, () => {
          const got = outcomes.get(key(s.name, v));
          if (got instanceof Error) throw got;
          expect(got).toBeDefined();
          expect(projectJotta(got!, s)).toEqual(projectJotta(want, s));
        });
      }
    });
  }
});
