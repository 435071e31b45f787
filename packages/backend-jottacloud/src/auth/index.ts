// Authentication and configuration of the jottacloud backend: rclone-compatible token storage and refresh, the
// personal-login-token and white-label browser logins, and the config dialogue.

export * from './token.js';
export * from './login-token.js';
export { OidcHttpError, encodeForm, fetchDiscovery, postTokenForm } from './oidc.js';
export type { OidcDiscovery, OidcHttpOptions } from './oidc.js';
export * from './token-source.js';
export * from './create.js';
export * from './login.js';
export * from './providers.js';
export * from './authcode.js';
export * from './device-choice.js';
export * from './account-api.js';
export * from './configure.js';
