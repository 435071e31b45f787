// The account calls of the device/mountpoint dialogue over the HTTP stack (RestClient with the freshly obtained token).

import type { Dispatcher } from 'undici';
import { JsyncError, type GlobalOptions, type Logger } from '@jsync/core';
import type { CustomerInfo, JfsDocument } from '../api/types.js';
import { parseJfsDocument } from '../api/xml.js';
import { Pacer } from '../http/pacer.js';
import { RestClient, type TokenSource } from '../http/rest.js';
import type { AccountApi } from './device-choice.js';

/** Where and how {@link restAccountApi} talks. */
export interface RestAccountApiArgs {
  tokens: TokenSource;
  dispatcher: Dispatcher;
  logger: Logger;
  global: GlobalOptions;
  /** JFS root, ending in `/jfs/`. */
  jfsUrl: string;
  /** API root, ending in `/`. */
  apiUrl: string;
}

function expect<K extends JfsDocument['kind']>(doc: JfsDocument, kind: K, what: string): Extract<JfsDocument, { kind: K }> {
  if (doc.kind !== kind) throw new JsyncError({ code: 'IO', message: `unexpected ${doc.kind === 'other' ? doc.root : doc.kind} document for ${what}` });
  return doc as Extract<JfsDocument, { kind: K }>;
}

/** The dialogue's account calls (customer info, `<user>`/`<device>` documents, device and mountpoint creation). */
export function restAccountApi(args: RestAccountApiArgs): AccountApi {
  const { global: g, jfsUrl, apiUrl } = args;
  const client = new RestClient({
    dispatcher: args.dispatcher,
    pacer: new Pacer({ retries: g.lowLevelRetries, tpsLimiter: g.tpsLimiter, logger: args.logger }),
    tokenSource: args.tokens,
    userAgent: g.userAgent,
    logger: args.logger,
    dump: g.dump,
  });
  const doc = async (method: 'GET' | 'POST', path: string, query?: Record<string, string>): Promise<JfsDocument> =>
    parseJfsDocument(await client.text({ method, rootUrl: jfsUrl, path, ...(query ? { query } : {}) }));
  return {
    async username() {
      const cust = await client.json<CustomerInfo>({ method: 'GET', rootUrl: apiUrl, path: 'account/v1/customer', retry: false });
      if (typeof cust?.username !== 'string' || cust.username === '') throw new JsyncError({ code: 'IO', message: 'customer info without a username' });
      return cust.username;
    },
    async devices(user) {
      return expect(await doc('GET', user), 'user', `user ${user}`).user.devices.map((d) => d.name);
    },
    async mountpoints(user, device) {
      const dev = expect(await doc('GET', `${user}/${device}`), 'device', `device ${device}`).device;
      return dev.mountPoints.filter((m) => !m.deleted).map((m) => m.name);
    },
    async createDevice(user, device) {
      expect(await doc('POST', `${user}/${device}`, { type: 'WORKSTATION' }), 'device', `new device ${device}`);
    },
    async createMountpoint(user, device, mountpoint) {
      expect(await doc('POST', `${user}/${device}/${mountpoint}`), 'mountPoint', `new mountpoint ${mountpoint}`);
    },
  };
}
