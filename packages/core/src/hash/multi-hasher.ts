// One-pass hashing of a stream into several hash types, and a pass-through hashing wrapper for uploads.

import { createHasher } from './hasher.js';
import type { Hasher } from './base-hasher.js';
import { HashSet } from './hash-type.js';
import type { HashType } from './hash-type.js';

/** Computes every hash in a set over one pass of the data (rclone `hash.MultiHasher`). */
export class MultiHasher {
  private readonly hashers: ReadonlyMap<HashType, Hasher>;
  private bytes = 0;

  /** Hashes the given types; an empty set is allowed (then only the size is counted). */
  constructor(types: HashSet | Iterable<HashType>) {
    const set = types instanceof HashSet ? types : new HashSet(types);
    this.hashers = new Map(set.toArray().map((t) => [t, createHasher(t)]));
  }

  /** The hash types computed, in registration order. */
  get types(): HashSet {
    return new HashSet(this.hashers.keys());
  }

  /** Number of bytes fed so far (rclone `MultiHasher.Size`). */
  get size(): number {
    return this.bytes;
  }

  /** Feeds one chunk to every hasher; the chunk is not retained or copied. */
  update(chunk: Uint8Array): void {
    for (const h of this.hashers.values()) h.update(chunk);
    this.bytes += chunk.length;
  }

  /** Finalises and returns lower-case hex digests keyed by type; repeated calls give the same map. */
  digests(): Map<HashType, string> {
    const out = new Map<HashType, string>();
    for (const [t, h] of this.hashers) out.set(t, h.digest());
    return out;
  }

  /** One digest, or throws when that type is not being computed. */
  digest(type: HashType): string {
    const h = this.hashers.get(type);
    if (h === undefined) throw new Error(`hash type ${type} not computed by this MultiHasher`);
    return h.digest();
  }
}

/** Reads `input` to the end once and returns the hex digest of every type in `types`. */
export async function hashStream(input: AsyncIterable<Uint8Array>, types: HashSet): Promise<Map<HashType, string>> {
  const mh = new MultiHasher(types);
  for await (const chunk of input) mh.update(chunk);
  return mh.digests();
}

/** An async iterable that yields its source's chunks unchanged while hashing them. */
export interface HashingPassThrough extends AsyncIterable<Uint8Array> {
  /** Bytes yielded so far. */
  readonly size: number;
  /** True once the source has been read to its end. */
  readonly done: boolean;
  /** The digests; throws unless the source was read to its end (a partial read has no valid digest). */
  digests(): Map<HashType, string>;
}

/**
 * Wraps `input` so that consuming it (once) also computes `types` — e.g. an upload body whose hashes
 * are needed afterwards (rclone `HashesOption`). Chunks pass through untouched, without copies.
 */
export function hashingPassThrough(input: AsyncIterable<Uint8Array>, types: HashSet): HashingPassThrough {
  const mh = new MultiHasher(types);
  let done = false;
  let started = false;
  return {
    get size() {
      return mh.size;
    },
    get done() {
      return done;
    },
    digests() {
      if (!done) throw new Error('hashing pass-through: digests requested before the stream was fully read');
      return mh.digests();
    },
    async *[Symbol.asyncIterator]() {
      if (started) throw new Error('hashing pass-through: can only be iterated once');
      started = true;
      for await (const chunk of input) {
        mh.update(chunk);
        yield chunk;
      }
      done = true;
    },
  };
}
