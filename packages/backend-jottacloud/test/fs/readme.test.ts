// Runs the library example of README.md and compares what it prints with the README's output block.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it, vi } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

function block(markdown: string, tag: string): string {
  const m = new RegExp('```' + tag + '\\n([\\s\\S]*?)```').exec(markdown);
  if (!m) throw new Error(`README has no \`\`\`${tag} block`);
  return m[1]!;
}

it('README library example runs and prints what the README says', async () => {
  const readme = await readFile(join(here, '..', '..', 'README.md'), 'utf8');
  const file = join(here, `.readme-example-${randomBytes(4).toString('hex')}.ts`);
  const code = block(readme, 'ts readme-example')
    .replaceAll("'@jsync/backend-jottacloud'", JSON.stringify(pathToFileURL(join(here, '..', '..', 'src', 'index.ts')).href));
  await writeFile(file, code);
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
  try {
    await import(pathToFileURL(file).href);
  } finally {
    spy.mockRestore();
    await rm(file, { force: true });
  }
  expect(lines.join('\n') + '\n').toBe(block(readme, 'text readme-output'));
});
