// Runs one child process and measures its wall time (hrtime around spawn→exit) and peak RSS.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** GNU time, which reports the reaped child's ru_maxrss (peak RSS; the max over it and its waited-for descendants). */
export const GNU_TIME = '/usr/bin/time';

/**
 * Picks the peak-RSS method: GNU time when present (installing Debian's `time` package when we are root and apt-get
 * exists), otherwise polling /proc/<pid>/status VmHWM of the direct child every few milliseconds.
 */
export function chooseRssMethod({ log = () => {}, install = true } = {}) {
  if (gnuTimeWorks()) return 'gnu-time';
  if (install && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    log('installing GNU time (apt-get install -y time)…');
    spawnSync('apt-get', ['install', '-y', '-q', 'time'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (gnuTimeWorks()) return 'gnu-time';
  }
  return 'proc-vmhwm';
}

function gnuTimeWorks() {
  if (!existsSync(GNU_TIME)) return false;
  const r = spawnSync(GNU_TIME, ['-f', '%M', 'true'], { encoding: 'utf8' });
  return r.status === 0 && /^\d+\s*$/m.test(r.stderr);
}

/** GNU time's output format: elapsed s, max RSS KiB, user s, system s. */
export const GNU_TIME_FORMAT = '%e %M %U %S';

/** Parses GNU time's `-o` file written with {@link GNU_TIME_FORMAT} (the last line; a status line may precede it). */
export function parseGnuTime(text) {
  const lines = text.trim().split('\n');
  const m = /^(\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(lines[lines.length - 1] ?? '');
  return m ? { elapsed: Number(m[1]), maxRssKiB: Number(m[2]), userS: Number(m[3]), sysS: Number(m[4]) } : undefined;
}

/**
 * Runs cmd with args; stdout/stderr go to files in workDir (read back afterwards, so no pipe draining inside the
 * timed window). Resolves to { wallMs, rssBytes, cpuMs (user+sys; GNU time only), code, signal, stdout, stderr }.
 */
export async function measure(cmd, args, { workDir, env, cwd, method = 'gnu-time', label = 'run' }) {
  const outPath = join(workDir, `${label}.stdout`);
  const errPath = join(workDir, `${label}.stderr`);
  const timePath = join(workDir, `${label}.time`);
  const outFd = openSync(outPath, 'w');
  const errFd = openSync(errPath, 'w');
  const argv = method === 'gnu-time' ? [GNU_TIME, ['-f', GNU_TIME_FORMAT, '-o', timePath, cmd, ...args]] : [cmd, args];
  let result;
  try {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv[1], { stdio: ['ignore', outFd, errFd], env, cwd });
    const poll = method === 'proc-vmhwm' ? pollVmHwm(child.pid) : undefined;
    result = await new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code, signal) => resolve({ wallMs: Number(process.hrtime.bigint() - start) / 1e6, code, signal }));
    });
    if (poll) result.rssBytes = poll.stop();
  } finally {
    closeSync(outFd);
    closeSync(errFd);
  }
  if (method === 'gnu-time') {
    const t = existsSync(timePath) ? parseGnuTime(readFileSync(timePath, 'utf8')) : undefined;
    result.rssBytes = t ? t.maxRssKiB * 1024 : undefined;
    result.cpuMs = t ? Math.round((t.userS + t.sysS) * 1000) : undefined;
    rmSync(timePath, { force: true });
  }
  result.stdout = readFileSync(outPath, 'utf8');
  result.stderr = readFileSync(errPath, 'utf8');
  rmSync(outPath, { force: true });
  rmSync(errPath, { force: true });
  return result;
}

/** Polls VmHWM (the kernel's peak-RSS high-water mark) of pid until stopped; returns the last value in bytes. */
function pollVmHwm(pid) {
  let last;
  const read = () => {
    try {
      const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) last = Number(m[1]) * 1024;
    } catch {
      // gone (exited); keep the last sample
    }
  };
  const timer = setInterval(read, 5);
  read();
  return { stop: () => { clearInterval(timer); return last; } };
}

/** Median of a non-empty array of numbers (mean of the middle two for even lengths). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return undefined;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
