// Reads rclone-style `-v` logs: keeps the action lines (no dates, no stats block) and derives the sets of
// transferred and deleted paths.

const DATE = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? /;
const LEVEL = /^(EMERGENCY|ALERT|CRITICAL|ERROR|WARNING|NOTICE|INFO|DEBUG) *: /;

/**
 * The log lines of a run without dates and without the stats block, `root` replaced by `{root}`, sorted
 * (concurrent checkers/transfers make the order vary). The final `Failed to …` line (no level) is kept.
 */
export function normalizeLog(stderr: string, root: string): string[] {
  const out: string[] = [];
  for (const raw of stderr.split('\n')) {
    const m = DATE.exec(raw);
    if (!m) continue; // stats block continuation lines, usage text
    const line = raw.slice(m[0].length).split(root).join('{root}');
    const lvl = LEVEL.exec(line);
    if (lvl && line.slice(lvl[0].length) === '') continue; // the stats block header (`INFO  : ` + newline)
    if (lvl && lvl[1] === 'DEBUG') continue;
    out.push(lvl ? `${lvl[1]}: ${line.slice(lvl[0].length)}` : line);
  }
  return out.sort();
}

const COPIED = /^(?:INFO|NOTICE): (.+): (?:Multi-thread )?Copied \((?:new|replaced existing|server-side copy|Rcat, new)\)(?: to: .+)?$/;
const MOVED = /^(?:INFO|NOTICE): (.+): Moved \(server-side\)(?: to: .+)?$/;
const DRY_TRANSFER = /^NOTICE: (.+): Skipped (?:copy|move) as --dry-run is set(?: \(size .*\))?$/;
const DELETED = /^INFO: (.+): Deleted$/;
const DRY_DELETE = /^NOTICE: (.+): Skipped delete as --dry-run is set(?: \(size .*\))?$/;

/** Whether a command's `Moved (…)` lines are transfers (move/moveto) rather than `--backup-dir`/`--suffix` renames. */
export function movesAreTransfers(command: string): boolean {
  return command === 'move' || command === 'moveto';
}

/** Sorted unique paths transferred (copied or moved, real or dry-run) according to the normalised log. */
export function transferredPaths(log: readonly string[], command: string): string[] {
  const out = new Set<string>();
  for (const l of log) {
    const m = COPIED.exec(l) ?? DRY_TRANSFER.exec(l) ?? (movesAreTransfers(command) ? MOVED.exec(l) : null);
    if (m) out.add(m[1]!);
  }
  return [...out].sort();
}

/** Sorted unique paths deleted (real or dry-run) according to the normalised log. */
export function deletedPaths(log: readonly string[]): string[] {
  const out = new Set<string>();
  for (const l of log) {
    const m = DELETED.exec(l) ?? DRY_DELETE.exec(l);
    if (m) out.add(m[1]!);
  }
  return [...out].sort();
}

/** Text as sorted lines without the empty last line. */
export function sortedTextLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.sort();
}

/**
 * A log line with the Fs descriptions of the scenario trees replaced by `{src}`/`{dst}`/`{backup}` (local
 * `Local file system at {root}/dst…`, memory `Memory root 'bucket/dst…'`), so lines compare across variants.
 */
export function fsNeutral(line: string): string {
  return line
    .replace(/Local file system at \{root\}\/([^\s:]+)/g, '{$1}')
    .replace(/Memory root 'bucket\/([^']+)'/g, '{$1}');
}

/** Whether the run ended in a command-line usage error (`Fatal error: …` without a level, e.g. an unknown flag). */
export function hasUsageError(log: readonly string[]): boolean {
  return log.some((l) => l.startsWith('Fatal error: '));
}
