// newFs side of auth: check the stored section's config version and build the token source from it.

import type { Dispatcher } from 'undici';
import { JsyncError, type Logger, type PersistentState } from '@jsync/core';
import { CONFIG_VERSION, DEFAULT_TOKEN_URL, STANDARD_CLIENT_ID, type JottacloudOptions } from '../options.js';
import { OAuthTokenSource } from './token-source.js';
import { parseToken, reconnectCommand } from './token.js';

/** rclone's retired username/password token endpoint (configVersion 0). */
export const LEGACY_TOKEN_URL = 'https://api.jottacloud.com/auth/v1/token';

/** Arguments of {@link createTokenSource}. */
export interface CreateTokenSourceArgs {
  /** Remote name (messages name `jsync config reconnect NAME:`). */
  name: string;
  options: JottacloudOptions;
  /** The raw option strings: tell a missing configVersion from 0 and honour rclone's generic `token_url` key. */
  rawOptions?: Readonly<Record<string, string>>;
  persistentState?: PersistentState;
  saveOptions?: (v: Record<string, string>) => Promise<void>;
  dispatcher: Dispatcher;
  logger: Logger;
  userAgent?: string;
  now?: () => number;
}

const authError = (name: string, message: string): JsyncError =>
  new JsyncError({ code: 'AUTH', message, errorClass: 'fatal', context: { remote: name } });

/** Validates the section like rclone (configVersion must be 1; 0 is the retired password login) and returns its token source. */
export function checkConfigVersion(args: Pick<CreateTokenSourceArgs, 'name' | 'options' | 'rawOptions'>): void {
  const { name, options, rawOptions } = args;
  const raw = rawOptions ? rawOptions.configVersion : String(options.configVersion ?? '');
  const cmd = reconnectCommand(name);
  const legacyHints = (options.username ?? '') !== '' || options.tokenURL === LEGACY_TOKEN_URL;
  if (raw === '0' || ((raw === undefined || raw === '') && legacyHints)) {
    throw authError(
      name,
      `remote ${JSON.stringify(name)} uses the retired username/password login (configVersion 0), which Jottacloud no longer accepts - ` +
        `run "${cmd}" to log in again with a personal login token (your device and mountpoint settings are kept)`,
    );
  }
  if (raw === undefined || raw.trim() === '' || Number(raw) !== CONFIG_VERSION) {
    throw authError(name, `outdated config - please reconfigure this backend: run "${cmd}"`);
  }
}

/** newFs helper: checks the config version and builds the token source from the stored token, tokenURL and client id. */
export function createTokenSource(args: CreateTokenSourceArgs): OAuthTokenSource {
  checkConfigVersion(args);
  const { name, options, rawOptions } = args;
  const token = parseToken(options.token ?? '', name);
  const tokenUrl = rawOptions?.token_url || options.tokenURL || DEFAULT_TOKEN_URL;
  return new OAuthTokenSource({
    remote: name,
    tokenUrl,
    clientId: options.client_id || STANDARD_CLIENT_ID,
    clientSecret: options.client_secret ?? '',
    token,
    persistentState: args.persistentState,
    saveOptions: args.saveOptions,
    dispatcher: args.dispatcher,
    logger: args.logger,
    userAgent: args.userAgent,
    now: args.now,
  });
}
