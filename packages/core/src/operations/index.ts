// Single-object operations: equal, needTransfer, copy, move, delete, purge, rmdirs (rclone fs/operations).
export { equal, equalWith, defaultEqualOptions, sizeDiffers, type EqualOptions } from './equal.js';
export { needTransfer } from './need-transfer.js';
export { copyObject, wrapError, type CopyArgs } from './copy.js';
export { moveObject } from './move.js';
export { deleteFile, deleteFiles, moveToBackupDir, backupRemote, type DeleteOptions, type BackupNameOptions } from './delete.js';
export { mkdirIfNeeded, tryRmdir, rmdirOnce, rmdirs, purge, deleteTree, cleanUp, type RmdirsOptions } from './dirs.js';
export {
  sameConfig, sameRemoteType, sameFs, sameDir, sameObject, overlapping, overlappingFilterCheck, serverSideAllowed,
} from './same.js';
export { withLowLevelRetries, isLowLevelRetryable, retryAfterMsOf, type LowLevelRetryOptions } from './retry.js';
export { commonHash, firstCommonHash, checkHashes, checkCommonHash, hashesOption, type HashCheck } from './hashes.js';
export { skipDestructive, logDirName, type SkipSubject } from './skip.js';
export { overrideRemote, staticObjectInfo, type StaticObjectInfoInit } from './object-info.js';
export { openReopening, type ReopeningReader } from './reopen.js';
export { verifyTransfer, handleFailedCopy } from './verify.js';
export { maxTransferRefusal, maxTransferError } from './max-transfer.js';
export { uploadUnknownSize, STREAMING_UPLOAD_CUTOFF } from './stream-upload.js';
