// Types of the Jottacloud fault matrix: a case (command × faults × retries), what hooks see, and a case's outcome.

import type { Lane, Run, Tree, TreeContent } from './jotta-faults-env.js';

/** Which command a run exercises. */
export type FaultOp = 'copy-up' | 'sync-up' | 'move-up' | 'copy-down' | 'check-download';

/** One cell of the matrix. */
export interface FaultCase {
  /** Short label for the summary table. */
  name: string;
  op: FaultOp;
  /** Emulator fault specs active during the faulty run (`op=kind[:p|@n]`). */
  faults: string[];
  /** `--retries` / `--low-level-retries` of the faulty run (default 3 / 3). */
  retries?: number;
  lowLevelRetries?: number;
  /** More flags for the faulty run (e.g. `--bwlimit`, `--transfers 1`). */
  flags?: string[];
  /** What the error output must name when the run fails. */
  errorText: RegExp;
  /** The run must fail (a persistent fault with too few retries). */
  mustFail?: boolean;
  /** Also `check --download` after the run converged. */
  checkDownload?: boolean;
  /** Small files in the tree (default 20) and size of the big one (default 2 MiB). */
  small?: number;
  big?: number;
  /** The exit code a failing run must have (e.g. 7 for revoked credentials). */
  failCode?: number;
  /** Log in again (`config reconnect jc:` with a fresh login token) before the fault-free rerun. */
  reconnect?: boolean;
  /** Started with the faulty run (e.g. timers expiring tokens); the returned function stops it. */
  whileRunning?: (lane: Lane) => () => void;
  /** Extra assertions on the faulty run (return problems). */
  extra?: (lane: Lane, ctx: CaseContext) => string[] | Promise<string[]>;
}

/** What a case's `extra` hook gets. */
export interface CaseContext {
  run: Run;
  folder: string;
  /** Emulator request log entries of the faulty run. */
  requests: Lane['emu']['state']['requests'];
  /** Token families revoked before the run. */
  revokedBefore: number;
}

/** The outcome of one case. */
export interface CaseResult {
  name: string;
  op: FaultOp;
  faults: string;
  code: number;
  fired: number;
  /** Requests to the token endpoint during the faulty run. */
  tokenRequests: number;
  /** `clean`: exit 0 and check-clean; `loud`: non-zero with a clear error, rerun converged. */
  outcome: 'clean' | 'loud' | 'broken';
  rerunCode: number | undefined;
  converged: boolean;
  /** Files whose content was lost (deleted after an error, moved away unverified, overwritten with bad data). */
  lost: string[];
  problems: string[];
  /** The faulty run's last 40 stderr lines when there are problems (for the failure message). */
  log: string;
  ms: number;
}

/** The state a case starts from. */
export interface Prepared {
  content: TreeContent;
  want: Tree;
  /** sync-up: destination-only files (must survive a failed sync) and stale versions of source files. */
  destOnly: Tree;
  stale: Tree;
  src: string;
  dst: string;
  folder: string;
}
