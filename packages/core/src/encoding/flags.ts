// MultiEncoder flag bits, replacement characters, mask-string aliases and preset masks (rclone lib/encoder).

/**
 * rclone's `Encode*` flag bits (same values in v1.60.1 and later rclone). `Raw` and `Exclamation` exist only in
 * later rclone (Raw takes the bit v1.60.1 left unused; Exclamation is a new high bit).
 */
export const EncodeFlag = {
  /** No character flags; the always-on rules (NUL → `␀`, quoting of `␀` and `‛`) still apply. */
  None: 0,
  /** Later rclone: a mask of exactly `Raw` is the identity (no encoding at all). */
  Raw: 1 << 0,
  Slash: 1 << 1,
  LtGt: 1 << 2,
  DoubleQuote: 1 << 3,
  SingleQuote: 1 << 4,
  BackQuote: 1 << 5,
  Dollar: 1 << 6,
  Colon: 1 << 7,
  Question: 1 << 8,
  Asterisk: 1 << 9,
  Pipe: 1 << 10,
  Hash: 1 << 11,
  Percent: 1 << 12,
  BackSlash: 1 << 13,
  CrLf: 1 << 14,
  Del: 1 << 15,
  Ctl: 1 << 16,
  LeftSpace: 1 << 17,
  LeftPeriod: 1 << 18,
  LeftTilde: 1 << 19,
  LeftCrLfHtVt: 1 << 20,
  RightSpace: 1 << 21,
  RightPeriod: 1 << 22,
  RightCrLfHtVt: 1 << 23,
  InvalidUtf8: 1 << 24,
  Dot: 1 << 25,
  SquareBracket: 1 << 26,
  Semicolon: 1 << 27,
  /** Later rclone only. */
  Exclamation: 1 << 28,
} as const;

/** Name of one {@link EncodeFlag}. */
export type EncodeFlagName = keyof typeof EncodeFlag;

const F = EncodeFlag;

/** Synthetic rclone constant `EncodeWin`: the characters Windows forbids, `:?"*<>|`. */
export const EncodeWin = F.Colon | F.Question | F.DoubleQuote | F.Asterisk | F.LtGt | F.Pipe;

/** Synthetic rclone constant `EncodeHashPercent`: `#` and `%`. */
export const EncodeHashPercent = F.Hash | F.Percent;

/** Preset masks: rclone's internal encodings and the backend defaults jsync needs. */
export const EncodingPreset = {
  /** rclone's internal path encoding (`Slash,Del,Ctl,Dot`, 33652738). */
  STANDARD: F.Slash | F.Del | F.Ctl | F.Dot,
  /** rclone `Base` (`Slash,Dot`). */
  BASE: F.Slash | F.Dot,
  /** Encoding for logs and listings: the same as Standard. */
  DISPLAY: F.Slash | F.Del | F.Ctl | F.Dot,
  /** local backend on Linux/BSD (`Slash,Dot`, 33554434). */
  LOCAL_LINUX: F.Slash | F.Dot,
  /** local backend on macOS (`Slash,InvalidUtf8,Dot`). */
  LOCAL_DARWIN: F.Slash | F.Dot | F.InvalidUtf8,
  /** local backend on Windows. */
  LOCAL_WINDOWS: F.Slash | F.Dot | EncodeWin | F.BackSlash | F.Ctl | F.RightSpace | F.RightPeriod | F.InvalidUtf8,
  /** Jottacloud default in rclone v1.60.1 – v1.73 (Display ∪ Win ∪ InvalidUtf8, 50431886). */
  JOTTACLOUD_V160: F.Slash | F.Del | F.Ctl | F.Dot | EncodeWin | F.InvalidUtf8,
  /** Jottacloud default in rclone v1.74.0+ (adds Percent, 50435982); jsync's default. */
  JOTTACLOUD_DEFAULT: F.Slash | F.Del | F.Ctl | F.Dot | EncodeWin | F.InvalidUtf8 | F.Percent,
} as const;

/**
 * Names accepted in mask strings, in rclone's alias-registration order (v1.60.1 list, then `Raw` and
 * `Exclamation` from later rclone). Each maps to one flag value.
 */
