import { describe, expect, it } from 'vitest';
import { ProxySelector, proxyConfigFromEnv } from '../../src/http/proxy-env.js';

const select = (env: Record<string, string>, url: string): string | undefined =>
  new ProxySelector(proxyConfigFromEnv(env)).proxyFor(new URL(url))?.href;

describe('proxy environment (Go httpproxy rules)', () => {
  it('uses HTTPS_PROXY for https and HTTP_PROXY for http, without falling back between them', () => {
    const env = { HTTPS_PROXY: 'http://secure.proxy:8443', HTTP_PROXY: 'http://plain.proxy:3128' };
    expect(select(env, 'https://jfs.jottacloud.com/jfs/')).toBe('http://secure.proxy:8443/');
    expect(select(env, 'http://example.com/')).toBe('http://plain.proxy:3128/');
    expect(select({ HTTP_PROXY: 'http://plain.proxy:3128' }, 'https://jfs.jottacloud.com/')).toBeUndefined();
  });

  it('prefers the upper-case variable when both are set and non-empty, else the lower-case one', () => {
    expect(select({ HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' }, 'https://a.b/')).toBe('http://upper:1/');
    expect(select({ HTTPS_PROXY: '', https_proxy: 'http://lower:2' }, 'https://a.b/')).toBe('http://lower:2/');
  });

  it('assumes http:// for a proxy without a scheme and rejects unsupported schemes', () => {
    expect(select({ HTTPS_PROXY: '127.0.0.1:3128' }, 'https://a.b/')).toBe('http://127.0.0.1:3128/');
    expect(select({ HTTPS_PROXY: 'proxy.local:3128' }, 'https://a.b/')).toBe('http://proxy.local:3128/');
    expect(() => proxyConfigFromEnv({ HTTPS_PROXY: 'ftp://proxy:21' })).toThrow(/unsupported proxy scheme "ftp" in HTTPS_PROXY/);
  });

  it('never proxies localhost or loopback addresses', () => {
    const env = { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1' };
    for (const u of ['http://localhost:8080/', 'http://127.0.0.1:1/', 'https://127.9.9.9/', 'http://[::1]:80/']) expect(select(env, u)).toBeUndefined();
    expect(select(env, 'http://203.0.113.3/')).toBe('http://p:1/');
  });

  it('applies NO_PROXY: domains with subdomains, leading dot = subdomains only, ports, IPs, CIDRs and *', () => {
    const env = { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'jottacloud.com, .example.org,api.test:8443,198.51.100.0/24,203.0.113.7,[2001:db8::1]:443' };
    expect(select(env, 'https://jottacloud.com/')).toBeUndefined();
    expect(select(env, 'https://jfs.jottacloud.com/')).toBeUndefined();
    expect(select(env, 'https://notjottacloud.com/')).toBe('http://p:1/');
    expect(select(env, 'https://example.org/')).toBe('http://p:1/');
    expect(select(env, 'https://www.example.org/')).toBeUndefined();
    expect(select(env, 'https://api.test:8443/')).toBeUndefined();
    expect(select(env, 'https://api.test/')).toBe('http://p:1/');
    expect(select(env, 'https://198.51.100.45/')).toBeUndefined();
    expect(select(env, 'https://203.0.113.7/')).toBeUndefined();
    expect(select(env, 'https://203.0.113.8/')).toBe('http://p:1/');
    expect(select(env, 'https://[2001:db8::1]/')).toBeUndefined();
    expect(select({ HTTPS_PROXY: 'http://p:1', no_proxy: '*' }, 'https://anything.example/')).toBeUndefined();
    // Go: `*.x` is `.x`, subdomains only
    expect(select({ HTTPS_PROXY: 'http://p:1', NO_PROXY: '*.jottacloud.com' }, 'https://jfs.jottacloud.com/')).toBeUndefined();
    expect(select({ HTTPS_PROXY: 'http://p:1', NO_PROXY: '*.jottacloud.com' }, 'https://jottacloud.com/')).toBe('http://p:1/');
  });
});
