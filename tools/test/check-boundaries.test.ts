// The dependency-direction lint must fail on each kind of violation (run against throw-away repo trees).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../check-boundaries.mjs', import.meta.url));
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'boundaries-'));
  dirs.push(root);
  const base: Record<string, string> = {
    'packages/core/package.json': '{"name":"@jsync/core","exports":{".":"./src/index.ts"}}',
    'packages/core/src/index.ts': "import { readFile } from 'node:fs';\n",
    'packages/backend-x/package.json': '{"name":"@jsync/backend-x","exports":{".":"./src/index.ts"}}',
    'packages/backend-x/src/index.ts': "import { Registry } from '@jsync/core';\n",
    'apps/cli/package.json': '{"name":"@jsync/cli","exports":{}}',
    'apps/cli/src/main.ts': "import { x } from '@jsync/backend-x';\nimport { Command } from 'commander';\n",
  };
  for (const [p, text] of Object.entries({ ...base, ...files })) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

function run(root: string): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync(process.execPath, [script, root], { encoding: 'utf8', stdio: 'pipe' }) };
  } catch (err) {
    return { ok: false, output: String((err as { stderr?: string }).stderr) };
  }
}

describe('check-boundaries', () => {
  it('passes a clean tree', () => {
    expect(run(repo({})).ok).toBe(true);
  });
  it('rejects core importing another package', () => {
    const r = run(repo({ 'packages/core/src/index.ts': "import { x } from '@jsync/backend-x';\n" }));
    expect(r.ok).toBe(false);
    expect(r.output).toContain('@jsync/core may not import @jsync/backend-x');
  });
  it('rejects a backend deep-importing core internals or another backend', () => {
    const deep = run(repo({ 'packages/backend-x/src/index.ts': "import { y } from '@jsync/core/src/fs/types.js';\n" }));
    expect(deep.output).toContain('deep import');
    const other = run(repo({ 'packages/backend-x/src/index.ts': "import { y } from '@jsync/backend-memory';\n" }));
    expect(other.output).toContain('may not import @jsync/backend-memory');
  });
  it('rejects anything importing the CLI', () => {
    const r = run(repo({ 'packages/backend-x/src/index.ts': "import { main } from '@jsync/cli';\n" }));
    expect(r.ok).toBe(false);
    expect(r.output).toContain('imports the CLI');
  });
  it('requires an exports map', () => {
    const r = run(repo({ 'packages/backend-x/package.json': '{"name":"@jsync/backend-x"}' }));
    expect(r.output).toContain('missing "exports" map');
  });
});
