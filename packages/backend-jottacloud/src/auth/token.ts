// The OAuth token as rclone stores it in the config file: Go's `oauth2.Token` JSON with an RFC 3339 expiry.

import { JsyncError, invalidArgument } from '@jsync/core';

/** rclone's stored token (`token = {...}` in the config section); `expiry` is RFC 3339 with nanoseconds (Go's format). */
export interface OAuthToken {
  access_token: string;
  token_type: string;
  refresh_token: string;
  expiry: string;
}

/** Seconds before the expiry at which a token counts as expired (Go oauth2's `expiryDelta`). */
export const EXPIRY_DELTA_MS = 10_000;

/** Go's zero `time.Time` as JSON: a token with this expiry never expires. */
export const ZERO_EXPIRY = '0001-01-01T00:00:00Z';
const GO_ZERO_MS = -62_135_596_800_000;

/** The command that mints new credentials for remote `name` (used in error messages). */
export const reconnectCommand = (name: string): string => `jsync config reconnect ${name.endsWith(':') ? name : `${name}:`}`;

/** Parses the stored token JSON of remote `remote`; an empty or malformed value is an INVALID_ARGUMENT error naming the remote. */
export function parseToken(raw: string, remote: string): OAuthToken {
  if (raw.trim() === '') {
    throw invalidArgument(`empty token found for remote ${JSON.stringify(remote)} - please run "${reconnectCommand(remote)}"`);
  }
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch (err) {
    // V8's message quotes the text around the error (a piece of the token): only its position is kept, and no cause.
    const at = /\bposition (\d+)/.exec((err as Error).message)?.[1];
    const what = raw.trim().startsWith('{') ? 'malformed JSON' : 'not JSON';
    throw invalidArgument(
      `failed to parse the token of remote ${JSON.stringify(remote)}: ${what}${at === undefined ? '' : ` at position ${at}`} (${raw.length} characters) - please run "${reconnectCommand(remote)}"`,
    );
  }
  const o = v as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw invalidArgument(`the token of remote ${JSON.stringify(remote)} is not a JSON object - please run "${reconnectCommand(remote)}"`);
  }
  for (const k of ['access_token', 'token_type', 'refresh_token', 'expiry'] as const) {
    if (o[k] !== undefined && typeof o[k] !== 'string') {
      throw invalidArgument(`the token of remote ${JSON.stringify(remote)} has a non-string "${k}" - please run "${reconnectCommand(remote)}"`);
    }
  }
  const expiry = (o.expiry as string | undefined) ?? ZERO_EXPIRY;
  if (parseExpiry(expiry) === undefined) {
    throw invalidArgument(`the token of remote ${JSON.stringify(remote)} has a bad expiry ${JSON.stringify(expiry)} - please run "${reconnectCommand(remote)}"`);
  }
  return {
    access_token: (o.access_token as string | undefined) ?? '',
    token_type: (o.token_type as string | undefined) ?? '',
    refresh_token: (o.refresh_token as string | undefined) ?? '',
    expiry,
  };
}

/** Serialises like Go's `json.Marshal(oauth2.Token)`: key order access_token, token_type, refresh_token, expiry; empty type/refresh omitted. */
export function formatToken(t: OAuthToken): string {
  let s = `{"access_token":${goString(t.access_token)}`;
  if (t.token_type !== '') s += `,"token_type":${goString(t.token_type)}`;
  if (t.refresh_token !== '') s += `,"refresh_token":${goString(t.refresh_token)}`;
  return `${s},"expiry":${goString(t.expiry)}}`;
}

/** Go's JSON string escaping (HTML-safe: `<`, `>`, `&`, U+2028, U+2029 as \u escapes). */
function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Milliseconds since the epoch of an RFC 3339 time, or undefined when malformed. */
export function parseExpiry(s: string): number | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) return undefined;
  const base = new Date(0);
  base.setUTCFullYear(y, mo - 1, d);
  base.setUTCHours(h, mi, se, Number((m[7] ?? '').padEnd(3, '0').slice(0, 3)));
  let ms = base.getTime();
  if (m[9] !== undefined) {
    const off = (Number(m[10]) * 60 + Number(m[11])) * 60_000;
    ms += m[9] === '+' ? -off : off;
  }
  return ms;
}

/** Formats `ms` like Go's RFC3339Nano in the local time zone (`Z` when the offset is zero), trailing fraction zeros removed. */
export function formatExpiry(ms: number): string {
  const d = new Date(ms);
  const offMin = -d.getTimezoneOffset();
  const local = new Date(ms + offMin * 60_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  let frac = p(local.getUTCMilliseconds(), 3).replace(/0+$/, '');
  if (frac !== '') frac = `.${frac}`;
  const zone = offMin === 0 ? 'Z' : `${offMin > 0 ? '+' : '-'}${p(Math.floor(Math.abs(offMin) / 60))}:${p(Math.abs(offMin) % 60)}`;
  return `${p(local.getUTCFullYear(), 4)}-${p(local.getUTCMonth() + 1)}-${p(local.getUTCDate())}T${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())}${frac}${zone}`;
}

/** Expiry of `t` in ms since the epoch; undefined when the token never expires (Go's zero time). */
export function tokenExpiryMs(t: OAuthToken): number | undefined {
  const ms = parseExpiry(t.expiry);
  return ms === undefined || ms === GO_ZERO_MS ? undefined : ms;
}

/** Go oauth2's `Token.Valid`: an access token that does not expire within the next 10 s. */
export function tokenValid(t: OAuthToken, nowMs: number): boolean {
  if (t.access_token === '') return false;
  const exp = tokenExpiryMs(t);
  return exp === undefined || exp - EXPIRY_DELTA_MS > nowMs;
}

/** The token endpoint's JSON answer reduced to what rclone stores; `previous` supplies a refresh token the answer omits. */
export function tokenFromResponse(body: unknown, nowMs: number, previous?: OAuthToken): OAuthToken {
  const o = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof o.access_token !== 'string' || o.access_token === '') throw new JsyncError({ code: 'IO', message: 'the token endpoint answered without an access_token', errorClass: 'noRetry' });
  const expiresIn = typeof o.expires_in === 'string' ? Number(o.expires_in) : o.expires_in;
  const expiry = typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? formatExpiry(nowMs + expiresIn * 1000) : ZERO_EXPIRY;
  return {
    access_token: o.access_token,
    token_type: typeof o.token_type === 'string' ? o.token_type : '',
    refresh_token: typeof o.refresh_token === 'string' && o.refresh_token !== '' ? o.refresh_token : (previous?.refresh_token ?? ''),
    expiry,
  };
}
