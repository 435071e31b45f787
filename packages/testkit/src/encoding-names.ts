// The fstests FsEncoding name table: raw names and their Standard-encoded remote form (rclone lib/encoder).

import { ESCAPE_BASE } from '@jsync/core';

/** One FsEncoding case. */
export interface EncodingName {
  /** rclone's subtest name. */
  name: string;
  /** The raw file name (invalid UTF-8 bytes as lone surrogates U+DC00+b). */
  raw: string;
  /** `Standard.Encode(raw)` (`Slash,Del,Ctl,Dot`): the remote name the backend is given. */
  standard: string;
  /** Contains characters Windows cannot store (skipped with `skipBadWindowsCharacters`). */
  badOnWindows: boolean;
}

const CTL = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).join('') + '\x7f';
/** NUL→␀, 0x01–0x1F→U+2401–U+241F, DEL→␡ (the Ctl, Del and always-on NUL rules). */
const ctlStd = (s: string): string =>
  s.replace(/[\x00-\x1f\x7f]/g, (c) => (c === '\x7f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0))));
const PUNCT = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

const row = (name: string, raw: string, standard: string, badOnWindows = false): EncodingName => ({ name, raw, standard, badOnWindows });

/** The names uploaded by FsEncoding, in rclone's order. */
export const FS_ENCODING_NAMES: readonly EncodingName[] = [
  row('control chars', CTL, ctlStd(CTL), true),
  row('dot', '.', '\uff0e'),
  row('dot dot', '..', '\uff0e\uff0e'),
  row('punctuation', PUNCT, PUNCT.replace('/', '\uff0f'), true),
  row('leading space', ' leading space', ' leading space'),
  row('leading tilde', '~leading tilde', '~leading tilde'),
  row('leading CR', '\rleading CR', ctlStd('\rleading CR'), true),
  row('leading LF', '\nleading LF', ctlStd('\nleading LF'), true),
  row('leading HT', '\tleading HT', ctlStd('\tleading HT'), true),
  row('leading VT', '\vleading VT', ctlStd('\vleading VT'), true),
  row('leading dot', '.leading dot', '.leading dot'),
  row('trailing space', 'trailing space ', 'trailing space ', true),
  row('trailing CR', 'trailing CR\r', ctlStd('trailing CR\r'), true),
  row('trailing LF', 'trailing LF\n', ctlStd('trailing LF\n'), true),
  row('trailing HT', 'trailing HT\t', ctlStd('trailing HT\t'), true),
  row('trailing VT', 'trailing VT\v', ctlStd('trailing VT\v'), true),
  row('trailing dot', 'trailing dot.', 'trailing dot.', true),
  row('invalid UTF-8', 'invalid utf-8' + String.fromCharCode(ESCAPE_BASE + 0xfe), 'invalid utf-8' + String.fromCharCode(ESCAPE_BASE + 0xfe)),
  row('URL encoding', 'test%46.txt', 'test%46.txt'),
];
