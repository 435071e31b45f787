// Line formats of ls, lsl, lsd and lsf (rclone operations.List/ListLong/ListDir and operations.ListFormat).

import { type Directory, type FsObject, goQuoteRune } from '@jsync/core';
import { countStringField, formatLocalTime, sizeStringField } from './format.js';
import type { ListJsonItem } from './lsjson.js';

/** One `ls` line: size right-aligned in 9 columns, space, path. */
export function formatLsLine(o: FsObject, human: boolean): string {
  return `${sizeStringField(o.size, human, 9)} ${o.remote}\n`;
}

/** One `lsl` line: as `ls` plus the local modtime with 9 fractional digits. */
export function formatLslLine(o: FsObject, human: boolean): string {
  return `${sizeStringField(o.size, human, 9)} ${formatLocalTime(o.modTime(), { digits: 9 })} ${o.remote}\n`;
}

/** One `lsd` line: size (12 columns), local date, item count (9 columns), path. */
export function formatLsdLine(d: Directory, human: boolean): string {
  const date = formatLocalTime(d.modTime()).padStart(13);
  return `${sizeStringField(d.size, human, 12)} ${date} ${countStringField(d.items, human, 9)} ${d.remote}\n`;
}

/** The lsf format letters rclone knows. */
export const LSF_FORMAT_LETTERS = 'ptshiomeTM';

/** Settings of an lsf line formatter. */
export interface ListFormatOptions {
  /** `--format` letters. */
  format: string;
  /** `--separator` (default `;`, or `,` with `--csv` when not given). */
  separator: string;
  /** Append `/` to directories. */
  dirSlash: boolean;
  /** Prefix paths with `/`. */
  absolute: boolean;
  /** RFC 4180 output with the separator's first character as delimiter. */
  csv: boolean;
  /** Hash name printed for `h`. */
  hashName: string;
}

type Column = (item: ListJsonItem) => string;

/** rclone's lsf line builder. Construct with {@link ListFormat.create}, which rejects unknown letters. */
export class ListFormat {
  private constructor(
    private readonly columns: readonly Column[],
    private readonly opts: ListFormatOptions,
  ) {}

  /** Builds the formatter; throws `unknown format character 'x'` for a bad letter. */
  static create(opts: ListFormatOptions): ListFormat {
    const cols: Column[] = [];
    const path = (item: ListJsonItem, remote: string) => {
      let r = remote;
      if (opts.absolute && !r.startsWith('/')) r = '/' + r;
      if (item.isDir && opts.dirSlash) r += '/';
      return r;
    };
    for (const ch of opts.format) {
      switch (ch) {
        case 'p': cols.push((i) => path(i, i.path)); break;
        case 't': cols.push((i) => (i.modTime ? formatLocalTime(i.modTime) : '')); break;
        case 's': cols.push((i) => String(i.size)); break;
        case 'h': cols.push((i) => (i.isDir ? '' : (i.hashes?.[opts.hashName] ?? ''))); break;
        case 'i': cols.push((i) => i.id ?? ''); break;
        case 'o': cols.push((i) => i.origId ?? ''); break;
        case 'm': cols.push((i) => i.mimeType ?? ''); break;
        case 'e': cols.push(() => ''); break; // crypt only: the lsf command refuses it before listing
        case 'T': cols.push((i) => i.tier ?? ''); break;
        case 'M': cols.push(() => '{}'); break;
        default: throw new Error(`unknown format character ${goQuoteRune(ch.codePointAt(0)!)}`);
      }
    }
    return new ListFormat(cols, opts);
  }

  /** The line for `item`, without newline. */
  format(item: ListJsonItem): string {
    const values = this.columns.map((c) => c(item));
    if (!this.opts.csv) return values.join(this.opts.separator);
    const comma = this.opts.separator === '' ? ',' : String.fromCodePoint(this.opts.separator.codePointAt(0)!);
    return csvRecord(values, comma).replace(/\n+$/, '');
  }
}

/** Go encoding/csv Writer.Write of one record (with `\n` line ending); `""` when `comma` is not a valid delimiter. */
export function csvRecord(fields: readonly string[], comma: string): string {
  if (comma === '' || comma === '"' || comma === '\r' || comma === '\n' || comma === '\ufffd' || /[\ud800-\udfff]/.test(comma)) return '';
  let out = '';
  fields.forEach((f, n) => {
    if (n > 0) out += comma;
    if (!csvNeedsQuotes(f, comma)) {
      out += f;
      return;
    }
    out += '"' + f.replaceAll('"', '""') + '"';
  });
  return out + '\n';
}

function csvNeedsQuotes(field: string, comma: string): boolean {
  if (field === '') return false;
  if (field === '\\.') return true;
  if (field.includes(comma) || /["\r\n]/.test(field)) return true;
  return isGoSpace(field.codePointAt(0)!);
}

/** Go unicode.IsSpace. */
function isGoSpace(cp: number): boolean {
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0;
  return cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;
}
