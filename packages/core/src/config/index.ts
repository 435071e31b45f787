// Config file, obscure/reveal, remote paths and option resolution (rclone fs/config, fs/fspath).
export * from '../util/units.js';
export * from './obscure.js';
