// Vitest config for the container tests (`pnpm test:containers`): only *.container.test.ts, with Docker settings
// for this environment (host networking on loopback, no Ryuk reaper). The default `pnpm test` excludes these files.
import { defineConfig } from 'vitest/config';

const conditions = ['@jsync/source', 'node', 'import', 'module', 'default'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: conditions } },
  test: {
    include: ['packages/*/test/**/*.container.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    env: {
      TESTCONTAINERS_RYUK_DISABLED: 'true',
      TESTCONTAINERS_HOST_OVERRIDE: '127.0.0.1',
    },
  },
});
