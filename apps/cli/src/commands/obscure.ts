// `jsync obscure <password>|-`: rclone's reversible password obscuring for config files and flags.

import { fstatSync } from 'node:fs';
import { Command } from 'commander';
import { decodeUtf8Escaped, encodeUtf8Escaped, obscure } from '@jsync/core';
import type { CliContext } from '../context.js';
import type { CliIo } from '../io.js';
import { checkArgs } from './args.js';

/** Creates the `obscure` command. */
export function createObscureCommand(ctx: CliContext): Command {
  return new Command('obscure')
    .description('Obscure password for use in the rclone config file.')
    .argument('[args...]', 'password')
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      let password = args[0]!;
      if (password === '-' && !stdinIsTerminal(ctx.io)) password = await readFirstLine(ctx.io.stdin);
      ctx.io.stdout.write(encodeUtf8Escaped(obscure(password) + '\n'));
    });
}

/**
 * True when stdin is a character device (terminal, /dev/null): rclone then obscures the literal `-` instead of
 * reading. Injected io (tests) is never a terminal unless it says so.
 */
function stdinIsTerminal(io: CliIo): boolean {
  if ((io.stdin as { isTTY?: boolean }).isTTY === true) return true;
  if (io.stdin !== process.stdin) return false;
  try {
    return fstatSync(0).isCharacterDevice();
  } catch {
    return false;
  }
}

/** The first line of `input` without its `\n` (and a `\r` before it), like Go's bufio.Scanner; `""` when empty. */
export async function readFirstLine(input: AsyncIterable<Uint8Array | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
    const nl = buf.indexOf(0x0a);
    if (nl >= 0) {
      chunks.push(buf.subarray(0, nl));
      break;
    }
    chunks.push(buf);
  }
  let line = Buffer.concat(chunks);
  if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
  return decodeUtf8Escaped(line);
}
