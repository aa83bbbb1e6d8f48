import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The longest files, longest first (seconds of one full run on CI: docs/testing.md). They start before
 * everything else so that the many short files fill the other worker around them; left to Vitest, a
 * clean clone (no results cache) runs the largest files first, which put the 60-line reliability
 * file 81st of 91 and its seven minutes at the end of the run.
 */
export const LONGEST_FILES = [
  'test/reliability/reconciliation.test.ts',
  'test/integration/restart.test.ts',
  'test/infra/stack.test.ts',
  'test/infra/cdk-cli.test.ts',
  'test/corpus/corpus.test.ts',
  'test/e2e/check-20k.test.ts',
  // 46 CPU-s (was 123) since its 50,000-row file went to restart.test.ts (docs/testing.md)
  'test/integration/ingest.test.ts',
];

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FILES.findIndex((path) => f.moduleId.endsWith(`/${path}`));
      return i < 0 ? LONGEST_FILES.length : i;
    };
    // Array.prototype.sort is stable: the rest keep Vitest's order (cached durations, else size)
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup-env.ts'],
    // one DynamoDB Local per worker, started on a file's first platform (docs/testing.md)
    globalSetup: ['test/support/shared-dynamo.ts'],
    testTimeout: 60_000,
    // the CDK suites synthesise the whole app (esbuild bundles every function) in beforeAll: minutes on a busy 2-core machine
    hookTimeout: 600_000,
    pool: 'forks',
    // Integration and e2e suites each start their own emulators on ephemeral ports.
    fileParallelism: true,
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
  },
});
