// Options of startEmulator and the behaviour switches for places where the real server's behaviour is uncertain.

import type { Clock } from './clock.js';
import type { FaultRule } from './faults/spec.js';

/** Switches for behaviour the sources leave open; the defaults are the most plausible reading (see README). */
export interface Behaviour {
  /** How a bare `+` in a URL path is read: as a space (form-style, what rclone's escaping implies) or literally. */
  plusInPath: 'space' | 'literal';
  /** Status of `dl=true` on a missing path: 200 (what rclone relies on) or 404 (seen in 2018). */
  missingFileDelete: 200 | 404;
  /** `cp` onto a trashed file leaves the result in the trash (the quirk rclone works around with cphash). */
  cpOntoTrashedStaysTrashed: boolean;
  /** Trashed files count towards usage. */
  usageCountsTrash: boolean;
  /** Older revisions count towards usage. */
  usageCountsRevisions: boolean;
  /** Revisions kept per file, current included (older ones are dropped); 0 keeps all. */
  maxRevisions: number;
  /** The upload URL needs the Bearer token too. */
  uploadRequiresAuth: boolean;
  /** Reject names with raw `: ? " * < > |` (400) instead of storing them. */
  strictNames: boolean;
  /** Longest name, in Unicode code points. */
  maxNameLength: number;
  /** Allocate and cphash may build a file from content already stored elsewhere (same MD5 and size). */
  dedup: boolean;
  /** HTTP status of the quota-exceeded error at allocate (Jottacloud uses the non-standard 460). */
  quotaExceededStatus: number;
  /** Largest file size allocate accepts. */
  maxFileSize: number;
  /** Delay added by the `slow` fault, in milliseconds. */
  slowMs: number;
  /** The `Retry-After` value sent with a 429 fault, in seconds. */
  retryAfterSeconds: number;
  /** Size in bytes of a document answered with the `huge` fault (streamed, never held in memory). */
  hugeBytes: number;
}

/** Default behaviour. */
export const DEFAULT_BEHAVIOUR: Behaviour = {
  plusInPath: 'space',
  missingFileDelete: 200,
  cpOntoTrashedStaysTrashed: true,
  usageCountsTrash: true,
  usageCountsRevisions: true,
  maxRevisions: 5,
  uploadRequiresAuth: true,
  strictNames: false,
  maxNameLength: 255,
  dedup: true,
  quotaExceededStatus: 460,
  maxFileSize: 5 * 2 ** 40,
  slowMs: 1000,
  retryAfterSeconds: 1,
  hugeBytes: 64 * 2 ** 20,
};

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Port (0 = any free port). @default 0 */
  port?: number;
  /** Persist the account here (metadata snapshot + content-addressed blobs); memory only when absent. */
  dataDir?: string;
  /** Where the HTTPS-proxy mode keeps its CA and certificates (default `<dataDir>/tls`, else a temp dir). */
  tlsDir?: string;
  /** Seed for faults and generated ids. @default 1 */
  seed?: number;
  /** Fault rules (`<op>=<kind>[:<p>|@<n>]` strings or rule objects). */
  faults?: readonly (string | FaultRule)[];
  /** Account capacity in bytes; -1 = unlimited. Ignored when `dataDir` already holds an account. @default -1 */
  capacity?: number;
  /** Lifetime of access tokens. @default 3600 */
  tokenLifetimeSeconds?: number;
  /** Time source (tests pass a {@link ManualClock}). @default the system clock */
  clock?: Clock;
  /** Internal username of a new account. @default derived from the seed */
  username?: string;
  /** Login name in personal login tokens. @default 'jsync@example.com' */
  loginName?: string;
  /** Start the HTTPS-proxy mode when the proxy module is available. @default true */
  proxy?: boolean;
  /** Behaviour switches. */
  behaviour?: Partial<Behaviour>;
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  host: string;
  port: number;
  dataDir: string | undefined;
  tlsDir: string | undefined;
  seed: number;
  faults: readonly (string | FaultRule)[];
  capacity: number;
  tokenLifetimeSeconds: number;
  clock: Clock;
  username: string | undefined;
  loginName: string;
  proxy: boolean;
  behaviour: Behaviour;
}

/** Applies defaults and checks ranges; throws an Error naming a bad option. */
export function resolveOptions(o: EmulatorOptions, clock: Clock): ResolvedOptions {
  const int = (name: string, v: number, min: number): number => {
    if (!Number.isSafeInteger(v) || v < min) throw new Error(`invalid ${name}: ${v}`);
    return v;
  };
  const behaviour = { ...DEFAULT_BEHAVIOUR, ...o.behaviour };
  return {
    host: o.host ?? '127.0.0.1',
    port: int('port', o.port ?? 0, 0),
    dataDir: o.dataDir,
    tlsDir: o.tlsDir,
    seed: int('seed', o.seed ?? 1, 0),
    faults: o.faults ?? [],
    capacity: int('capacity', o.capacity ?? -1, -1),
    tokenLifetimeSeconds: int('token lifetime', o.tokenLifetimeSeconds ?? 3600, 1),
    clock: o.clock ?? clock,
    username: o.username,
    loginName: o.loginName ?? 'jsync@example.com',
    proxy: o.proxy ?? true,
    behaviour,
  };
}
