// Bounded, seeded fuzzing of the remote-path parser and the path cleaners: only INVALID_ARGUMENT errors, results
// consistent with the input, and cleaned paths that never climb out of their root.

import { describe, expect, it } from 'vitest';
import { cleanPath, cleanRooted, joinRootPath, parseRemotePath } from '../../src/config/index.js';
import { JsyncError } from '../../src/fs/errors.js';
import { awkwardString, fuzz, Prng } from './prng.js';

const PIECES = ['remote', ':', ':', ',', '=', "'", '"', "''", '""', 'a', 'b_1', '-', ' ', '.', '/', '\\', 'C', 'x=y', ':memory', 'dir/f', '..', '//'];

/** A connection string: `name` or `:backend`, then `,param` / `,param=value` (quoted values too), `:` and a path. */
function connectionString(r: Prng): string {
  let s = r.pick(['remote', ':memory', 'a b', 'x.y', 'C', '-r']);
  for (let n = r.int(4); n > 0; n--) {
    s += `,${r.pick(['a', 'b_1', 'Opt', 'x y', ''])}`;
    if (r.chance(0.7)) {
      const raw = r.chance(0.5) ? r.pick(['v', 'x=y', 'a,b', 'a:b', "it''s", '""', '']) : awkwardString(r, 3);
      const q = r.pick(['', "'", '"']);
      s += `=${q}${q === '' ? raw : raw.replaceAll(q, q + q)}${r.chance(0.9) ? q : ''}`;
    }
  }
  return s + (r.chance(0.9) ? ':' : '') + r.pick(['', 'dir', '/abs/x', 'a:b', 'd\\e']);
}

/** A path-like input: connection strings, or a random mix of syntax pieces and awkward characters. */
function pathInput(r: Prng): string {
  if (r.chance(0.4)) return connectionString(r);
  let s = '';
  const n = 1 + r.int(10);
  for (let i = 0; i < n; i++) s += r.chance(0.8) ? r.pick(PIECES) : awkwardString(r, 2);
  return s;
}

const PLATFORMS = ['linux', 'darwin', 'win32'] as const;

/** A cheap assertion for hot fuzz loops (expect() per case would dominate the time budget). */
function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`fuzz property failed: ${what}`);
}

describe('parseRemotePath fuzz', () => {
  it('throws only INVALID_ARGUMENT; results are consistent with the input (30 000 inputs, 3 platforms)', () => {
    const ran = fuzz(0x5eed01, 30_000, 4_000, (r, i) => {
      const text = pathInput(r);
      const platform = PLATFORMS[i % 3]!;
      let parsed;
      try {
        parsed = parseRemotePath(text, { platform });
      } catch (err) {
        if (!(err instanceof JsyncError) || err.code !== 'INVALID_ARGUMENT') {
          throw new Error(`case ${i} ${JSON.stringify(text)} (${platform}) threw ${String(err)}`);
        }
        check(text === '' || text.includes(':'), `error without ':' for ${JSON.stringify(text)}`);
        return;
      }
      const slash = (p: string) => (platform === 'win32' ? p.replaceAll('\\', '/') : p);
      if (parsed.kind === 'local') {
        check(parsed.path === slash(text), JSON.stringify(text));
        return;
      }
      // A remote: the name starts the text, the path ends it, and they are separated by the config string's ':'.
      check(text.startsWith(parsed.name), JSON.stringify(text));
      check(slash(text).endsWith(parsed.path), JSON.stringify(text));
      check(text.length > parsed.path.length + parsed.name.length - 1, JSON.stringify(text));
      check(/^:?[\w. -]+$/.test(parsed.name), JSON.stringify(text));
      check(parsed.backendType === undefined ? !parsed.name.startsWith(':') : parsed.backendType === parsed.name.slice(1), JSON.stringify(text));
      for (const k of Object.keys(parsed.params)) check(/^[A-Za-z0-9_]+$/.test(k), JSON.stringify(text));
      // Rebuilt with every value quoted, the connection string parses back to the same remote.
      const rebuilt = parsed.name + Object.entries(parsed.params).map(([k, v]) => `,${k}='${v.replaceAll("'", "''")}'`).join('');
      const again = parseRemotePath(`${rebuilt}:${parsed.path}`, { platform });
      check(JSON.stringify(again) === JSON.stringify(parsed), `${JSON.stringify(text)} rebuilt as ${JSON.stringify(rebuilt)}`);
    });
    expect(ran).toBeGreaterThan(5_000);
  });
});

describe('path cleaning fuzz', () => {
  const SEGMENTS = ['a', 'b', '.', '..', '', '...', ' ', '．．', 'c d', '\\', '..\\..'];
  const pathOf = (r: Prng): string => {
    const n = r.int(8);
    const segs = Array.from({ length: n }, () => r.pick(SEGMENTS));
    return (r.chance(0.3) ? '/' : '') + segs.join('/') + (r.chance(0.2) ? '/' : '');
  };

  it('cleanPath is idempotent; cleanRooted and joinRootPath never leave their root (20 000 paths)', () => {
    const ran = fuzz(0x5eed02, 20_000, 4_000, (r) => {
      const p = pathOf(r);
      const c = cleanPath(p);
      check(cleanPath(c) === c, JSON.stringify(p));
      check(c === '/' || !c.endsWith('/'), JSON.stringify(p));
      const rooted = cleanRooted(p);
      check(!rooted.split('/').includes('..'), JSON.stringify(p));
      const base = r.pick(['remote:', 'remote:dir', '/abs', 'rel/dir', ':memory:x']);
      const joined = joinRootPath(base, p, { platform: 'linux' });
      const rest = joined.slice(base.length).replace(/^\//, '');
      check(joined.startsWith(base) || joined === cleanPath(base), `${base} + ${JSON.stringify(p)} = ${joined}`);
      check(!rest.split('/').includes('..'), `${base} + ${JSON.stringify(p)} = ${joined}`);
    });
    expect(ran).toBeGreaterThan(5_000);
  });
});
