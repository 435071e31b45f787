// Transfer-decision and sync/delete flags (rclone fs/config/configflags subset) and their TransferOptions form.

import { type Command, Option } from 'commander';
import type { DeleteMode, TransferOptions } from '@jsync/core';
import { addBoolFlag, cutoffModeFlag, goDurationNsFlag, parseIntFlag, sizeFlag } from './flag-values.js';

/** The parsed transfer flags (the TransferOptions fields they set, plus the raw `--backup-dir` path). */
export interface TransferFlags {
  checksum: boolean;
  sizeOnly: boolean;
  ignoreTimes: boolean;
  ignoreSize: boolean;
  ignoreExisting: boolean;
  ignoreChecksum: boolean;
  update: boolean;
  noUpdateModTime: boolean;
  refreshTimes: boolean;
  modifyWindowNs: bigint;
  noTraverse: boolean;
  noCheckDest: boolean;
  immutable: boolean;
  checkFirst: boolean;
  maxBacklog: number;
  maxTransfer: number;
  cutoffMode: 'HARD' | 'SOFT' | 'CAUTIOUS';
  maxDelete: number;
  maxDeleteSize: number;
  /** Which of --delete-before/--delete-during/--delete-after were given (rclone allows at most one). */
  deleteModes: DeleteMode[];
  ignoreErrors: boolean;
  backupDir?: string;
  suffix: string;
  suffixKeepExtension: boolean;
  ignoreCaseSync: boolean;
  noUnicodeNormalization: boolean;
  serverSideAcrossConfigs: boolean;
  allowEmptySource: boolean;
}

/** Boolean transfer flags: [long name, short letter or '', help]. Each also gets a hidden `--no-X` for `--X=false`. */
const BOOL_FLAGS: ReadonlyArray<readonly [string, string, string]> = [
  ['checksum', 'c', 'Skip based on checksum (if available) & size, not mod-time & size'],
  ['size-only', '', 'Skip based on size only, not mod-time or checksum'],
  ['ignore-times', 'I', "Don't skip files that match size and time - transfer all files"],
  ['ignore-size', '', 'Ignore size when skipping use mod-time or checksum'],
  ['ignore-existing', '', 'Skip all files that exist on destination'],
  ['ignore-checksum', '', 'Skip post copy check of checksums'],
  ['update', 'u', 'Skip files that are newer on the destination'],
  ['no-update-modtime', '', "Don't update destination mod-time if files identical"],
  ['refresh-times', '', 'Refresh the modtime of remote files'],
  ['no-traverse', '', "Don't traverse destination file system on copy"],
  ['no-check-dest', '', "Don't check the destination, copy regardless"],
  ['immutable', '', 'Do not modify files, fail if existing files have been modified'],
  ['check-first', '', 'Do all the checks before starting transfers'],
  ['delete-before', '', 'When synchronizing, delete files on destination before transferring'],
  ['delete-during', '', 'When synchronizing, delete files during transfer'],
  ['delete-after', '', 'When synchronizing, delete files on destination after transferring (default)'],
  ['ignore-errors', '', 'Delete even if there are I/O errors'],
  ['suffix-keep-extension', '', 'Preserve the extension when using --suffix'],
  ['ignore-case-sync', '', 'Ignore case when synchronizing'],
  ['no-unicode-normalization', '', "Don't normalize unicode characters in filenames"],
  ['server-side-across-configs', '', 'Allow server-side operations (e.g. copy) to work across different configs'],
  ['allow-empty-source', '', 'Allow sync from a missing or empty source to delete everything on the destination (jsync)'],
];

