// Limiting a command to one file when its source argument names a file (rclone cmd.newFsFileAddFilter).

import { invalidArgument } from '../fs/errors.js';
import { Filter, type FilterOptions } from './filter.js';

/**
 * The filter to use when the source `remote` argument turned out to be the file `leaf`: a one-entry files-from
 * list. Throws rclone's `can't limit to single files when using filters: <remote>` when `opts` filter anything.
 */
export function singleFileFilter(opts: FilterOptions, leaf: string, remote: string): Filter {
  if (new Filter({ ...opts, logger: undefined }).isActive()) {
    throw invalidArgument(`can't limit to single files when using filters: ${remote}`);
  }
  return new Filter({ ...opts, filesFromRaw: [leaf] });
}
