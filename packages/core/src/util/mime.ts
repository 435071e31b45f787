// MIME types by file extension exactly as rclone v1.60.1 reports them (Go 1.19 `mime` on Linux + rclone's extras).

import { readFileSync } from 'node:fs';

/** rclone's fallback when the extension is unknown. */
export const DEFAULT_MIME_TYPE = 'application/octet-stream';

/** MIME type of directories in rclone listings. */
export const DIRECTORY_MIME_TYPE = 'inode/directory';

/** Where {@link MimeTable.load} looks for type definitions (Go 1.19 `mime/type_unix.go` order). */
export interface MimeTableOptions {
  /**
   * FreeDesktop shared-mime-info `globs2` files; the first readable one is used and the `typesFiles` are skipped.
   * @default ['/usr/local/share/mime/globs2', '/usr/share/mime/globs2']
   */
  globsFiles?: readonly string[];
  /**
   * Apache-style `mime.types` files, all read in order (later entries win) when no globs2 file was readable.
   * @default ['/etc/mime.types', '/etc/apache2/mime.types', '/etc/apache/mime.types', '/etc/httpd/conf/mime.types']
   */
  typesFiles?: readonly string[];
  /** Reads a file as UTF-8 text, undefined when unreadable. @default node:fs readFileSync */
  readFile?: (path: string) => string | undefined;
}

/**
 * An extension → MIME type table reproducing Go's `mime` package: a case-sensitive map consulted first, then a
 * lower-cased map; `text/*` types gain `; charset=utf-8`.
 */
export class MimeTable {
  /** Case-sensitive extension (".Z") → type. */
  private readonly exact = new Map<string, string>();
  /** Lower-cased extension (".z") → type; the last registration of any case variant wins. */
  private readonly lower = new Map<string, string>();

  private constructor() {}

  /** An empty table (no built-ins, no system files). */
  static empty(): MimeTable {
    return new MimeTable();
  }

  /**
   * Builds the table rclone v1.60.1 uses: Go 1.19 built-ins, then the system files, then rclone's
   * `fs/mimetype.go` additions for extensions still unknown, then the unconditional registrations of the
   * Google Drive backend's `init` (present in every full rclone binary). Reads the files synchronously.
   * Not modelled: `--rc` makes rclone re-register `.js` as `application/javascript` when the rc server starts.
   */
  static load(opts: MimeTableOptions = {}): MimeTable {
    const readFile = opts.readFile ?? readTextFile;
    const t = new MimeTable();
    for (const [ext, type] of GO_BUILTIN_TYPES) {
      t.exact.set(ext, type);
      t.lower.set(ext, type);
    }
    let globsFound = false;
    for (const file of opts.globsFiles ?? GLOBS_FILES) {
      const text = readFile(file);
      if (text === undefined) continue;
      t.loadGlobs(text);
      globsFound = true;
      break;
    }
    if (!globsFound) {
      for (const file of opts.typesFiles ?? TYPES_FILES) {
        const text = readFile(file);
        if (text !== undefined) t.loadMimeTypes(text);
      }
    }
    for (const [type, exts] of RCLONE_EXTRA_TYPES) {
      for (const ext of exts) if (t.typeByExtension(ext) === '') t.addExtensionType(ext, type);
    }
    for (const [ext, type] of DRIVE_TYPES) t.addExtensionType(ext, type);
    return t;
  }

  /** Go `mime.TypeByExtension`: exact-case match first, then lower-cased; `""` when unknown. */
  typeByExtension(ext: string): string {
    return this.exact.get(ext) ?? this.lower.get(goToLower(ext)) ?? '';
  }

  /** rclone `fs.MimeTypeFromName`: type of `path.Ext(name)`, or `application/octet-stream`. */
  mimeTypeOf(name: string): string {
    const type = this.typeByExtension(pathExt(name));
    return type.includes('/') ? type : DEFAULT_MIME_TYPE;
  }

  /** Go `mime.AddExtensionType`-like registration (`ext` with its leading dot); invalid types are ignored. */
  addExtensionType(ext: string, mimeType: string): void {
    const justType = parseMediaTypeBase(mimeType);
    if (justType === undefined) return;
    let stored = mimeType;
    if (mimeType.startsWith('text/') && !/;\s*charset\s*=/i.test(mimeType)) {
      // Go: FormatMediaType(mimeType, {charset: utf-8}), which lower-cases the type and fails ("") on parameters.
      stored = mimeType.includes(';') ? '' : `${mimeType.toLowerCase()}; charset=utf-8`;
    }
    this.exact.set(ext, stored);
    this.lower.set(goToLower(ext), stored);
  }

