// Reference digests of test content, computed independently of the backend under test.

import { createHash } from 'node:crypto';
import type { HashType } from '@jsync/core';

/** Digests by hash type; a missing type means "unknown" and compares equal to anything (rclone `hash.Equals`). */
export type HashSums = Partial<Record<HashType, string>>;

/** The types node:crypto computes directly. */
const NODE_TYPES: readonly HashType[] = ['md5', 'sha1', 'sha256'];

/** Lower-case hex digests of `data` for every hash type the testkit can compute. */
export function hashSums(data: Uint8Array): HashSums {
  const out: HashSums = {};
  for (const t of NODE_TYPES) out[t] = createHash(t).update(data).digest('hex');
  return out;
}
