// Where jsync keeps caches and temporary files (Go's os.UserCacheDir / os.TempDir rules).

import { join, win32 } from 'node:path';

/** Go's os.UserCacheDir + `/jsync`, falling back to the temp dir like rclone's makeCacheDir. */
export function jsyncCacheDir(env: Readonly<Record<string, string | undefined>>, homeDir: string, platform: NodeJS.Platform = process.platform): string {
  let dir: string | undefined;
  if (platform === 'win32') dir = env['LocalAppData'] ?? env['LOCALAPPDATA'];
  else if (platform === 'darwin') dir = homeDir ? `${homeDir}/Library/Caches` : undefined;
  else dir = env['XDG_CACHE_HOME'] || (homeDir ? `${homeDir}/.cache` : undefined);
  return (platform === 'win32' ? win32.join : join)(dir || tempDir(env, platform), 'jsync');
}

/** Go's os.TempDir: `$TMPDIR` or `/tmp` (Windows: TMP, TEMP, USERPROFILE). */
export function tempDir(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return env['TMP'] || env['TEMP'] || env['USERPROFILE'] || 'C:\\Windows';
  return env['TMPDIR'] || '/tmp';
}
