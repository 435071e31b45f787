// Hash types in rclone's registration order, with their aliases and hex widths (fs/hash).

/** Names of the hash types jsync knows, in rclone v1.60 registration order. */
export const HASH_TYPES = ['md5', 'sha1', 'whirlpool', 'crc32', 'sha256', 'dropbox', 'hidrive', 'mailru', 'quickxor'] as const;

/** One hash type name (lower case, as rclone's `--hash` flag value). */
export type HashType = (typeof HASH_TYPES)[number];

/** Static facts about a hash type. */
export interface HashTypeInfo {
  readonly name: HashType;
  /** Alternative spelling rclone accepts (`MD5`, `SHA-1`, …). */
  readonly alias: string;
  /** Hex digest width in characters. */
  readonly width: number;
}

/** Facts for every hash type. */
export const hashTypeInfo: Readonly<Record<HashType, HashTypeInfo>> = {
  md5: { name: 'md5', alias: 'MD5', width: 32 },
  sha1: { name: 'sha1', alias: 'SHA-1', width: 40 },
  whirlpool: { name: 'whirlpool', alias: 'Whirlpool', width: 128 },
  crc32: { name: 'crc32', alias: 'CRC-32', width: 8 },
  sha256: { name: 'sha256', alias: 'SHA-256', width: 64 },
  dropbox: { name: 'dropbox', alias: 'DropboxHash', width: 64 },
  hidrive: { name: 'hidrive', alias: 'HiDriveHash', width: 40 },
  mailru: { name: 'mailru', alias: 'MailruHash', width: 40 },
  quickxor: { name: 'quickxor', alias: 'QuickXorHash', width: 40 },
};

/** Parses a hash name or alias (case as rclone: name or exact alias); undefined when unknown. */
export function parseHashType(text: string): HashType | undefined {
  for (const t of HASH_TYPES) {
    if (t === text || hashTypeInfo[t].alias === text) return t;
  }
  return undefined;
}

/** A set of hash types; iteration and `first()` follow registration order (rclone's GetOne). */
export class HashSet {
  private readonly members: ReadonlySet<HashType>;

  constructor(types: Iterable<HashType> = []) {
    this.members = new Set(types);
  }

  /** Every known type. */
  static all(): HashSet {
    return new HashSet(HASH_TYPES);
  }

  /** The empty set (rclone `hash.None`). */
  static none(): HashSet {
    return new HashSet();
  }

  has(t: HashType): boolean {
    return this.members.has(t);
  }

  get size(): number {
    return this.members.size;
  }

  /** Types in registration order. */
  toArray(): HashType[] {
    return HASH_TYPES.filter((t) => this.members.has(t));
  }

  [Symbol.iterator](): Iterator<HashType> {
    return this.toArray()[Symbol.iterator]();
  }

  /** Intersection (rclone `Overlap`). */
  overlap(other: HashSet): HashSet {
    return new HashSet(this.toArray().filter((t) => other.has(t)));
  }

  /** The lowest registered member (md5 before sha1), or undefined if empty. */
  first(): HashType | undefined {
    return this.toArray()[0];
  }

  /** `[md5, sha1]` as rclone prints a set. */
  toString(): string {
    return `[${this.toArray().join(', ')}]`;
  }
}

/** rclone `hash.Equals`: equal, or either side unknown (`""`). */
export function hashesEqual(a: string, b: string): boolean {
  return a === '' || b === '' || a === b;
}
