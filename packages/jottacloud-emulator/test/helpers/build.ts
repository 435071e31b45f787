// A runnable JavaScript build of the emulator for tests that spawn `jotta-emulator` as a process: dist/ when it is
// newer than every source file, otherwise a transpile-only tsc build into a temp dir.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../..', import.meta.url));

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

/** Path of a bin.js that reflects the current sources, and how to clean up a temporary build. */
export function emulatorBin(): { bin: string; cleanup(): void } {
  const dist = join(pkg, 'dist', 'bin.js');
  if (existsSync(dist) && statSync(dist).mtimeMs >= newest(join(pkg, 'src'))) return { bin: dist, cleanup: () => undefined };
  const out = mkdtempSync(join(tmpdir(), 'jotta-emulator-build-'));
  const tsc = join(pkg, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(pkg, 'tsconfig.build.json'), '--outDir', out, '--noCheck', '--declaration', 'false', '--sourceMap', 'false'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc failed: ${r.stdout}${r.stderr}`);
  return { bin: join(out, 'bin.js'), cleanup: () => rmSync(out, { recursive: true, force: true }) };
}
