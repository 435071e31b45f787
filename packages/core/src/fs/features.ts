// Optional capabilities (rclone fs/features.go): flags plus operations detected once into `features`.

import type { DirEntry, Fs, FsObject, ListOptions, ObjectInfo, PutOptions, Usage } from './types.js';

/** Boolean capability flags (rclone names in camelCase). */
export interface FeatureFlags {
  caseInsensitive: boolean;
  duplicateFiles: boolean;
  readMimeType: boolean;
  writeMimeType: boolean;
  canHaveEmptyDirectories: boolean;
  bucketBased: boolean;
  bucketBasedRootOK: boolean;
  setTier: boolean;
  getTier: boolean;
  serverSideAcrossConfigs: boolean;
  isLocal: boolean;
  slowModTime: boolean;
  slowHash: boolean;
  readMetadata: boolean;
  writeMetadata: boolean;
  userMetadata: boolean;
  filterAware: boolean;
}

/** Options for server-side/public-link operations. */
export interface PublicLinkOptions {
  /** Link lifetime in ms; undefined = backend default / never. */
  expireMs?: number;
  /** Remove the link instead of creating it. */
  unlink?: boolean;
  signal?: AbortSignal;
}

/** Optional operations an Fs may implement; each is detected by `fillFeatures`. */
export interface OptionalFsMethods {
  /** Deletes `dir` and everything below; missing → DIR_NOT_FOUND; CANT_PURGE → caller falls back. */
  purge?(dir: string, opts?: { signal?: AbortSignal }): Promise<void>;
  /** Server-side copy of `src` (same config) to `remote`; CANT_COPY → caller streams. */
  copy?(src: FsObject, remote: string, opts?: { signal?: AbortSignal }): Promise<FsObject>;
  /** Server-side move of `src` to `remote`; CANT_MOVE → caller copies and deletes. */
  move?(src: FsObject, remote: string, opts?: { signal?: AbortSignal }): Promise<FsObject>;
  /** Moves `srcRemote` of `src` to `dstRemote` here; DIR_EXISTS if the target exists; CANT_DIR_MOVE → per file. */
  dirMove?(src: Fs, srcRemote: string, dstRemote: string, opts?: { signal?: AbortSignal }): Promise<void>;
  /** Public share link for `remote`; CANT_SHARE_DIRECTORIES for directories where unsupported. */
  publicLink?(remote: string, opts?: PublicLinkOptions): Promise<string>;
  /** Uploads an object of unknown size (`src.size === -1`). */
  putStream?(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts?: PutOptions): Promise<FsObject>;
  /** Put that may create duplicates (no existence check). */
  putUnchecked?(input: AsyncIterable<Uint8Array>, src: ObjectInfo, opts?: PutOptions): Promise<FsObject>;
  /** Empties the trash / removes old versions. */
  cleanUp?(opts?: { signal?: AbortSignal }): Promise<void>;
  /** Recursive listing of everything below `dir` in pages of any order; DIR_NOT_FOUND when missing. */
  listR?(dir: string, opts?: ListOptions): AsyncIterable<readonly DirEntry[]>;
  /** Quota and usage. */
  about?(opts?: { signal?: AbortSignal }): Promise<Usage>;
  /** Backend-specific command; unknown name → COMMAND_NOT_FOUND. */
  command?(name: string, args: readonly string[], opts: Record<string, string>): Promise<unknown>;
  /** Flushes/closes; callable twice. */
  shutdown?(): Promise<void>;
  /** Drops cached directory IDs. */
  dirCacheFlush?(): void;
  /** Account information (rclone `config userinfo`). */
  userInfo?(opts?: { signal?: AbortSignal }): Promise<Record<string, string>>;
}

/** Names of the optional operations, in rclone's `--disable help` order where they overlap. */
export const OPTIONAL_FEATURE_NAMES = [
  'purge', 'copy', 'move', 'dirMove', 'dirCacheFlush', 'publicLink', 'putUnchecked', 'putStream',
  'cleanUp', 'listR', 'about', 'userInfo', 'command', 'shutdown',
] as const satisfies readonly (keyof OptionalFsMethods)[];

/** One optional operation name. */
export type OptionalFeatureName = (typeof OPTIONAL_FEATURE_NAMES)[number];

/** Flags plus the operations present on the Fs (bound to it); absent operations are undefined. */
export type Features = Readonly<FeatureFlags> & { readonly [K in OptionalFeatureName]?: NonNullable<OptionalFsMethods[K]> };

/** rclone's feature-name spelling (`Purge`, `DirMove`, `CleanUp`, `ListR`, …) for `--disable` and `backend features`. */
export function rcloneFeatureName(name: OptionalFeatureName | keyof FeatureFlags): string {
  return name === 'listR' ? 'ListR' : name === 'bucketBasedRootOK' ? 'BucketBasedRootOK' : name[0]!.toUpperCase() + name.slice(1);
}

/** Default flags: everything false. */
export function defaultFeatureFlags(): FeatureFlags {
  return {
    caseInsensitive: false, duplicateFiles: false, readMimeType: false, writeMimeType: false,
    canHaveEmptyDirectories: false, bucketBased: false, bucketBasedRootOK: false, setTier: false,
    getTier: false, serverSideAcrossConfigs: false, isLocal: false, slowModTime: false, slowHash: false,
    readMetadata: false, writeMetadata: false, userMetadata: false, filterAware: false,
  };
}

/** Options for {@link fillFeatures}. */
export interface FillFeaturesOptions {
  /** Flags the backend sets; the rest default to false. */
  flags?: Partial<FeatureFlags>;
  /** Feature names to disable (`--disable`), in either spelling (`ListR` or `listR`), case-insensitive. */
  disable?: readonly string[];
}

/**
 * Detects the optional methods `fs` implements (own or prototype methods) once, binds them, applies flags
 * and the `--disable` list. Call from the backend's constructor after the methods exist.
 */
export function fillFeatures(fs: OptionalFsMethods, opts: FillFeaturesOptions = {}): Features {
  const disabled = new Set((opts.disable ?? []).map((d) => d.trim().toLowerCase()).filter((d) => d !== ''));
  const flags = { ...defaultFeatureFlags(), ...opts.flags };
  for (const k of Object.keys(flags) as (keyof FeatureFlags)[]) {
    if (disabled.has(k.toLowerCase())) flags[k] = false;
  }
  const out: Record<string, unknown> = { ...flags };
  for (const name of OPTIONAL_FEATURE_NAMES) {
    const fn = (fs as Record<string, unknown>)[name];
    if (typeof fn === 'function' && !disabled.has(name.toLowerCase())) out[name] = fn.bind(fs);
  }
  return Object.freeze(out) as Features;
}

/** Every feature name (flags then operations) in rclone spelling, for `--disable help`. */
export function allFeatureNames(): string[] {
  return [...Object.keys(defaultFeatureFlags()), ...OPTIONAL_FEATURE_NAMES].map((n) => rcloneFeatureName(n as OptionalFeatureName));
}
