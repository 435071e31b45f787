// startEmulator: builds the state, serves it over node:http on one port (plain requests and CONNECT tunnels for
// *.jottacloud.com through the proxy module) and hands back URLs, tokens and a stop function.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { systemClock } from './clock.js';
import { createHandler } from './http/router.js';
import { resolveOptions, type EmulatorOptions } from './options.js';
import { attachProxy, type ProxyAttachment } from './proxy/index.js';
import { mintLoginToken } from './routes/admin.js';
import { EmulatorState } from './state.js';
import { EmulatorStateView } from './state-view.js';

/** A running emulator. */
export interface Emulator {
  /** Plain HTTP base URL (`http://127.0.0.1:P`): every endpoint by path, plus `/__admin/*`. */
  url: string;
  /** HTTPS proxy URL for clients with fixed jottacloud.com hosts (same port as `url`). */
  proxy: string;
  /** Path of the proxy's CA certificate (PEM), or '' when started with `proxy: false`. */
  caCert: string;
  /** A fresh one-use personal login token whose `well_known_link` points at `url`. */
  mintLoginToken(): string;
  /** Direct access to the account, faults, tokens and the request log. */
  state: EmulatorStateView;
  /** Stops serving (open connections are closed) and waits for pending writes. */
  stop(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Starts an emulator; see {@link EmulatorOptions}. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const opts = resolveOptions(options, systemClock);
  const state = await EmulatorState.create(opts);
  const handler = createHandler(state);
  const server = createServer({ keepAlive: true }, handler);
  server.requestTimeout = 0;
  // Longer than Go's idle-connection timeout, so clients never reuse a connection the server is closing (a POST
  // such as allocate would fail without a retry).
  server.keepAliveTimeout = 75_000;
  await listen(server, opts.port, opts.host);
  const addr = server.address() as AddressInfo;
  const hostPart = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${hostPart === '0.0.0.0' ? '127.0.0.1' : hostPart === '[::]' ? '[::1]' : hostPart}:${addr.port}`;
  state.baseUrl = url;

  let proxy: ProxyAttachment | undefined;
  if (opts.proxy) {
    const tlsDir = opts.tlsDir ?? (opts.dataDir ? join(opts.dataDir, 'tls') : undefined);
    try {
      proxy = await attachProxy(server, { handler, host: opts.host, ...(tlsDir ? { tlsDir } : {}) });
    } catch (e) {
      server.close();
      server.closeAllConnections();
      throw e;
    }
  }

  let stopped: Promise<void> | undefined;
  return {
    url,
    proxy: url,
    caCert: proxy?.caCertPath ?? '',
    mintLoginToken: () => {
      const token = mintLoginToken(state);
      void state.persist();
      return token;
    },
    state: new EmulatorStateView(state),
    stop() {
      stopped ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await proxy?.close();
        await closed;
        await state.settle();
      })();
      return stopped;
    },
  };
}
