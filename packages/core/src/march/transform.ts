// Name transforms used to pair source and destination entries (rclone march: NFC, then Go strings.ToLower).

/** A function mapping a leaf name to the form used for pairing. */
export type NameTransform = (name: string) => string;

/** Unicode NFC normalisation (rclone `norm.NFC.String`). */
export const nfc: NameTransform = (name) => name.normalize('NFC');

/**
 * Go's `strings.ToLower` per code point (`unicode.ToLower`), except that invalid UTF-8 bytes (lone surrogates in
 * jsync's name model) are kept: Go turns them all into U+FFFD, so two different byte names would pair (rclone then
 * drops one as a duplicate); they are stored under different names, so they are no collision.
 */
export const goToLower: NameTransform = (name) => {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(name)) return name.toLowerCase();
  let out = '';
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) out += ch;
    else if (cp === 0x130) out += 'i'; // Go maps U+0130 to plain 'i'; JS adds a combining dot
    else {
      const lower = ch.toLowerCase();
      // Go's unicode.ToLower is one rune to one rune: keep the rune when JS expands it
      out += [...lower].length === 1 ? lower : ch;
    }
  }
  return out;
};

/** The transforms rclone applies: NFC unless disabled, then lower-casing when the pairing is case-insensitive. */
export function matchTransforms(opts: { noUnicodeNormalization: boolean; caseInsensitive: boolean }): NameTransform[] {
  const out: NameTransform[] = [];
  if (!opts.noUnicodeNormalization) out.push(nfc);
  if (opts.caseInsensitive) out.push(goToLower);
  return out;
}

/** Applies `transforms` in order. */
export function transformName(name: string, transforms: readonly NameTransform[]): string {
  let out = name;
  for (const t of transforms) out = t(out);
  return out;
}
