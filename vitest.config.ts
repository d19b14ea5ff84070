import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'clients/typescript/test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Interop tests start real peers; two cores, so keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
