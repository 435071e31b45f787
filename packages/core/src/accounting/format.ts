// rclone v1.60's stats text (block, --stats-one-line, per-item lines) and the JSON `stats` object of --use-json-log.

import { formatByteUnit, formatGoDurationNs, formatRate, formatReadableDuration, formatSizeSuffix } from '../util/units.js';
import { isEscapedByte } from '../util/utf8.js';
import type { TransferItemSnapshot } from './account.js';
import { formatGoLayout } from './go-layout.js';
import type { StatsSnapshot } from './stats.js';

/** rclone's layout for `--stats-one-line-date` without `--stats-one-line-date-format`. */
export const DEFAULT_ONE_LINE_DATE_FORMAT = '2006/01/02 15:04:05 - ';

/** Rendering flags for the stats text. */
export interface StatsFormatOptions {
  /** `--stats-one-line`. @default false */
  oneLine?: boolean;
  /** Go layout prefixed to one-line stats (`--stats-one-line-date[-format]`; implies one-line). */
  oneLineDateFormat?: string;
  /** `--stats-unit`. @default 'bytes' */
  unit?: 'bytes' | 'bits';
  /** `--stats-file-name-length` (0 = unlimited). @default 45 */
  fileNameLength?: number;
}

/** `N%` rounded to the nearest integer, or `-` when `b` ≤ 0 (rclone percent). */
export function formatPercent(a: number, b: number): string {
  if (a < 0 || b <= 0) return '-';
  return `${Math.trunc((a * 100) / b + 0.5)}%`;
}

/** The `Elapsed time` value without its trailing `s`: whole hours/minutes then seconds to 0.1 (`1h2m3.4`, `0.0`). */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms));
  const minutes = Math.floor(total / 60_000);
  const head = formatGoDurationNs(BigInt(minutes) * 60_000_000_000n).replace(/[0s]+$/, '');
  const tenths = Math.floor((total % 60_000) / 100);
  return head + (tenths / 10).toFixed(1);
}

const runesOf = (s: string): string[] => Array.from(s);

/** rclone shortenName: at most `size` runes, the middle replaced by `…` (size ≤ 0 leaves the name alone). */
export function shortenName(name: string, size: number): string {
  if (size <= 0) return name;
  const runes = runesOf(name);
  if (runes.length <= size) return name;
  // Go's []rune conversion turns each raw (invalid UTF-8) byte into U+FFFD.
  const fixed = runes.map((r) => (r.length === 1 && isEscapedByte(r.charCodeAt(0)) ? '\ufffd' : r));
  const keep = size - 1;
  const suffix = Math.floor(keep / 2);
  const prefix = keep - suffix;
  return fixed.slice(0, prefix).join('') + '…' + fixed.slice(fixed.length - suffix).join('');
}

/** Go `%*s`: right-aligns `s` to `width` runes. */
function padRunes(s: string, width: number): string {
  const n = runesOf(s).length;
  return n >= width ? s : ' '.repeat(width - n) + s;
}

/** One ` * …` line body of the Checking:/Transferring: lists (without the leading ` * `). */
export function formatTransferItem(item: TransferItemSnapshot, opts: StatsFormatOptions = {}): string {
  const len = opts.fileNameLength ?? 45;
  const name = padRunes(shortenName(item.name, len), len);
  if (!item.started) return `${name}: ${item.kind === 'check' ? 'checking' : 'transferring'}`;
  const cur = opts.unit === 'bits' ? item.speedAvg * 8 : item.speedAvg;
  let eta = '-';
  if (item.etaSeconds !== null) eta = item.etaSeconds > 0 ? formatGoDurationNs(BigInt(item.etaSeconds) * 1_000_000_000n) : '0s';
  const pct = String(item.percentage).padStart(3);
  return `${name}:${pct}% /${formatSizeSuffix(item.size)}, ${formatSizeSuffix(Math.trunc(cur))}/s, ${eta}`;
}

const etaText = (s: number | null): string => (s === null ? '-' : formatReadableDuration(s * 1000));

const right = (v: number | string, w: number): string => String(v).padStart(w);

