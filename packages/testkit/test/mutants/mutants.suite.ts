// One conformance run per deliberately broken tree Fs (started by ../mutants.test.ts, not by the normal run).
import { runBackendConformance } from '../../src/index.js';
import { TreeStore } from '../tree-fs.js';
import type { TreeBugs, TreeFs } from '../tree-fs.js';
import { MUTANTS } from './mutants.js';

for (const [name, { bugs }] of Object.entries(MUTANTS)) {
  const store = new TreeStore(bugs as TreeBugs);
  runBackendConformance({ name, remoteName: 'tree', newFs: store.newFs, setListPageSize: (fs, n) => (fs as TreeFs).setListPageSize(n) });
}
