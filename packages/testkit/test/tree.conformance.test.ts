// The conformance suite against the testkit's reference tree Fs: exercises the purge/move/dirMove/about/publicLink,
// empty-directory and no-ListR branches that the memory backend skips.

import { runBackendConformance } from '../src/index.js';
import { TreeFs, TreeStore } from './tree-fs.js';

const store = new TreeStore();

runBackendConformance({
  name: 'tree',
  remoteName: 'tree',
  newFs: store.newFs,
  setListPageSize: (fs, n) => (fs as TreeFs).setListPageSize(n),
  skipBadWindowsCharacters: 'demonstrates the opt-out: the reference Fs could store these names',
  skip: { FsListRSubdir: 'demonstrates a per-case opt-out (the tree Fs has no ListR anyway)' },
});
