// The README's example is the memory backend's real conformance test file: keep the two identical.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('README example is the executed memory conformance test', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const block = /```ts\n\/\/ packages\/backend-memory\/test\/memory\.conformance\.test\.ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block, 'README has the conformance example block').toBeTruthy();
  const actual = readFileSync(new URL('../../backend-memory/test/memory.conformance.test.ts', import.meta.url), 'utf8');
  expect(actual.replace(/^\/\/[^\n]*\n/, '').trim()).toContain(block!.trim());
});
