#!/usr/bin/env node
// `pnpm bench`: generates (or reuses) the data set, runs jsync, rclone (and coreutils md5sum) side by side on each
// case and prints the jsync/reference ratios of wall time and peak RSS; also writes tools/bench/results/latest.json.
// A benchmark, not a test: it reports and exits 0 whatever the ratios (non-zero only if it cannot run at all).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DEFAULT_DATA, ensureData, warmPageCache } from './lib/data.mjs';
import { CASE_IDS, COMMON_FLAGS, buildCases } from './lib/cases.mjs';
import { buildJcCases } from './lib/jc-cases.mjs';
import { DEFAULT_LIST_ENTRIES, JC_CASE_IDS, jcUnavailable, startJc } from './lib/jottacloud.mjs';
import { chooseRssMethod, measure, median } from './lib/measure.mjs';
import { formatMachine, formatTable, tableRows } from './lib/report.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'apps/cli/dist/bin.js');
const ALL_IDS = [...CASE_IDS, ...JC_CASE_IDS];

const { values: opt } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    'big-reps': { type: 'string', default: '2' },
    warmup: { type: 'string', default: '1' },
    cases: { type: 'string', default: ALL_IDS.join(',') },
    files: { type: 'string', default: String(DEFAULT_DATA.files) },
    'big-mib': { type: 'string', default: String(DEFAULT_DATA.bigBytes / 1048576) },
    seed: { type: 'string', default: String(DEFAULT_DATA.seed) },
    'list-entries': { type: 'string', default: String(DEFAULT_LIST_ENTRIES) },
    regen: { type: 'boolean', default: false },
    json: { type: 'string', default: join(root, 'tools/bench/results/latest.json') },
    'keep-work': { type: 'boolean', default: false },
    cold: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (opt.help) {
  console.log(`usage: node tools/bench/run.mjs [--reps 3] [--big-reps 2] [--warmup 1] [--cases ${ALL_IDS.join(',')}]
       [--files 10000] [--big-mib 1024] [--list-entries 100000] [--seed 1] [--regen] [--json path] [--keep-work] [--cold]
  --cold drops the page cache before every run (root only); by default every tool runs on a warm cache.
  --list-entries is the size of the tree jc-lsjson-100k lists (folders + files).`);
  process.exit(0);
}
const int = (name) => {
  const n = Number(opt[name]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} wants a non-negative integer, got ${opt[name]}`);
  return n;
};
const cfg = { reps: Math.max(1, int('reps')), bigReps: Math.max(1, int('big-reps')), warmup: int('warmup') };
const wanted = opt.cases.split(',').map((s) => s.trim()).filter(Boolean);
for (const id of wanted) if (!ALL_IDS.includes(id)) throw new Error(`unknown case ${id}; known: ${ALL_IDS.join(', ')}`);
if (!existsSync(bin)) {
  console.error(`bench: ${bin} is missing; build first (pnpm build)`);
  process.exit(2);
}
const log = (s) => process.stderr.write(`bench: ${s}\n`);

/** The environment for every child: no RCLONE_ or JSYNC_ variables or NODE_OPTIONS leaking in, UTC. */
function childEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(RCLONE_|JSYNC_|NODE_OPTIONS$)/.test(k)) env[k] = v;
  env.TZ = 'UTC';
  return env;
}

const firstLine = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : 'unknown';
};
const osName = () => {
  try {
    return /^PRETTY_NAME="?([^"\n]*)/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? platform();
  } catch {
    return platform();
  }
};

const DROP_CACHES = '/proc/sys/vm/drop_caches';

/** Can we drop the page cache? (Needs root and a writable /proc/sys; containers usually refuse.) Probes, never drops. */
function canDropCaches() {
  try {
    accessSync(DROP_CACHES, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Before every run: re-reads the case's inputs so they are in the page cache (warm mode; see warmPageCache), flushes
 * dirty pages, then in --cold mode drops the page cache so the run reads from disk.
 */
function settle(c) {
  if (!opt.cold) warmPageCache(c.warm ?? []);
  spawnSync('sync');
  if (opt.cold) writeFileSync(DROP_CACHES, '3');
}

/** The command line of one run: the case's flags for that tool (COMMON_FLAGS unless the case has its own), then the tail. */
const toolArgv = {
  jsync: (tail, flags) => [process.execPath, [bin, ...flags, ...tail]],
  rclone: (tail, flags) => ['rclone', [...flags, ...tail]],
  md5sum: (tail) => ['md5sum', tail],
};

async function runCase(c, { work, env, method }) {
  const names = Object.keys(c.tools);
  const reps = c.big ? cfg.bigReps : cfg.reps;
  const res = Object.fromEntries(names.map((n) => [n, { argv: undefined, wallMs: [], rssBytes: [], cpuMs: [], problem: undefined }]));
  // A tool the case cannot run (e.g. its backend cannot be configured) is marked unavailable and skipped.
  const prep = (await c.prepare()) ?? {};
  for (const [n, why] of Object.entries(prep.unavailable ?? {})) Object.assign(res[n], { problem: why, unavailable: true });
  const once = async (name, timed) => {
    const r = res[name];
    if (r.problem) return;
    c.reset();
    settle(c); // warm inputs; no run pays for the previous run's writeback
    const [cmd, args] = toolArgv[name](c.tools[name](), c.flags ? c.flags(name) : COMMON_FLAGS);
    r.argv ??= [cmd, ...args];
    const m = await measure(cmd, args, { workDir: work, env: c.env ?? env, cwd: work, method, label: `${c.id}-${name}` });
    const bad = m.code !== 0 ? `exit ${m.code ?? m.signal}: ${m.stderr.trim().split('\n').slice(-2).join(' / ').slice(0, 200)}` : c.verify(name, m);
    await c.after?.(name); // untimed clean-up (e.g. deleting the uploaded tree from the emulator)
    if (bad) { r.problem = bad; return; }
    if (timed) { r.wallMs.push(m.wallMs); r.rssBytes.push(m.rssBytes); if (m.cpuMs !== undefined) r.cpuMs.push(m.cpuMs); }
  };
  for (let w = 0; w < cfg.warmup; w++) for (const n of names) await once(n, false);
  for (let i = 0; i < reps; i++) {
    const order = i % 2 === 0 ? names : [...names].reverse();
    for (const n of order) await once(n, true);
  }
  for (const r of Object.values(res)) {
    if (r.problem) continue;
    r.medianWallMs = median(r.wallMs);
    r.medianRssBytes = median(r.rssBytes);
    r.medianCpuMs = median(r.cpuMs);
  }
  const load = loadavg()[0];
  log(`${c.id}: ${names.map((n) => `${n} ${res[n].unavailable ? 'n/a' : res[n].problem ? 'FAILED' : `${(res[n].medianWallMs / 1000).toFixed(3)} s`}`).join(', ')}`);
  return { id: c.id, title: c.title, big: c.big, reps, loadAfter: load, tools: res };
}

async function main() {
  if (opt.cold && !canDropCaches()) throw new Error(`--cold needs write access to ${DROP_CACHES}`);
  const method = chooseRssMethod({ log });
  const data = ensureData({ seed: int('seed'), files: int('files'), bigBytes: int('big-mib') * 1048576 }, { regen: opt.regen, log });
  log(`data ${data.cached ? 'reused from cache' : 'generated'}: ${data.dir}`);
  const work = mkdtempSync(join(tmpdir(), 'jsync-bench-work-'));
  const env = childEnv();
  const machine = {
    cpuModel: cpus()[0]?.model ?? 'unknown', cpus: cpus().length, totalMemBytes: totalmem(), os: osName(), kernel: release(),
    node: process.version, rclone: firstLine('rclone', ['version']), coreutilsMd5sum: firstLine('md5sum', ['--version']),
    jsync: firstLine(process.execPath, [bin, 'version']).replace(/^jsync\s*/, ''),
    git: (firstLine('git', ['-C', root, 'rev-parse', '--short', 'HEAD']) + (firstLine('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no']) === '' ? '' : '+dirty')),
    fsType: firstLine('stat', ['-f', '-c', '%T', data.dir]),
    loadAtStart: loadavg()[0],
  };
  const meta = { ...cfg, rssMethod: method === 'gnu-time' ? 'GNU time %M (ru_maxrss)' : '/proc/<pid>/status VmHWM polling', cache: opt.cold ? 'cold: page cache dropped before every run' : `warm: page cache not dropped (dropping is ${canDropCaches() ? 'possible here: --cold' : 'not permitted here'})`, flags: COMMON_FLAGS, dataDir: data.dir, dataCached: data.cached };
  const results = [];
  const skipped = [];
  let jc;
  try {
    const cases = buildCases({ data, work });
    const jcWanted = JC_CASE_IDS.filter((id) => wanted.includes(id));
    if (jcWanted.length > 0) {
      const why = jcUnavailable({ root });
      if (why) {
        log(`skipping ${jcWanted.join(', ')}: ${why}`);
        for (const id of jcWanted) skipped.push({ id, reason: why });
      } else {
        jc = await startJc({ root, work, baseEnv: env, log });
        meta.jottacloud = `one in-process emulator (memory, dedup off) reached through its HTTPS proxy; per tool: HTTPS_PROXY=<emulator>, ${jc.flags('rclone').join(' ').replace(jc.configs.rclone, '<tool>.conf')}`;
        cases.push(...buildJcCases({ data, jc, toolCmd: { jsync: [process.execPath, bin], rclone: ['rclone'] }, listEntries: Math.max(2, int('list-entries')), log }));
      }
    }
    for (const c of cases) if (wanted.includes(c.id)) results.push(await runCase(c, { work, env, method }));
  } finally {
    await jc?.stop();
    if (!opt['keep-work']) rmSync(work, { recursive: true, force: true });
  }
  machine.loadAtEnd = loadavg()[0];
  const rows = tableRows(results);
  const skippedText = skipped.map((s) => `skipped ${s.id}: ${s.reason}`).join('\n');
  const text = `${formatMachine(machine, meta)}\n\n${formatTable(rows)}${skippedText ? `\n${skippedText}` : ''}`;
  console.log(text);
  mkdirSync(dirname(opt.json), { recursive: true });
  writeFileSync(opt.json, JSON.stringify({ date: new Date().toISOString(), machine, method: meta, data: data.manifest, rows, cases: results, skipped, table: text }, null, 2) + '\n');
  log(`wrote ${opt.json}`);
}

await main();
