// Access tokens for the HTTP stack: refresh near expiry, one refresh at a time per process, and under the config
// file's lock across processes so that a rotated refresh token is never presented twice.

import type { Dispatcher } from 'undici';
import { JsyncError, logDebug, type Logger, type PersistentState } from '@jsync/core';
import type { TokenSource } from '../http/rest.js';
import { OidcHttpError, postTokenForm } from './oidc.js';
import { formatToken, parseToken, reconnectCommand, tokenFromResponse, tokenValid, type OAuthToken } from './token.js';

/** Arguments of {@link OAuthTokenSource}. */
export interface TokenSourceArgs {
  /** Remote name, for messages (`jsync config reconnect NAME:`). */
  remote: string;
  tokenUrl: string;
  clientId: string;
  /** Sent as `client_secret` when not empty. */
  clientSecret: string;
  token: OAuthToken;
  /** Locked read-modify-write of the config section (absent for on-the-fly remotes and library use). */
  persistentState?: PersistentState;
  /** Used to save a refreshed token when there is no persistentState. */
  saveOptions?: (v: Record<string, string>) => Promise<void>;
  dispatcher: Dispatcher;
  logger: Logger;
  userAgent?: string;
  /** Clock in ms (tests). @default Date.now */
  now?: () => number;
  /** Attempts per token request on 5xx/429/network errors. @default 5 */
  attempts?: number;
  /** Pause between those attempts. @default 1000 */
  retryDelayMs?: number;
}

/** Explains refresh-token rotation; appended to invalid_grant errors. */
export const ROTATION_HINT =
  'Jottacloud rotates refresh tokens and ends the whole login session when an old refresh token is presented again. ' +
  'This happens when a config file (or its token) was copied between machines or processes that do not share token updates; ' +
  'after reconnecting, configure each machine separately instead of copying the config section.';

