#!/usr/bin/env node
// Builds the optional utimensat addon (native/utimens.c → dist/native/utimens.node) with the system C compiler.
// Without a compiler the backend still works: it falls back to `touch` for sub-microsecond modtimes. Never fails.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

if (process.platform !== 'linux') {
  console.log('backend-local: native utimens addon is Linux-only; skipped');
  process.exit(0);
}
const src = fileURLToPath(new URL('../native/utimens.c', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/native/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const cc = process.env.CC || 'cc';
const args = ['-O2', '-shared', '-fPIC', '-Wall', '-Wextra', '-o', `${outDir}utimens.node`, src];
const r = spawnSync(cc, args, { stdio: ['ignore', 'inherit', 'inherit'] });
if (r.error || r.status !== 0) {
  console.log(`backend-local: could not build the utimens addon with ${cc} (${r.error?.message ?? `exit ${r.status}`}); using the touch fallback`);
} else {
  console.log('backend-local: built native utimens addon');
}
