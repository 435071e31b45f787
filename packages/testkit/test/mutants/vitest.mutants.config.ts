// Vitest config for the mutant run started by mutants.test.ts: only the mutant suite, same source resolution as the root.
import { fileURLToPath } from 'node:url';

const conditions = ['@jsync/source', 'node', 'import', 'module', 'default'];

// A plain object (defineConfig is the identity) so the testkit imports nothing but core and vitest.
export default {
  root: fileURLToPath(new URL('../../../../', import.meta.url)),
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: { include: ['packages/testkit/test/mutants/mutants.suite.ts'], pool: 'forks', testTimeout: 60_000 },
};