/** The fatal error for a refresh the token endpoint refused (rclone's wording, jsync's command). */
export function refreshRefusedError(err: OidcHttpError, remote: string, answerLost: boolean): JsyncError {
  const cmd = reconnectCommand(remote);
  let message: string;
  if (['invalid_client', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope'].includes(err.oauthError)) {
    message = `${err.oauthError}: if you're using your own client id/secret, make sure they're properly set up following the docs`;
  } else if (err.oauthError === '') {
    message = `(can't decode error info) - try refreshing token with "${cmd}"`;
  } else {
    message = `${err.oauthError}: maybe token expired? - try refreshing with "${cmd}"`;
    if (err.oauthError === 'invalid_grant') {
      message += `\n${ROTATION_HINT}`;
      if (answerLost) message += '\nThe answer to an earlier refresh attempt was lost in transit after the server may already have rotated the token.';
    }
  }
  return new JsyncError({ code: 'AUTH', message, cause: err, errorClass: 'fatal', context: { remote, status: err.status, oauthError: err.oauthError } });
}

/** Implements the HTTP stack's TokenSource for one remote (see the module comment). */
export class OAuthTokenSource implements TokenSource {
  private current: OAuthToken;
  private inflight: Promise<OAuthToken> | undefined;
  /** Refresh tokens this process has presented (never adopt one of them again from disk). */
  private readonly spent = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly args: TokenSourceArgs) {
    this.current = { ...args.token };
    this.now = args.now ?? Date.now;
  }

  /** The token in use now (after any refresh). */
  get token(): OAuthToken {
    return { ...this.current };
  }

  /** A valid access token, refreshing first when fewer than 10 s are left. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    if (tokenValid(this.current, this.now())) return this.current.access_token;
    return (await this.refresh(undefined, signal)).access_token;
  }

  /** After the server rejected `rejected` (401): a different valid token if there is one, else refreshes once. */
  async invalidate(rejected: string, signal?: AbortSignal): Promise<string> {
    if (this.current.access_token !== rejected && tokenValid(this.current, this.now())) return this.current.access_token;
    return (await this.refresh(rejected, signal)).access_token;
  }

  private refresh(rejected: string | undefined, signal?: AbortSignal): Promise<OAuthToken> {
    if (!this.inflight) {
      // Shared by every waiter, so it runs without any one caller's signal; each waiter can stop waiting.
      this.inflight = this.runRefresh(rejected).finally(() => {
        this.inflight = undefined;
      });
    }
    if (!signal) return this.inflight;
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<OAuthToken>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.inflight!.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async runRefresh(rejected: string | undefined): Promise<OAuthToken> {
    const { persistentState, saveOptions, logger, remote } = this.args;
    logDebug(logger, remote, 'Token expired');
    if (!persistentState) {
      const fresh = await this.requestRefresh(this.current);
      if (saveOptions) {
        try {
          await saveOptions({ token: formatToken(fresh) });
        } catch (err) {
          logger.log('ERROR', remote, `couldn't store token: ${(err as Error).message}`);
        }
      }
      this.current = fresh;
      return fresh;
    }
    let adopted: OAuthToken | undefined;
    let fresh: OAuthToken | undefined;
    try {
      await persistentState.update(async (section) => {
        const disk = this.readDisk(section.token);
        let base = this.current;
        if (disk && disk.refresh_token !== '' && disk.refresh_token !== base.refresh_token && !this.spent.has(disk.refresh_token)) {
          if (tokenValid(disk, this.now()) && disk.access_token !== rejected) {
            logDebug(logger, remote, 'Loaded fresh token from config file');
            adopted = disk;
            return undefined;
          }
          logDebug(logger, remote, 'Loaded new refresh token from config file');
          base = disk;
        }
        fresh = await this.requestRefresh(base);
        return { token: formatToken(fresh) };
      });
    } catch (err) {
      if (!fresh) throw err;
      // The server has rotated the token: keep using the new one even though saving it failed.
      logger.log('ERROR', remote, `couldn't store token: ${(err as Error).message}`);
    }
    this.current = adopted ?? fresh!;
    return this.current;
  }

  private readDisk(raw: string | undefined): OAuthToken | undefined {
    if (raw === undefined || raw === '') return undefined;
    try {
      return parseToken(raw, this.args.remote);
    } catch (err) {
      logDebug(this.args.logger, this.args.remote, `Failed to parse token out of config file: ${(err as Error).message}`);
      return undefined;
    }
  }

  private async requestRefresh(base: OAuthToken): Promise<OAuthToken> {
    const { remote, logger, tokenUrl, clientId, clientSecret } = this.args;
    if (base.refresh_token === '') {
      throw new JsyncError({
        code: 'AUTH',
        message: `token expired and there's no refresh token - manually refresh with "${reconnectCommand(remote)}"`,
        errorClass: 'fatal',
        context: { remote },
      });
    }
    const form: Record<string, string> = { client_id: clientId, grant_type: 'refresh_token', refresh_token: base.refresh_token };
    if (clientSecret !== '') form.client_secret = clientSecret;
    this.spent.add(base.refresh_token);
    let answerLost = false;
    let body: unknown;
    try {
      body = await postTokenForm(
        tokenUrl,
        form,
        { dispatcher: this.args.dispatcher, logger, userAgent: this.args.userAgent, attempts: this.args.attempts, retryDelayMs: this.args.retryDelayMs },
        () => {
          answerLost = true;
        },
      );
    } catch (err) {
      if (err instanceof OidcHttpError && (err.status === 400 || err.status === 401)) throw refreshRefusedError(err, remote, answerLost);
      throw new JsyncError({ code: 'IO', message: `couldn't fetch token: ${(err as Error).message}`, cause: err, context: { remote } });
    }
    const fresh = tokenFromResponse(body, this.now(), base);
    logDebug(logger, remote, 'Token refresh successful');
    return fresh;
  }
}
