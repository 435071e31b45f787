// "Standard" authentication: exchange a single-use personal login token for an OAuth token (password grant, jottacli).

import { JsyncError } from '@jsync/core';
import { STANDARD_CLIENT_ID } from '../options.js';
import { decodeLoginToken } from './login-token.js';
import { OidcHttpError, fetchDiscovery, postTokenForm, type OidcHttpOptions } from './oidc.js';
import { tokenFromResponse, type OAuthToken } from './token.js';

/** What a login yields: the token and the token endpoint to store as `tokenURL`. */
export interface LoginResult {
  token: OAuthToken;
  tokenUrl: string;
  clientId: string;
}

/** Logs in with a personal login token: discovery at its `well_known_link`, then the password grant as rclone sends it. */
export async function loginWithPersonalToken(loginToken: string, http: OidcHttpOptions & { now?: () => number }): Promise<LoginResult> {
  const lt = decodeLoginToken(loginToken);
  let discovery;
  try {
    discovery = await fetchDiscovery(lt.well_known_link, http);
  } catch (err) {
    throw new JsyncError({ code: 'IO', message: `failed to get oauth token: discovery at ${lt.well_known_link} failed: ${(err as Error).message}`, cause: err });
  }
  const form = { client_id: STANDARD_CLIENT_ID, grant_type: 'password', password: lt.auth_token, scope: 'openid offline_access', username: lt.username };
  let body: unknown;
  try {
    body = await postTokenForm(discovery.token_endpoint, form, http);
  } catch (err) {
    if (err instanceof OidcHttpError && (err.status === 400 || err.status === 401)) {
      const detail = err.oauthError ? ` (${err.oauthError}${err.description ? `: ${err.description}` : ''})` : '';
      throw new JsyncError({
        code: 'AUTH',
        message:
          `failed to get oauth token: the personal login token was refused with HTTP ${err.status}${detail}: it has been used already or is invalid. ` +
          'Personal login tokens work only once - generate a new one in the web interface (for jottacloud.com: https://www.jottacloud.com/web/secure)',
        cause: err,
        errorClass: 'fatal',
      });
    }
    throw new JsyncError({ code: 'IO', message: `failed to get oauth token: ${(err as Error).message}`, cause: err });
  }
  return { token: tokenFromResponse(body, (http.now ?? Date.now)()), tokenUrl: discovery.token_endpoint, clientId: STANDARD_CLIENT_ID };
}
