// Every command factory, in help order. Each command lives in its own file.

import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { createAboutCommand } from './about.js';
import { createVersionCommand } from './version.js';

/** A command factory. */
export type CommandFactory = (ctx: CliContext) => Command;

/** All commands. */
export const commandFactories: readonly CommandFactory[] = [
  createAboutCommand,
  createVersionCommand,
];
