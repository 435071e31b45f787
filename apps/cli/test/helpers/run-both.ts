// Runs the same command line through the installed rclone (subprocess) and jsync (in-process main()) for the
// differential tests, plus the output normalisations those tests compare with.

import { spawn, spawnSync } from 'node:child_process';
import { main } from '../../src/main.js';
import { memoryIo } from '../../src/io.js';

/** What one run produced. */
export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** True when an `rclone` binary answers `rclone version`. */
export const rcloneAvailable: boolean = (() => {
  try {
    return spawnSync('rclone', ['version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
  } catch {
    return false;
  }
})();

/** The process environment without any RCLONE_/JSYNC_ settings, with TZ=UTC unless given. */
export function cleanEnv(tz = 'UTC'): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('RCLONE_') && !k.startsWith('JSYNC_')) env[k] = v;
  }
  env['TZ'] = tz;
  return env;
}

/** Runs `rclone --config /dev/null <args>` (in-memory config) and collects its output. */
export function runRclone(args: readonly string[], opts: { stdin?: string; tz?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('rclone', ['--config', '/dev/null', ...args], { env: cleanEnv(opts.tz), stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  });
}

/** Runs `jsync --config /dev/null <args>` in-process with a memory io (TZ is the process's own). */
export async function runJsync(args: readonly string[], opts: { stdin?: string } = {}): Promise<RunResult> {
  const io = memoryIo({ env: {}, ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}) });
  const code = await main(['--config', '/dev/null', ...args], { io });
  return { code, stdout: io.outBytes(), stderr: io.err() };
}

/** Runs several rclone command lines with bounded parallelism, results in input order. */
export async function runRcloneAll(jobs: readonly { args: readonly string[]; stdin?: string; tz?: string }[], parallel = 8): Promise<RunResult[]> {
  const results: RunResult[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const j = jobs[i]!;
      results[i] = await runRclone(j.args, { ...(j.stdin !== undefined ? { stdin: j.stdin } : {}), ...(j.tz ? { tz: j.tz } : {}) });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

/** Output lines as byte strings (latin1), sorted: for recursive listings whose order across directories varies. */
export function sortedLines(out: Buffer, opts: { stripTrailingComma?: boolean } = {}): string[] {
  let lines = out.toString('latin1').split('\n');
  if (opts.stripTrailingComma) lines = lines.map((l) => l.replace(/,$/, ''));
  return lines.sort();
}

/** stderr without log dates, as sorted unique lines (the order of parallel listings varies). */
export function normalizedStderr(err: string): string[] {
  const lines = err.split('\n').filter((l) => l !== '').map((l) => l.replace(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} /, ''));
  return [...new Set(lines)].sort();
}

/** Replaces every `"ModTime": "…"` / `"ModTime":"…"` value (times that are "now" in rclone). */
export function maskModTimes(out: Buffer): string {
  return out.toString('latin1').replace(/("ModTime": ?")[^"]*"/g, '$1<now>"');
}
