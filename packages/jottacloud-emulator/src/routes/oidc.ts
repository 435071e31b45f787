// OIDC (Keycloak-like) endpoints: discovery, an auto-approving authorization endpoint, the token endpoint (password,
// authorization-code and refresh grants), userinfo, certs.

import { HttpError, Exc, oauthError } from '../http/errors.js';
import { percentDecode, parseForm, readSmallBody } from '../http/request.js';
import { sendBody, sendJson, type RequestContext } from '../http/respond.js';
import { bearerToken, requireAuth } from '../http/auth.js';

/** The discovery document for `realm` at `origin`. */
export function discovery(origin: string, realm: string): Record<string, unknown> {
  const base = `${origin}/auth/realms/${encodeURIComponent(realm)}`;
  const oidc = `${base}/protocol/openid-connect`;
  return {
    issuer: base,
    authorization_endpoint: `${oidc}/auth`,
    token_endpoint: `${oidc}/token`,
    introspection_endpoint: `${oidc}/token/introspect`,
    token_introspection_endpoint: `${oidc}/token/introspect`,
    userinfo_endpoint: `${oidc}/userinfo`,
    end_session_endpoint: `${oidc}/logout`,
    jwks_uri: `${oidc}/certs`,
    check_session_iframe: `${oidc}/login-status-iframe.html`,
    grant_types_supported: ['authorization_code', 'implicit', 'refresh_token', 'password', 'client_credentials'],
    response_types_supported: ['code', 'none', 'id_token', 'token', 'id_token token', 'code id_token', 'code token', 'code id_token token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    userinfo_signing_alg_values_supported: ['RS256'],
    request_object_signing_alg_values_supported: ['none', 'RS256'],
    response_modes_supported: ['query', 'fragment', 'form_post'],
    registration_endpoint: `${base}/clients-registrations/openid-connect`,
    token_endpoint_auth_methods_supported: ['private_key_jwt', 'client_secret_basic', 'client_secret_post', 'client_secret_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'iss', 'auth_time', 'name', 'given_name', 'family_name', 'preferred_username', 'email'],
    claim_types_supported: ['normal'],
    claims_parameter_supported: false,
    scopes_supported: ['openid', 'offline_access', 'jotta-default'],
    request_parameter_supported: true,
    request_uri_parameter_supported: true,
    code_challenge_methods_supported: ['plain', 'S256'],
    tls_client_certificate_bound_access_tokens: true,
  };
}

function basicClientId(ctx: RequestContext): string | undefined {
  const m = /^Basic\s+(\S+)\s*$/i.exec(ctx.req.headers.authorization ?? '');
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return percentDecode(colon < 0 ? text : text.slice(0, colon), true);
}

async function token(ctx: RequestContext): Promise<void> {
  const type = String(ctx.req.headers['content-type'] ?? '');
  const body = await readSmallBody(ctx.req, 64 * 1024);
  if (!/^application\/x-www-form-urlencoded/i.test(type)) throw oauthError('invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
  let form: Map<string, string>;
  try {
    form = parseForm(body.toString('utf8'));
  } catch {
    throw oauthError('invalid_request', 'Malformed form body');
  }
  const clientId = basicClientId(ctx) ?? form.get('client_id');
  if (!clientId) throw oauthError('unauthorized_client', 'INVALID_CREDENTIALS: Invalid client credentials', 401);
  const grant = form.get('grant_type') ?? '';
  const { state } = ctx;
  let result;
  if (grant === 'password') {
    const username = form.get('username');
    const password = form.get('password');
    if (!username || !password) throw oauthError('invalid_request', 'Missing username or password');
    result = state.tokens.passwordGrant({ username, password, clientId, scope: form.get('scope') ?? '' }, state.account.info.loginName);
  } else if (grant === 'authorization_code') {
    const code = form.get('code');
    if (!code) throw oauthError('invalid_request', 'Missing parameter: code');
    result = state.tokens.codeGrant(code, clientId, form.get('redirect_uri'));
  } else if (grant === 'refresh_token' || grant === 'REFRESH_TOKEN') {
    const rt = form.get('refresh_token');
    if (!rt) throw oauthError('invalid_request', 'Missing parameter: refresh_token');
    try {
      result = state.tokens.refreshGrant(rt, clientId);
    } finally {
      await state.persist();
    }
  } else {
    throw oauthError('unsupported_grant_type', `Unsupported grant_type ${JSON.stringify(grant)}`);
  }
  if (ctx.fault === 'expire') state.tokens.expire(result.access_token);
  await state.persist();
  sendJson(ctx, 200, result, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}

/** The authorization endpoint, auto-approving: redirects to `redirect_uri` with a one-use code. */
function authorize(ctx: RequestContext): void {
  const q = ctx.target.query;
  const clientId = q.get('client_id');
  const redirect = q.get('redirect_uri');
  if (!clientId || !redirect || q.get('response_type') !== 'code') throw oauthError('invalid_request', 'Need response_type=code, client_id and redirect_uri');
  let target: URL;
  try {
    target = new URL(redirect);
  } catch {
    throw oauthError('invalid_request', 'Invalid redirect_uri');
  }
  target.searchParams.set('code', ctx.state.tokens.issueCode(clientId, redirect, q.get('scope') ?? ''));
  const stateParam = q.get('state');
  if (stateParam !== undefined) target.searchParams.set('state', stateParam);
  sendBody(ctx, 302, 'text/plain; charset=UTF-8', `Redirecting to ${target.href}\n`, { Location: target.href });
}

/** Routes `/auth/realms/<realm>/...`. */
export async function handleOidc(ctx: RequestContext): Promise<void> {
  const m = /^\/auth\/realms\/([^/]+)\/(.*)$/.exec(ctx.target.path);
  if (!m) throw new HttpError(404, Exc.noSuchPath, 'Realm not found');
  const realm = percentDecode(m[1]!, false);
  const rest = m[2]!;
  const method = ctx.req.method;
  if (rest === '.well-known/openid-configuration' && method === 'GET') {
    sendJson(ctx, 200, discovery(ctx.origin, realm));
  } else if (rest === 'protocol/openid-connect/token' && method === 'POST') {
    await token(ctx);
  } else if (rest === 'protocol/openid-connect/userinfo' && (method === 'GET' || method === 'POST')) {
    if (!bearerToken(ctx.req)) throw oauthError('invalid_request', 'Token not provided', 401);
    requireAuth(ctx);
    const u = ctx.state.account.info;
    sendJson(ctx, 200, { sub: u.username, preferred_username: u.username, username: u.username, email: u.email, name: u.fullName });
  } else if (rest === 'protocol/openid-connect/auth' && method === 'GET') {
    authorize(ctx);
  } else if (rest === 'protocol/openid-connect/certs' && method === 'GET') {
    sendJson(ctx, 200, { keys: [] });
  } else {
    throw oauthError('invalid_request', `Unsupported endpoint ${method} ${ctx.target.path}`, 404);
  }
}
