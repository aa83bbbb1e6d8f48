import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup-env.ts'],
    testTimeout: 60_000,
    // the CDK suites synthesise the whole app (esbuild bundles every function) in beforeAll: minutes on a busy 2-core machine
    hookTimeout: 600_000,
    pool: 'forks',
    // Integration and e2e suites each start their own emulators on ephemeral ports.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
