// HTTPS-proxy mode of the emulator: CONNECT tunnels for *.jottacloud.com with a local CA (spec §9.1).
export { attachProxy, isJottacloudTarget, type AttachProxyOptions, type ProxyAttachment } from './attach-proxy.js';
export { ensureTlsMaterial, LEAF_DNS_NAMES, TLS_FILES, type EnsureTlsOptions, type TlsKeyType, type TlsMaterial } from './tls-material.js';
