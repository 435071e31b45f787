// Account-level operations: customer info, about (quota), user info, cleanup (empty trash) and public links.

import { objectNotFound } from '@jsync/core';
import type { PublicLinkOptions, Usage } from '@jsync/core';
import { child, parseXmlTree } from '../api/xml-tree.js';
import type { RestClient } from '../http/rest.js';
import { ioError, isNotFound, wrapError } from './errors.js';
import type { JottacloudFs } from './jotta-fs.js';

/** The fields of `GET account/v1/customer` the Fs uses (rclone `api.CustomerInfo`). */
export interface CustomerFields {
  username: string;
  email?: string;
  name?: string;
  account_type?: string;
  subscription_type?: string;
}

/** `GET <api>/account/v1/customer` without low-level retries; errors read "couldn't get customer info: …". */
export async function getCustomerInfo(client: RestClient, apiUrl: string, signal?: AbortSignal): Promise<CustomerFields> {
  let info: CustomerFields;
  try {
    info = await client.json<CustomerFields>({ method: 'GET', rootUrl: apiUrl, path: 'account/v1/customer', retry: false, signal });
  } catch (err) {
    throw wrapError("couldn't get customer info", err);
  }
  if (typeof info?.username !== 'string' || info.username === '') {
    throw ioError("couldn't get customer info: no username in the answer");
  }
  return info;
}

/** rclone `UserInfo`: the customer info under rclone's keys. */
export async function userInfo(fs: JottacloudFs, signal?: AbortSignal): Promise<Record<string, string>> {
  const c = await getCustomerInfo(fs.client, fs.apiUrl, signal);
  return {
    Username: c.username, Email: c.email ?? '', Name: c.name ?? '', AccountType: c.account_type ?? '', SubscriptionType: c.subscription_type ?? '',
  };
}

/** rclone `About`: `GET /jfs/<user>` (no low-level retries); total and free only for a positive capacity. */
export async function about(fs: JottacloudFs, signal?: AbortSignal): Promise<Usage> {
  let doc;
  try {
    doc = await fs.jfsGet(fs.user, { signal, retry: false });
  } catch (err) {
    throw wrapError("couldn't get drive info", err);
  }
  if (doc.kind !== 'user') throw ioError(`couldn't get drive info: expected a user document, got ${doc.kind}`);
  const { usage, capacity } = doc.user;
  return capacity > 0 ? { used: usage, total: capacity, free: capacity - usage } : { used: usage };
}

/** rclone `CleanUp`: `POST <api>/files/v1/purge_trash` (no low-level retries) empties the account's trash. */
export async function cleanUp(fs: JottacloudFs, signal?: AbortSignal): Promise<void> {
  try {
    await fs.client.json<unknown>({ method: 'POST', rootUrl: fs.apiUrl, path: 'files/v1/purge_trash', retry: false, signal });
  } catch (err) {
    throw wrapError("couldn't empty trash", err);
  }
}

/**
 * rclone `PublicLink`: `GET ?mode=enableShare` → `<www>/opin/io/downloadPublic/<user>/<publicURI>`; with `unlink`
 * (or the `unlink` option) `?mode=disableShare`, which must leave no `publicURI`. 404 → OBJECT_NOT_FOUND.
 */
export async function publicLink(fs: JottacloudFs, remote: string, opts: PublicLinkOptions): Promise<string> {
  const unlink = opts.unlink ?? fs.opt.unlink;
  let root;
  try {
    const xml = await fs.client.text({
      method: 'GET', rootUrl: fs.jfsUrl, path: fs.requestPath(remote), query: { mode: unlink ? 'disableShare' : 'enableShare' }, signal: opts.signal,
    });
    // Read as a file whatever the root element, as rclone does (a shared folder carries its publicURI the same way).
    root = parseXmlTree(xml);
  } catch (err) {
    if (isNotFound(err)) throw objectNotFound(remote);
    throw wrapError(unlink ? "couldn't remove public link" : "couldn't create public link", err);
  }
  const uri = child(root, 'publicURI')?.text.trim() ?? '';
  if (unlink) {
    if (uri !== '') throw ioError(`couldn't remove public link - ${JSON.stringify(uri)}`);
    return '';
  }
  if (uri === '') throw ioError("couldn't create public link - no uri received");
  const sharePath = child(root, 'publicSharePath')?.text;
  fs.logger.log('DEBUG', undefined, sharePath ? `Web link: ${joinUrl(fs.wwwUrl, sharePath)}` : 'No web link received');
  const link = joinUrl(fs.wwwUrl, `opin/io/downloadPublic/${fs.user}/${uri}`);
  fs.logger.log('DEBUG', undefined, `Direct link: ${link}`);
  return link;
}

/** rclone `joinPath` for URLs: one slash between base and rel, no cleaning. */
export function joinUrl(base: string, rel: string): string {
  if (rel === '') return base;
  if (base.endsWith('/')) return base + rel.replace(/^\//, '');
  if (rel.startsWith('/')) return base.replace(/\/$/, '') + rel;
  return `${base}/${rel}`;
}
