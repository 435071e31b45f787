// The injected defects and the conformance cases that must notice each of them.
import type { TreeBugs } from '../tree-fs.js';

/** Mutant name → its defect and case paths (below the top-level describe) that must fail. */
export const MUTANTS: Record<string, { bugs: TreeBugs; mustFail: string[] }> = {
  'truncated listing': { bugs: { truncateListing: true }, mustFail: ['FsMkdir > FsListPaging > FsListPaged'] },
  'listing ignores signal': { bugs: { ignoreSignal: true }, mustFail: ['FsMkdir > FsListPaging > FsListAbort'] },
  'partial put': { bugs: { partialPut: true }, mustFail: ['FsMkdir > FsPutError'] },
  'ranges ignored': { bugs: { ignoreRange: true }, mustFail: ['FsMkdir > FsPutFiles > ObjectOpenSeek', 'FsMkdir > FsPutFiles > ObjectOpenRange'] },
  'modtimes in seconds': { bugs: { secondModTimes: true }, mustFail: ['FsMkdir > FsPutFiles > FsPutFiles', 'FsMkdir > FsPutZeroLength'] },
  'no isFile': { bugs: { noIsFile: true }, mustFail: ['FsMkdir > FsPutFiles > FsIsFile'] },
  'leaf remotes': { bugs: { leafRemotes: true }, mustFail: ['FsMkdir > FsPutFiles > FsListDirFile2', 'FsMkdir > FsPutFiles > FsListR'] },
  'wrong hash': { bugs: { wrongHash: true }, mustFail: ['FsMkdir > FsPutFiles > FsPutFiles', 'FsMkdir > FsPutZeroLength'] },
};
