// `jsync touch remote:path`: create an empty file or set modtimes (rclone cmd/touch, incl. Go time.Parse errors).

import { Command, Option } from 'commander';
import {
  type Fs, type FsObject, type ObjectInfo, Timestamp, isJsyncError, parseRemotePath, walk,
} from '@jsync/core';
import { CliFatalError, type CliContext } from '../context.js';
import { checkArgs } from './args.js';
import { newFsDir } from './mkdir.js';
import { runWithRetries } from './retry.js';

interface TouchOpts {
  noCreate?: boolean;
  timestamp?: string;
  localtime?: boolean;
  recursive?: boolean;
}

/** Creates the `touch` command. */
export function createTouchCommand(ctx: CliContext): Command {
  return new Command('touch')
    .description('Create new file or change file modification time.')
    .argument('[args...]', 'remote:path')
    .option('-C, --no-create', 'Do not create the file if it does not exist (implied with --recursive)')
    .option('-t, --timestamp <time>', 'Use specified time instead of the current time of day')
    .option('--localtime', 'Use localtime for timestamp, not UTC')
    .option('-R, --recursive', 'Recursively touch all files')
    // targets of --flag=false (main rewrites it to --no-flag, and --no-create=false to --create)
    .addOption(new Option('--create').hideHelp())
    .addOption(new Option('--no-localtime').hideHelp())
    .addOption(new Option('--no-recursive').hideHelp())
    .action(async function (this: Command, args: string[]) {
      checkArgs(this, args, 1, 1);
      // commander turns --no-create into create=false
      const raw = this.opts<{ create?: boolean } & TouchOpts>();
      const opts: TouchOpts = { ...raw, noCreate: raw.create === false };
      const { root, leaf } = splitTouchPath(args[0]!);
      const { fs } = await newFsDir(ctx, root);
      await runWithRetries(ctx, () => touch(ctx, fs, leaf, opts));
    });
}

/** rclone fspath.Split for touch: parent (`.` when empty) and leaf; a bad path is fatal. */
export function splitTouchPath(arg: string): { root: string; leaf: string } {
  let path: string;
  try {
    path = parseRemotePath(arg).path;
  } catch (err) {
    throw new CliFatalError(`Parsing ${JSON.stringify(arg)} failed: ${(err as Error).message}`, { cause: err });
  }
  const leaf = path.slice(path.lastIndexOf('/') + 1);
  const root = arg.slice(0, arg.length - leaf.length);
  return { root: root === '' ? '.' : root, leaf };
}

async function touch(ctx: CliContext, fs: Fs, remote: string, opts: TouchOpts): Promise<void> {
  const t = opts.timestamp ? parseTouchTimeArg(opts.timestamp, opts.localtime === true) : Timestamp.now();
  ctx.logger.log('DEBUG', undefined, `Touch time ${goTimeString(t)}`);
  let obj: FsObject;
  try {
    obj = await fs.newObject(remote);
  } catch (err) {
    if (isJsyncError(err, 'OBJECT_NOT_FOUND')) {
      if (remote === '') return ctx.logger.log('NOTICE', fs.toString(), 'Not touching empty directory');
      if (opts.noCreate) return ctx.logger.log('NOTICE', fs.toString(), 'Not touching nonexistent file due to --no-create');
      if (opts.recursive) return ctx.logger.log('NOTICE', fs.toString(), 'Not touching nonexistent file due to --recursive');
      ctx.logger.log('DEBUG', fs.toString(), `Touching (creating) ${JSON.stringify(remote)}`);
      try {
        await fs.put(emptyInput(), emptyObjectInfo(fs, remote, t));
      } catch (e) {
        throw new Error(`failed to touch (create): ${(e as Error).message}`, { cause: e });
      }
      return;
    }
    if (isJsyncError(err, 'IS_DIR')) return touchDir(ctx, fs, remote, t, opts.recursive === true);
    throw err;
  }
  ctx.logger.log('DEBUG', fs.toString(), `Touching ${JSON.stringify(remote)}`);
  try {
    await obj.setModTime(t);
  } catch (e) {
    throw new Error(`failed to touch: ${(e as Error).message}`, { cause: e });
  }
}

