import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/setup-env.ts'],
    testTimeout: 60_000,
    // the CDK suites synthesise the whole app (esbuild bundles every function) in beforeAll: minutes on a busy 2-core machine
    hookTimeout: 600_000,
    pool: 'forks',
    // Integration and e2e suites each start their own emulators on ephemeral ports.
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          // The infra suites of a worker share one module graph, so test/infra/synth.ts synthesises
          // the app (six stacks: two stages in three environments) once per worker, not once per file.
          isolate: false,
          // that one synthesis bundles every function first: over ten minutes when the two cores are shared by eight sessions
          hookTimeout: 1_200_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/infra/**'],
        },
      },
    ],
  },
});
