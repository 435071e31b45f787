// The HTTP transport: an undici dispatcher with rclone's (Go's) proxy environment, --ca-cert, --no-check-certificate,
// --contimeout/--timeout and redirect following.

import { readFileSync } from 'node:fs';
import type { LookupFunction } from 'node:net';
import { Agent, Dispatcher, ProxyAgent, interceptors } from 'undici';
import { invalidArgument } from '@jsync/core';
import { ProxySelector, proxyConfigFromEnv, type ProxyEnv } from './proxy-env.js';

/** `--contimeout` default (rclone): 1 minute. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 60_000;
/** `--timeout` default (rclone): 5 minutes of no data. */
export const DEFAULT_TIMEOUT_MS = 300_000;

/** Settings of {@link createDispatcher}. */
export interface TransportOptions {
  /** `--ca-cert` PEM files; like Go, they replace the system roots (for the origin and for an https proxy). */
  caCert?: readonly string[];
  /** `--no-check-certificate`: accept any server certificate. */
  noCheckCertificate?: boolean;
  /** Where HTTPS_PROXY/https_proxy, HTTP_PROXY/http_proxy and NO_PROXY/no_proxy are read. @default process.env */
  env?: ProxyEnv;
  /** `--contimeout`: TCP + TLS connect timeout. @default 60000 */
  connectTimeoutMs?: number;
  /** `--timeout`: longest wait for response headers or between body chunks. @default 300000 */
  timeoutMs?: number;
  /** DNS lookup override for every connection this dispatcher opens (tests, pinned resolution). */
  lookup?: LookupFunction;
  /** Redirects followed per request (Go's client follows 10). @default 10 */
  maxRedirections?: number;
}

/** Reads `--ca-cert` files: each must hold at least one PEM certificate (rclone stops otherwise). */
export function readCaCerts(paths: readonly string[]): string[] {
  return paths.map((p) => {
    let pem: string;
    try {
      pem = readFileSync(p, 'utf8');
    } catch (err) {
      throw invalidArgument(`failed to read --ca-cert file ${JSON.stringify(p)}: ${(err as Error).message}`, err);
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw invalidArgument(`failed to add certificates from --ca-cert file ${JSON.stringify(p)}`);
    return pem;
  });
}

/**
 * undici Dispatcher honouring the proxy env vars (CONNECT for https, absolute-URI forwarding for http, Go's NO_PROXY
 * rules, loopback never proxied), --ca-cert (PEM files; like Go, they REPLACE the system roots) and
 * --no-check-certificate, for both origin and proxy TLS. Follows redirects like Go's client.
 */
export function createDispatcher(opts: TransportOptions = {}): Dispatcher {
  const tls: Record<string, unknown> = {
    rejectUnauthorized: opts.noCheckCertificate !== true,
    timeout: opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  };
  if (opts.caCert !== undefined && opts.caCert.length > 0) tls.ca = readCaCerts(opts.caCert);
  if (opts.lookup !== undefined) tls.lookup = opts.lookup;
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const common = { headersTimeout: timeout, bodyTimeout: timeout };
  const config = proxyConfigFromEnv(opts.env ?? process.env);
  const direct = new Agent({ ...common, connect: tls });
  const viaProxy = new Map<string, Dispatcher>();
  if (config.httpsProxy !== undefined) {
    viaProxy.set(`https:${config.httpsProxy.href}`, new ProxyAgent({ ...common, uri: config.httpsProxy.href, requestTls: tls, proxyTls: tls }));
  }
  if (config.httpProxy !== undefined) {
    const agent = new ProxyAgent({ ...common, uri: config.httpProxy.href, requestTls: tls, proxyTls: tls, proxyTunnel: false });
    viaProxy.set(`http:${config.httpProxy.href}`, agent);
  }
  const routing = new RoutingDispatcher(new ProxySelector(config), direct, viaProxy);
  return routing.compose(interceptors.redirect({ maxRedirections: opts.maxRedirections ?? 10 }));
}

const FORWARDED_EVENTS = ['connect', 'disconnect', 'connectionError', 'drain'] as const;

/** Sends each request directly or through the proxy the environment names for its origin. */
class RoutingDispatcher extends Dispatcher {
  private readonly byOrigin = new Map<string, Dispatcher>();

  constructor(
    private readonly selector: ProxySelector,
    private readonly direct: Dispatcher,
    private readonly viaProxy: ReadonlyMap<string, Dispatcher>,
  ) {
    super();
    for (const d of this.children()) {
      for (const ev of FORWARDED_EVENTS) {
        (d as unknown as NodeJS.EventEmitter).on(ev, (...args: unknown[]) => (this as unknown as NodeJS.EventEmitter).emit(ev, ...args));
      }
    }
  }

  private children(): Dispatcher[] {
    return [this.direct, ...this.viaProxy.values()];
  }

  private pick(origin: string | URL | undefined): Dispatcher {
    const key = String(origin ?? '');
    let d = this.byOrigin.get(key);
    if (d === undefined) {
      const url = new URL(key);
      const proxy = this.selector.proxyFor(url);
      d = proxy === undefined ? this.direct : (this.viaProxy.get(`${url.protocol}${proxy.href}`) ?? this.direct);
      if (this.byOrigin.size > 256) this.byOrigin.clear();
      this.byOrigin.set(key, d);
    }
    return d;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    return this.pick(options.origin).dispatch(options, handler);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const done = Promise.all(this.children().map((d) => d.close())).then(() => undefined);
    if (callback === undefined) return done;
    void done.then(callback, callback);
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    const err = typeof a === 'function' ? null : (a ?? null);
    const callback = typeof a === 'function' ? a : b;
    const done = Promise.all(this.children().map((d) => d.destroy(err))).then(() => undefined);
    if (callback === undefined) return done;
    void done.then(callback, callback);
  }
}