export const ENCODING_ALIASES: ReadonlyArray<readonly [name: EncodeFlagName, value: number]> = [
  ['None', F.None],
  ['Slash', F.Slash],
  ['LtGt', F.LtGt],
  ['SquareBracket', F.SquareBracket],
  ['Semicolon', F.Semicolon],
  ['DoubleQuote', F.DoubleQuote],
  ['SingleQuote', F.SingleQuote],
  ['BackQuote', F.BackQuote],
  ['Dollar', F.Dollar],
  ['Colon', F.Colon],
  ['Question', F.Question],
  ['Asterisk', F.Asterisk],
  ['Pipe', F.Pipe],
  ['Hash', F.Hash],
  ['Percent', F.Percent],
  ['BackSlash', F.BackSlash],
  ['CrLf', F.CrLf],
  ['Del', F.Del],
  ['Ctl', F.Ctl],
  ['LeftSpace', F.LeftSpace],
  ['LeftPeriod', F.LeftPeriod],
  ['LeftTilde', F.LeftTilde],
  ['LeftCrLfHtVt', F.LeftCrLfHtVt],
  ['RightSpace', F.RightSpace],
  ['RightPeriod', F.RightPeriod],
  ['RightCrLfHtVt', F.RightCrLfHtVt],
  ['InvalidUtf8', F.InvalidUtf8],
  ['Dot', F.Dot],
  ['Raw', F.Raw],
  ['Exclamation', F.Exclamation],
];

/** Alias names rclone v1.60.1 lists (sorted) in its `bad encoding` error; `Raw`/`Exclamation` are not among them. */
export const RCLONE_V1_60_ALIAS_NAMES: readonly string[] = ENCODING_ALIASES.map(([n]) => n)
  .filter((n) => n !== 'Raw' && n !== 'Exclamation')
  .sort();

/** The quote rune `‛` (U+201B SINGLE HIGH-REVERSED-9 QUOTATION MARK) that marks a literal replacement character. */
export const QUOTE_RUNE = '\u201b';

/** Offset from a printable ASCII character to its FULLWIDTH form. */
export const FULLWIDTH_OFFSET = 0xfee0;

/** First code point of the SYMBOL FOR … block (`␀` U+2400). */
export const SYMBOL_OFFSET = 0x2400;

/** A flag with the characters it replaces: each pair is [raw character, replacement]. */
export interface FlagCharacters {
  /** The flag bit. */
  readonly flag: number;
  /** [raw, replacement] pairs (single UTF-16 code units). */
  readonly pairs: ReadonlyArray<readonly [raw: string, replacement: string]>;
}

const full = (chars: string): Array<[string, string]> =>
  [...chars].map((c) => [c, String.fromCharCode(c.charCodeAt(0) + FULLWIDTH_OFFSET)]);
const symbol = (codes: number[]): Array<[string, string]> =>
  codes.map((c) => [String.fromCharCode(c), String.fromCharCode(c + SYMBOL_OFFSET)]);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Character flags in the order rclone tests them (the first matching rule wins). */
export const CHARACTER_FLAGS: readonly FlagCharacters[] = [
  { flag: F.Asterisk, pairs: full('*') },
  { flag: F.LtGt, pairs: full('<>') },
  { flag: F.SquareBracket, pairs: full('[]') },
  { flag: F.Semicolon, pairs: full(';') },
  { flag: F.Exclamation, pairs: full('!') },
  { flag: F.Question, pairs: full('?') },
  { flag: F.Colon, pairs: full(':') },
  { flag: F.Pipe, pairs: full('|') },
  { flag: F.DoubleQuote, pairs: full('"') },
  { flag: F.SingleQuote, pairs: full("'") },
  { flag: F.BackQuote, pairs: full('`') },
  { flag: F.Dollar, pairs: full('$') },
  { flag: F.Slash, pairs: full('/') },
  { flag: F.BackSlash, pairs: full('\\') },
  { flag: F.CrLf, pairs: symbol([0x0d, 0x0a]) },
  { flag: F.Hash, pairs: full('#') },
  { flag: F.Percent, pairs: full('%') },
  { flag: F.Del, pairs: [['\x7f', '\u2421']] },
  { flag: F.Ctl, pairs: symbol(range(0x01, 0x1f)) },
];

const crLfHtVt = symbol([0x09, 0x0a, 0x0b, 0x0d]);

/** Leading-character flags in rclone's precedence order (at most one applies per name). */
export const LEFT_FLAGS: readonly FlagCharacters[] = [
  { flag: F.LeftSpace, pairs: [[' ', '\u2420']] },
  { flag: F.LeftPeriod, pairs: full('.') },
  { flag: F.LeftTilde, pairs: full('~') },
  { flag: F.LeftCrLfHtVt, pairs: crLfHtVt },
];

/** Trailing-character flags in rclone's precedence order (at most one applies per name). */
export const RIGHT_FLAGS: readonly FlagCharacters[] = [
  { flag: F.RightSpace, pairs: [[' ', '\u2420']] },
  { flag: F.RightPeriod, pairs: full('.') },
  { flag: F.RightCrLfHtVt, pairs: crLfHtVt },
];
