// Formats benchmark results: the jsync/reference ratio table (text) and the machine summary.
import { formatBytes } from './cases.mjs';

/** A ratio a/b rounded for display, or undefined when either side is missing. */
export function ratio(a, b) {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

/** Rows of the table: one per case against rclone, plus jsync against coreutils md5sum where a case has it. */
export function tableRows(cases) {
  const rows = [];
  for (const c of cases) {
    for (const ref of ['rclone', 'md5sum']) {
      if (!c.tools[ref]) continue;
      const j = c.tools.jsync, r = c.tools[ref];
      rows.push({
        case: ref === 'rclone' ? c.title : `${c.title} vs coreutils md5sum`,
        ref: ref === 'rclone' ? 'rclone' : 'coreutils',
        jsyncWallMs: j.medianWallMs, refWallMs: r.medianWallMs, wallRatio: ratio(j.medianWallMs, r.medianWallMs),
        jsyncRssBytes: j.medianRssBytes, refRssBytes: r.medianRssBytes, rssRatio: ratio(j.medianRssBytes, r.medianRssBytes),
        cpuRatio: ratio(j.medianCpuMs, r.medianCpuMs),
        jsyncNa: j.unavailable === true, refNa: r.unavailable === true,
        problems: [...(j.problem ? [`jsync: ${j.problem}`] : []), ...(r.problem ? [`${ref}: ${r.problem}`] : [])],
      });
    }
  }
  return rows;
}

const secs = (ms, na) => (na ? 'n/a' : ms === undefined ? 'failed' : `${(ms / 1000).toFixed(3)} s`);
const mib = (b) => (b === undefined ? '-' : `${(b / 1048576).toFixed(1)} MiB`);
const rat = (x) => (x === undefined ? '-' : `${x.toFixed(2)}${x <= 1 ? '' : ' *'}`);

/** The text table (fixed-width, markdown-compatible pipes) plus footnotes for failures. */
export function formatTable(rows) {
  const head = ['case', 'jsync wall', 'ref wall', 'wall ratio', 'jsync RSS', 'ref RSS', 'RSS ratio', 'CPU ratio', 'ref'];
  const body = rows.map((r) => [r.case, secs(r.jsyncWallMs, r.jsyncNa), secs(r.refWallMs, r.refNa), rat(r.wallRatio), mib(r.jsyncRssBytes), mib(r.refRssBytes), rat(r.rssRatio), rat(r.cpuRatio), r.ref]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const out = [line(head), `|${widths.map((w, i) => (i === 0 || i === widths.length - 1 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`, ...body.map(line)];
  const problems = rows.flatMap((r) => r.problems.map((p) => `  ! ${r.case}: ${p}`));
  const met = rows.filter((r) => r.ref === 'rclone' && r.wallRatio !== undefined && r.wallRatio <= 1 && r.rssRatio <= 1).length;
  const total = rows.filter((r) => r.ref === 'rclone').length;
  out.push('', `ratios are jsync / ref of the medians (wall time, peak RSS, user+sys CPU time); * marks a ratio above 1.0. Target (vs rclone): wall ≤ 1.0 and RSS ≤ 1.0 — met in ${met} of ${total} cases.`);
  if (problems.length > 0) out.push('problems:', ...problems);
  return out.join('\n');
}

const fmtLoad = (x) => (x === undefined ? '?' : x.toFixed(2));

/** One-paragraph machine and method summary printed above the table. */
export function formatMachine(m, cfg) {
  const busy = Math.max(m.loadAtStart ?? 0, m.loadAtEnd ?? 0) > m.cpus * 0.5;
  return [
    `machine: ${m.cpuModel} × ${m.cpus} CPUs, ${formatBytes(m.totalMemBytes)} RAM, ${m.os}, kernel ${m.kernel}; load average ${fmtLoad(m.loadAtStart)} at start, ${fmtLoad(m.loadAtEnd)} at end`,
    `tools:   node ${m.node}, ${m.rclone}, ${m.coreutilsMd5sum}, jsync ${m.jsync} (git ${m.git})`,
    `data:    ${cfg.dataDir} on ${m.fsType} (${cfg.dataCached ? 'cached' : 'freshly generated'})`,
    `method:  ${cfg.warmup} warm-up + ${cfg.reps} timed runs per tool (${cfg.bigReps} for the big-file cases), median reported; ` +
      `order alternates per repetition; peak RSS by ${cfg.rssMethod}; ${cfg.cache}; ` +
      `inputs re-read into the page cache and dirty pages flushed (sync) before every run; flags for both: ${cfg.flags.join(' ')}`,
    ...(cfg.jottacloud ? [`jottacloud: ${cfg.jottacloud}`] : []),
    ...(busy ? [`WARNING: the machine was busy (load above half the CPU count): wall times are inflated and noisy; the CPU ratio is the steadier comparison.`] : []),
  ].join('\n');
}
