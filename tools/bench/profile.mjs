#!/usr/bin/env node
// Profiles jsync on one benchmark case with V8's --cpu-prof and prints where the time goes (self and inclusive,
// by function, plus self by file). Uses the same cached data and flags as run.mjs. Not part of `pnpm bench`.
//   node tools/bench/profile.mjs <case> [--files N] [--big-mib N] [--top 30] [--keep]
// Note: V8 samples wall-clock time; on a busy machine syscalls soak up the time spent waiting for a CPU.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DATA, ensureData } from './lib/data.mjs';
import { CASE_IDS, COMMON_FLAGS, buildCases } from './lib/cases.mjs';
import { summarizeProfile } from './lib/profile-summary.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    files: { type: 'string', default: String(DEFAULT_DATA.files) },
    'big-mib': { type: 'string', default: String(DEFAULT_DATA.bigBytes / 1048576) },
    top: { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
  },
});
const id = positionals[0];
if (!CASE_IDS.includes(id)) {
  console.error(`usage: node tools/bench/profile.mjs <${CASE_IDS.join('|')}> [--files N] [--big-mib N] [--top N] [--keep]`);
  process.exit(2);
}
const data = ensureData({ files: Number(opt.files), bigBytes: Number(opt['big-mib']) * 1048576 }, { log: (s) => console.error(s) });
const work = mkdtempSync(join(tmpdir(), 'jsync-profile-'));
try {
  const c = buildCases({ data, work }).find((x) => x.id === id);
  c.prepare();
  c.reset();
  const profDir = join(work, 'prof');
  const args = ['--cpu-prof', `--cpu-prof-dir=${profDir}`, join(root, 'apps/cli/dist/bin.js'), ...COMMON_FLAGS, ...c.tools.jsync()];
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, TZ: 'UTC' } });
  if (r.status !== 0) console.error(`jsync exited with ${r.status}`);
  const file = join(profDir, readdirSync(profDir)[0]);
  console.log(`profile: ${file}${opt.keep ? '' : ' (removed; --keep keeps it)'}\n`);
  console.log(summarizeProfile(file, Number(opt.top)));
  if (opt.keep) console.log(`\nkept: ${work}`);
} finally {
  if (!opt.keep) rmSync(work, { recursive: true, force: true });
}
