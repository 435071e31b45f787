// Proxy choice from the environment with Go's rules (net/http ProxyFromEnvironment, x/net/http/httpproxy), as rclone uses.

import { BlockList, isIP } from 'node:net';
import { invalidArgument } from '@jsync/core';

/** Environment variables read: HTTPS_PROXY/https_proxy, HTTP_PROXY/http_proxy, NO_PROXY/no_proxy (upper case wins). */
export type ProxyEnv = Readonly<Record<string, string | undefined>>;

/** The proxies configured by an environment (Go `httpproxy.Config`). */
export interface ProxyConfig {
  httpProxy?: URL;
  httpsProxy?: URL;
  noProxy: string;
}

const PROXY_SCHEMES = new Set(['http:', 'https:', 'socks5:']);

function getEnvAny(env: ProxyEnv, ...names: string[]): string {
  for (const n of names) {
    const v = env[n];
    if (v !== undefined && v !== '') return v;
  }
  return '';
}

/** Go `parseProxy`: a value without a scheme means `http://`; unsupported schemes are an INVALID_ARGUMENT error naming the variable. */
function parseProxy(value: string, name: string): URL | undefined {
  if (value === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
    if (url.host === '') url = undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      url = new URL(`http://${value}`);
    } catch (err) {
      throw invalidArgument(`invalid proxy address ${JSON.stringify(value)} in ${name}`, err);
    }
  }
  if (!PROXY_SCHEMES.has(url.protocol)) {
    throw invalidArgument(`unsupported proxy scheme ${JSON.stringify(url.protocol.slice(0, -1))} in ${name} (use http, https or socks5)`);
  }
  return url;
}

/** Reads the proxy variables of `env` like Go's `httpproxy.FromEnvironment`. */
export function proxyConfigFromEnv(env: ProxyEnv): ProxyConfig {
  return {
    httpProxy: parseProxy(getEnvAny(env, 'HTTP_PROXY', 'http_proxy'), 'HTTP_PROXY'),
    httpsProxy: parseProxy(getEnvAny(env, 'HTTPS_PROXY', 'https_proxy'), 'HTTPS_PROXY'),
    noProxy: getEnvAny(env, 'NO_PROXY', 'no_proxy'),
  };
}

interface DomainMatch {
  /** Suffix with a leading dot (`.example.com`). */
  suffix: string;
  /** Also matches the bare name (entry written without a leading dot). */
  matchHost: boolean;
  port: string;
}

interface IpMatch {
  ip: string;
  port: string;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function family(ip: string): 'ipv4' | 'ipv6' {
  return isIP(ip) === 6 ? 'ipv6' : 'ipv4';
}

/** Decides per URL whether and through which proxy to connect (Go `httpproxy.Config.ProxyFunc`). */
export class ProxySelector {
  private readonly all: boolean = false;
  private readonly cidrs = new BlockList();
  private readonly ips: IpMatch[] = [];
  private readonly domains: DomainMatch[] = [];

  constructor(private readonly config: ProxyConfig) {
    for (const raw of config.noProxy.split(',')) {
      const p = raw.trim().toLowerCase();
      if (p === '') continue;
      if (p === '*') {
        this.all = true;
        break;
      }
      const cidr = /^(.+)\/(\d{1,3})$/.exec(p);
      if (cidr !== null && isIP(cidr[1] ?? '') !== 0) {
        const ip = cidr[1] ?? '';
        this.cidrs.addSubnet(ip, Number(cidr[2]), family(ip));
        continue;
      }
      const hp = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(p);
      const host = stripBrackets(hp !== null ? (hp[1] ?? '') : p);
      const port = hp !== null ? (hp[2] ?? '') : '';
      if (isIP(host) !== 0) {
        this.ips.push({ ip: host, port });
        continue;
      }
      if (host === '') continue;
      const name = host.startsWith('*.') ? host.slice(1) : host;
      this.domains.push(name.startsWith('.') ? { suffix: name, matchHost: false, port } : { suffix: `.${name}`, matchHost: true, port });
    }
  }

  /** The proxy to use for `url`, or undefined to connect directly (always direct for localhost and loopback IPs). */
  proxyFor(url: URL): URL | undefined {
    const proxy = url.protocol === 'https:' ? this.config.httpsProxy : url.protocol === 'http:' ? this.config.httpProxy : undefined;
    if (proxy === undefined || !this.useProxy(url)) return undefined;
    return proxy;
  }

  private useProxy(url: URL): boolean {
    const host = stripBrackets(url.hostname).toLowerCase();
    const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
    if (host === 'localhost') return false;
    const ipVersion = isIP(host);
    if (ipVersion !== 0 && isLoopback(host)) return false;
    if (this.all) return false;
    if (ipVersion !== 0) {
      if (this.cidrs.check(host, family(host))) return false;
      for (const m of this.ips) if (sameIp(m.ip, host) && (m.port === '' || m.port === port)) return false;
    }
    for (const m of this.domains) {
      if ((host.endsWith(m.suffix) || (m.matchHost && host === m.suffix.slice(1))) && (m.port === '' || m.port === port)) return false;
    }
    return true;
  }
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

function isLoopback(ip: string): boolean {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4mapped !== null) return LOOPBACK.check(v4mapped[1] ?? '', 'ipv4');
  return LOOPBACK.check(ip, family(ip));
}

function sameIp(a: string, b: string): boolean {
  if (a === b) return true;
  if (family(a) !== family(b)) return false;
  const list = new BlockList();
  list.addAddress(a, family(a));
  return list.check(b, family(b));
}
