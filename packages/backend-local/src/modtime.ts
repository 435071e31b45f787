// Setting modtimes to the nanosecond from Node, and probing the precision that actually sticks (rclone readPrecision).
//
// Node's utimes takes seconds as a double and libuv truncates to whole microseconds, so fs.utimes alone cannot store
// `.499999999`. When the optional native addon (native/utimens.c, built by scripts/build-native.mjs) is present, every
// time is set with utimensat directly. Without it, microsecond values are set exactly with fs.utimes (see
// usUtimesValue) and a time with a sub-microsecond part is set with GNU `touch -d @S.N` when the probe shows touch
// works (one process per file: slow). Without either the time is truncated to the microsecond and the probe reports
// a 1µs precision, honestly.

import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { open, mkdtemp, rm, lstat, lutimes, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { encodeUtf8Escaped, hasLoneSurrogate, SECOND_NS, Timestamp } from '@jsync/core';
import { fsPath, joinOs } from './paths.js';

/** Options for {@link ModTimeSetter.set}. */
export interface SetTimesOptions {
  /** Change the symlink itself, not what it points to (rclone lChtimes for translated links). */
  noFollow?: boolean;
}

/** The native addon's entry point: utimensat with (seconds, nanoseconds); returns errno, 0 on success. */
export type NativeSetTimes = (path: Buffer, seconds: number, nanos: number, noFollow: boolean) => number;

/** Loads the optional utimensat addon next to the compiled module (dist/native) or from a source checkout. */
export function loadNativeSetTimes(): NativeSetTimes | undefined {
  const require = createRequire(import.meta.url);
  for (const p of ['./native/utimens.node', '../dist/native/utimens.node']) {
    try {
      const mod = require(p) as { setTimesNs?: NativeSetTimes };
      if (typeof mod.setTimesNs === 'function') return mod.setTimesNs;
    } catch {
      // not built here (no C compiler, or not Linux): fall back
    }
  }
  return undefined;
}

/** Sets atime and mtime of a path to one Timestamp, exactly to the nanosecond when `exactNs`. */
export class ModTimeSetter {
  /** True when sub-microsecond times are stored exactly (native addon or `touch`; decided by {@link probePrecision}). */
  readonly exactNs: boolean;
  private readonly touch: string;
  private readonly native: NativeSetTimes | undefined;

  constructor(opts: { exactNs: boolean; touchCommand?: string; native?: NativeSetTimes }) {
    this.exactNs = opts.exactNs;
    this.touch = opts.touchCommand ?? 'touch';
    this.native = opts.native;
  }

  /** Sets both times of `path` (an escaped OS path) to `t`. */
  async set(path: string, t: Timestamp, opts: SetTimesOptions = {}): Promise<void> {
    if (this.native) return this.setNative(path, t, opts);
    const subMicro = t.ns % 1000n !== 0n;
    const doubleOk = abs(t.seconds) < 2n ** 31n; // a double then resolves better than ±0.5µs
    if (!subMicro && doubleOk) return this.setMicro(path, t, opts);
    if (this.exactNs && (await this.setWithTouch(path, t, opts))) return;
    return this.setMicro(path, t, opts);
  }

  private setNative(path: string, t: Timestamp, opts: SetTimesOptions): void {
    const errno = this.native!(Buffer.concat([encodeUtf8Escaped(path), Buffer.from([0])]), Number(t.seconds), t.nanos, opts.noFollow === true);
    if (errno !== 0) {
      const err = new Error(`utimensat ${path}: errno ${errno}`) as NodeJS.ErrnoException;
      err.errno = errno;
      err.code = errno === 2 ? 'ENOENT' : errno === 13 ? 'EACCES' : errno === 1 ? 'EPERM' : 'EIO';
      err.syscall = 'utimensat';
      err.path = path;
      throw err;
    }
  }

  /**
   * fs.utimes/lutimes with a value libuv turns into exactly `t` truncated to the microsecond. The value goes in as
   * a numeric string: Node replaces negative *numbers* (times before 1970) with "now", but parses strings verbatim.
   */
  private async setMicro(path: string, t: Timestamp, opts: SetTimesOptions): Promise<void> {
    const v = String(usUtimesValue(t));
    if (opts.noFollow) await lutimes(fsPath(path), v, v);
    else await utimes(fsPath(path), v, v);
  }

  /** `touch -c [-h] -d @S.N path`; false when the path cannot be handed to touch or touch fails. */
  private async setWithTouch(path: string, t: Timestamp, opts: SetTimesOptions): Promise<boolean> {
    const stamp = touchStamp(t);
    const args = ['-c', ...(opts.noFollow ? ['-h'] : []), '-d', stamp, '--'];
    if (!hasLoneSurrogate(path)) return run(this.touch, [...args, path]);
    // A name that is not valid UTF-8 cannot be an argv string: go through /proc/<pid>/fd on Linux.
    if (opts.noFollow || process.platform !== 'linux') return false;
    const fh = await open(fsPath(path), 'r');
    try {
      return await run(this.touch, [...args, `/proc/${process.pid}/fd/${fh.fd}`]);
    } finally {
      await fh.close();
    }
  }
}

/**
 * The number of seconds to give fs.utimes so that libuv (trunc to seconds, ×1e9, trunc to µs) stores exactly
 * `t` floored to the microsecond: the value sits half a microsecond past the target, away from zero.
 */
export function usUtimesValue(t: Timestamp): number {
  const us = floorDiv(t.ns, 1000n);
  return us >= 0n ? Number(us * 10n + 5n) / 1e7 : Number(us * 10n - 5n) / 1e7;
}

/** GNU touch's `@seconds.nanoseconds` form of `t` (the sign applies to the whole value). */
export function touchStamp(t: Timestamp): string {
  const neg = t.ns < 0n;
  const a = neg ? -t.ns : t.ns;
  return `@${neg ? '-' : ''}${a / SECOND_NS}.${String(a % SECOND_NS).padStart(9, '0')}`;
}

/** Result of {@link probePrecision}. */
export interface PrecisionProbe {
  /** Smallest power-of-ten duration (ns) that round-trips; 1s when nothing finer does. */
  precision: bigint;
  /** The setter to use from now on. */
  setter: ModTimeSetter;
}

/**
 * rclone's readPrecision: in a temporary file under the OS temp dir, set times `now + d` for d = 1ns, 10ns … and
 * return the first d read back exactly (1s if none). Tries the touch-backed setter first and drops it if it fails.
 */
export async function probePrecision(opts: { touchCommand?: string; tempDir?: string; native?: NativeSetTimes | null } = {}): Promise<PrecisionProbe> {
  const dir = await mkdtemp(joinOs(opts.tempDir ?? tmpdir(), 'jsync-precision-'));
  try {
    const file = joinOs(dir, 'probe');
    await writeFile(file, '');
    const native = opts.native === null ? undefined : (opts.native ?? loadNativeSetTimes());
    const withNative = native ? new ModTimeSetter({ exactNs: true, native }) : undefined;
    const withTouch = new ModTimeSetter({ exactNs: true, touchCommand: opts.touchCommand });
    const plain = new ModTimeSetter({ exactNs: false });
    const nowSec = BigInt(Math.floor(Date.now() / 1000));
    for (const setter of [withNative, withTouch, plain]) {
      if (!setter) continue;
      for (let d = 1n; d < SECOND_NS; d *= 10n) {
        const t = Timestamp.fromNs(nowSec * SECOND_NS + d);
        try {
          await setter.set(file, t);
          if ((await lstat(file, { bigint: true })).mtimeNs === t.ns) {
            if (setter !== plain && d !== 1n) break; // native/touch are only worth it for exact ns
            return { precision: d, setter };
          }
        } catch {
          break;
        }
      }
    }
    return { precision: SECOND_NS, setter: plain };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// --- internal helpers ---

function run(cmd: string, args: string[]): Promise<boolean> {
  return new Promise((resolvePromise) => {
    execFile(cmd, args, { env: { ...process.env, LC_ALL: 'C' }, windowsHide: true }, (err) => resolvePromise(err === null));
  });
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}
