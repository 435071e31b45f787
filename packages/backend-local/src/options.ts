// The local backend's options: rclone's names, types, defaults and help, plus their resolution to typed values.

import { EncodingPreset, formatEncoding, invalidArgument, parseEncoding } from '@jsync/core';
import type { OptionSpec } from '@jsync/core';

/** Suffix of a symlink translated to a regular file by `-l/--links` (rclone `linkSuffix`). */
export const LINK_SUFFIX = '.rclonelink';

/** Default filename encoding of the local backend on this OS (rclone `encoder.OS`). */
export function defaultLocalEncoding(platform: NodeJS.Platform = process.platform): number {
  if (platform === 'win32') return EncodingPreset.LOCAL_WINDOWS;
  if (platform === 'darwin') return EncodingPreset.LOCAL_DARWIN;
  return EncodingPreset.LOCAL_LINUX;
}

/**
 * Option values as the option layer hands them over, keyed by rclone's option names. Booleans may arrive as
 * booleans or config strings (`"true"`); `encoding` as a mask number or a mask string (`"Slash,Dot"`).
 */
export interface LocalOptions {
  /** Disable UNC (long path names) conversion on Windows. @default false */
  nounc?: boolean | string;
  /** Follow symlinks and copy the pointed to item (`-L`). @default false */
  copy_links?: boolean | string;
  /** Translate symlinks to/from regular files with a `.rclonelink` extension (`-l`). @default false */
  links?: boolean | string;
  /** Don't warn about skipped symlinks. @default false */
  skip_links?: boolean | string;
  /** Deprecated and ignored: link sizes are always read from the link. @default false */
  zero_size_links?: boolean | string;
  /** Apply unicode NFC normalization to names read from the file system. @default false */
  unicode_normalization?: boolean | string;
  /** Don't check whether files change while they are read. @default false */
  no_check_updated?: boolean | string;
  /** Don't cross filesystem boundaries (`-x`). @default false */
  one_file_system?: boolean | string;
  /** Force the Fs to report itself case sensitive. @default false */
  case_sensitive?: boolean | string;
  /** Force the Fs to report itself case insensitive. @default false */
  case_insensitive?: boolean | string;
  /** Accepted for compatibility; jsync never preallocates. @default false */
  no_preallocate?: boolean | string;
  /** Accepted for compatibility; jsync writes no sparse files. @default false */
  no_sparse?: boolean | string;
  /** Don't set modtimes after writing (precision becomes "not supported"). @default false */
  no_set_modtime?: boolean | string;
  /** Filename encoding mask. @default 'Slash,Dot' on Linux */
  encoding?: number | string;
}

/** Options after parsing, in the names the backend code uses. */
export interface ResolvedLocalOptions {
  noUnc: boolean;
  followSymlinks: boolean;
  translateSymlinks: boolean;
  skipSymlinks: boolean;
  utfNorm: boolean;
  noCheckUpdated: boolean;
  oneFileSystem: boolean;
  caseSensitive: boolean;
  caseInsensitive: boolean;
  noPreallocate: boolean;
  noSparse: boolean;
  noSetModTime: boolean;
  /** Encoding mask (MultiEncoder bits). */
  encoding: number;
}

const ENCODING_HELP = 'The encoding for the backend.\n\nSee the [encoding section in the overview](/overview/#encoding) for more info.';

