// The flags md5sum, sha1sum and hashsum share (rclone hashsum.AddHashsumFlags), minus --checkfile.

import { type Command, Option } from 'commander';
import type { HashsumFlags } from './hashsum-run.js';

/** Adds --base64, --output-file and --download to `cmd`. */
export function addHashsumFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--base64', 'Output base64 encoded hashsum'))
    .addOption(new Option('--output-file <string>', 'Output hashsums to a file rather than the terminal'))
    .addOption(new Option('--download', 'Download the file and hash it locally; if this flag is not specified, the hash is requested from the remote'));
}

/** Reads the shared flags back. */
export function readHashsumFlags(cmd: Command): HashsumFlags {
  const o = cmd.opts();
  return {
    base64: o['base64'] === true,
    download: o['download'] === true,
    ...(typeof o['outputFile'] === 'string' ? { outputFile: o['outputFile'] } : {}),
  };
}
