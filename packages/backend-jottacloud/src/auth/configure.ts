// BackendDefinition.configure for jottacloud: rclone's dialogue (auth type, personal login token or white-label
// browser login, optional device/mountpoint choice), interactive through the prompter or from `config_*` values.

import type { Dispatcher } from 'undici';
import { invalidArgument, logNotice, type BackendConfigArgs } from '@jsync/core';
import { createDispatcher } from '../http/transport.js';
import { API_URL, JFS_URL, STANDARD_CLIENT_ID } from '../options.js';
import { AUTH_PORT, loginWithAuthorizationCode } from './authcode.js';
import { restAccountApi } from './account-api.js';
import { chooseDeviceAndMountpoint, NON_STANDARD_HELP, type AccountApi } from './device-choice.js';
import { loginWithPersonalToken, type LoginResult } from './login.js';
import type { OidcHttpOptions } from './oidc.js';
import { serviceForTokenUrl, WHITE_LABEL_SERVICES, type WhiteLabelService } from './providers.js';
import { OAuthTokenSource } from './token-source.js';
import { formatToken } from './token.js';

/** Test and embedding hooks of {@link configureJottacloud}. */
export interface ConfigureDeps {
  dispatcher?: Dispatcher;
  /** JFS and API roots (default the jottacloud.com hosts). */
  jfsUrl?: string;
  apiUrl?: string;
  /** Discovery URL of a white-label service (default `https://<domain>/auth/realms/<realm>/.well-known/openid-configuration`). */
  discoveryUrl?: (service: WhiteLabelService) => string;
  /** Loopback port of the browser login (0 = any free port). @default 53682 */
  authPort?: number;
  /** Builds the account calls of the device dialogue (default: over the HTTP stack with the new token). */
  accountApi?: (tokens: OAuthTokenSource) => AccountApi;
  /** Attempts and pause of OIDC requests. */
  oidcAttempts?: number;
  oidcRetryDelayMs?: number;
}

/** rclone's choices for `config_type` (legacy password login is gone from Jottacloud and is not offered). */
export const AUTH_TYPE_CHOICES = [
  {
    value: 'standard',
    help: `Standard authentication.
This is primarily supported by the official service, but may also be
supported by some white-label services. It is designed for command-line
applications, and you will be asked to enter a single-use personal login
token which you must manually generate from the account security settings
in the web interface of your service.`,
  },
  {
    value: 'traditional',
    help: `Traditional authentication.
This is supported by the official service and all white-label services
that jsync knows about. You will be asked which service to connect to.
It has a limitation of only a single active authentication at a time. You
need to be on, or have access to, a machine with an internet-connected
web browser.`,
  },
] as const;

const LOGIN_TOKEN_HELP = `Personal login token.
Generate it from the account security settings in the web interface of your
service, for the official service on https://www.jottacloud.com/web/secure.`;

const SERVICE_HELP = 'White-label service. This decides the domain name to connect to and\nthe authentication configuration to use.';

/** The auth type an existing section was made with (for reconnect defaults). */
function inferredType(values: Readonly<Record<string, string>>): 'standard' | 'traditional' | undefined {
  if (!values.token && !values.tokenURL) return undefined;
  if ((values.client_id ?? '') !== '' && values.client_id !== STANDARD_CLIENT_ID && serviceForTokenUrl(values.tokenURL ?? '')) return 'traditional';
  return 'standard';
}

