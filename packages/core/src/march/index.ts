// Lock-step traversal of two directory trees (rclone fs/march).
export { march, type MarchArgs } from './march.js';
export { matchListings, type MatchedListings, type MatchedPair, type MatchOptions } from './match.js';
export { goToLower, nfc, matchTransforms, transformName, type NameTransform } from './transform.js';
export { findObject, makeListDir, type ListDirFn, type ListDirOptions } from './list-dir.js';
