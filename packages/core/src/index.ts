// @jsync/core public API: the only entry point backends and the CLI may import.

export * from './fs/errors.js';
export * from './fs/types.js';
export * from './fs/features.js';
export * from './fs/options.js';
export * from './fs/open-options.js';
export * from './fs/registry.js';
export * from './modtime/timestamp.js';
export * from './modtime/modify-window.js';
export * from './list/list.js';
export * from './util/logger.js';
export * from './util/utf8.js';
export * from './hash/index.js';
export * from './encoding/index.js';
export * from './config/index.js';
export * from './filter/index.js';
export * from './accounting/index.js';
export * from './operations/index.js';
export * from './march/index.js';
export * from './sync/index.js';
