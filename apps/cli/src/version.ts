// The jsync version string.

/** jsync's version (kept in step with apps/cli/package.json). */
export const JSYNC_VERSION = '0.1.0';
