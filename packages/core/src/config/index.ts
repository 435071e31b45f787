// Config file, obscure/reveal, remote paths and option resolution (rclone fs/config, fs/fspath).
export * from '../util/units.js';
export * from './obscure.js';
export * from './ini.js';
export * from './config-file.js';
export * from './config-lock.js';
export * from './config-path.js';
export * from './remote-path.js';
export * from '../util/env.js';
export * from '../fs/option-values.js';
export * from '../fs/new-fs.js';