/** Adds the transfer flags to `program`. */
export function addTransferFlags(program: Command): void {
  for (const [long, short, help] of BOOL_FLAGS) addBoolFlag(program, long, short, help);
  program
    .addOption(new Option('--modify-window <duration>', 'Max time diff to be considered the same').argParser(goDurationNsFlag('modify-window')).default(1n, '1ns'))
    .addOption(new Option('--max-backlog <int>', 'Maximum number of objects in sync or check backlog').argParser(parseIntFlag('max-backlog')).default(10000))
    .addOption(new Option('--max-transfer <size>', 'Maximum size of data to transfer').argParser(sizeFlag('max-transfer')).default(-1, 'off'))
    .addOption(new Option('--cutoff-mode <mode>', 'Mode to stop transfers when reaching the max transfer limit HARD|SOFT|CAUTIOUS').argParser(cutoffModeFlag).default('HARD'))
    .addOption(new Option('--max-delete <int>', 'When synchronizing, limit the number of deletes').argParser(parseIntFlag('max-delete')).default(-1))
    .addOption(new Option('--max-delete-size <size>', 'When synchronizing, limit the total size of deletes').argParser(sizeFlag('max-delete-size')).default(-1, 'off'))
    .addOption(new Option('--backup-dir <dir>', 'Make backups into hierarchy based in DIR'))
    .addOption(new Option('--suffix <string>', 'Suffix to add to changed files').default(''));
}

/** Reads the transfer flags from the program's parsed options. */
export function readTransferFlags(o: Record<string, unknown>): TransferFlags {
  const on = (k: string) => o[k] === true;
  const deleteModes: DeleteMode[] = [];
  if (on('deleteBefore')) deleteModes.push('before');
  if (on('deleteDuring')) deleteModes.push('during');
  if (on('deleteAfter')) deleteModes.push('after');
  return {
    checksum: on('checksum'), sizeOnly: on('sizeOnly'), ignoreTimes: on('ignoreTimes'), ignoreSize: on('ignoreSize'),
    ignoreExisting: on('ignoreExisting'), ignoreChecksum: on('ignoreChecksum'), update: on('update'),
    // `--no-update-modtime` is a positive flag in rclone; commander stores it as updateModtime=false.
    noUpdateModTime: o['updateModtime'] === false, refreshTimes: on('refreshTimes'),
    modifyWindowNs: (o['modifyWindow'] as bigint | undefined) ?? 1n,
    noTraverse: o['traverse'] === false, noCheckDest: o['checkDest'] === false, immutable: on('immutable'),
    checkFirst: on('checkFirst'), maxBacklog: (o['maxBacklog'] as number | undefined) ?? 10000,
    maxTransfer: (o['maxTransfer'] as number | undefined) ?? -1,
    cutoffMode: (o['cutoffMode'] as TransferFlags['cutoffMode'] | undefined) ?? 'HARD',
    maxDelete: (o['maxDelete'] as number | undefined) ?? -1, maxDeleteSize: (o['maxDeleteSize'] as number | undefined) ?? -1,
    deleteModes, ignoreErrors: on('ignoreErrors'),
    ...(typeof o['backupDir'] === 'string' && o['backupDir'] !== '' ? { backupDir: o['backupDir'] } : {}),
    suffix: (o['suffix'] as string | undefined) ?? '', suffixKeepExtension: on('suffixKeepExtension'),
    ignoreCaseSync: on('ignoreCaseSync'), noUnicodeNormalization: o['unicodeNormalization'] === false,
    serverSideAcrossConfigs: on('serverSideAcrossConfigs'), allowEmptySource: on('allowEmptySource'),
  };
}

/** rclone's fatal message when more than one delete mode is given, else undefined. */
export function deleteModeConflict(flags: TransferFlags): string | undefined {
  return flags.deleteModes.length > 1 ? 'Only one of --delete-before, --delete-during or --delete-after can be used.' : undefined;
}

/** The TransferOptions fields set by these flags (`backupDir` is opened separately as an Fs). */
export function transferFlagOptions(flags: TransferFlags): Partial<TransferOptions> {
  const { deleteModes, backupDir: _backupDir, ...rest } = flags;
  return { ...rest, deleteMode: deleteModes[0] ?? 'after' };
}
