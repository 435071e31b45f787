// Argument-count checks with rclone's messages (cmd.CheckArgs).

import type { Command } from 'commander';
import { goQuote } from '@jsync/core';

/** A usage error: main prints the command's usage, then this message, and exits 1. */
export class CliUsageError extends Error {
  readonly command: Command;
  constructor(command: Command, message: string) {
    super(message);
    this.name = 'CliUsageError';
    this.command = command;
  }
}

/** Throws rclone's `Command X needs N arguments minimum/maximum` error when `args` has the wrong length. */
export function checkArgs(command: Command, args: readonly string[], min: number, max: number): void {
  const quoted = `[${args.map(goQuote).join(' ')}]`;
  if (args.length < min) {
    throw new CliUsageError(command, `Command ${command.name()} needs ${min} arguments minimum: you provided ${args.length} non flag arguments: ${quoted}`);
  }
  if (args.length > max) {
    throw new CliUsageError(command, `Command ${command.name()} needs ${max} arguments maximum: you provided ${args.length} non flag arguments: ${quoted}`);
  }
}
