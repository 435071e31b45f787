// Where the config file lives: --config, JSYNC_CONFIG / RCLONE_CONFIG, jsync's default, or an existing rclone config.

import { statSync } from 'node:fs';
import { basename, join, resolve, win32 } from 'node:path';

/** Inputs of {@link resolveConfigPath}. */
export interface ResolveConfigPathArgs {
  /** Value of `--config` when given on the command line (`""` = in-memory). */
  flag?: string;
  /** Environment (reads `JSYNC_CONFIG`, then `RCLONE_CONFIG`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory (`""` when unknown). */
  homeDir: string;
  /** `$XDG_CONFIG_HOME`, when set. */
  xdgConfigHome?: string;
  /** Base for relative `--config` paths. @default process.cwd() */
  cwd?: string;
  /** @default process.platform */
  platform?: NodeJS.Platform;
}

/** Where the config path came from. */
export type ConfigPathSource = 'flag' | 'env' | 'jsync-default' | 'rclone-fallback' | 'in-memory';

/** Result of {@link resolveConfigPath}. */
export interface ResolvedConfigPath {
  /** Absolute path, or undefined for an in-memory config. */
  path: string | undefined;
  /** True when a file exists at `path`. */
  exists: boolean;
  source: ConfigPathSource;
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/** True for paths that select rclone's in-memory config: `""`, the OS null device, or base name `notfound`. */
export function isInMemoryConfigPath(path: string, platform: NodeJS.Platform = process.platform): boolean {
  if (path === '') return true;
  if (platform === 'win32') return path.toUpperCase() === 'NUL' || win32.basename(path) === 'notfound';
  return path === '/dev/null' || basename(path) === 'notfound';
}

/** rclone's search locations for an existing config (XDG, ~/.config, legacy ~/.rclone.conf; APPDATA on Windows). */
export function rcloneConfigCandidates(args: Pick<ResolveConfigPathArgs, 'env' | 'homeDir' | 'xdgConfigHome' | 'platform'>): string[] {
  const out: string[] = [];
  const platform = args.platform ?? process.platform;
  const j = platform === 'win32' ? win32.join : join;
  const appData = args.env['APPDATA'];
  if (platform === 'win32' && appData) out.push(j(appData, 'rclone', 'rclone.conf'));
  if (args.xdgConfigHome) out.push(j(args.xdgConfigHome, 'rclone', 'rclone.conf'));
  if (args.homeDir) {
    out.push(j(args.homeDir, '.config', 'rclone', 'rclone.conf'));
    out.push(j(args.homeDir, '.rclone.conf'));
  }
  return out;
}

/**
 * Picks the config file: `--config` > `JSYNC_CONFIG` > `RCLONE_CONFIG` (in-memory for `""`, the null device or
 * `…/notfound`), else `$XDG_CONFIG_HOME/jsync/jsync.conf` or `~/.config/jsync/jsync.conf`.
 * If that file does not exist but an rclone config does, the rclone file is used for reading AND writing, so
 * jsync and rclone share one config (remotes created by either are visible to both).
 */
export function resolveConfigPath(args: ResolveConfigPathArgs): ResolvedConfigPath {
  const platform = args.platform ?? process.platform;
  const abs = (p: string): string => (platform === 'win32' ? win32.resolve(args.cwd ?? process.cwd(), p) : resolve(args.cwd ?? process.cwd(), p));
  const explicit: Array<[string | undefined, ConfigPathSource]> = [
    [args.flag, 'flag'],
    [args.env['JSYNC_CONFIG'], 'env'],
    [args.env['RCLONE_CONFIG'], 'env'],
  ];
  for (const [value, source] of explicit) {
    if (value === undefined) continue;
    if (isInMemoryConfigPath(value, platform)) return { path: undefined, exists: false, source: 'in-memory' };
    const path = abs(value);
    return { path, exists: isFile(path), source };
  }
  const j = platform === 'win32' ? win32.join : join;
  const base = args.xdgConfigHome ? args.xdgConfigHome : args.homeDir ? j(args.homeDir, '.config') : '';
  const jsyncPath = base ? j(base, 'jsync', 'jsync.conf') : abs('.jsync.conf');
  if (isFile(jsyncPath)) return { path: jsyncPath, exists: true, source: 'jsync-default' };
  const rclonePath = rcloneConfigCandidates(args).find(isFile);
  if (rclonePath !== undefined) return { path: rclonePath, exists: true, source: 'rclone-fallback' };
  return { path: jsyncPath, exists: false, source: 'jsync-default' };
}
