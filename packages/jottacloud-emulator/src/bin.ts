#!/usr/bin/env node
// jotta-emulator: starts the emulator, prints one JSON line {"url","proxy","caCert","loginToken"} and serves
// until SIGTERM/SIGINT.

import { parseCliArgs, USAGE } from './cli-args.js';
import { startEmulator } from './emulator.js';

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseCliArgs(argv);
  } catch (e) {
    process.stderr.write(`jotta-emulator: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const emu = await startEmulator(parsed.options);
  process.stdout.write(`${JSON.stringify({ url: emu.url, proxy: emu.proxy, caCert: emu.caCert, loginToken: emu.mintLoginToken() })}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await emu.stop();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`jotta-emulator: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