/** The stats text exactly as rclone's StatsInfo.String: the block (starting with `\n`) or the one-line form. */
export function formatStats(s: StatsSnapshot, opts: StatsFormatOptions = {}): string {
  const oneLine = opts.oneLine === true || opts.oneLineDateFormat !== undefined;
  const speed = formatRate(s.speed, { unit: opts.unit });
  let out = '';
  let suffix = '';
  if (!oneLine) {
    out += '\nTransferred:   \t';
  } else {
    const parts: string[] = [];
    if (s.totalTransfers > 0 && s.transferQueue > 0) parts.push(`xfr#${s.transfers}/${s.totalTransfers}`);
    if (s.totalChecks > 0 && s.checkQueue > 0) parts.push(`chk#${s.checks}/${s.totalChecks}`);
    if (parts.length > 0) suffix = ` (${parts.join(', ')})`;
    if (opts.oneLineDateFormat !== undefined) out += formatGoLayout(s.date, opts.oneLineDateFormat);
  }
  out += `${right(formatByteUnit(s.bytes), 13)} / ${formatByteUnit(s.totalBytes)}, ${formatPercent(s.bytes, s.totalBytes)}, ${speed}, ETA ${etaText(s.etaSeconds)}${suffix}`;
  if (oneLine) return out;
  out += '\n';
  if (s.errors !== 0) {
    const detail = s.fatalError ? ' (fatal error encountered)' : s.retryError ? ' (retrying may help)' : ' (no need to retry)';
    out += `Errors:        ${right(s.errors, 10)}${detail}\n`;
  }
  if (s.checks !== 0 || s.totalChecks !== 0) out += `Checks:        ${right(s.checks, 10)} / ${s.totalChecks}, ${formatPercent(s.checks, s.totalChecks)}\n`;
  if (s.deletes !== 0 || s.deletedDirs !== 0) out += `Deleted:       ${right(s.deletes, 10)} (files), ${s.deletedDirs} (dirs)\n`;
  if (s.renames !== 0) out += `Renamed:       ${right(s.renames, 10)}\n`;
  if (s.transfers !== 0 || s.totalTransfers !== 0) {
    out += `Transferred:   ${right(s.transfers, 10)} / ${s.totalTransfers}, ${formatPercent(s.transfers, s.totalTransfers)}\n`;
  }
  out += `Elapsed time:  ${right(formatElapsed(s.elapsedMs), 10)}s\n`;
  if (s.checking.length > 0) {
    const busy = new Set(s.transferring.map((t) => t.name));
    const lines = s.checking.filter((c) => !busy.has(c.name)).map((c) => ` * ${formatTransferItem(c, opts)}`);
    out += `Checking:\n${lines.join('\n')}\n`;
  }
  if (s.transferring.length > 0) {
    out += `Transferring:\n${s.transferring.map((t) => ` * ${formatTransferItem(t, opts)}`).join('\n')}\n`;
  }
  return out;
}

/** rclone's per-transfer rc stats object (keys sorted as Go marshals maps). */
function itemJson(t: TransferItemSnapshot, group: string): Record<string, unknown> {
  if (!t.started) return { name: t.name, size: t.size };
  return {
    bytes: t.bytes, eta: t.etaSeconds, group, name: t.name, percentage: t.percentage, size: t.size, speed: t.speed,
    speedAvg: t.speedAvg,
  };
}

/** The `stats` object rclone attaches to stats log lines with --use-json-log (RemoteStats; keys sorted). */
export function statsJson(s: StatsSnapshot): Record<string, unknown> {
  const out: Record<string, unknown> = { bytes: s.bytes };
  if (s.checking.length > 0) out['checking'] = s.checking.map((c) => c.name);
  Object.assign(out, {
    checks: s.checks, deletedDirs: s.deletedDirs, deletes: s.deletes, elapsedTime: s.elapsedMs / 1000, errors: s.errors,
    eta: s.etaSeconds, fatalError: s.fatalError,
  });
  if (s.lastError !== undefined) out['lastError'] = s.lastError;
  Object.assign(out, {
    renames: s.renames, retryError: s.retryError, speed: s.speed, totalBytes: s.totalBytes, totalChecks: s.totalChecks,
    totalTransfers: s.totalTransfers, transferTime: s.transferTime,
  });
  if (s.transferring.length > 0) out['transferring'] = s.transferring.map((t) => itemJson(t, s.group));
  out['transfers'] = s.transfers;
  return out;
}