// rclone operations.TouchDir: every object in `dir` (all levels with --recursive) gets the time; errors are counted.
async function touchDir(ctx: CliContext, fs: Fs, dir: string, t: Timestamp, recursive: boolean): Promise<void> {
  ctx.logger.log('DEBUG', fs.toString(), `Touching ${recursive ? 'recursively' : 'non-recursively'} files in directory ${JSON.stringify(dir)}`);
  const maxDepth = recursive ? ctx.globals.maxDepth : 1;
  for await (const { entries } of walk(fs, dir, { maxDepth, fastList: ctx.globals.fastList, checkers: ctx.globals.checkers })) {
    for (const e of entries) {
      if (e.isDir) continue;
      ctx.logger.log('DEBUG', fs.toString(), `Touching ${JSON.stringify(e.remote)}`);
      try {
        await e.setModTime(t);
      } catch (err) {
        const wrapped = new Error(`failed to touch: ${(err as Error).message}`, { cause: err });
        ctx.countError(wrapped);
        ctx.logger.log('ERROR', e.remote, wrapped.message);
      }
    }
  }
}

async function* emptyInput(): AsyncIterable<Uint8Array> {
  // an empty file: no chunks
}

function emptyObjectInfo(fs: Fs, remote: string, t: Timestamp): ObjectInfo {
  return {
    isDir: false, remote, size: 0, fs, storable: true,
    modTime: () => t,
    hash: async () => '',
    toString: () => remote,
  };
}

