import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup-env.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Integration and e2e suites each start their own emulators on ephemeral ports.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
