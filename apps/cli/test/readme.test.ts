// Executes the README's example session line by line and compares stdout and exit status.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { main } from '../src/main.js';
import { memoryIo } from '../src/io.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const sampleTree = fileURLToPath(new URL('../../../test-fixtures/sample-tree', import.meta.url));

/** Splits the ```console block into commands and their expected output / exit status. */
function session(): { args: string[]; out: string; exit: number }[] {
  const block = /```console\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no ```console block');
  const steps: { args: string[]; out: string; exit: number }[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('$ jsync ')) steps.push({ args: line.slice('$ jsync '.length).split(' '), out: '', exit: 0 });
    else if (/^\[exit \d+\]$/.test(line)) steps.at(-1)!.exit = Number(line.slice(6, -1));
    else if (line !== '' || steps.at(-1)?.out) steps.at(-1)!.out += line + '\n';
  }
  return steps.map((s) => ({ ...s, out: s.out.replace(/\n+$/, '\n').replace(/^\n$/, '') }));
}

it('README session reproduces', async () => {
  const steps = session();
  expect(steps.length).toBeGreaterThan(3);
  process.env['TZ'] = 'UTC';
  for (const step of steps) {
    const io = memoryIo({ cwd: sampleTree, env: { TZ: 'UTC' } });
    const code = await main(['--config', '/dev/null', ...step.args], { io });
    expect({ cmd: step.args.join(' '), out: io.out(), code }).toEqual({ cmd: step.args.join(' '), out: step.out, code: step.exit });
  }
});