  /** Loads a shared-mime-info globs2 text: `weight:type:*.ext[:flags]`, first (heaviest) entry per extension wins. */
  private loadGlobs(text: string): void {
    for (const line of scanLines(text)) {
      const fields = line.split(':');
      if (fields.length < 3) continue;
      const [weight, type, glob] = fields as [string, string, string];
      if (weight.length < 1 || glob.length < 3 || weight[0] === '#' || !glob.startsWith('*.')) continue;
      const ext = glob.slice(1);
      // Globs other than a bare extension are ignored (Go 1.19 has no glob matcher).
      if (/[?*[]/.test(ext)) continue;
      if (this.exact.has(ext)) continue;
      this.addExtensionType(ext, type);
    }
  }

  /** Loads an Apache mime.types text: `type ext1 ext2 … [# comment]`; later lines override earlier ones. */
  private loadMimeTypes(text: string): void {
    for (const line of scanLines(text)) {
      const fields = line.split(/[\s\u0085\u00a0]+/u).filter((f) => f !== '');
      if (fields.length <= 1 || fields[0]!.startsWith('#')) continue;
      for (const ext of fields.slice(1)) {
        if (ext.startsWith('#')) break;
        this.addExtensionType(`.${ext}`, fields[0]!);
      }
    }
  }
}

/** Go `path.Ext`: the suffix from the last `.` of the last `/`-separated element, or `""`. */
export function pathExt(name: string): string {
  for (let i = name.length - 1; i >= 0 && name[i] !== '/'; i--) {
    if (name[i] === '.') return name.slice(i);
  }
  return '';
}

/**
 * The MIME type rclone v1.60.1 prints in lsjson for a file `name` (leaf or path) on this machine, e.g.
 * `text/plain; charset=utf-8`; `application/octet-stream` when unknown. Loads the system tables on first use.
 */
export function mimeTypeByExtension(name: string): string {
  return defaultTable().mimeTypeOf(name);
}

// --- internal helpers ---

/** The process-wide table, built lazily on first lookup (private; the system files rarely change). */
let cachedTable: MimeTable | undefined;

function defaultTable(): MimeTable {
  cachedTable ??= MimeTable.load();
  return cachedTable;
}

const GLOBS_FILES = ['/usr/local/share/mime/globs2', '/usr/share/mime/globs2'];
const TYPES_FILES = ['/etc/mime.types', '/etc/apache2/mime.types', '/etc/apache/mime.types', '/etc/httpd/conf/mime.types'];

/** Go 1.19 `mime.builtinTypesLower`. */
const GO_BUILTIN_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['.avif', 'image/avif'],
  ['.css', 'text/css; charset=utf-8'],
  ['.gif', 'image/gif'],
  ['.htm', 'text/html; charset=utf-8'],
  ['.html', 'text/html; charset=utf-8'],
  ['.jpeg', 'image/jpeg'],
  ['.jpg', 'image/jpeg'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.json', 'application/json'],
  ['.mjs', 'text/javascript; charset=utf-8'],
  ['.pdf', 'application/pdf'],
  ['.png', 'image/png'],
  ['.svg', 'image/svg+xml'],
  ['.wasm', 'application/wasm'],
  ['.webp', 'image/webp'],
  ['.xml', 'text/xml; charset=utf-8'],
];

/** rclone v1.60.1 `fs/mimetype.go` additions, applied only to extensions still unknown. */
const RCLONE_EXTRA_TYPES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['audio/flac', ['.flac']],
  ['audio/mpeg', ['.mpga', '.mpega', '.mp2', '.mp3', '.m4a']],
  ['audio/ogg', ['.oga', '.ogg', '.opus', '.spx']],
  ['audio/x-wav', ['.wav']],
  ['image/tiff', ['.tiff', '.tif']],
  ['video/dv', ['.dif', '.dv']],
  ['video/fli', ['.fli']],
  ['video/mpeg', ['.mpeg', '.mpg', '.mpe']],
  ['video/MP2T', ['.ts']],
  ['video/mp4', ['.mp4']],
  ['video/quicktime', ['.qt', '.mov']],
  ['video/ogg', ['.ogv']],
  ['video/webm', ['.webm']],
  ['video/x-msvideo', ['.avi']],
  ['video/x-matroska', ['.mpv', '.mkv']],
  ['text/srt', ['.srt']],
];

/**
 * rclone v1.60.1 `backend/drive` init: `_mimeTypeToExtension` then `_mimeTypeToExtensionLinks` registered with
 * `mime.AddExtensionType`, overriding system entries (its duplicate-type map is registered first and then
 * overridden for the same extensions, so it has no visible effect).
 */
const DRIVE_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['.epub', 'application/epub+zip'],
  ['.json', 'application/json'],
  ['.doc', 'application/msword'],
  ['.pdf', 'application/pdf'],
  ['.rtf', 'application/rtf'],
  ['.xls', 'application/vnd.ms-excel'],
  ['.odp', 'application/vnd.oasis.opendocument.presentation'],
  ['.ods', 'application/vnd.oasis.opendocument.spreadsheet'],
  ['.odt', 'application/vnd.oasis.opendocument.text'],
  ['.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  ['.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
  ['.wmf', 'application/x-msmetafile'],
  ['.zip', 'application/zip'],
  ['.bmp', 'image/bmp'],
  ['.jpg', 'image/jpeg'],
  ['.pjpeg', 'image/pjpeg'],
  ['.png', 'image/png'],
  ['.svg', 'image/svg+xml'],
  ['.csv', 'text/csv'],
  ['.html', 'text/html'],
  ['.txt', 'text/plain'],
  ['.tsv', 'text/tab-separated-values'],
  ['.desktop', 'application/x-link-desktop'],
  ['.link.html', 'application/x-link-html'],
  ['.url', 'application/x-link-url'],
  ['.webloc', 'application/x-link-webloc'],
];

function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Lines as Go's bufio.Scanner yields them: split on `\n`, one trailing `\r` dropped, no empty final line. */
function scanLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** Go `TypeByExtension` lower-casing: ASCII A–Z only, or Unicode simple lower-case mapping when non-ASCII. */
function goToLower(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
  let out = '';
  for (const ch of s) out += ch === '\u0130' ? 'i' : ch.toLowerCase();
  return out;
}

/** Go `ParseMediaType`'s type check: `token[/token]` before any `;`; returns the lower-cased base or undefined. */
function parseMediaTypeBase(v: string): string | undefined {
  const semi = v.indexOf(';');
  const base = (semi < 0 ? v : v.slice(0, semi)).toLowerCase().trim();
  const m = /^([^\s()<>@,;:\\"/[\]?=\x00-\x1f\x7f-\uffff]+)(?:\/([^\s()<>@,;:\\"/[\]?=\x00-\x1f\x7f-\uffff]+))?$/.exec(base);
  return m === null ? undefined : base;
}
