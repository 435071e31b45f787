// Runs the library example of README.md against a temporary directory and compares what it prints.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, expect, it, vi } from 'vitest';
import { removeDir, tempDir } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));

function block(markdown: string, tag: string): string {
  const m = new RegExp('```' + tag + '\\n([\\s\\S]*?)```').exec(markdown);
  if (!m) throw new Error(`README has no \`\`\`${tag} block`);
  return m[1]!;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

it('README library example runs and prints what the README says', async () => {
  const readme = await readFile(join(here, '..', 'README.md'), 'utf8');
  const dir = await tempDir();
  const file = join(here, `.readme-example-${randomBytes(4).toString('hex')}.ts`);
  cleanups.push(() => removeDir(dir), () => rm(file, { force: true }));
  const code = block(readme, 'ts readme-example')
    .replaceAll("'/tmp/jsync-demo'", JSON.stringify(dir))
    .replaceAll("'@jsync/backend-local'", JSON.stringify(pathToFileURL(join(here, '..', 'src', 'index.ts')).href));
  await writeFile(file, code);
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
  try {
    await import(pathToFileURL(file).href);
  } finally {
    spy.mockRestore();
  }
  expect(lines.join('\n') + '\n').toBe(block(readme, 'text readme-output'));
});