/** rclone v1.60.1's local option list, in its order. */
export const LOCAL_OPTIONS: readonly OptionSpec[] = [
  {
    name: 'nounc', help: 'Disable UNC (long path names) conversion on Windows.', type: 'bool', default: 'false',
    advanced: process.platform !== 'win32', examples: [{ value: 'true', help: 'Disables long file names.' }],
  },
  {
    name: 'copy_links', help: 'Follow symlinks and copy the pointed to item.', type: 'bool', default: 'false',
    noPrefix: true, shortOpt: 'L', advanced: true,
  },
  {
    name: 'links', help: `Translate symlinks to/from regular files with a '${LINK_SUFFIX}' extension.`, type: 'bool',
    default: 'false', noPrefix: true, shortOpt: 'l', advanced: true,
  },
  {
    name: 'skip_links',
    help: `Don't warn about skipped symlinks.

This flag disables warning messages on skipped symlinks or junction
points, as you explicitly acknowledge that they should be skipped.`,
    type: 'bool', default: 'false', noPrefix: true, advanced: true,
  },
  {
    name: 'zero_size_links',
    help: `Assume the Stat size of links is zero (and read them instead) (deprecated).

Rclone used to use the Stat size of links as the link size, but this fails in quite a few places:

- Windows
- On some virtual filesystems (such ash LucidLink)
- Android

So rclone now always reads the link.
`,
    type: 'bool', default: 'false', advanced: true,
  },
  {
    name: 'unicode_normalization',
    help: `Apply unicode NFC normalization to paths and filenames.

This flag can be used to normalize file names into unicode NFC form
that are read from the local filesystem.

Rclone does not normally touch the encoding of file names it reads from
the file system.

This can be useful when using macOS as it normally provides decomposed (NFD)
unicode which in some language (eg Korean) doesn't display properly on
some OSes.

Note that rclone compares filenames with unicode normalization in the sync
routine so this flag shouldn't normally be used.`,
    type: 'bool', default: 'false', advanced: true,
  },
  {
    name: 'no_check_updated',
    help: `Don't check to see if the files change during upload.

Normally rclone checks the size and modification time of files as they
are being uploaded and aborts with a message which starts "can't copy
- source file is being updated" if the file changes during upload.

However on some file systems this modification time check may fail (e.g.
[Glusterfs #2206](https://github.com/rclone/rclone/issues/2206)) so this
check can be disabled with this flag.

If this flag is set, rclone will use its best efforts to transfer a
file which is being updated. If the file is only having things
appended to it (e.g. a log) then rclone will transfer the log file with
the size it had the first time rclone saw it.

If the file is being modified throughout (not just appended to) then
the transfer may fail with a hash check failure.

In detail, once the file has had stat() called on it for the first
time we:

- Only transfer the size that stat gave
- Only checksum the size that stat gave
- Don't update the stat info for the file

`,
    type: 'bool', default: 'false', advanced: true,
  },
  {
    name: 'one_file_system', help: "Don't cross filesystem boundaries (unix/macOS only).", type: 'bool', default: 'false',
    noPrefix: true, shortOpt: 'x', advanced: true,
  },
  {
    name: 'case_sensitive',
    help: `Force the filesystem to report itself as case sensitive.

Normally the local backend declares itself as case insensitive on
Windows/macOS and case sensitive for everything else.  Use this flag
to override the default choice.`,
    type: 'bool', default: 'false', advanced: true,
  },
  {
    name: 'case_insensitive',
    help: `Force the filesystem to report itself as case insensitive.

Normally the local backend declares itself as case insensitive on
Windows/macOS and case sensitive for everything else.  Use this flag
to override the default choice.`,
    type: 'bool', default: 'false', advanced: true,
  },
  {
    name: 'no_preallocate',
    help: `Disable preallocation of disk space for transferred files.

Preallocation of disk space helps prevent filesystem fragmentation.
However, some virtual filesystem layers (such as Google Drive File
Stream) may incorrectly set the actual file size equal to the
preallocated space, causing checksum and file size checks to fail.
Use this flag to disable preallocation.`,
    type: 'bool', default: 'false', advanced: true,
  },
  {
    name: 'no_sparse',
    help: `Disable sparse files for multi-thread downloads.

On Windows platforms rclone will make sparse files when doing
multi-thread downloads. This avoids long pauses on large files where
the OS zeros the file. However sparse files may be undesirable as they
cause disk fragmentation and can be slow to work with.`,
    type: 'bool', default: 'false', advanced: true,
  },
  {
    name: 'no_set_modtime',
    help: `Disable setting modtime.

Normally rclone updates modification time of files after they are done
uploading. This can cause permissions issues on Linux platforms when 
the user rclone is running as does not own the file uploaded, such as
when copying to a CIFS mount owned by another user. If this option is 
enabled, rclone will no longer update the modtime after copying a file.`,
    type: 'bool', default: 'false', advanced: true,
  },
  {
    name: 'encoding', help: ENCODING_HELP, type: 'encoding', default: formatEncoding(defaultLocalEncoding()), advanced: true,
  },
];

/** Parses option values (typed or config strings) into {@link ResolvedLocalOptions}; bad values throw INVALID_ARGUMENT. */
export function resolveLocalOptions(opts: LocalOptions): ResolvedLocalOptions {
  const resolved: ResolvedLocalOptions = {
    noUnc: bool(opts, 'nounc'),
    followSymlinks: bool(opts, 'copy_links'),
    translateSymlinks: bool(opts, 'links'),
    skipSymlinks: bool(opts, 'skip_links'),
    utfNorm: bool(opts, 'unicode_normalization'),
    noCheckUpdated: bool(opts, 'no_check_updated'),
    oneFileSystem: bool(opts, 'one_file_system'),
    caseSensitive: bool(opts, 'case_sensitive'),
    caseInsensitive: bool(opts, 'case_insensitive'),
    noPreallocate: bool(opts, 'no_preallocate'),
    noSparse: bool(opts, 'no_sparse'),
    noSetModTime: bool(opts, 'no_set_modtime'),
    encoding: encoding(opts.encoding),
  };
  bool(opts, 'zero_size_links'); // validated, otherwise ignored (deprecated in rclone too)
  if (resolved.translateSymlinks && resolved.followSymlinks) {
    throw invalidArgument("can't use -l/--links with -L/--copy-links");
  }
  return resolved;
}

// --- internal helpers ---

type BoolKey = Exclude<keyof LocalOptions, 'encoding'>;

/** Go's strconv.ParseBool spellings, as rclone's config parser accepts them. */
const TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

function bool(opts: LocalOptions, key: BoolKey): boolean {
  const v = opts[key];
  if (v === undefined || typeof v === 'boolean') return v ?? false;
  if (TRUE.has(v)) return true;
  if (FALSE.has(v) || v === '') return false;
  throw invalidArgument(`couldn't parse bool ${JSON.stringify(v)} for option ${key}`);
}

function encoding(v: number | string | undefined): number {
  if (v === undefined) return defaultLocalEncoding();
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) throw invalidArgument(`invalid encoding mask ${String(v)}`);
    return v;
  }
  return parseEncoding(v);
}
