#!/usr/bin/env node
// Enforces the dependency direction: core imports no package; testkit only core (+vitest); backends only core's
// public entry (+testkit in tests); nothing imports the CLI; package.json deps agree. Exits 1 listing violations.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.argv[2] ?? fileURLToPath(new URL('..', import.meta.url));
const builtin = (s) => s.startsWith('node:');
const rules = [
  { dir: 'packages/core', name: '@jsync/core', allow: (s) => builtin(s), testAllow: (s) => builtin(s) || s === 'vitest' },
  { dir: 'packages/testkit', name: '@jsync/testkit', allow: (s) => builtin(s) || s === '@jsync/core' || s === 'vitest',
    testAllow: (s) => builtin(s) || s === '@jsync/core' || s === 'vitest' || s.startsWith('vitest/') },
  { dir: 'apps/cli', name: '@jsync/cli', allow: (s) => builtin(s) || s === '@jsync/core' || /^@jsync\/backend-[a-z0-9-]+$/.test(s) || s === 'commander',
    testAllow: (s) => builtin(s) || s === '@jsync/core' || /^@jsync\/backend-[a-z0-9-]+$/.test(s) || s === 'commander' || s === 'vitest' || s === '@jsync/testkit'
      || s === '@jsync/jottacloud-emulator' },
];
for (const d of readdirSync(join(root, 'packages'))) {
  if (!d.startsWith('backend-') && !d.endsWith('-emulator')) continue;
  const manifest = readJson(join(root, 'packages', d, 'package.json'));
  const thirdParty = Object.keys(manifest?.dependencies ?? {}).filter((k) => !k.startsWith('@jsync/'));
  // Tests may also use the package's own third-party devDependencies (e.g. testcontainers for container tests).
  const devThirdParty = Object.keys(manifest?.devDependencies ?? {}).filter((k) => !k.startsWith('@jsync/'));
  rules.push({
    dir: `packages/${d}`, name: `@jsync/${d}`,
    allow: (s) => builtin(s) || s === '@jsync/core' || thirdParty.some((t) => s === t || s.startsWith(t + '/')),
    testAllow: (s) => builtin(s) || s === '@jsync/core' || s === '@jsync/testkit' || s === 'vitest' || s.startsWith('@jsync/') && s !== '@jsync/cli' && !s.startsWith('@jsync/backend-') || thirdParty.includes(s) || devThirdParty.includes(s),
  });
}

const violations = [];
const importRe = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;
for (const rule of rules) {
  const pkgDir = join(root, rule.dir);
  if (!existsSync(pkgDir)) continue;
  const pkg = readJson(join(pkgDir, 'package.json'));
  if (!pkg?.exports) violations.push(`${rule.dir}/package.json: missing "exports" map`);
  for (const file of walk(pkgDir)) {
    const rel = relative(root, file);
    const isTest = /\/test\/|\.test\.ts$/.test(rel);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec || spec.startsWith('.')) continue;
      if (spec === '@jsync/cli' || spec.startsWith('@jsync/cli/')) violations.push(`${rel}: imports the CLI (${spec})`);
      else if (/^@jsync\/[^/]+\/.+/.test(spec) && !spec.endsWith('/package.json')) violations.push(`${rel}: deep import ${spec} (use the package's public entry)`);
      else if (!(isTest && rule.testAllow ? rule.testAllow(spec) : rule.allow(spec))) violations.push(`${rel}: ${rule.name} may not import ${spec}`);
    }
  }
}
if (violations.length) {
  console.error(`dependency-direction check failed (${violations.length}):\n  ` + violations.join('\n  '));
  process.exit(1);
}
console.log(`dependency-direction check passed (${rules.length} packages)`);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) yield p;
  }
}
function readJson(p) {
  try { return JSON.parse(readFileSync(p, 'utf8')); } catch { return undefined; }
}
