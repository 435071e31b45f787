#!/usr/bin/env node
// `pnpm fault-matrix`: every fault kind × every operation against in-process Jottacloud emulators, run by the built
// jsync CLI, seeded and bounded. Prints a markdown table (faults injected, runs, converged, failed loudly, files
// lost per cell, and the totals) and the runs with problems; exits 1 if any file was lost or any run ended in a
// silent partial result, an unclear failure or without converging (2 when it cannot run at all). See README.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { KINDS, OP_IDS, notApplicable } from './lib/plan.mjs';
import { formatNotApplicable, formatProblems, formatTable, passed, totals } from './lib/report.mjs';
import { matrixPlans, runMatrix } from './lib/runner.mjs';
import { killAll, unavailable } from './lib/world.mjs';

const { values: opt } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    seeds: { type: 'string', default: '3' },
    kinds: { type: 'string', default: KINDS.join(',') },
    ops: { type: 'string', default: OP_IDS.join(',') },
    cells: { type: 'string' },
    parallel: { type: 'string', default: String(Math.max(1, Math.min(3, cpus().length))) },
    'run-timeout': { type: 'string', default: '90' },
    'max-runs': { type: 'string', default: '1000' },
    'extra-flags': { type: 'string', default: '' },
    'extra-faults': { type: 'string', default: '' },
    json: { type: 'string' },
    notes: { type: 'boolean', default: false },
    'keep-work': { type: 'boolean', default: false },
    'work-dir': { type: 'string', default: tmpdir() },
    help: { type: 'boolean', default: false },
  },
});
if (opt.help) {
  console.log(`usage: node tools/fault-matrix/run.mjs [--seed 1] [--seeds 3] [--kinds ${KINDS.join(',')}]
       [--ops ${OP_IDS.join(',')}] [--cells kind:op,…] [--parallel N] [--run-timeout 90 (s per jsync run)] [--max-runs 1000]
       [--extra-flags="<jsync flags of each faulty run>"] [--extra-faults "<emulator fault specs added to each run>"] [--json out.json] [--notes] [--keep-work] [--work-dir parent-of-the-work-dir]`);
  process.exit(0);
}
const int = (name, min) => {
  const n = Number(opt[name]);
  if (!Number.isInteger(n) || n < min) {
    console.error(`fault-matrix: --${name} wants an integer >= ${min}, got ${opt[name]}`);
    process.exit(2);
  }
  return n;
};
const list = (name, known) => {
  const xs = opt[name].split(',').map((s) => s.trim()).filter(Boolean);
  for (const x of xs) {
    if (!known.includes(x)) {
      console.error(`fault-matrix: unknown ${name.slice(0, -1)} ${x}; known: ${known.join(', ')}`);
      process.exit(2);
    }
  }
  return xs;
};
const why = unavailable();
if (why) {
  console.error(`fault-matrix: ${why}`);
  process.exit(2);
}

const only = opt.cells?.split(',').filter(Boolean).map((c) => {
  const [kind, op] = c.split(':');
  const why = !KINDS.includes(kind) || !OP_IDS.includes(op) ? 'unknown kind or operation' : notApplicable(kind, op);
  if (why) {
    console.error(`fault-matrix: cell ${c}: ${why}`);
    process.exit(2);
  }
  return { kind, op };
});
const plans = matrixPlans({ only, kinds: list('kinds', KINDS), ops: list('ops', OP_IDS), seed: int('seed', 0), seeds: int('seeds', 1), maxRuns: int('max-runs', 1) });
const work = mkdtempSync(join(opt['work-dir'], 'jsync-fault-matrix-'));
const tlsDir = join(work, 'tls');
mkdirSync(tlsDir);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}
const t0 = Date.now();
let done = 0;
process.stderr.write(`fault-matrix: ${plans.length} runs, ${opt.parallel} at a time, work dir ${work}\n`);
const records = await runMatrix(plans, {
  parallel: int('parallel', 1), workDir: work, tlsDir, timeoutMs: int('run-timeout', 1) * 1000, keep: opt['keep-work'],
  extraFlags: opt['extra-flags'].split(' ').filter(Boolean),
  extraFaults: opt['extra-faults'].split(/[ ,]+/).filter(Boolean),
  onResult: (r) => {
    done++;
    const mark = r.lost.length + r.problems.length > 0 ? ' <-- PROBLEM' : '';
    process.stderr.write(`[${done}/${plans.length}] ${r.kind} × ${r.op} seed ${r.seed}: ${r.outcome} (exit ${r.code}, ${r.fired} faults, ${r.ms} ms)${mark}\n`);
  },
});
const t = totals(records);
const secs = Math.round((Date.now() - t0) / 1000);
console.log(`## jsync fault matrix (seeds ${opt.seed}..${Number(opt.seed) + Number(opt.seeds) - 1}, ${t.runs} runs, ${secs} s)\n`);
console.log(formatTable(records));
const na = only ? '' : formatNotApplicable(list('kinds', KINDS), list('ops', OP_IDS));
if (na) console.log(`\nNot applicable (the operation makes no request the fault acts on):\n${na}`);
const details = formatProblems(records, { notes: opt.notes });
if (details) console.log(`\n${details}`);
const ok = passed(records);
console.log(`\n${ok ? 'PASS' : 'FAIL'}: ${t.lost} files lost, ${t.silent} silent partial results, ${t.problems} runs with problems, ${t.converged}/${t.runs} converged`);
if (opt.json) writeFileSync(opt.json, `${JSON.stringify({ seed: Number(opt.seed), seeds: Number(opt.seeds), seconds: secs, totals: t, records }, null, 2)}\n`);
if (!opt['keep-work'] && ok) rmSync(work, { recursive: true, force: true });
else process.stderr.write(`fault-matrix: work dir kept: ${work}\n`);
process.exit(ok ? 0 : 1);
