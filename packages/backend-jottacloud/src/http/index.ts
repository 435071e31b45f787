// The HTTP layer of the jottacloud backend: transport (proxy, TLS), pacer, errors, escaping and the REST client.

export * from './transport.js';
export * from './proxy-env.js';
export * from './pacer.js';
export * from './errors.js';
export * from './escape.js';
export * from './dump.js';
export * from './rest.js';
