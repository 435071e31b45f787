// Mask strings <-> MultiEncoder bit masks, with rclone's Set/String rules and error text.

import { invalidArgument } from '../fs/errors.js';
import { ENCODING_ALIASES, RCLONE_V1_60_ALIAS_NAMES } from './flags.js';
import { goParseInt64, goQuote, goTrimSpace } from '../util/go-text.js';

/** Masks keep the low 53 bits (JS safe integers); rclone's flags use bits 0..28. */
const MASK_BITS = 53;
const MAX_MASK = 2 ** MASK_BITS - 1;

const NAME_TO_VALUE: ReadonlyMap<string, number> = new Map(ENCODING_ALIASES);
const VALUE_TO_NAME: ReadonlyMap<number, string> = (() => {
  const m = new Map<number, string>();
  for (const [name, value] of ENCODING_ALIASES) if (!m.has(value)) m.set(value, name);
  return m;
})();

/**
 * Parses an encoding mask string as rclone's `MultiEncoder.Set` does: split on `,`, trim each part, then each part
 * is a flag name (case-sensitive) or a Go integer (`0x…`, `0o…`, `0b…`, leading `0` octal, decimal, `_`
 * separators, optional sign; negative values wrap as 64-bit), all OR-ed. Throws INVALID_ARGUMENT
 * `bad encoding "<part>": possible values are: …` for an empty or unknown part.
 *
 * Beyond v1.60.1 the later-rclone names `Raw` and `Exclamation` are accepted too (the error lists v1.60.1's names).
 * Note: rclone reads config/flag values through `fmt.Sscanln`, so there only the first whitespace-free token is
 * parsed (`"Slash, Dot"` fails on the empty part); that tokenising is the option layer's job, not this function's.
 */
export function parseEncoding(text: string): number {
  let acc = 0n;
  for (const raw of text.split(',')) {
    const part = goTrimSpace(raw);
    const named = NAME_TO_VALUE.get(part);
    if (named !== undefined) {
      acc |= BigInt(named);
      continue;
    }
    const n = goParseInt64(part);
    if (n === undefined) {
      throw invalidArgument(`bad encoding ${goQuote(part)}: possible values are: ${RCLONE_V1_60_ALIAS_NAMES.join(', ')}`);
    }
    acc |= BigInt.asUintN(64, n);
  }
  return Number(BigInt.asUintN(MASK_BITS, acc));
}

/**
 * Formats a mask as rclone's `MultiEncoder.String`: the alias name when the mask is exactly one (`None` for 0),
 * otherwise the set bits' names joined by `,` in bit order, unknown bits as `0x…` (upper-case hex).
 */
export function formatEncoding(mask: number): string {
  if (!Number.isSafeInteger(mask) || mask < 0 || mask > MAX_MASK) {
    throw invalidArgument(`invalid encoding mask ${String(mask)}`);
  }
  const exact = VALUE_TO_NAME.get(mask);
  if (exact !== undefined) return exact;
  const out: string[] = [];
  let bit = 1;
  for (let rest = mask; rest > 0; rest = Math.floor(rest / 2), bit *= 2) {
    if (rest % 2 === 1) out.push(VALUE_TO_NAME.get(bit) ?? `0x${bit.toString(16).toUpperCase()}`);
  }
  return out.join(',');
}

/** True when `mask` and `flag` share a set bit (rclone `MultiEncoder.Has`); valid for masks up to 53 bits. */
export function hasEncodeFlag(mask: number, flag: number): boolean {
  return (mask & flag) !== 0;
}
