// The one place that knows every backend (rclone backend/all): builds the program's registry instance.

import { Registry } from '@jsync/core';
import { jottacloudBackend } from '@jsync/backend-jottacloud';
import { localBackend } from '@jsync/backend-local';
import { memoryBackend } from '@jsync/backend-memory';

/** A fresh registry with every built-in backend. */
export function createRegistry(): Registry {
  return new Registry([jottacloudBackend, localBackend, memoryBackend]);
}
