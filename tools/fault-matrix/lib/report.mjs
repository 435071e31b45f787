// The matrix report: one markdown row per (fault kind, operation) cell and a totals row, the cells that do not
// apply, and the runs with problems (with their seeds, to rerun them alone).
import { KINDS, OP_IDS, notApplicable } from './plan.mjs';

/** Outcomes whose final state was reached (first run, or the fault-free rerun). */
const CONVERGED = new Set(['clean', 'loud', 'unclear']);

/** Counters over records: faults injected, runs, converged, clean, failed loudly, files lost, runs with problems. */
export function totals(records) {
  return {
    fired: records.reduce((n, r) => n + r.fired, 0),
    runs: records.length,
    converged: records.filter((r) => CONVERGED.has(r.outcome)).length,
    clean: records.filter((r) => r.outcome === 'clean').length,
    loud: records.filter((r) => r.outcome === 'loud').length,
    lost: records.reduce((n, r) => n + r.lost.length, 0),
    problems: records.filter((r) => r.problems.length > 0).length,
    silent: records.filter((r) => r.outcome === 'silent').length,
  };
}

/** True when the matrix passes: no file lost, no problem (silent partial result, unclear failure, no convergence). */
export function passed(records) {
  const t = totals(records);
  return t.runs > 0 && t.lost === 0 && t.problems === 0 && t.converged === t.runs;
}

/** The markdown table (cells in KINDS × OP_IDS order, then the totals row). */
export function formatTable(records) {
  const head = ['fault kind', 'operation', 'faults injected', 'runs', 'converged', 'exit 0 + check clean', 'failed loudly', 'files lost', 'runs with problems'];
  const rows = [];
  for (const kind of KINDS) {
    for (const op of OP_IDS) {
      const rs = records.filter((r) => r.kind === kind && r.op === op);
      if (rs.length === 0) continue;
      const t = totals(rs);
      rows.push([kind, op, t.fired, t.runs, t.converged, t.clean, t.loud, t.lost, t.problems].map(String));
    }
  }
  const t = totals(records);
  rows.push(['**total**', '', t.fired, t.runs, t.converged, t.clean, t.loud, t.lost, t.problems].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** The cells of `kinds` × `ops` that do not apply, one line per kind. */
export function formatNotApplicable(kinds = KINDS, ops = OP_IDS) {
  const out = [];
  for (const kind of kinds) {
    const na = ops.filter((op) => notApplicable(kind, op));
    if (na.length > 0) out.push(`- ${kind}: ${na.join(', ')} (${notApplicable(kind, na[0])})`);
  }
  return out.join('\n');
}

/** Details of the runs with problems or lost files (and notes, when `notes`), each with the seed to rerun it. */
export function formatProblems(records, { notes = false } = {}) {
  const out = [];
  for (const r of records) {
    const bad = r.problems.length + r.lost.length > 0;
    if (!bad && !(notes && r.notes.length > 0)) continue;
    out.push(`### ${r.kind} × ${r.op}, seed ${r.seed}: ${r.outcome}, exit ${r.code}, ${r.fired} faults (${r.faults.join(' ')}; ${r.flags.join(' ')})`);
    for (const l of r.lost) out.push(`- LOST: ${l}`);
    for (const p of r.problems) out.push(`- ${p}`);
    if (notes) for (const n of r.notes) out.push(`- note: ${n}`);
    if (bad && r.log) out.push('```', r.log, '```');
  }
  return out.join('\n');
}
