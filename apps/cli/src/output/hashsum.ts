// Hash-sum output helpers: rclone's hash name parsing, the supported-hashes help and md5sum-style lines.

import { HASH_TYPES, type HashType, goQuote, hashTypeInfo, parseHashType } from '@jsync/core';

/** A hash choice on the command line: a real type or rclone's `none`. */
export type HashChoice = HashType | 'none';

/**
 * rclone `hash.Type.Set`: `none`/`None`, a name in any case (`MD5`, `Sha1`), or an exact alias (`SHA-1`);
 * undefined when unknown.
 */
export function parseHashChoice(text: string): HashChoice | undefined {
  if (text === 'none' || text === 'None') return 'none';
  const lower = text.toLowerCase();
  if ((HASH_TYPES as readonly string[]).includes(lower)) return lower as HashType;
  return parseHashType(text);
}

/** rclone's error for an unknown hash name. */
export function unknownHashMessage(text: string): string {
  return `unknown hash type ${goQuote(text)}`;
}

/** rclone `hash.HelpString(indent)`: `Supported hashes are:` and one `  * name` line per type. */
export function hashHelpString(indent = 0): string {
  const pad = ' '.repeat(indent);
  return `${pad}Supported hashes are:\n` + HASH_TYPES.map((t) => `${pad}  * ${t}\n`).join('');
}

/** rclone `hash.Width`: hex digits, or the padded base64 length of the digest; 0 for `none`. */
export function hashWidth(type: HashChoice, base64: boolean): number {
  if (type === 'none') return 0;
  const hex = hashTypeInfo[type].width;
  return base64 ? Math.ceil(hex / 2 / 3) * 4 : hex;
}

/** One md5sum-style line: the sum right-aligned to `width`, two spaces, the path. */
export function hashSumLine(sum: string, width: number, remote: string): string {
  return `${sum.padStart(width)}  ${remote}\n`;
}
