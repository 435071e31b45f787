// Summarises a V8 .cpuprofile: self time by function and by file, and inclusive time by function (top N each).
import { readFileSync } from 'node:fs';

const shortUrl = (url) => url.replace(/^file:\/\//, '').replace(/^.*\/(packages|apps|node_modules)\//, '$1/');

/** Self/inclusive tables of a .cpuprofile as text. */
export function summarizeProfile(path, top = 30) {
  const p = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const time = new Map();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    time.set(id, (time.get(id) ?? 0) + dt);
    total += dt;
  });
  const fn = (n) => `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const file = (n) => shortUrl(n.callFrame.url) || `(native ${n.callFrame.functionName})`;
  const self = new Map(), selfFile = new Map(), incl = new Map();
  const add = (m, k, t) => m.set(k, (m.get(k) ?? 0) + t);
  for (const [id, t] of time) {
    const n = byId.get(id);
    add(self, fn(n), t);
    add(selfFile, file(n), t);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const k = fn(byId.get(cur));
      if (!seen.has(k)) {
        seen.add(k);
        add(incl, k, t);
      }
    }
  }
  const table = (title, m) => [`== ${title} (total ${(total / 1000).toFixed(0)} ms)`, ...[...m].sort((a, b) => b[1] - a[1]).slice(0, top)
    .map(([k, t]) => `${((100 * t) / total).toFixed(1).padStart(5)}%  ${(t / 1000).toFixed(1).padStart(8)} ms  ${k}`)].join('\n');
  return [table('self by function', self), table('self by file', selfFile), table('inclusive by function', incl)].join('\n\n');
}
