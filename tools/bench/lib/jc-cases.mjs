// The jottacloud benchmark cases (same shape as lib/cases.mjs, plus per-tool flags, env and an untimed after-run
// hook): uploads of the small-file tree and of the big file, and a recursive fast-list listing of a seeded tree.
import { performance } from 'node:perf_hooks';
import { formatBytes } from './cases.mjs';
import { planListTree } from './jottacloud.mjs';

/**
 * Builds the jottacloud cases for a data set and a started emulator handle (lib/jottacloud.mjs startJc).
 * `toolCmd[tool]` is the command prefix used to configure each tool (e.g. [node, bin] for jsync).
 * prepare() configures both tools once (an unavailable tool is reported, not fatal) and returns { unavailable }.
 */
export function buildJcCases({ data, jc, toolCmd, listEntries, log = () => {} }) {
  const want = data.manifest.small;
  const big = data.manifest.big;
  let configured;
  const configure = () => {
    configured ??= (async () => {
      const unavailable = {};
      for (const tool of ['jsync', 'rclone']) {
        const why = await jc.configure(tool, toolCmd[tool]);
        if (why) { unavailable[tool] = why; log(`jottacloud: ${tool} ${why}`); }
      }
      return { unavailable };
    })();
    return configured;
  };
  let runNo = 0;
  const dest = (kind, tool) => `bench-${kind}-${tool}-${runNo}`;
  const fresh = () => { runNo++; jc.emu.state.clearRequests(); };
  const common = { flags: jc.flags, env: jc.env };

  const treeName = `tree-${listEntries}`;
  const plan = planListTree(listEntries);
  let seeded = false;
  const seed = async () => {
    if (seeded) return;
    const t0 = performance.now();
    await jc.seedTree(treeName, plan);
    const s = jc.stats(treeName);
    if (s.files + s.dirs !== listEntries) throw new Error(`seeded ${s.files} files + ${s.dirs} folders, want ${listEntries} entries`);
    log(`jottacloud: seeded ${listEntries} entries (${s.dirs} folders, ${s.files} files) into the emulator in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    seeded = true;
  };
  const expectedPaths = new Set([...plan.dirs, ...plan.files.map((f) => f.path)]);

  return [
    {
      ...common, id: 'jc-copy-small', title: `jottacloud: copy ${want.files} small files`, big: false, warm: [data.small],
      tools: { jsync: () => ['copy', data.small, `jc:${dest('small', 'jsync')}`], rclone: () => ['copy', data.small, `jc:${dest('small', 'rclone')}`] },
      prepare: configure, reset: fresh,
      verify: (tool, r) => {
        if (r.code !== 0) return undefined;
        const s = jc.stats(dest('small', tool));
        return s && s.files === want.files && s.bytes === want.bytes ? undefined : `remote has ${s?.files ?? 0} files / ${s?.bytes ?? 0} bytes, want ${want.files} / ${want.bytes}`;
      },
      after: (tool) => jc.remove(dest('small', tool)),
    },
    {
      ...common, id: 'jc-copy-big', title: `jottacloud: copy 1 file of ${formatBytes(big.bytes)}`, big: true, warm: [data.big],
      tools: { jsync: () => ['copy', data.big, `jc:${dest('big', 'jsync')}`], rclone: () => ['copy', data.big, `jc:${dest('big', 'rclone')}`] },
      prepare: configure, reset: fresh,
      verify: (tool, r) => {
        if (r.code !== 0) return undefined;
        const s = jc.stats(dest('big', tool));
        return s && s.files === 1 && s.bytes === big.bytes && s.md5s[0] === big.md5 ? undefined : `remote has ${s?.files ?? 0} files / ${s?.bytes ?? 0} bytes (md5 ${s?.md5s[0] ?? '-'}), want 1 / ${big.bytes} (md5 ${big.md5})`;
      },
      after: (tool) => jc.remove(dest('big', tool)),
    },
    {
      ...common, id: 'jc-lsjson-100k', title: `jottacloud: lsjson -R --fast-list of ${listEntries} entries`, big: false, warm: [],
      tools: { jsync: () => ['lsjson', '-R', '--fast-list', `jc:${treeName}`], rclone: () => ['lsjson', '-R', '--fast-list', `jc:${treeName}`] },
      prepare: async () => { const c = await configure(); await seed(); return c; },
      reset: fresh,
      verify: (_tool, r) => (r.code === 0 ? checkListing(r.stdout, expectedPaths, plan.dirs.length) : undefined),
    },
  ];
}

/** Checks lsjson output against the seeded tree: every entry once, the right paths, the right number of folders. */
export function checkListing(stdout, expectedPaths, wantDirs) {
  let items;
  try {
    items = JSON.parse(stdout);
  } catch (e) {
    return `output is not JSON (${e.message.slice(0, 80)})`;
  }
  if (!Array.isArray(items)) return 'output is not a JSON array';
  const seen = new Set();
  let dirs = 0;
  for (const it of items) {
    if (!expectedPaths.has(it.Path)) return `unexpected entry ${JSON.stringify(it.Path)}`;
    seen.add(it.Path);
    if (it.IsDir) dirs++;
  }
  if (items.length !== expectedPaths.size || seen.size !== expectedPaths.size) return `listed ${items.length} entries (${seen.size} distinct), want ${expectedPaths.size}`;
  return dirs === wantDirs ? undefined : `listed ${dirs} folders, want ${wantDirs}`;
}
