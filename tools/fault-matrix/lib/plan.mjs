// The fault matrix plan (pure, no I/O): the fault kinds and operations, which cells apply, and for one cell and seed
// the emulator fault rules, jsync flags and emulator options of a run, plus what a failure message must name.

/** The fault kinds (rows of the matrix). */
export const KINDS = ['5xx', '429', 'reset-upload', 'reset-download', 'truncate', 'slow', 'expire', 'quota', 'corrupt'];

/**
 * The operations (columns): direction `up` (local → jottacloud, uploads), `down` (jottacloud → local, downloads) or
 * `none`; `main` is the emulator fault op of the operation's characteristic requests.
 */
export const OPS = {
  'copy-up': { cmd: 'copy', dir: 'up', main: 'upload' },
  'copy-down': { cmd: 'copy', dir: 'down', main: 'download' },
  'sync-up': { cmd: 'sync', dir: 'up', main: 'upload' },
  'sync-down': { cmd: 'sync', dir: 'down', main: 'download' },
  'move-up': { cmd: 'move', dir: 'up', main: 'upload' },
  'move-down': { cmd: 'move', dir: 'down', main: 'download' },
  check: { cmd: 'check', dir: 'down', main: 'download' },
  delete: { cmd: 'delete', dir: 'none', main: 'delete' },
  cleanup: { cmd: 'cleanup', dir: 'none', main: 'cleanup' },
};

/** Operation ids in table order. */
export const OP_IDS = Object.keys(OPS);

/** mulberry32: a small seeded PRNG in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 31-bit seed derived from a base seed and labels (FNV-1a over the text). */
export function deriveSeed(base, ...labels) {
  let h = 0x811c9dc5;
  for (const ch of [String(base), ...labels].join('/')) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

/** Why a cell does not apply (the operation makes no request the fault can act on), or undefined when it does. */
export function notApplicable(kind, op) {
  const { dir } = OPS[op];
  if ((kind === 'reset-upload' || kind === 'quota') && dir !== 'up') return 'the operation uploads nothing';
  if (kind === 'corrupt' && dir === 'none') return 'the operation transfers no content';
  return undefined;
}

/** Every applicable (kind, op) cell, filtered by the given lists. */
export function cells(kinds = KINDS, ops = OP_IDS) {
  const out = [];
  for (const kind of kinds) for (const op of ops) if (!notApplicable(kind, op)) out.push({ kind, op });
  return out;
}

/** What the failing run's error output must contain to name each fault kind. */
export const ERROR_TEXT = {
  '5xx': /error 50[03]|HTTP error 50[03]|\b50[03]\b.*(Internal Server Error|Service Unavailable|unavailable|server error)/i,
  '429': /error 429|HTTP error 429|Too Many Requests/i,
  'reset-upload': /ECONNRESET|socket hang up|other side closed|terminated|connection (was )?(reset|closed)|premature|error 420|Incomplete/i,
  'reset-download': /ECONNRESET|socket hang up|other side closed|terminated|connection (was )?(reset|closed)|premature|reopen|unexpected end|EOF|invalid XML|truncated/i,
  truncate: /stopped after \d+ of \d+ bytes|short|unexpected end|EOF|premature|invalid XML|invalid JSON|Unexpected|error 420|Incomplete|truncated|malformed/i,
  slow: /time(d)? ?out|timeout|ETIMEDOUT|aborted/i,
  expire: /\b401\b|expired|CredentialsExpired|token/i,
  quota: /quota/i,
  corrupt: /corrupt|md5|hash|checksum|differ/i,
};

const pick = (rnd, xs) => xs[Math.floor(rnd() * xs.length)];
const between = (rnd, lo, hi) => Math.round((lo + rnd() * (hi - lo)) * 100) / 100;

/**
 * The run plan of one cell for one seed: emulator fault rules (the first guaranteed by `@n`, the others by
 * probability), jsync flags (retry budgets, transfers, timeouts), the emulator's token lifetime and slow delay.
 */
export function runPlan(kind, op, seed) {
  const why = notApplicable(kind, op);
  if (why) throw new Error(`${kind} × ${op} does not apply: ${why}`);
  const rnd = prng(deriveSeed(seed, kind, op));
  const { dir, main } = OPS[op];
  const retries = pick(rnd, [1, 2, 3]);
  const lowLevel = pick(rnd, [1, 3, 10]);
  const flags = ['--retries', String(retries), '--low-level-retries', String(lowLevel), '--transfers', String(pick(rnd, [1, 2, 4]))];
  const nth = (max) => 1 + Math.floor(rnd() * max);
  // How many requests of its main op an operation makes at least (cleanup: one purge_trash).
  const mainCount = op === 'cleanup' ? 1 : op === 'delete' ? 2 : 4;
  const faults = [];
  let tokenLifetimeSeconds = 3600;
  let slowMs = 1000;
  switch (kind) {
    case '5xx': {
      const status = pick(rnd, ['500', '503']);
      faults.push(`${main}=${status}@${nth(mainCount)}`, `any=${status}:${between(rnd, 0.03, 0.15)}`);
      break;
    }
    case '429':
      faults.push(`${main}=429@${nth(mainCount)}`);
      if (rnd() < 0.5) faults.push(`list=429@${nth(2)}`);
      break;
    case 'reset-upload':
      faults.push(`upload=reset@${nth(mainCount)}`, `upload=reset:${between(rnd, 0.1, 0.5)}`);
      break;
    case 'reset-download': {
      // A response body cut mid-way: file content where the operation downloads, else its listing (or purge answer).
      const target = dir === 'down' ? 'download' : op === 'cleanup' ? 'cleanup' : 'list';
      faults.push(`${target}=reset@${nth(target === 'cleanup' ? 1 : 2)}`, `${target}=reset:${between(rnd, 0.05, 0.4)}`);
      break;
    }
    case 'truncate':
      faults.push(`${main}=truncate@${nth(mainCount)}`, `list=truncate:${between(rnd, 0.02, 0.2)}`);
      break;
    case 'slow':
      slowMs = pick(rnd, [1200, 2000]);
      faults.push(`${main}=slow@${nth(mainCount)}`, `any=slow:${between(rnd, 0.05, 0.25)}`);
      // Half the runs give up on a slow answer (idle timeout below the delay) and must retry; the others wait.
      if (rnd() < 0.5) flags.push('--timeout', '1s');
      break;
    case 'expire':
      if (rnd() < 0.5) tokenLifetimeSeconds = 3;
      faults.push(`${main}=expire@${nth(mainCount)}`, `any=expire:${between(rnd, 0.03, 0.2)}`);
      break;
    case 'quota':
      faults.push(`allocate=quota@${nth(mainCount)}`);
      if (rnd() < 0.5) faults.push(`allocate=quota:${between(rnd, 0.1, 0.4)}`);
      break;
    case 'corrupt':
      faults.push(`${main}=corrupt@${nth(mainCount)}`, `${main}=corrupt:${between(rnd, 0.05, 0.3)}`);
      break;
    default:
      throw new Error(`unknown fault kind ${kind}`);
  }
  return { kind, op, seed, faults, flags, tokenLifetimeSeconds, slowMs, contentSeed: deriveSeed(seed, 'content', kind, op) };
}