/** Runs the configuration; returns the keys to store (see the module comment). */
export async function configureJottacloud(args: BackendConfigArgs, deps: ConfigureDeps = {}): Promise<Record<string, string>> {
  const { values, prompter, name, logger, global } = args;
  const dispatcher =
    deps.dispatcher ??
    createDispatcher({ caCert: global.caCert, noCheckCertificate: global.noCheckCertificate, timeoutMs: global.timeoutMs, connectTimeoutMs: global.connectTimeoutMs });
  const http: OidcHttpOptions = { dispatcher, logger, userAgent: global.userAgent, signal: args.signal, attempts: deps.oidcAttempts, retryDelayMs: deps.oidcRetryDelayMs };
  try {
    const inferred = inferredType(values);
    let type = values.config_type;
    if (type === undefined || type === '') {
      type = prompter
        ? await prompter.ask({ name: 'config_type', help: 'Type of authentication.', default: inferred ?? 'standard', examples: AUTH_TYPE_CHOICES, exclusive: true })
        : (inferred ?? 'standard');
    }
    const out: Record<string, string> = { configVersion: '1' };
    let login: LoginResult;
    if (type === 'standard') {
      let lt = values.config_login_token ?? '';
      if (lt === '') {
        if (!prompter) {
          throw invalidArgument(
            'config_login_token is required for config_type=standard: generate a personal login token in the web interface ' +
              '(for jottacloud.com: https://www.jottacloud.com/web/secure) and pass config_login_token=<token>',
          );
        }
        lt = await prompter.ask({ name: 'config_login_token', help: LOGIN_TOKEN_HELP, sensitive: true });
      }
      login = await loginWithPersonalToken(lt, http);
      out.client_id = STANDARD_CLIENT_ID;
      out.client_secret = '';
    } else if (type === 'traditional') {
      const keys = WHITE_LABEL_SERVICES.map((s) => s.key);
      let key = values.config_traditional || values.config_provider || '';
      if (key === '' && args.reconnect && inferred === 'traditional') key = serviceForTokenUrl(values.tokenURL ?? '')?.key ?? '';
      if (key === '') {
        if (!prompter) throw invalidArgument(`config_traditional is required for config_type=traditional: one of ${keys.join(', ')}`);
        key = await prompter.ask({ name: 'config_traditional', help: SERVICE_HELP, examples: WHITE_LABEL_SERVICES.map((s) => ({ value: s.key, help: s.name })), exclusive: true });
      }
      const service = WHITE_LABEL_SERVICES.find((s) => s.key === key);
      if (!service) throw invalidArgument(`unexpected service ${JSON.stringify(key)}: use one of ${keys.join(', ')}`);
      login = await loginWithAuthorizationCode({
        service,
        http,
        info: (text) => (prompter ? prompter.info(text) : logNotice(logger, undefined, text)),
        discoveryUrl: deps.discoveryUrl?.(service),
        port: deps.authPort ?? AUTH_PORT,
      });
      out.client_id = service.clientId;
    } else if (type === 'legacy') {
      throw invalidArgument('legacy authentication (username and password) is no longer supported by Jottacloud: use config_type=standard (personal login token) or config_type=traditional');
    } else {
      throw invalidArgument(`config_type: unknown authentication type ${JSON.stringify(type)} - use standard or traditional`);
    }
    out.tokenURL = login.tokenUrl;
    out.token = formatToken(login.token);
    if (args.reconnect) return out;

    const nonStandard = prompter
      ? await prompter.confirm({ name: 'config_non_standard', help: NON_STANDARD_HELP, default: false })
      : values.config_non_standard === 'true';
    if (!nonStandard) return { ...out, device: '', mountpoint: '' };
    const tokens = new OAuthTokenSource({ remote: name, tokenUrl: login.tokenUrl, clientId: login.clientId, clientSecret: '', token: login.token, dispatcher, logger, userAgent: global.userAgent });
    const api = deps.accountApi?.(tokens) ?? restAccountApi({ tokens, dispatcher, logger, global, jfsUrl: deps.jfsUrl ?? JFS_URL, apiUrl: deps.apiUrl ?? API_URL });
    const chosen = await chooseDeviceAndMountpoint({ api, prompter, values, logger });
    // The dialogue may have refreshed the token: store the newest.
    return { ...out, token: formatToken(tokens.token), device: chosen.device, mountpoint: chosen.mountpoint };
  } finally {
    if (!deps.dispatcher) await dispatcher.close();
  }
}
