// OIDC token state: one-use personal login tokens and authorization codes, token families with refresh rotation
// and reuse detection.

import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { oauthError } from '../http/errors.js';

/** The token JSON the token endpoint returns (rclone's TokenJSON). */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_expires_in: number;
  refresh_token: string;
  token_type: string;
  id_token: string;
  'not-before-policy': number;
  session_state: string;
  scope: string;
}

interface Family {
  id: string;
  clientId: string;
  scope: string;
  /** The only refresh token that may be used next. */
  current: string;
  revoked: boolean;
}

interface AccessRecord {
  family: string;
  expires: number;
}

/** Serialized token state. */
export interface TokenSnapshot {
  login: string[];
  families: Family[];
  refresh: [string, string][];
  access: [string, AccessRecord][];
}

/** Result of checking an access token. */
export type AccessCheck = 'valid' | 'expired' | 'invalid';

const rand = (n = 24): string => randomBytes(n).toString('base64url');
const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Issues and checks tokens for the one account. */
export class TokenService {
  private readonly loginTokens = new Set<string>();
  private readonly families = new Map<string, Family>();
  private readonly refreshIndex = new Map<string, string>();
  private readonly access = new Map<string, AccessRecord>();
  private readonly codes = new Map<string, { clientId: string; redirectUri: string; scope: string; expires: number }>();

  constructor(private readonly clock: Clock, private readonly lifetimeSec: number, private readonly username: string) {}

  /** A fresh one-use personal login token (base64url JSON) whose `well_known_link` is `wellKnown`. */
  mintLoginToken(wellKnown: string, loginName: string, realm = 'jottacloud'): string {
    const authToken = rand(18);
    this.loginTokens.add(authToken);
    return b64({ username: loginName, realm, well_known_link: wellKnown, auth_token: authToken });
  }

  /** The password grant: consumes a login token. Throws a 400 OAuth error when it is unknown or used. */
  passwordGrant(p: { username: string; password: string; clientId: string; scope: string }, loginName: string): TokenResponse {
    if (p.username.toLowerCase() !== loginName.toLowerCase() || !this.loginTokens.has(p.password)) {
      throw oauthError('invalid_grant', 'Invalid user credentials');
    }
    this.loginTokens.delete(p.password);
    const family: Family = { id: rand(12), clientId: p.clientId, scope: p.scope || 'openid offline_access', current: '', revoked: false };
    this.families.set(family.id, family);
    return this.issue(family);
  }

  /** Issues a one-use authorization code (the browser step of the authorization-code flow, auto-approved). */
  issueCode(clientId: string, redirectUri: string, scope: string): string {
    const code = rand(18);
    this.codes.set(code, { clientId, redirectUri, scope, expires: this.clock.now() + 60_000 });
    return code;
  }

  /** The authorization-code grant; one active session per client, so older families of that client are revoked. */
  codeGrant(code: string, clientId: string, redirectUri: string | undefined): TokenResponse {
    const c = this.codes.get(code);
    this.codes.delete(code);
    if (!c || c.expires <= this.clock.now()) throw oauthError('invalid_grant', 'Code not valid');
    if (c.clientId !== clientId || (redirectUri !== undefined && redirectUri !== c.redirectUri)) throw oauthError('invalid_grant', 'Incorrect redirect_uri or client');
    for (const f of this.families.values()) if (f.clientId === clientId && !f.revoked) this.revoke(f);
    const family: Family = { id: rand(12), clientId, scope: c.scope || 'openid offline_access', current: '', revoked: false };
    this.families.set(family.id, family);
    return this.issue(family);
  }

  /** The refresh grant with rotation; reusing an old refresh token revokes its whole family. */
  refreshGrant(refreshToken: string, clientId: string | undefined): TokenResponse {
    const family = this.families.get(this.refreshIndex.get(refreshToken) ?? '');
    if (!family) throw oauthError('invalid_grant', 'Invalid refresh token');
    if (family.revoked) throw oauthError('invalid_grant', "Session doesn't have required client");
    if (family.current !== refreshToken) {
      this.revoke(family);
      throw oauthError('invalid_grant', "Session doesn't have required client");
    }
    if (clientId !== undefined && clientId !== family.clientId) {
      throw oauthError('invalid_grant', "Invalid refresh token. Token client and authorized client don't match");
    }
    return this.issue(family);
  }

  private revoke(family: Family): void {
    family.revoked = true;
    for (const [t, r] of this.access) if (r.family === family.id) this.access.delete(t);
  }

  private issue(family: Family): TokenResponse {
    const now = this.clock.now();
    this.prune(now);
    const iat = Math.floor(now / 1000);
    const claims = { exp: iat + this.lifetimeSec, iat, jti: rand(12), sub: this.username, typ: 'Bearer', sid: family.id };
    const accessToken = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.${rand(16)}`;
    const refreshToken = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, typ: 'Offline', exp: 0 })}.${rand(16)}`;
    family.current = refreshToken;
    this.refreshIndex.set(refreshToken, family.id);
    this.access.set(accessToken, { family: family.id, expires: now + this.lifetimeSec * 1000 });
    return {
      access_token: accessToken, expires_in: this.lifetimeSec, refresh_expires_in: 0, refresh_token: refreshToken,
      token_type: 'Bearer', id_token: `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, typ: 'ID', preferred_username: this.username })}.${rand(16)}`,
      'not-before-policy': 0, session_state: family.id, scope: family.scope,
    };
  }

  private prune(now: number): void {
    if (this.access.size < 256) return;
    for (const [t, r] of this.access) if (r.expires <= now) this.access.delete(t);
  }

  /** Checks a Bearer access token. */
  check(token: string): AccessCheck {
    const r = this.access.get(token);
    if (!r) return 'invalid';
    return r.expires <= this.clock.now() ? 'expired' : 'valid';
  }

  /** Makes one access token expire now (the `expire` fault). */
  expire(token: string): void {
    const r = this.access.get(token);
    if (r) r.expires = Math.min(r.expires, this.clock.now());
  }

  /** Makes every access token expire now. */
  expireAll(): void {
    for (const r of this.access.values()) r.expires = Math.min(r.expires, this.clock.now());
  }

  /** Counts for inspection. */
  stats(): { loginTokens: number; families: number; revokedFamilies: number; accessTokens: number } {
    const fams = [...this.families.values()];
    return { loginTokens: this.loginTokens.size, families: fams.length, revokedFamilies: fams.filter((f) => f.revoked).length, accessTokens: this.access.size };
  }

  /** Serializable state (expired access tokens dropped). */
  snapshot(): TokenSnapshot {
    const now = this.clock.now();
    return {
      login: [...this.loginTokens],
      families: [...this.families.values()].map((f) => ({ ...f })),
      refresh: [...this.refreshIndex],
      access: [...this.access].filter(([, r]) => r.expires > now).map(([t, r]) => [t, { ...r }]),
    };
  }

  /** Restores serialized state. */
  restore(s: TokenSnapshot): void {
    for (const t of s.login) this.loginTokens.add(t);
    for (const f of s.families) this.families.set(f.id, { ...f });
    for (const [t, id] of s.refresh) this.refreshIndex.set(t, id);
    for (const [t, r] of s.access) this.access.set(t, { ...r });
  }
}
