// The personal login token (web UI → Settings → Security): base64url JSON naming the user and the OIDC discovery URL.

import { invalidArgument } from '@jsync/core';

/** The decoded personal login token. */
export interface LoginToken {
  username: string;
  realm: string;
  well_known_link: string;
  auth_token: string;
}

const WHERE = 'generate a new one in the web interface (for jottacloud.com: https://www.jottacloud.com/web/secure)';

/** Decodes a personal login token (base64url without padding, like rclone's RawURLEncoding); a malformed one is an INVALID_ARGUMENT error saying what is wrong. */
export function decodeLoginToken(token: string): LoginToken {
  const s = token.trim();
  if (s === '') throw invalidArgument(`the personal login token is empty - ${WHERE}`);
  const bad = /[^A-Za-z0-9_-]/.exec(s.replace(/={1,2}$/, ''));
  if (bad) {
    throw invalidArgument(
      `the personal login token is not base64url: unexpected character ${JSON.stringify(bad[0])} at position ${bad.index + 1} ` +
        `(was it copied completely and without extra text?) - ${WHERE}`,
    );
  }
  const text = Buffer.from(s, 'base64url').toString('utf8');
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw invalidArgument(`the personal login token does not decode to JSON (truncated or not a login token?) - ${WHERE}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument(`the personal login token does not decode to a JSON object - ${WHERE}`);
  const o = v as Record<string, unknown>;
  const missing = ['username', 'well_known_link', 'auth_token'].filter((k) => typeof o[k] !== 'string' || o[k] === '');
  if (missing.length > 0) throw invalidArgument(`the personal login token lacks ${missing.join(', ')} - ${WHERE}`);
  const link = o.well_known_link as string;
  let url: URL | undefined;
  try {
    url = new URL(link);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw invalidArgument(`the personal login token has an invalid well_known_link ${JSON.stringify(link)} - ${WHERE}`);
  }
  return {
    username: o.username as string,
    realm: typeof o.realm === 'string' ? o.realm : '',
    well_known_link: link,
    auth_token: o.auth_token as string,
  };
}
