// @jsync/backend-jottacloud: Jottacloud (and its white-label services) for jsync, compatible with rclone's backend.

export * from './options.js';
