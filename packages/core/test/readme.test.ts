// Runs the TypeScript example in this package's README so the documentation cannot rot.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const example = fileURLToPath(new URL('./.readme-example.generated.ts', import.meta.url));
afterAll(() => rmSync(example, { force: true }));

it('README example runs', async () => {
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code, 'README has a ```ts block').toBeTruthy();
  writeFileSync(example, code!);
  await import(example);
});