/** Go's time.Time String() for a UTC time: `2006-01-02 15:04:05.5 +0000 UTC`. */
export function goTimeString(t: Timestamp): string {
  const iso = t.toDate().toISOString();
  const frac = t.nanos === 0 ? '' : '.' + String(t.nanos).padStart(9, '0').replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac} +0000 UTC`;
}

// ---- Go time.Parse for touch's three layouts, with Go's error texts ----

const LAYOUT_SHORT = '060102';
const LAYOUT_SECONDS = '2006-01-02T15:04:05';
const LAYOUT_NANOS = '2006-01-02T15:04:05.999999999';

type Chunk = { lit: string } | { std: '06' | '2006' | '01' | '02' | '15' | '04' | '05' | '.999999999' };

const CHUNKS: Record<string, Chunk[]> = {
  [LAYOUT_SHORT]: [{ std: '06' }, { std: '01' }, { std: '02' }],
  [LAYOUT_SECONDS]: [
    { std: '2006' }, { lit: '-' }, { std: '01' }, { lit: '-' }, { std: '02' }, { lit: 'T' },
    { std: '15' }, { lit: ':' }, { std: '04' }, { lit: ':' }, { std: '05' },
  ],
};
CHUNKS[LAYOUT_NANOS] = [...CHUNKS[LAYOUT_SECONDS]!, { std: '.999999999' }];

/** Parses touch's `--timestamp` (rclone's layout choice by length; UTC unless `localTime`), throwing rclone's error. */
export function parseTouchTimeArg(text: string, localTime: boolean): Timestamp {
  try {
    return parseGoTime(text, localTime);
  } catch (err) {
    throw new Error(`failed to parse timestamp argument: ${(err as Error).message}`);
  }
}

/** Go's time.Parse over touch's layouts; `text` is handled as UTF-8 bytes like Go strings. */
export function parseGoTime(text: string, localTime: boolean): Timestamp {
  const bytes = Buffer.from(text, 'utf8').toString('latin1');
  const layout = bytes.length === LAYOUT_SECONDS.length ? LAYOUT_SECONDS : bytes.length > LAYOUT_SECONDS.length ? LAYOUT_NANOS : LAYOUT_SHORT;
  const f = { year: 0, month: 0, day: 0, hour: 0, min: 0, sec: 0, nsec: 0 };
  const cannot = (elem: string, layoutElem: string) =>
    new Error(`parsing time ${goTimeQuote(bytes)} as ${goTimeQuote(layout)}: cannot parse ${goTimeQuote(elem)} as ${goTimeQuote(layoutElem)}`);
  const range = (what: string) => new Error(`parsing time ${goTimeQuote(bytes)}: ${what} out of range`);
  let v = bytes;
  for (const c of CHUNKS[layout]!) {
    if ('lit' in c) {
      let i = 0;
      while (i < c.lit.length && v[i] === c.lit[i]) i++;
      if (i < c.lit.length) throw cannot(v.slice(i), c.lit);
      v = v.slice(c.lit.length);
      continue;
    }
    const hold = v;
    switch (c.std) {
      case '06': {
        const n = v.length < 2 ? undefined : goAtoi(v.slice(0, 2));
        if (n === undefined) throw cannot(hold, c.std);
        v = v.slice(2);
        f.year = n >= 69 ? n + 1900 : n + 2000;
        break;
      }
      case '2006': {
        if (v.length < 4 || !isDigit(v, 0)) throw cannot(v, c.std);
        const n = goAtoi(v.slice(0, 4));
        v = v.slice(4);
        if (n === undefined) throw cannot(v, c.std);
        f.year = n;
        break;
      }
      case '.999999999': {
        if (v.length < 2 || (v[0] !== '.' && v[0] !== ',') || !isDigit(v, 1)) break;
        let i = 0;
        while (i < 9 && i + 1 < v.length && isDigit(v, i + 1)) i++;
        f.nsec = Number(v.slice(1, 1 + i).padEnd(9, '0'));
        v = v.slice(1 + i);
        break;
      }
      default: {
        const fixed = c.std !== '15';
        const r = getNum(v, fixed);
        if (!r) throw cannot(hold, c.std);
        v = r.rest;
        const [key, lo, hi, name] = ({
          '01': ['month', 1, 12, 'month'], '02': ['day', 0, 99, 'day'], '15': ['hour', 0, 23, 'hour'],
          '04': ['min', 0, 59, 'minute'], '05': ['sec', 0, 59, 'second'],
        } as const)[c.std];
        if (r.n < lo || r.n > hi) throw range(name); // day: any two digits, validated at the end like Go
        f[key] = r.n;
      }
    }
  }
  if (v.length > 0) throw new Error(`parsing time ${goTimeQuote(bytes)}: extra text: ${goTimeQuote(v)}`);
  if (f.day < 1 || f.day > daysIn(f.month, f.year)) throw range('day');
  const d = new Date(0);
  if (localTime) {
    d.setFullYear(f.year, f.month - 1, f.day);
    d.setHours(f.hour, f.min, f.sec, 0);
  } else {
    d.setUTCFullYear(f.year, f.month - 1, f.day);
    d.setUTCHours(f.hour, f.min, f.sec, 0);
  }
  return Timestamp.fromNs(BigInt(d.getTime()) * 1_000_000n + BigInt(f.nsec));
}

function isDigit(s: string, i: number): boolean {
  return i < s.length && s[i]! >= '0' && s[i]! <= '9';
}

function getNum(s: string, fixed: boolean): { n: number; rest: string } | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : { n: Number(s[0]), rest: s.slice(1) };
  return { n: Number(s.slice(0, 2)), rest: s.slice(2) };
}

// Go time's atoi: optional sign then only digits.
function goAtoi(s: string): number | undefined {
  const m = /^([+-]?)(\d+)$/.exec(s);
  if (!m) return undefined;
  return m[1] === '-' ? -Number(m[2]) : Number(m[2]);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 31;
}

// Go time's quote(): bytes >= 0x80 or < 0x20 as \xNN, `"` and `\` escaped.
function goTimeQuote(bytes: string): string {
  let out = '"';
  for (const ch of bytes) {
    const b = ch.charCodeAt(0);
    if (b >= 0x80 || b < 0x20) out += '\\x' + b.toString(16).padStart(2, '0');
    else out += ch === '"' || ch === '\\' ? '\\' + ch : ch;
  }
  return out + '"';
}
