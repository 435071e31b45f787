// The memory backend against the shared conformance suite (rclone backend/memory/memory_test.go).

import { newFsFromDefinition, runBackendConformance } from '@jsync/testkit';
import { MemoryFs, createMemoryBackend } from '../src/index.js';
import { registerMemoryInternalCases } from './internal-cases.js';

runBackendConformance({
  name: 'memory',
  remoteName: ':memory',
  newFs: newFsFromDefinition(createMemoryBackend(), { name: ':memory', options: {} }),
  setListPageSize: (fs, n) => {
    if (!(fs instanceof MemoryFs)) throw new TypeError(`not a MemoryFs: ${fs}`);
    fs.setListPageSize(n);
  },
  internal: registerMemoryInternalCases,
});
