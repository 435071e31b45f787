// @jsync/testkit: the backend conformance suite (rclone fstests) and the Item helpers engine tests reuse.

export { runBackendConformance, newFsFromDefinition } from './run-conformance.js';
export type { NewFsFromDefinitionOptions } from './run-conformance.js';
export { CASE_NAMES, LIST_PAGE_SIZE } from './options.js';
export type {
  CaseName, ConformanceBaseOptions, ConformanceOptions, ConformanceWithPaging, ConformanceWithoutPaging, NewFsFn,
} from './options.js';
export type { InternalContext } from './harness.js';
export {
  newItem, checkItem, checkHashes, checkTimeWithinPrecision, checkListing, compareItems, filterEmptyDirs,
  findObject, readObject, putTestObject,
} from './items.js';
export type { Item, CheckListingOptions, CompareItemsOptions, ReadObjectOptions, PutTestObjectOptions } from './items.js';
export { StaticObjectInfo, staticInfo } from './object-info.js';
export type { StaticObjectInfoOptions } from './object-info.js';
export { hashSums } from './hashes.js';
export type { HashSums } from './hashes.js';
export { bytesSource, randomContent, randomString } from './sources.js';
export type { BytesSourceOptions } from './sources.js';
export { getAll, namesOf, purge, rmdirs } from './ops.js';
export type { GetAllOptions, RmdirsOptions } from './ops.js';
export { expectJsyncError, rejectionOf, isAbortError, isProgrammingError, describeError } from './assertions.js';
export { FS_ENCODING_NAMES } from './encoding-names.js';
export type { EncodingName } from './encoding-names.js';
