// Reference digests of test content, computed with core's hashers independently of the backend under test.

import { HashSet, MultiHasher } from '@jsync/core';
import type { HashType } from '@jsync/core';

/** Digests by hash type; a missing type means "unknown" and compares equal to anything (rclone `hash.Equals`). */
export type HashSums = Partial<Record<HashType, string>>;

/** Lower-case hex digests of `data` for every registered hash type (rclone `hash.NewMultiHasher().Sums()`). */
export function hashSums(data: Uint8Array): HashSums {
  const mh = new MultiHasher(HashSet.all());
  mh.update(data);
  return Object.fromEntries(mh.digests()) as HashSums;
}
