// Every command factory, in help order. Each command lives in its own file.

import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { createAboutCommand } from './about.js';
import { createCatCommand } from './cat.js';
import { createCheckCommand } from './check.js';
import { createCleanupCommand } from './cleanup.js';
import { createConfigCommand } from './config.js';
import { createCopyCommand } from './copy.js';
import { createCopytoCommand } from './copyto.js';
import { createDeleteCommand } from './delete.js';
import { createDeletefileCommand } from './deletefile.js';
import { createHashsumCommand } from './hashsum.js';
import { createLinkCommand } from './link.js';
import { createListremotesCommand } from './listremotes.js';
import { createLsCommand } from './ls.js';
import { createLsdCommand } from './lsd.js';
import { createLsfCommand } from './lsf.js';
import { createLsjsonCommand } from './lsjson.js';
import { createLslCommand } from './lsl.js';
import { createMd5sumCommand } from './md5sum.js';
import { createMkdirCommand } from './mkdir.js';
import { createMoveCommand } from './move.js';
import { createMovetoCommand } from './moveto.js';
import { createObscureCommand } from './obscure.js';
import { createPurgeCommand } from './purge.js';
import { createRevealCommand } from './reveal.js';
import { createRmdirCommand } from './rmdir.js';
import { createRmdirsCommand } from './rmdirs.js';
import { createSha1sumCommand } from './sha1sum.js';
import { createSizeCommand } from './size.js';
import { createSyncCommand } from './sync.js';
import { createTouchCommand } from './touch.js';
import { createVersionCommand } from './version.js';

/** A command factory. */
export type CommandFactory = (ctx: CliContext) => Command;

/** All commands. */
export const commandFactories: readonly CommandFactory[] = [
  createAboutCommand,
  createCatCommand,
  createCheckCommand,
  createCleanupCommand,
  createConfigCommand,
  createCopyCommand,
  createCopytoCommand,
  createDeleteCommand,
  createDeletefileCommand,
  createHashsumCommand,
  createLinkCommand,
  createListremotesCommand,
  createLsCommand,
  createLsdCommand,
  createLsfCommand,
  createLsjsonCommand,
  createLslCommand,
  createMd5sumCommand,
  createMkdirCommand,
  createMoveCommand,
  createMovetoCommand,
  createObscureCommand,
  createPurgeCommand,
  createRevealCommand,
  createRmdirCommand,
  createRmdirsCommand,
  createSha1sumCommand,
  createSizeCommand,
  createSyncCommand,
  createTouchCommand,
  createVersionCommand,
];
