/**
 * The suite's file order (vitest.config.ts): the longest files start first whatever Vitest's results
 * cache holds, the rest keep Vitest's own order; a renamed long file fails here rather than
 * silently falling back to the end of the run (docs/testing.md).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestSpecification, Vitest } from 'vitest/node';
import { describe, expect, it } from 'vitest';
import { LONGEST_FILES, LongestFirst } from '../../vitest.config.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/** Just what BaseSequencer.sort reads: a clean clone's cache (no results, file sizes only). */
function cleanClone(sizes: Record<string, number>) {
  const project = { name: '', config: { isolate: true, sequence: { groupOrder: 0 } } };
  const ctx = {
    config: { root: ROOT },
    cache: { getFileTestResults: () => undefined, getFileStats: (key: string) => ({ size: sizes[key.slice(1)] ?? 0 }) },
  };
  const spec = (path: string) => ({ moduleId: resolve(ROOT, path), project }) as unknown as TestSpecification;
  return { sequencer: new LongestFirst(ctx as unknown as Vitest), files: Object.keys(sizes).map(spec) };
}

describe('the order files start in', () => {
  it('names only files that exist', () => {
    for (const path of LONGEST_FILES) expect(existsSync(resolve(ROOT, path)), path).toBe(true);
  });

  it('starts the longest files first, longest first, and the rest largest first as Vitest does', async () => {
    const { sequencer, files } = cleanClone({
      'test/unit/a.test.ts': 9_000,
      'test/integration/restart.test.ts': 14_000,
      'test/unit/b.test.ts': 20_000,
      'test/reliability/reconciliation.test.ts': 2_500,
    });
    const order = (await sequencer.sort(files)).map((f) => f.moduleId.slice(ROOT.length + 1));
    expect(order).toEqual(['test/reliability/reconciliation.test.ts', 'test/integration/restart.test.ts', 'test/unit/b.test.ts', 'test/unit/a.test.ts']);
  });
});
